/**
 * Clustering matched pairs into entities with union–find, guarded against chaining.
 *
 * Pairs at or above the threshold are taken strongest first (by match weight). A pair joins the
 * clusters of its two records unless
 * 1. the merged cluster would have more than `maxClusterSize` records, or
 * 2. both clusters already have two or more records and the pair's probability is below
 *    `strongThreshold`: a single weak link may attach a lone record to a cluster, but it may not
 *    bridge two established clusters (A≈B, C≈D and a weak B≈C does not make one entity).
 * Refused merges are counted. Taking the pairs strongest first makes the result independent of
 * the order the pairs arrive in (ties are broken by pair index).
 */

export interface ClusterOptions {
  /** Probability at or above which a pair links two records. */
  threshold: number;
  /** Probability a pair needs to merge two clusters that both have ≥ 2 records. */
  strongThreshold: number;
  /** Largest cluster allowed. */
  maxClusterSize: number;
}

export interface ClusterResult {
  /** Cluster number of each record, 0..clusters − 1, numbered by first record. */
  clusterOf: Int32Array;
  clusters: number;
  /** Clusters with two or more records. */
  multiRecordClusters: number;
  largest: number;
  /** Pairs that joined two clusters. */
  merges: number;
  refusedBySize: number;
  refusedByStrength: number;
}

/** Union–find with union by size and path halving. */
export class UnionFind {
  readonly parent: Int32Array;
  readonly size: Int32Array;

  constructor(n: number) {
    this.parent = new Int32Array(n);
    for (let i = 0; i < n; i++) this.parent[i] = i;
    this.size = new Int32Array(n).fill(1);
  }

  find(x: number): number {
    const parent = this.parent;
    while (parent[x] !== x) {
      parent[x] = parent[parent[x]!]!;
      x = parent[x]!;
    }
    return x;
  }

  /** Joins the sets of two roots; returns the new root. */
  unionRoots(a: number, b: number): number {
    if (this.size[a]! < this.size[b]!) [a, b] = [b, a];
    this.parent[b] = a;
    this.size[a]! += this.size[b]!;
    return a;
  }
}

/**
 * Clusters n records from scored pairs. `probability[p]` and `weight[p]` belong to pair
 * (left[p], right[p]); weight orders the pairs (it is monotone in probability and does not
 * saturate at 1).
 */
export function clusterPairs(
  n: number,
  left: Uint32Array,
  right: Uint32Array,
  weight: Float64Array,
  probability: (w: number) => number,
  options: ClusterOptions,
): ClusterResult {
  const chosen: number[] = [];
  // The weight at which the probability crosses the threshold, found once by bisection (probability is monotone).
  let lo = -1100;
  let hi = 1100;
  for (let it = 0; it < 80; it++) {
    const mid = (lo + hi) / 2;
    if (probability(mid) >= options.threshold) hi = mid;
    else lo = mid;
  }
  for (let p = 0; p < left.length; p++) {
    const w = weight[p]!;
    if (w >= lo && probability(w) >= options.threshold) chosen.push(p);
  }
  const order = Uint32Array.from(chosen).sort((x, y) => weight[y]! - weight[x]! || x - y);
  const uf = new UnionFind(n);
  let merges = 0;
  let refusedBySize = 0;
  let refusedByStrength = 0;
  for (const p of order) {
    const a = uf.find(left[p]!);
    const b = uf.find(right[p]!);
    if (a === b) continue;
    const sa = uf.size[a]!;
    const sb = uf.size[b]!;
    if (sa + sb > options.maxClusterSize) {
      refusedBySize++;
      continue;
    }
    if (sa >= 2 && sb >= 2 && probability(weight[p]!) < options.strongThreshold) {
      refusedByStrength++;
      continue;
    }
    uf.unionRoots(a, b);
    merges++;
  }
  const clusterOf = new Int32Array(n);
  const number = new Int32Array(n).fill(-1);
  let clusters = 0;
  let largest = n > 0 ? 1 : 0;
  let multi = 0;
  for (let i = 0; i < n; i++) {
    const r = uf.find(i);
    if (number[r] === -1) {
      number[r] = clusters++;
      const s = uf.size[r]!;
      if (s > largest) largest = s;
      if (s >= 2) multi++;
    }
    clusterOf[i] = number[r]!;
  }
  return { clusterOf, clusters, multiRecordClusters: multi, largest, merges, refusedBySize, refusedByStrength };
}
