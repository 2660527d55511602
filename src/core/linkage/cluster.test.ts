import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { clusterPairs } from './cluster.js';

const identity = (w: number): number => w;

function partition(clusterOf: Int32Array): string {
  const groups = new Map<number, number[]>();
  clusterOf.forEach((c, i) => groups.set(c, [...(groups.get(c) ?? []), i]));
  return [...groups.values()].map((g) => g.join(',')).sort().join(' | ');
}

describe('clustering', () => {
  const opts = { threshold: 0.5, strongThreshold: 0.95, maxClusterSize: 10 };
  it('a weak link attaches a lone record but does not bridge two clusters', () => {
    // 0–1 and 2–3 strong; 1–2 weak (0.6): refused. 4–0 weak: a lone record joins.
    const left = Uint32Array.from([0, 2, 1, 4]);
    const right = Uint32Array.from([1, 3, 2, 0]);
    const r = clusterPairs(5, left, right, Float64Array.from([0.99, 0.98, 0.6, 0.7]), identity, opts);
    expect(partition(r.clusterOf)).toBe('0,1,4 | 2,3');
    expect(r).toMatchObject({ clusters: 2, multiRecordClusters: 2, largest: 3, refusedByStrength: 1, refusedBySize: 0 });
    // The same bridge above the strong threshold merges.
    const s = clusterPairs(5, left, right, Float64Array.from([0.99, 0.98, 0.97, 0.7]), identity, opts);
    expect(partition(s.clusterOf)).toBe('0,1,2,3,4');
  });
  it('never lets a cluster grow past the cap; pairs below the threshold link nothing', () => {
    const n = 8;
    const left = Uint32Array.from({ length: n - 1 }, (_, i) => i);
    const right = Uint32Array.from({ length: n - 1 }, (_, i) => i + 1);
    const r = clusterPairs(n, left, right, new Float64Array(n - 1).fill(0.99), identity, { ...opts, maxClusterSize: 3 });
    expect(r.largest).toBeLessThanOrEqual(3);
    expect(r.refusedBySize).toBeGreaterThan(0);
    expect(clusterPairs(n, left, right, new Float64Array(n - 1).fill(0.4), identity, opts).clusters).toBe(n);
  });
  it('properties: the result does not depend on the order of the pairs; sizes respect the cap', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.integer({ min: 0, max: 11 }), fc.integer({ min: 0, max: 11 }), fc.integer({ min: 0, max: 1000 })), { maxLength: 40 }),
        fc.integer({ min: 2, max: 6 }),
        fc.integer(),
        (edges, cap, seed) => {
          // Distinct weights so that "strongest first" is a total order.
          const uniq = edges.filter((e) => e[0] !== e[1]).map((e, i) => [e[0], e[1], (e[2] * 100 + i) / 200_000] as const);
          const run = (list: readonly (readonly [number, number, number])[]) =>
            clusterPairs(12, Uint32Array.from(list.map((e) => e[0])), Uint32Array.from(list.map((e) => e[1])), Float64Array.from(list.map((e) => e[2])), identity, { threshold: 0.1, strongThreshold: 0.3, maxClusterSize: cap });
          const shuffled = [...uniq].sort((a, b) => ((a[2] * 7919 + seed) % 13) - ((b[2] * 7919 + seed) % 13));
          const a = run(uniq);
          const b = run(shuffled);
          expect(partition(a.clusterOf)).toBe(partition(b.clusterOf));
          expect(a.largest).toBeLessThanOrEqual(cap);
        },
      ),
    );
  });
});
