import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { createRng, WeightedTable } from './rng.js';

describe('createRng', () => {
  it('is deterministic for a seed and differs between seeds', () => {
    const draw = (seed: number): number[] => {
      const rng = createRng(seed);
      return Array.from({ length: 8 }, () => rng.nextU32());
    };
    expect(draw(42)).toEqual(draw(42));
    expect(draw(42)).not.toEqual(draw(43));
    expect(draw(1)).not.toEqual(draw(2 ** 32 + 1));
    expect(draw(-1)).not.toEqual(draw(1));
  });

  it('rejects seeds that are not safe integers', () => {
    expect(() => createRng(1.5)).toThrow(RangeError);
    expect(() => createRng(Number.NaN)).toThrow(RangeError);
  });

  it('keeps float, int and range inside their bounds', () => {
    fc.assert(
      fc.property(fc.integer(), fc.integer({ min: -1000, max: 1000 }), fc.integer({ min: 0, max: 1000 }), (seed, min, width) => {
        const rng = createRng(seed);
        for (let i = 0; i < 50; i++) {
          const f = rng.float();
          const n = rng.int(min, min + width);
          const r = rng.range(min, min + width + 1);
          if (f < 0 || f >= 1 || !Number.isInteger(n) || n < min || n > min + width || r < min || r >= min + width + 1) return false;
        }
        return true;
      }),
    );
  });

  it('draws uniform floats and normal values with the right moments', () => {
    const rng = createRng(7);
    const n = 200_000;
    let sum = 0;
    let nsum = 0;
    let nsq = 0;
    for (let i = 0; i < n; i++) {
      sum += rng.float();
      const z = rng.normal(10, 2);
      nsum += z;
      nsq += z * z;
    }
    expect(sum / n).toBeCloseTo(0.5, 2);
    const mean = nsum / n;
    expect(mean).toBeCloseTo(10, 1);
    expect(Math.sqrt(nsq / n - mean * mean)).toBeCloseTo(2, 1);
    const medianDraws = Array.from({ length: 20_001 }, () => rng.lognormalMedian(100, 0.5)).sort((a, b) => a - b);
    expect(medianDraws[10_000]!).toBeGreaterThan(97);
    expect(medianDraws[10_000]!).toBeLessThan(103);
  });

  it('picks in proportion to weights and never picks a zero weight', () => {
    const rng = createRng(3);
    const table = new WeightedTable([['a', 1], ['never', 0], ['b', 3]] as const);
    const counts = { a: 0, b: 0, never: 0 };
    for (let i = 0; i < 40_000; i++) counts[table.pick(rng)] += 1;
    expect(counts.never).toBe(0);
    expect(counts.b / counts.a).toBeGreaterThan(2.8);
    expect(counts.b / counts.a).toBeLessThan(3.2);
    expect(rng.weightedPick(['x', 'y'], [0, 1])).toBe('y');
    expect(() => new WeightedTable([['x', 0]])).toThrow(RangeError);
    expect(() => rng.pick([])).toThrow(RangeError);
  });
});
