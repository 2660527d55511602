import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { makeResidentId } from '../ids/index.js';
import { compareResidentIds, normaliseResidentId, oneSlipApart, RESIDENT_ID_LEVELS } from './id-numbers.js';

const validId = fc
  .tuple(fc.constantFrom('330102', '330106', '330302', '330781', '331002'), fc.integer({ min: 0, max: 20_000 }), fc.integer({ min: 0, max: 999 }))
  .map(([region, day, seq]) => makeResidentId(region, new Date(Date.UTC(1940, 0, 1) + day * 86_400_000).toISOString().slice(0, 10), seq));

const level = (a: string, b: string): string => RESIDENT_ID_LEVELS[compareResidentIds(normaliseResidentId(a), normaliseResidentId(b))]!;

describe('resident ID comparison', () => {
  const id = makeResidentId('330106', '1978-03-04', 1);
  it('exact, typo (the other is valid), both invalid, else', () => {
    expect(level(id, id.toLowerCase())).toBe('exact');
    const typo = id.slice(0, 10) + (id[10] === '9' ? '8' : '9') + id.slice(11);
    expect(level(id, typo)).toBe('one slip, one valid (typo)');
    const swapped = id.slice(0, 7) + id[8]! + id[7]! + id.slice(9);
    if (swapped !== id) expect(level(id, swapped)).toBe('one slip, one valid (typo)');
    expect(level(typo, typo.slice(0, 3) + (typo[3] === '1' ? '2' : '1') + typo.slice(4))).toBe('one slip, neither valid');
    expect(level(id, typo.slice(0, 3) + (typo[3] === '1' ? '2' : '1') + typo.slice(4))).toBe('else');
    expect(level(id, makeResidentId('330106', '1978-03-04', 3))).toBe('else');
  });
  it('upgrades a 15-digit first-generation number to its 18-character form', () => {
    expect(normaliseResidentId('330106780304001')).toEqual({ id: makeResidentId('330106', '1978-03-04', 1), valid: true });
    expect(level('330106780304001', id)).toBe('exact');
  });
  it('MOD 11-2 catches every single substitution and adjacent transposition of a valid number', () => {
    fc.assert(
      fc.property(validId, fc.integer({ min: 0, max: 17 }), fc.integer({ min: 1, max: 9 }), fc.boolean(), (v, pos, delta, transpose) => {
        let other: string;
        if (transpose && pos < 17) {
          if (v[pos] === v[pos + 1]) return;
          other = v.slice(0, pos) + v[pos + 1]! + v[pos]! + v.slice(pos + 2);
        } else {
          const digits = '0123456789X';
          const c = digits[(digits.indexOf(v[pos]!) + delta) % (pos === 17 ? 11 : 10)]!;
          other = v.slice(0, pos) + c + v.slice(pos + 1);
        }
        expect(oneSlipApart(v, other)).toBe(true);
        expect(normaliseResidentId(other).valid).toBe(false);
        expect(level(v, other)).toBe('one slip, one valid (typo)');
      }),
      { numRuns: 2000 },
    );
  });
  it('properties: symmetric, identity is exact', () => {
    const anyId = fc.oneof(validId, fc.string({ unit: fc.constantFrom('1', '2', '3', 'X'), minLength: 17, maxLength: 18 }));
    fc.assert(
      fc.property(anyId, anyId, (a, b) => {
        expect(level(a, b)).toBe(level(b, a));
        expect(level(a, a)).toBe('exact');
      }),
      { numRuns: 1000 },
    );
  });
});
