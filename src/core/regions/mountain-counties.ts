/**
 * The 26 mountain-area counties of Zhejiang (浙江山区26县; earlier called the 26 加快发展县),
 * singled out for extra support by the province's 山区26县跨越式高质量发展实施方案（2021—2025年）. Policies in this platform use the flag, so it is kept by name and matched
 * to GB/T 2260 codes from the data at load time, rather than hard-coding codes that re-divisions
 * can change.
 */
import type { DivisionRow } from './china-division.js';

export interface MountainCountyName {
  /** Full name of the prefecture-level city, as in the data (e.g. '杭州市'). */
  city: string;
  /** Short name without the administrative suffix (e.g. '淳安' for '淳安县'). */
  county: string;
}

/** The 26 mountain-area counties by city, with short names. */
export const MOUNTAIN_COUNTY_NAMES: readonly MountainCountyName[] = Object.freeze([
  { city: '杭州市', county: '淳安' },
  { city: '温州市', county: '永嘉' },
  { city: '温州市', county: '平阳' },
  { city: '温州市', county: '苍南' },
  { city: '温州市', county: '文成' },
  { city: '温州市', county: '泰顺' },
  { city: '金华市', county: '武义' },
  { city: '金华市', county: '磐安' },
  { city: '衢州市', county: '柯城' },
  { city: '衢州市', county: '衢江' },
  { city: '衢州市', county: '江山' },
  { city: '衢州市', county: '常山' },
  { city: '衢州市', county: '开化' },
  { city: '衢州市', county: '龙游' },
  { city: '台州市', county: '三门' },
  { city: '台州市', county: '天台' },
  { city: '台州市', county: '仙居' },
  { city: '丽水市', county: '莲都' },
  { city: '丽水市', county: '龙泉' },
  { city: '丽水市', county: '青田' },
  { city: '丽水市', county: '缙云' },
  { city: '丽水市', county: '遂昌' },
  { city: '丽水市', county: '松阳' },
  { city: '丽水市', county: '云和' },
  { city: '丽水市', county: '庆元' },
  { city: '丽水市', county: '景宁' },
].map((entry) => Object.freeze(entry)));

/** Suffixes a county-level name may carry after its short name (县, 县级市, 市辖区, 自治县). */
const COUNTY_SUFFIXES = ['县', '市', '区', '畲族自治县'] as const;

/**
 * Resolves MOUNTAIN_COUNTY_NAMES to county codes using the city and county rows of the data.
 * Each name must match exactly one county inside its own city; otherwise this throws, because a
 * silently missing county would drop people from mountain-area policies.
 */
export function resolveMountainCountyCodes(cities: readonly DivisionRow[], counties: readonly DivisionRow[]): Set<string> {
  const cityCodeByName = new Map(cities.map((city) => [city.name, city.code]));
  const codes = new Set<string>();
  for (const { city, county } of MOUNTAIN_COUNTY_NAMES) {
    const cityCode = cityCodeByName.get(city);
    if (cityCode === undefined) throw new Error(`mountain counties: city ${city} not found in the division data`);
    const fullNames = new Set(COUNTY_SUFFIXES.map((suffix) => county + suffix));
    const matches = counties.filter((row) => row.parentCode === cityCode && fullNames.has(row.name));
    if (matches.length !== 1) {
      throw new Error(`mountain counties: expected one county named ${county} in ${city}, found ${matches.length}`);
    }
    codes.add(matches[0]!.code);
  }
  return codes;
}
