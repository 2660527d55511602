/**
 * The whole linkage run on in-memory tables: prepare the field columns, block, compare, train
 * (u from random pairs, m by EM or from labels, then λ), score, cluster, and — when labels are
 * given — evaluate. One table is deduplicated; two are linked (pairs across the tables only).
 * Records are numbered left first, then right. Nothing here reads files or prints.
 */
import { computeAllRuleKeys, generateCandidatePairs, type BlockingReport, type CandidatePairs } from './blocking.js';
import { clusterPairs, type ClusterResult } from './cluster.js';
import { NULL_LEVEL, prepareColumn, type PreparedColumn } from './comparators.js';
import { configColumns, type LinkConfig } from './config.js';
import { labelIds, scoreClustersAgainstLabels, scorePairsAgainstLabels, type LinkageScores } from './evaluate.js';
import {
  buildPatterns, countLevels, distribution, estimateMatchShare, expectationMaximisation, expectedMatches, fieldWeight, matchProbability,
  priorM, scorePairs, termFrequencies, weightTables, type FieldParameters, type FsModel,
} from './model.js';
import { createRng } from '../demo/rng.js';

/** A table read from a file: header and rows of equal length. */
export interface LinkTable {
  header: readonly string[];
  rows: readonly (readonly string[])[];
  /** Data-row number of each row in its file, for messages (default 1, 2, 3, …). */
  rowNumbers?: readonly number[];
}

export interface LinkInput {
  config: LinkConfig;
  left: LinkTable;
  right?: LinkTable;
  /** Known entities for evaluation: a column, optionally with a pattern whose first group is the entity. */
  truth?: { column: string; pattern?: RegExp };
  /** Clock for the stage timings (milliseconds); without it the timings are 0. */
  now?: () => number;
}

/** A problem with the input that stops the run; the message names the configuration key or the row and column. */
export class LinkInputError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(problems.join('\n'));
    this.name = 'LinkInputError';
  }
}

export interface TrainingReport {
  method: 'em' | 'labels';
  randomPairs: number;
  sessions: { rule: string; pairs: number; fields: string[]; matchShare: number; iterations: number; converged: boolean }[];
  /** Share of matches among the candidate pairs (from which λ is estimated). */
  candidateMatchShare: number;
  /** Whether λ came from the configuration. */
  priorFixed: boolean;
}

export interface FieldExplanation {
  field: string;
  /** Level code, or null when a value is missing. */
  level: number | null;
  levelName: string;
  weight: number;
}

export interface LinkRun {
  mode: 'dedupe' | 'link';
  nLeft: number;
  nRight: number;
  /** Record ids (the id column, else the data-row number), left then right. */
  ids: string[];
  fields: string[];
  /** The prepared field columns (to compare further pairs). */
  columns: PreparedColumn[];
  /** log2 term frequency of each record's value, per field with `tf` (else null). */
  log2Tf: (Float64Array | null)[];
  pairs: CandidatePairs;
  /** Comparison level of each field for each candidate pair (NULL_LEVEL when missing). */
  levels: Uint8Array[];
  /** Match weight (Σ log2 m/u, without the prior) of each candidate pair. */
  weight: Float64Array;
  model: FsModel;
  blocking: BlockingReport;
  training: TrainingReport;
  threshold: number;
  /** Candidate pairs at or above the threshold. */
  matches: number;
  clusters: ClusterResult;
  warnings: string[];
  timings: { prepare: number; blockingKeys: number; blocking: number; comparisons: number; training: number; scoring: number; clustering: number; total: number };
  evaluation?: { pairs: LinkageScores; clusters: LinkageScores; blockingRecall: number };
  probability(p: number): number;
  explain(p: number): FieldExplanation[];
}

/** Values of a column for all records (left then right); '' becomes null. */
function columnValues(tables: readonly LinkTable[], name: string): (string | null)[] {
  const out: (string | null)[] = [];
  for (const t of tables) {
    const c = t.header.indexOf(name);
    for (const row of t.rows) {
      const v = c < 0 ? '' : row[c]!;
      out.push(v === '' ? null : v);
    }
  }
  return out;
}

/** Runs the linkage. Throws LinkInputError for missing columns or duplicate ids. */
export function runLinkage(input: LinkInput): LinkRun {
  const { config } = input;
  const now = input.now ?? ((): number => 0);
  const t0 = now();
  const tables = input.right === undefined ? [input.left] : [input.left, input.right];
  const nLeft = input.left.rows.length;
  const nRight = input.right?.rows.length ?? 0;
  const n = nLeft + nRight;
  const link = input.right !== undefined;
  const side = (i: number): string => (link ? (i < nLeft ? 'left' : 'right') : 'input');
  const rowOf = (i: number): number => {
    const t = i < nLeft ? input.left : input.right!;
    const r = i < nLeft ? i : i - nLeft;
    return t.rowNumbers?.[r] ?? r + 1;
  };

  // Columns exist.
  const problems: string[] = [];
  const keyOf = new Map<string, string>();
  if (config.idColumn !== undefined) keyOf.set(config.idColumn, 'idColumn');
  config.fields.forEach((f, i) => keyOf.set(f.column, keyOf.get(f.column) ?? `fields[${i}].column`));
  config.blocking.rules.forEach((r, i) => r.keys.forEach((k, j) => keyOf.set(k.column, keyOf.get(k.column) ?? `blocking.rules[${i}].keys[${j}].column`)));
  if (config.training.labelColumn !== undefined) keyOf.set(config.training.labelColumn, keyOf.get(config.training.labelColumn) ?? 'training.labelColumn');
  for (const col of configColumns(config)) {
    tables.forEach((t, ti) => {
      if (!t.header.includes(col)) problems.push(`${keyOf.get(col) ?? col}: column "${col}" is not in the header of the ${link ? (ti === 0 ? 'left' : 'right') : 'input'} file`);
    });
  }
  if (input.truth !== undefined) {
    tables.forEach((t, ti) => {
      if (!t.header.includes(input.truth!.column)) problems.push(`truth: column "${input.truth!.column}" is not in the header of the ${link ? (ti === 0 ? 'left' : 'right') : 'input'} file`);
    });
  }
  if (problems.length > 0) throw new LinkInputError(problems);

  // Ids.
  const ids: string[] = [];
  if (config.idColumn !== undefined) {
    const values = columnValues(tables, config.idColumn);
    const seen = new Map<string, number>();
    values.forEach((v, i) => {
      if (v === null) problems.push(`idColumn: ${side(i)} row ${rowOf(i)} has no id`);
      else {
        const key = `${link && i >= nLeft ? 'R' : 'L'}\u0001${v}`;
        const first = seen.get(key);
        if (first !== undefined) problems.push(`idColumn: ${side(i)} rows ${rowOf(first)} and ${rowOf(i)} have the same id`);
        else seen.set(key, i);
      }
      ids.push(v ?? '');
    });
    if (problems.length > 0) throw new LinkInputError(problems.slice(0, 20));
  } else {
    for (let i = 0; i < n; i++) ids.push(String(rowOf(i)));
  }

  // Prepare.
  const warnings: string[] = [];
  const valuesOf = new Map<string, (string | null)[]>();
  for (const col of configColumns(config)) valuesOf.set(col, columnValues(tables, col));
  const columns: PreparedColumn[] = config.fields.map((f) => prepareColumn(f.comparator, valuesOf.get(f.column)!));
  columns.forEach((c, f) => {
    if (c.unreadable.length > 0) {
      const rows = c.unreadable.slice(0, 5).map((i) => `${link ? `${side(i)} ` : ''}${rowOf(i)}`);
      warnings.push(`fields[${f}] (column "${config.fields[f]!.column}"): ${c.unreadable.length} values could not be read as ${config.fields[f]!.comparator.comparator} values and count as missing (rows ${rows.join(', ')}${c.unreadable.length > 5 ? ', …' : ''})`);
    }
  });
  const log2Tf = config.fields.map((f, i) => (f.tf ? termFrequencies(Array.from({ length: n }, (_, r) => columns[i]!.tfKey(r))) : null));
  const t1 = now();

  // Block.
  const ruleKeys = computeAllRuleKeys(config.blocking.rules, valuesOf, n);
  const t1b = now();
  const { pairs, report: blocking } = generateCandidatePairs(ruleKeys, n, link ? nLeft : n, config.blocking.maxBucketSize);
  for (const r of blocking.rules) {
    if (r.cappedBuckets > 0) warnings.push(`blocking rule "${r.name}": ${r.cappedBuckets} buckets larger than ${blocking.maxBucketSize} records (${r.recordsInCappedBuckets} records) were skipped`);
  }
  const t2 = now();

  // Compare.
  const P = pairs.count;
  const levels = columns.map((c) => {
    const out = new Uint8Array(P);
    c.levelsInto(pairs.left, pairs.right, out);
    return out;
  });
  const t3 = now();

  // Train.
  const totalPairs = link ? nLeft * nRight : (n * (n - 1)) / 2;
  const rng = createRng(config.training.seed);
  const labels = config.training.labelColumn === undefined ? null : labelIds(valuesOf.get(config.training.labelColumn)!);
  const sample = randomPairs(n, link ? nLeft : n, Math.min(config.training.randomPairs, Math.max(1, totalPairs)), rng, labels);
  const uOf = columns.map((c) => {
    const out = new Uint8Array(sample.left.length);
    c.levelsInto(sample.left, sample.right, out);
    return distribution(countLevels(out, c.levels.length));
  });
  const fieldsModel: FieldParameters[] = config.fields.map((f, i) => ({
    name: f.name,
    levels: columns[i]!.levels,
    m: priorM(columns[i]!.levels.length),
    u: uOf[i]!,
    tf: f.tf,
    mSessions: 0,
  }));
  const sessions: TrainingReport['sessions'] = [];
  let prior: number;
  let share = 0;
  const patterns = buildPatterns(levels, P);
  if (labels !== null) {
    const truePairs = labelledPairs(labels, link ? nLeft : n, 200_000, rng);
    columns.forEach((c, f) => {
      const out = new Uint8Array(truePairs.left.length);
      c.levelsInto(truePairs.left, truePairs.right, out);
      fieldsModel[f]!.m = distribution(countLevels(out, c.levels.length));
      fieldsModel[f]!.mSessions = 1;
    });
    prior = config.prior ?? Math.min(0.5, Math.max(1e-12, truePairs.total / totalPairs));
  } else {
    const mSum = fieldsModel.map((f) => new Float64Array(f.m.length));
    const sessionOf: ({ share: number; active: boolean[] } | null)[] = config.blocking.rules.map(() => null);
    config.blocking.rules.forEach((rule, r) => {
      const blocked = new Set(rule.keys.map((k) => k.column));
      const active = config.fields.map((f) => !blocked.has(f.column));
      const counts = new Float64Array(patterns.count);
      let inSession = 0;
      for (let p = 0; p < P; p++) {
        if ((pairs.ruleMask[p]! >>> r) & 1) {
          counts[patterns.patternOf[p]!]!++;
          inSession++;
        }
      }
      if (inSession === 0 || !active.some(Boolean)) return;
      const em = expectationMaximisation(patterns, counts, fieldsModel.map((f) => f.u), fieldsModel.map((f) => f.m), active, {
        maxIterations: config.training.maxIterations,
        tolerance: config.training.tolerance,
      });
      sessionOf[r] = { share: em.matchShare, active };
      sessions.push({ rule: rule.name, pairs: inSession, fields: config.fields.filter((_, f) => active[f]).map((f) => f.name), matchShare: em.matchShare, iterations: em.iterations, converged: em.converged });
      if (!em.converged) warnings.push(`EM on the pairs of blocking rule "${rule.name}" did not converge in ${em.iterations} iterations`);
      active.forEach((a, f) => {
        if (!a) return;
        for (let k = 0; k < mSum[f]!.length; k++) mSum[f]![k]! += em.m[f]![k]!;
        fieldsModel[f]!.mSessions++;
      });
    });
    fieldsModel.forEach((f, i) => {
      if (f.mSessions > 0) f.m = mSum[i]!.map((x) => x / f.mSessions);
      else warnings.push(`field "${f.name}": every blocking rule uses its column, so its m was not estimated (the prior m was kept); add a rule that does not block on it`);
    });
    // Expected matches among the candidates: each pair is judged in the session of the first rule
    // that found it — that session's match share as its prior, and only the fields that rule does
    // not block on (the others agree by construction there, whatever the truth).
    const tables = weightTables({ fields: fieldsModel, prior: 0.5 });
    const byFirstRule = config.blocking.rules.map(() => new Float64Array(patterns.count));
    for (let p = 0; p < P; p++) {
      const mask = pairs.ruleMask[p]!;
      byFirstRule[31 - Math.clz32(mask & -mask)]![patterns.patternOf[p]!]!++;
    }
    let expected = 0;
    byFirstRule.forEach((counts, r) => {
      const session = sessionOf[r];
      const active = session?.active ?? config.fields.map(() => true);
      const sessionTables = tables.map((t, f) => (active[f] ? t : new Float64Array(256)));
      const shareHere = session?.share ?? estimateMatchShare(patterns, counts, tables);
      expected += expectedMatches(patterns, counts, sessionTables, shareHere);
    });
    share = P === 0 ? 0 : expected / P;
    prior = config.prior ?? Math.min(0.5, Math.max(1e-12, expected / Math.max(1, totalPairs)));
  }
  const model: FsModel = { fields: fieldsModel, prior };
  const t4 = now();

  // Score.
  const weight = scorePairs(model, levels, log2Tf, pairs.left, pairs.right, new Float64Array(P));
  let matches = 0;
  const threshold = config.threshold;
  const probability = (w: number): number => matchProbability(w, prior);
  // p ≥ t ⟺ w ≥ log2(t / (1 − t)) − log2(λ / (1 − λ)): compare weights, not probabilities.
  const minWeight = Math.log2(threshold / (1 - threshold)) - Math.log2(prior / (1 - prior));
  const isMatch = (p: number): boolean => weight[p]! >= minWeight && probability(weight[p]!) >= threshold;
  for (let p = 0; p < P; p++) if (isMatch(p)) matches++;
  const t5 = now();

  // Cluster.
  const clusters = clusterPairs(n, pairs.left, pairs.right, weight, probability, { threshold, ...config.clustering });
  const t6 = now();

  let evaluation: LinkRun['evaluation'];
  if (input.truth !== undefined) {
    const pattern = input.truth.pattern;
    let unmatched = 0;
    const raw = columnValues(tables, input.truth.column).map((v) => {
      if (v === null || pattern === undefined) return v;
      const m = pattern.exec(v);
      if (m === null) unmatched++;
      return m === null ? null : (m[1] ?? m[0]);
    });
    if (unmatched > 0) warnings.push(`truth: ${unmatched} values do not match the truth pattern and belong to no true pair`);
    const label = labelIds(raw);
    const pairScores = scorePairsAgainstLabels(label, link ? nLeft : n, pairs.left, pairs.right, isMatch);
    const found = scorePairsAgainstLabels(label, link ? nLeft : n, pairs.left, pairs.right, () => true);
    evaluation = {
      pairs: pairScores,
      clusters: scoreClustersAgainstLabels(label, link ? nLeft : n, clusters.clusterOf),
      blockingRecall: found.recall,
    };
  }

  const tfAt = (f: number, i: number): number => log2Tf[f]?.[i] ?? NaN;
  return {
    mode: link ? 'link' : 'dedupe',
    nLeft,
    nRight,
    ids,
    fields: config.fields.map((f) => f.name),
    columns,
    log2Tf,
    pairs,
    levels,
    weight,
    model,
    blocking,
    training: { method: labels === null ? 'em' : 'labels', randomPairs: sample.left.length, sessions, candidateMatchShare: share, priorFixed: config.prior !== undefined },
    threshold,
    matches,
    clusters,
    warnings,
    timings: { prepare: t1 - t0, blockingKeys: t1b - t1, blocking: t2 - t1b, comparisons: t3 - t2, training: t4 - t3, scoring: t5 - t4, clustering: t6 - t5, total: t6 - t0 },
    ...(evaluation === undefined ? {} : { evaluation }),
    probability: (p) => probability(weight[p]!),
    explain: (p) =>
      model.fields.map((f, i) => {
        const l = levels[i]![p]!;
        return {
          field: f.name,
          level: l === NULL_LEVEL ? null : l,
          levelName: l === NULL_LEVEL ? 'missing' : f.levels[l]!,
          weight: fieldWeight(model, i, l, tfAt(i, pairs.left[p]!), tfAt(i, pairs.right[p]!)),
        };
      }),
  };
}

/**
 * Uniform random record pairs (with replacement): distinct records in a dedupe, left × right in
 * a link; with labels, pairs of the same entity are redrawn (so the sample is of non-matches).
 */
export function randomPairs(n: number, nLeft: number, count: number, rng: { int(min: number, max: number): number }, labels: Int32Array | null = null): { left: Uint32Array; right: Uint32Array } {
  const left = new Uint32Array(count);
  const right = new Uint32Array(count);
  const link = nLeft < n;
  if (n < 2 || (link && (nLeft === 0 || n - nLeft === 0))) return { left: left.subarray(0, 0), right: right.subarray(0, 0) };
  for (let s = 0; s < count; s++) {
    for (let attempt = 0; ; attempt++) {
      let a: number;
      let b: number;
      if (link) {
        a = rng.int(0, nLeft - 1);
        b = rng.int(nLeft, n - 1);
      } else {
        a = rng.int(0, n - 1);
        b = rng.int(0, n - 2);
        if (b >= a) b++;
      }
      if (labels !== null && attempt < 100 && labels[a]! >= 0 && labels[a] === labels[b]) continue;
      left[s] = a;
      right[s] = b;
      break;
    }
  }
  return { left, right };
}

/** Pairs of records with the same label (a sample of at most `max`), and how many there are in all. */
function labelledPairs(labels: Int32Array, nLeft: number, max: number, rng: { float(): number }): { left: Uint32Array; right: Uint32Array; total: number } {
  const n = labels.length;
  const link = nLeft < n;
  const groups = new Map<number, number[]>();
  for (let i = 0; i < n; i++) {
    const l = labels[i]!;
    if (l < 0) continue;
    let g = groups.get(l);
    if (g === undefined) groups.set(l, (g = []));
    g.push(i);
  }
  const a: number[] = [];
  const b: number[] = [];
  let total = 0;
  for (const g of groups.values()) {
    for (let x = 0; x < g.length; x++) {
      for (let y = x + 1; y < g.length; y++) {
        const i = g[x]!;
        const j = g[y]!;
        if (link && (i < nLeft) === (j < nLeft)) continue;
        total++;
        a.push(i);
        b.push(j);
      }
    }
  }
  if (a.length > max) {
    // Keep a uniform subset (partial Fisher–Yates).
    for (let k = 0; k < max; k++) {
      const r = k + Math.floor(rng.float() * (a.length - k));
      [a[k], a[r]] = [a[r]!, a[k]!];
      [b[k], b[r]] = [b[r]!, b[k]!];
    }
    a.length = max;
    b.length = max;
  }
  return { left: Uint32Array.from(a), right: Uint32Array.from(b), total };
}
