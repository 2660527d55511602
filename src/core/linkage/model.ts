/**
 * The Fellegi–Sunter model (Fellegi & Sunter 1969) on columns of comparison levels.
 *
 * For field f and level k, m = P(level k | the records match) and u = P(level k | they do not);
 * a pair's match weight is W = Σ_f log2(m_f[k] / u_f[k]) over the fields whose values are both
 * present (a missing value contributes 0), and with λ the prior probability that two records
 * drawn at random match, its match probability is 1 / (1 + 2^−(W + log2(λ / (1 − λ)))).
 *
 * Estimation without labels (as in Splink):
 * - u from a seeded sample of random record pairs (almost all of which do not match);
 * - m by expectation–maximisation over the candidate pairs, starting from prior m values, with u
 *   held fixed. One EM session per blocking rule: the fields whose columns a rule blocks on are
 *   left out of that session (among its pairs they agree by construction, so they carry no
 *   information there), and a field's m is the mean over the sessions that estimated it. EM runs
 *   on the distinct comparison vectors weighted by their counts, so an iteration costs the number
 *   of distinct vectors, not of pairs;
 * - λ once, after m and u: the share of matches among the candidate pairs (a one-parameter EM with
 *   m and u fixed) times the number of candidate pairs over the number of all pairs — or a fixed
 *   value from the configuration.
 * With labels, m and u are counted directly from labelled matching and non-matching pairs.
 *
 * Term-frequency adjustment: for a field marked `tf`, exact agreement on value v uses
 * u = frequency of v among the records instead of the field's average u, so agreeing on 王 or
 * "Smith" weighs less than agreeing on a rare surname.
 */
import { NULL_LEVEL } from './comparators.js';

/** m and u of one field, per comparison level (index = level code). */
export interface FieldParameters {
  name: string;
  levels: readonly string[];
  m: Float64Array;
  u: Float64Array;
  /** Term-frequency adjustment on exact agreement. */
  tf: boolean;
  /** How many EM sessions estimated m (0 = the prior m was kept). */
  mSessions: number;
}

export interface FsModel {
  fields: FieldParameters[];
  /** λ: probability that two records drawn at random match. */
  prior: number;
}

/** Pseudo-count added to every level when m or u is counted, so no level has probability 0. */
export const PSEUDO_COUNT = 0.5;

/** Prior m for K levels: geometric, each level four times as likely as the one below (top ≈ 0.75). */
export function priorM(levelCount: number): Float64Array {
  const m = new Float64Array(levelCount);
  let sum = 0;
  for (let k = 0; k < levelCount; k++) {
    m[k] = 4 ** k;
    sum += m[k]!;
  }
  for (let k = 0; k < levelCount; k++) m[k]! /= sum;
  return m;
}

/** Probability distribution over levels from counts (null level ignored), with the pseudo-count. */
export function distribution(counts: Float64Array, pseudo = PSEUDO_COUNT): Float64Array {
  let total = 0;
  for (const c of counts) total += c;
  return counts.map((c) => (c + pseudo) / (total + pseudo * counts.length));
}

/** Counts the levels of one field over pairs (optionally only those where select[p] ≠ 0). */
export function countLevels(levels: Uint8Array, levelCount: number, select?: Uint8Array): Float64Array {
  const counts = new Float64Array(levelCount);
  for (let p = 0; p < levels.length; p++) {
    const l = levels[p]!;
    if (l !== NULL_LEVEL && (select === undefined || select[p] !== 0)) counts[l]!++;
  }
  return counts;
}

/** Distinct comparison vectors of a set of pairs. */
export interface Patterns {
  /** Number of distinct vectors. */
  count: number;
  fields: number;
  /** levels[g * fields + f]: level of field f in vector g. */
  levels: Uint8Array;
  /** The vector of each pair. */
  patternOf: Int32Array;
}

/** Groups pairs by their comparison vector. */
export function buildPatterns(levels: readonly Uint8Array[], pairCount: number): Patterns {
  const F = levels.length;
  const index = new Map<string | number, number>();
  const patternOf = new Int32Array(pairCount);
  const rows: number[] = [];
  // A mixed-radix number when it fits in 52 bits (level 255 = missing maps to 15), else a string.
  const numeric = F <= 13;
  for (let p = 0; p < pairCount; p++) {
    let key: string | number;
    if (numeric) {
      let code = 0;
      for (let f = 0; f < F; f++) {
        const l = levels[f]![p]!;
        if (l >= 15 && l !== NULL_LEVEL) throw new RangeError('a field has more than 15 comparison levels');
        code = code * 16 + (l === NULL_LEVEL ? 15 : l);
      }
      key = code;
    } else {
      key = '';
      for (let f = 0; f < F; f++) key += String.fromCharCode(levels[f]![p]!);
    }
    let g = index.get(key);
    if (g === undefined) {
      g = index.size;
      index.set(key, g);
      for (let f = 0; f < F; f++) rows.push(levels[f]![p]!);
    }
    patternOf[p] = g;
  }
  return { count: index.size, fields: F, levels: Uint8Array.from(rows), patternOf };
}

export interface EmOptions {
  maxIterations?: number;
  /** Stop when no m and not the match share move by more than this. */
  tolerance?: number;
}

export interface EmResult {
  m: Float64Array[];
  /** Share of matches among the session's pairs. */
  matchShare: number;
  iterations: number;
  converged: boolean;
}

/**
 * EM for m (u fixed) and the match share over weighted comparison vectors. Fields with
 * active[f] false are ignored (their m is returned unchanged).
 */
export function expectationMaximisation(
  patterns: Patterns,
  weights: Float64Array,
  u: readonly Float64Array[],
  mStart: readonly Float64Array[],
  active: readonly boolean[],
  options: EmOptions = {},
): EmResult {
  const maxIterations = options.maxIterations ?? 100;
  const tolerance = options.tolerance ?? 1e-6;
  const F = patterns.fields;
  const G = patterns.count;
  const lv = patterns.levels;
  const m: Float64Array[] = mStart.map((x) => Float64Array.from(x));
  const logU = u.map((x) => x.map(Math.log2));
  let share = 0.5;
  let totalWeight = 0;
  for (let g = 0; g < G; g++) totalWeight += weights[g]!;
  const post = new Float64Array(G);
  let iterations = 0;
  let converged = false;
  while (iterations < maxIterations) {
    iterations++;
    // E-step: posterior match probability of each vector.
    const logM = m.map((x) => x.map(Math.log2));
    const priorOdds = Math.log2(share / (1 - share));
    for (let g = 0; g < G; g++) {
      if (weights[g] === 0) continue;
      let w = priorOdds;
      for (let f = 0; f < F; f++) {
        if (!active[f]) continue;
        const l = lv[g * F + f]!;
        if (l !== NULL_LEVEL) w += logM[f]![l]! - logU[f]![l]!;
      }
      post[g] = 1 / (1 + 2 ** -w);
    }
    // M-step.
    let delta = 0;
    let matched = 0;
    for (let g = 0; g < G; g++) matched += weights[g]! * post[g]!;
    const newShare = Math.min(1 - 1e-9, Math.max(1e-9, matched / totalWeight));
    delta = Math.abs(newShare - share);
    share = newShare;
    for (let f = 0; f < F; f++) {
      if (!active[f]) continue;
      const counts = new Float64Array(m[f]!.length);
      for (let g = 0; g < G; g++) {
        const l = lv[g * F + f]!;
        if (l !== NULL_LEVEL) counts[l]! += weights[g]! * post[g]!;
      }
      const next = distribution(counts);
      for (let k = 0; k < next.length; k++) delta = Math.max(delta, Math.abs(next[k]! - m[f]![k]!));
      m[f] = next;
    }
    if (delta < tolerance) {
      converged = true;
      break;
    }
  }
  return { m, matchShare: share, iterations, converged };
}

/**
 * The share of matches among weighted comparison vectors with m and u fixed (EM on the mixture
 * weight alone).
 */
export function estimateMatchShare(patterns: Patterns, weights: Float64Array, tables: readonly Float64Array[], options: EmOptions = {}): number {
  const F = patterns.fields;
  const G = patterns.count;
  const bayes = new Float64Array(G);
  let total = 0;
  for (let g = 0; g < G; g++) {
    let w = 0;
    for (let f = 0; f < F; f++) w += tables[f]![patterns.levels[g * F + f]!]!;
    bayes[g] = 2 ** w;
    total += weights[g]!;
  }
  let share = 0.01;
  for (let it = 0; it < (options.maxIterations ?? 200); it++) {
    let matched = 0;
    for (let g = 0; g < G; g++) {
      const b = bayes[g]! * share;
      matched += (weights[g]! * b) / (b + 1 - share);
    }
    const next = Math.min(1 - 1e-12, Math.max(1e-12, matched / total));
    const done = Math.abs(next - share) < (options.tolerance ?? 1e-9);
    share = next;
    if (done) break;
  }
  return share;
}

/** Σ_g weight_g × P(match | vector g) for a given match share, with per-field weight tables. */
export function expectedMatches(patterns: Patterns, weights: Float64Array, tables: readonly Float64Array[], share: number): number {
  const F = patterns.fields;
  const odds = Math.log2(share / (1 - share));
  let total = 0;
  for (let g = 0; g < patterns.count; g++) {
    if (weights[g] === 0) continue;
    let w = odds;
    for (let f = 0; f < F; f++) w += tables[f]![patterns.levels[g * F + f]!]!;
    total += weights[g]! / (1 + 2 ** -w);
  }
  return total;
}

/** Per-field weight tables: table[level] = log2(m / u); the null level (255) is 0. */
export function weightTables(model: FsModel): Float64Array[] {
  return model.fields.map((f) => {
    const t = new Float64Array(256);
    for (let k = 0; k < f.m.length; k++) t[k] = Math.log2(f.m[k]! / f.u[k]!);
    return t;
  });
}

/** Term frequencies of one field: log2 of each record's value frequency (NaN when missing). */
export function termFrequencies(keys: readonly (string | null)[]): Float64Array {
  const counts = new Map<string, number>();
  let present = 0;
  for (const k of keys) {
    if (k === null) continue;
    counts.set(k, (counts.get(k) ?? 0) + 1);
    present++;
  }
  return Float64Array.from(keys, (k) => (k === null ? NaN : Math.log2(counts.get(k)! / present)));
}

/** log2 of the prior odds λ / (1 − λ). */
export function priorLogOdds(prior: number): number {
  return Math.log2(prior / (1 - prior));
}

/** Match probability from a match weight (without the prior) and λ. */
export function matchProbability(weight: number, prior: number): number {
  return 1 / (1 + 2 ** -(weight + priorLogOdds(prior)));
}

/**
 * Match weights of pairs on columns: out[p] = Σ_f table_f[level_f[p]], with the term-frequency
 * adjustment on exact agreement for fields that have `log2Tf`: log2 m_top − log2 max(tf_a, tf_b).
 */
export function scorePairs(
  model: FsModel,
  levels: readonly Uint8Array[],
  log2Tf: readonly (Float64Array | null)[],
  left: Uint32Array,
  right: Uint32Array,
  out: Float64Array,
  from = 0,
  to = left.length,
): Float64Array {
  const tables = weightTables(model);
  out.fill(0, from, to);
  for (let f = 0; f < model.fields.length; f++) {
    const table = tables[f]!;
    const lv = levels[f]!;
    const tf = model.fields[f]!.tf ? log2Tf[f] ?? null : null;
    if (tf === null) {
      for (let p = from; p < to; p++) out[p]! += table[lv[p]!]!;
    } else {
      const top = model.fields[f]!.m.length - 1;
      const log2mTop = Math.log2(model.fields[f]!.m[top]!);
      for (let p = from; p < to; p++) {
        const l = lv[p]!;
        if (l === top) {
          const a = tf[left[p]!]!;
          const b = tf[right[p]!]!;
          out[p]! += log2mTop - (a > b ? a : b);
        } else out[p]! += table[l]!;
      }
    }
  }
  return out;
}

/** One field's part of a pair's weight, for explanations. */
export function fieldWeight(model: FsModel, f: number, level: number, log2TfA: number, log2TfB: number): number {
  const field = model.fields[f]!;
  if (level === NULL_LEVEL) return 0;
  const top = field.m.length - 1;
  if (field.tf && level === top && !Number.isNaN(log2TfA) && !Number.isNaN(log2TfB)) return Math.log2(field.m[top]!) - Math.max(log2TfA, log2TfB);
  return Math.log2(field.m[level]! / field.u[level]!);
}
