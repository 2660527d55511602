import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { AfInputError, alkireFoster } from './alkire-foster.js';

describe('Alkire–Foster', () => {
  // The achievement matrix of the worked example in Alkire & Foster (2011): four persons, four
  // dimensions, cutoffs z = (13, 12, 3, 1), equal weights, k = 2. H, A and M0 are the paper's;
  // M1 and M2 are computed by hand below from the same censored gaps.
  const paper = {
    achievements: [
      [13.1, 14, 4, 1],
      [15.2, 7, 5, 0],
      [12.5, 10, 1, 0],
      [20, 11, 3, 1],
    ],
    cutoffs: [13, 12, 3, 1],
    k: 2,
  };
  it('reproduces the worked example: H = 1/2, A = 3/4, M0 = 0.375; M1 ≈ 0.2055, M2 ≈ 0.1655 by hand', () => {
    const r = alkireFoster(paper);
    expect(r.poor).toEqual([false, true, true, false]);
    expect(r.H).toBe(0.5);
    expect(r.A).toBe(0.75);
    expect(r.M0).toBe(0.375);
    // Gaps of the poor: (12−7)/12, 1 | (13−12.5)/13, (12−10)/12, (3−1)/3, 1.
    expect(r.M1).toBeCloseTo((5 / 12 + 1 + 0.5 / 13 + 2 / 12 + 2 / 3 + 1) / 16, 12);
    expect(r.M2).toBeCloseTo(((5 / 12) ** 2 + 1 + (0.5 / 13) ** 2 + (2 / 12) ** 2 + (2 / 3) ** 2 + 1) / 16, 12);
    expect(r.M1).toBeCloseTo(0.2055, 4);
    expect(r.M2).toBeCloseTo(0.1655, 4);
  });
  it('union (k = 1) and intersection (k = d) identification', () => {
    expect(alkireFoster({ ...paper, k: 1 }).poor).toEqual([false, true, true, true]);
    expect(alkireFoster({ ...paper, k: 4 }).poor).toEqual([false, false, true, false]);
  });
  it('deprivation is strict: an achievement equal to its cutoff is not deprived', () => {
    expect(alkireFoster({ achievements: [[3, 3]], cutoffs: [3, 3], k: 1 }).H).toBe(0);
  });
  it('weights that sum to d change who is poor', () => {
    const r = alkireFoster({ ...paper, weights: [2, 0.5, 0.5, 1], k: 2 });
    // Person 2 is deprived in schooling (0.5) and caste (1): 1.5 < 2, not poor.
    expect(r.poor).toEqual([false, false, true, false]);
  });
  it('names the field of bad input', () => {
    expect(() => alkireFoster({ ...paper, weights: [1, 1, 1] })).toThrow(new AfInputError('weights: has 3 values for 4 dimensions'));
    expect(() => alkireFoster({ ...paper, weights: [1, 1, 1, 2] })).toThrow(/weights: must sum to the number of dimensions \(4\)/);
    expect(() => alkireFoster({ ...paper, k: 5 })).toThrow(/^k: must be in \(0, 4\]$/);
    expect(() => alkireFoster({ ...paper, achievements: [[1, 2, 3]] })).toThrow(/achievements\[0\]: has 3 values/);
    expect(() => alkireFoster({ ...paper, cutoffs: [13, 0, 3, 1] })).toThrow(/cutoffs\[1\]: must be positive/);
  });
  it('properties: M0 = H × A, and 0 ≤ M2 ≤ M1 ≤ M0 ≤ H ≤ 1 for non-negative achievements', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 6 }).chain((d) =>
          fc.record({
            achievements: fc.array(fc.array(fc.double({ min: 0, max: 100, noNaN: true }), { minLength: d, maxLength: d }), { minLength: 1, maxLength: 30 }),
            cutoffs: fc.array(fc.double({ min: 0.5, max: 100, noNaN: true }), { minLength: d, maxLength: d }),
            k: fc.integer({ min: 1, max: d }),
          }),
        ),
        (input) => {
          const r = alkireFoster(input);
          expect(r.M0).toBeCloseTo(r.H * r.A, 12);
          expect(r.M2).toBeLessThanOrEqual(r.M1 + 1e-12);
          expect(r.M1).toBeLessThanOrEqual(r.M0 + 1e-12);
          expect(r.M0).toBeLessThanOrEqual(r.H + 1e-12);
          expect(r.H).toBeLessThanOrEqual(1);
          expect(r.M2).toBeGreaterThanOrEqual(0);
        },
      ),
    );
  });
});
