/**
 * Precision, recall and F1 of linkage against known entities. A true pair is a pair of records
 * with the same entity label (in a link, one record from each side); recall divides by all true
 * pairs, so a true pair that blocking never proposed counts as a miss. Records without a label
 * belong to no true pair.
 */

export interface LinkageScores {
  truePairs: number;
  predictedPairs: number;
  truePositives: number;
  precision: number;
  recall: number;
  f1: number;
}

/** Scores from counts; precision is 1 when nothing was predicted, recall is 1 when nothing was to be found. */
export function scores(truePairs: number, predictedPairs: number, truePositives: number): LinkageScores {
  const precision = predictedPairs === 0 ? 1 : truePositives / predictedPairs;
  const recall = truePairs === 0 ? 1 : truePositives / truePairs;
  const f1 = precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
  return { truePairs, predictedPairs, truePositives, precision, recall, f1 };
}

/** Label ids: equal labels get equal non-negative ids; a missing label −1. */
export function labelIds(labels: readonly (string | null)[]): Int32Array {
  const index = new Map<string, number>();
  return Int32Array.from(labels, (l) => {
    if (l === null || l === '') return -1;
    let id = index.get(l);
    if (id === undefined) {
      id = index.size;
      index.set(l, id);
    }
    return id;
  });
}

/** Number of true pairs among n records (left = the first nLeft; a dedupe when nLeft = n). */
export function countTruePairs(label: Int32Array, nLeft: number): number {
  const n = label.length;
  const link = nLeft < n;
  const left = new Map<number, number>();
  const right = new Map<number, number>();
  for (let i = 0; i < n; i++) {
    const l = label[i]!;
    if (l < 0) continue;
    const side = link && i >= nLeft ? right : left;
    side.set(l, (side.get(l) ?? 0) + 1);
  }
  let total = 0;
  if (link) for (const [l, c] of left) total += c * (right.get(l) ?? 0);
  else for (const c of left.values()) total += (c * (c - 1)) / 2;
  return total;
}

/** Scores of the pairs p with selected(p) true. */
export function scorePairsAgainstLabels(label: Int32Array, nLeft: number, left: Uint32Array, right: Uint32Array, selected: (p: number) => boolean): LinkageScores {
  let predicted = 0;
  let tp = 0;
  for (let p = 0; p < left.length; p++) {
    if (!selected(p)) continue;
    predicted++;
    const a = label[left[p]!]!;
    if (a >= 0 && a === label[right[p]!]) tp++;
  }
  return scores(countTruePairs(label, nLeft), predicted, tp);
}

/** Scores of the pairs implied by clusters (every two records of one cluster; in a link, across sides). */
export function scoreClustersAgainstLabels(label: Int32Array, nLeft: number, clusterOf: Int32Array): LinkageScores {
  const n = label.length;
  const link = nLeft < n;
  // Records per cluster and per (cluster, label), split by side in a link.
  const perCluster = new Map<number, [number, number]>();
  const perBoth = new Map<number, [number, number]>();
  let labels = 0;
  for (let i = 0; i < n; i++) if (label[i]! >= labels) labels = label[i]! + 1;
  for (let i = 0; i < n; i++) {
    const side = link && i >= nLeft ? 1 : 0;
    const c = clusterOf[i]!;
    const pc = perCluster.get(c) ?? [0, 0];
    pc[side]++;
    perCluster.set(c, pc);
    if (label[i]! >= 0) {
      const key = c * labels + label[i]!;
      const pb = perBoth.get(key) ?? [0, 0];
      pb[side]++;
      perBoth.set(key, pb);
    }
  }
  const pairsOf = ([a, b]: [number, number]): number => (link ? a * b : (a * (a - 1)) / 2);
  let predicted = 0;
  for (const v of perCluster.values()) predicted += pairsOf(v);
  let tp = 0;
  for (const v of perBoth.values()) tp += pairsOf(v);
  return scores(countTruePairs(label, nLeft), predicted, tp);
}
