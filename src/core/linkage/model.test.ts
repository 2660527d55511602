import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { createRng } from '../demo/rng.js';
import { NULL_LEVEL } from './comparators.js';
import {
  buildPatterns, distribution, expectationMaximisation, expectedMatches, fieldWeight, matchProbability, priorM, scorePairs,
  termFrequencies, weightTables, type FsModel,
} from './model.js';

/** Draws a level from a distribution. */
function draw(p: readonly number[], x: number): number {
  let acc = 0;
  for (let k = 0; k < p.length; k++) {
    acc += p[k]!;
    if (x < acc) return k;
  }
  return p.length - 1;
}

describe('Fellegi–Sunter model', () => {
  it('prior m is a distribution rising to the top level', () => {
    for (let k = 2; k <= 6; k++) {
      const m = priorM(k);
      expect(m.reduce((s, x) => s + x, 0)).toBeCloseTo(1, 12);
      for (let i = 1; i < k; i++) expect(m[i]!).toBeGreaterThan(m[i - 1]!);
    }
  });

  it('EM recovers m and the match share of a known mixture (u fixed)', () => {
    const rng = createRng(7);
    const mTrue = [[0.05, 0.15, 0.8], [0.1, 0.9], [0.02, 0.08, 0.2, 0.7]];
    const uTrue = [[0.9, 0.08, 0.02], [0.7, 0.3], [0.85, 0.1, 0.04, 0.01]];
    const P = 200_000;
    const share = 0.1;
    const levels = mTrue.map(() => new Uint8Array(P));
    for (let p = 0; p < P; p++) {
      const match = rng.float() < share;
      levels.forEach((col, f) => {
        // 5 % missing values, which EM must ignore.
        col[p] = rng.float() < 0.05 ? NULL_LEVEL : draw(match ? mTrue[f]! : uTrue[f]!, rng.float());
      });
    }
    const patterns = buildPatterns(levels, P);
    expect(patterns.count).toBeLessThanOrEqual(4 * 3 * 5);
    const counts = new Float64Array(patterns.count);
    for (let p = 0; p < P; p++) counts[patterns.patternOf[p]!]!++;
    const em = expectationMaximisation(patterns, counts, uTrue.map((u) => Float64Array.from(u)), mTrue.map((m) => priorM(m.length)), [true, true, true]);
    expect(em.converged).toBe(true);
    expect(em.matchShare).toBeCloseTo(share, 2);
    em.m.forEach((m, f) => m.forEach((x, k) => expect(x).toBeCloseTo(mTrue[f]![k]!, 1)));
    // An inactive field keeps its starting m.
    const partial = expectationMaximisation(patterns, counts, uTrue.map((u) => Float64Array.from(u)), mTrue.map((m) => priorM(m.length)), [true, false, true]);
    expect([...partial.m[1]!]).toEqual([...priorM(2)]);
    // The expected number of matches with the true parameters is the planted one.
    const model: FsModel = { prior: 0.5, fields: mTrue.map((m, f) => ({ name: `f${f}`, levels: m.map(String), m: Float64Array.from(m), u: Float64Array.from(uTrue[f]!), tf: false, mSessions: 1 })) };
    expect(expectedMatches(patterns, counts, weightTables(model), share) / P).toBeCloseTo(share, 2);
  });

  it('scores: Σ log2(m/u), missing = 0, exact agreement term-frequency adjusted', () => {
    const model: FsModel = {
      prior: 0.001,
      fields: [
        { name: 'surname', levels: ['else', 'exact'], m: Float64Array.from([0.1, 0.9]), u: Float64Array.from([0.95, 0.05]), tf: true, mSessions: 1 },
        { name: 'dob', levels: ['else', 'exact'], m: Float64Array.from([0.05, 0.95]), u: Float64Array.from([0.99, 0.01]), tf: false, mSessions: 1 },
      ],
    };
    // Records: 0, 1 王; 2, 3 欧阳 (rare); dob present except record 3.
    const tf = termFrequencies(['王', '王', '欧阳', '欧阳', '王', '王', '王', '王']);
    expect(2 ** tf[0]!).toBeCloseTo(6 / 8, 12);
    const levels = [Uint8Array.from([1, 1, 0]), Uint8Array.from([1, NULL_LEVEL, 0])];
    const left = Uint32Array.from([0, 2, 0]);
    const right = Uint32Array.from([1, 3, 2]);
    const w = scorePairs(model, levels, [tf, null], left, right, new Float64Array(3));
    expect(w[0]).toBeCloseTo(Math.log2(0.9 / 0.75) + Math.log2(0.95 / 0.01), 12);
    expect(w[1]).toBeCloseTo(Math.log2(0.9 / 0.25), 12);
    expect(w[2]).toBeCloseTo(Math.log2(0.1 / 0.95) + Math.log2(0.05 / 0.99), 12);
    // Agreeing on the rare surname weighs more than on the common one.
    expect(fieldWeight(model, 0, 1, tf[2]!, tf[3]!)).toBeGreaterThan(fieldWeight(model, 0, 1, tf[0]!, tf[1]!));
    expect(fieldWeight(model, 1, NULL_LEVEL, NaN, NaN)).toBe(0);
  });

  it('match probability: weight + prior log-odds through the logistic in base 2; monotone', () => {
    expect(matchProbability(0, 0.5)).toBe(0.5);
    expect(matchProbability(Math.log2(999), 0.5)).toBeCloseTo(0.999, 12);
    expect(matchProbability(10, 1 / 1025)).toBeCloseTo(0.5, 12);
    fc.assert(fc.property(fc.double({ min: -60, max: 60, noNaN: true }), fc.double({ min: 0, max: 5, noNaN: true }), fc.double({ min: 1e-9, max: 0.5, noNaN: true }), (w, d, prior) => {
      const p = matchProbability(w, prior);
      expect(p).toBeGreaterThanOrEqual(0);
      expect(p).toBeLessThanOrEqual(1);
      expect(matchProbability(w + d, prior)).toBeGreaterThanOrEqual(p);
    }));
  });

  it('distribution adds the pseudo-count so no level has probability 0', () => {
    const d = distribution(Float64Array.from([0, 10, 90]));
    expect(d.reduce((s, x) => s + x, 0)).toBeCloseTo(1, 12);
    expect(d[0]!).toBeGreaterThan(0);
  });
});
