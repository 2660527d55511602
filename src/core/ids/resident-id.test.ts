import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  ageOn,
  isCalendarDate,
  isValidResidentId,
  makeResidentId,
  parseResidentId,
  residentIdCheckChar,
} from './index.js';

const TODAY = '2025-06-30';
const anyRegion = (): boolean => true;

describe('external truth: the examples printed in GB 11643-1999', () => {
  it('11010519491231002X — Beijing 朝阳区, born 1949-12-31, female', () => {
    expect(residentIdCheckChar('11010519491231002')).toBe('X');
    expect(parseResidentId('11010519491231002X', { today: TODAY })).toEqual({
      ok: true,
      value: { idNumber: '11010519491231002X', regionCode: '110105', birthDate: '1949-12-31', sex: 'F', sequence: '002' },
    });
  });

  it('accepts a lower-case x and normalises it', () => {
    const parsed = parseResidentId('11010519491231002x', { today: TODAY });
    expect(parsed.ok && parsed.value.idNumber).toBe('11010519491231002X');
  });

  it('440524188001010014 — check character is right, but 1880 is before our 1900 bound', () => {
    // Shantou 潮阳县 (code since retired), born 1880-01-01, sequence 001 → male.
    expect(residentIdCheckChar('44052418800101001')).toBe('4');
    const parsed = parseResidentId('440524188001010014', { today: TODAY, isKnownRegion: anyRegion });
    expect(parsed).toMatchObject({ ok: false, error: 'BIRTH_DATE' });
    // With the default region check it still fails on the birth date first (intrinsic checks come first).
    expect(parseResidentId('440524188001010014', { today: TODAY })).toMatchObject({ ok: false, error: 'BIRTH_DATE' });
  });
});

describe('parseResidentId errors', () => {
  const valid = makeResidentId('330106', '1985-07-15', 123);

  it('rejects 15-digit first-generation numbers with a clear message', () => {
    const parsed = parseResidentId('110105491231002');
    expect(parsed).toMatchObject({ ok: false, error: 'FORMAT' });
    expect(!parsed.ok && parsed.message).toMatch(/only 18-character/);
  });

  it('rejects malformed input as FORMAT', () => {
    for (const bad of ['', '1101051949123100', '11010519491231002XX', '1101051949123100XX', 'X1010519491231002X',
      '11010519491231002Y', ' 11010519491231002X', '11010519491231002X ', '１１010519491231002X']) {
      expect(parseResidentId(bad, { today: TODAY }), JSON.stringify(bad)).toMatchObject({ ok: false, error: 'FORMAT' });
    }
  });

  it('rejects a wrong check character', () => {
    const wrong = valid.slice(0, 17) + (valid[17] === '0' ? '1' : '0');
    const parsed = parseResidentId(wrong, { today: TODAY });
    expect(parsed).toEqual({ ok: false, error: 'CHECK_CHAR', message: 'check character does not match (MOD 11-2)' });
  });

  it('rejects unknown address codes as REGION, and respects a custom check', () => {
    expect(parseResidentId(makeResidentId('999999', '1985-07-15', 1), { today: TODAY })).toMatchObject({ ok: false, error: 'REGION' });
    expect(parseResidentId(makeResidentId('330199', '1985-07-15', 1), { today: TODAY })).toMatchObject({ ok: false, error: 'REGION' });
    expect(parseResidentId(valid, { today: TODAY, isKnownRegion: () => false })).toMatchObject({ ok: false, error: 'REGION' });
    expect(parseResidentId(makeResidentId('999999', '1985-07-15', 1), { today: TODAY, isKnownRegion: anyRegion }).ok).toBe(true);
  });

  it('accepts retired Zhejiang codes still printed on older cards', () => {
    expect(isValidResidentId(makeResidentId('330103', '1970-03-01', 45), { today: TODAY })).toBe(true); // 下城区
    expect(isValidResidentId(makeResidentId('330621', '1970-03-01', 46), { today: TODAY })).toBe(true); // 绍兴县
  });

  it('never echoes the number (or its parts) in error messages', () => {
    const samples = [
      '110105491231002', '11010519491231002Y', valid.slice(0, 17) + (valid[17] === '0' ? '1' : '0'),
      makeResidentId('999999', '1985-07-15', 1), makeResidentId('330106', '1899-12-31', 1),
      makeResidentId('330106', '2099-01-01', 1), `33010619850230001${residentIdCheckChar('33010619850230001')}`,
    ];
    for (const id of samples) {
      const parsed = parseResidentId(id, { today: TODAY });
      expect(parsed.ok).toBe(false);
      if (!parsed.ok) {
        expect(parsed.message).not.toContain(id.slice(0, 6));
        expect(parsed.message).not.toContain(id.slice(6, 14));
        expect(parsed.message).not.toContain(id.slice(14));
      }
    }
  });
});

describe('birth date boundaries', () => {
  const idBorn = (yyyymmdd: string): string => {
    const first17 = `330106${yyyymmdd}001`;
    return first17 + residentIdCheckChar(first17);
  };
  const parse = (yyyymmdd: string, today = TODAY) => parseResidentId(idBorn(yyyymmdd), { today });

  it('checks calendar validity, including leap years', () => {
    expect(parse('20000229').ok).toBe(true); // 2000 is a leap year (divisible by 400)
    expect(parse('19000229')).toMatchObject({ ok: false, error: 'BIRTH_DATE' }); // 1900 is not
    expect(parse('19960229').ok).toBe(true);
    expect(parse('19970229')).toMatchObject({ ok: false, error: 'BIRTH_DATE' });
    expect(parse('19850431')).toMatchObject({ ok: false, error: 'BIRTH_DATE' });
    expect(parse('19851301')).toMatchObject({ ok: false, error: 'BIRTH_DATE' });
    expect(parse('19850001')).toMatchObject({ ok: false, error: 'BIRTH_DATE' });
    expect(parse('19850100')).toMatchObject({ ok: false, error: 'BIRTH_DATE' });
    expect(parse('19851231').ok).toBe(true);
  });

  it('lower bound is 1900-01-01 inclusive', () => {
    expect(parse('19000101').ok).toBe(true);
    expect(parse('18991231')).toMatchObject({ ok: false, error: 'BIRTH_DATE' });
  });

  it('upper bound is `today` inclusive', () => {
    expect(parse('20250630').ok).toBe(true);
    expect(parse('20250701')).toMatchObject({ ok: false, error: 'BIRTH_DATE' });
    expect(parse('20250701', '2025-07-01').ok).toBe(true);
  });

  it('defaults `today` to the current date', () => {
    expect(parseResidentId(idBorn('20990101'))).toMatchObject({ ok: false, error: 'BIRTH_DATE' });
    expect(parseResidentId(idBorn('20000101')).ok).toBe(true);
  });

  it('throws on a malformed `today` (a programming error, not bad input)', () => {
    expect(() => parseResidentId(idBorn('20000101'), { today: '2025-02-30' })).toThrow(RangeError);
  });
});

describe('makeResidentId', () => {
  it('builds the standard example back', () => {
    expect(makeResidentId('110105', '1949-12-31', 2)).toBe('11010519491231002X');
  });

  it('rejects malformed input', () => {
    expect(() => makeResidentId('33010', '1985-01-01', 1)).toThrow(RangeError);
    expect(() => makeResidentId('330106', '1985-02-29', 1)).toThrow(RangeError);
    expect(() => makeResidentId('330106', '19850101', 1)).toThrow(RangeError);
    expect(() => makeResidentId('330106', '1985-01-01', 1000)).toThrow(RangeError);
    expect(() => makeResidentId('330106', '1985-01-01', -1)).toThrow(RangeError);
    expect(() => makeResidentId('330106', '1985-01-01', 1.5)).toThrow(RangeError);
  });
});

describe('ageOn', () => {
  it('counts full years; the age goes up on the birthday', () => {
    expect(ageOn('1949-12-31', '2025-12-30')).toBe(75);
    expect(ageOn('1949-12-31', '2025-12-31')).toBe(76);
    expect(ageOn('2000-01-01', '2000-01-01')).toBe(0);
    expect(ageOn('2007-06-30', '2025-06-29')).toBe(17);
    expect(ageOn('2007-06-30', '2025-06-30')).toBe(18);
  });

  it('29 February birthdays go up on 1 March in common years', () => {
    expect(ageOn('2000-02-29', '2001-02-28')).toBe(0);
    expect(ageOn('2000-02-29', '2001-03-01')).toBe(1);
    expect(ageOn('2000-02-29', '2004-02-29')).toBe(4);
  });

  it('throws on malformed dates or a date before birth', () => {
    expect(() => ageOn('2000-02-30', '2025-01-01')).toThrow(RangeError);
    expect(() => ageOn('2000-01-01', '1999-12-31')).toThrow(RangeError);
  });
});

describe('isCalendarDate', () => {
  it('follows the Gregorian leap-year rule', () => {
    expect(isCalendarDate('2000-02-29')).toBe(true);
    expect(isCalendarDate('1900-02-29')).toBe(false);
    expect(isCalendarDate('2024-02-29')).toBe(true);
    expect(isCalendarDate('2023-02-29')).toBe(false);
    expect(isCalendarDate('2023-11-31')).toBe(false);
    expect(isCalendarDate('0000-01-01')).toBe(false);
    expect(isCalendarDate('2023-1-01')).toBe(false);
  });
});

describe('properties', () => {
  // A spread of real county-level codes, including a retired one, from several provinces.
  const regions = ['110105', '330106', '330127', '331127', '330103', '440305', '650102', '429004'];
  const birthDates = fc
    .date({ min: new Date('1900-01-01T00:00:00Z'), max: new Date(`${TODAY}T00:00:00Z`), noInvalidDate: true })
    .map((d) => d.toISOString().slice(0, 10));
  const validIds = fc
    .tuple(fc.constantFrom(...regions), birthDates, fc.integer({ min: 0, max: 999 }))
    .map(([region, birth, seq]) => ({ region, birth, seq, id: makeResidentId(region, birth, seq) }));

  it('every makeResidentId output parses and round-trips region, birth date and sex', () => {
    fc.assert(
      fc.property(validIds, ({ region, birth, seq, id }) => {
        const parsed = parseResidentId(id, { today: TODAY });
        expect(parsed.ok).toBe(true);
        if (parsed.ok) {
          expect(parsed.value.regionCode).toBe(region);
          expect(parsed.value.birthDate).toBe(birth);
          expect(parsed.value.sex).toBe(seq % 2 === 1 ? 'M' : 'F');
          expect(Number(parsed.value.sequence)).toBe(seq);
          expect(parsed.value.idNumber).toBe(id);
        }
      }),
      { numRuns: 500 },
    );
  });

  it('any single-character substitution is detected (MOD 11-2)', () => {
    fc.assert(
      fc.property(validIds, fc.integer({ min: 0, max: 17 }), fc.integer({ min: 1, max: 10 }), ({ id }, pos, shift) => {
        const alphabet = pos === 17 ? '0123456789X' : '0123456789';
        const current = alphabet.indexOf(id[pos]!);
        const replacement = alphabet[(current + shift) % alphabet.length]!;
        fc.pre(replacement !== id[pos]);
        const mutated = id.slice(0, pos) + replacement + id.slice(pos + 1);
        expect(parseResidentId(mutated, { today: TODAY })).toMatchObject({ ok: false, error: 'CHECK_CHAR' });
      }),
      { numRuns: 1000 },
    );
  });

  it('exhaustively: every substitution of every position of the standard example is detected', () => {
    const id = '11010519491231002X';
    for (let pos = 0; pos < 18; pos++) {
      for (const c of pos === 17 ? '0123456789X' : '0123456789') {
        if (c === id[pos]) continue;
        const mutated = id.slice(0, pos) + c + id.slice(pos + 1);
        expect(isValidResidentId(mutated, { today: TODAY }), `pos ${pos} → ${c}`).toBe(false);
      }
    }
  });

  it('swapping two adjacent different characters is detected', () => {
    fc.assert(
      fc.property(validIds, fc.integer({ min: 0, max: 16 }), ({ id }, pos) => {
        fc.pre(id[pos] !== id[pos + 1]);
        const swapped = id.slice(0, pos) + id[pos + 1]! + id[pos]! + id.slice(pos + 2);
        expect(isValidResidentId(swapped, { today: TODAY, isKnownRegion: anyRegion })).toBe(false);
      }),
      { numRuns: 1000 },
    );
  });
});
