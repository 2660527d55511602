/**
 * Blocking: candidate pairs are the record pairs that share a key under at least one rule.
 * Each rule gives every record zero, one or several keys (a rule of several parts joins them;
 * a multi-valued part — the spellings of a surname — gives several); records sharing a key
 * fall in one hash bucket and every pair inside a bucket is a candidate. The rules' pairs are
 * united without a hash set of pairs: a pair found by rule r is kept only when no earlier rule
 * shares a key for it (and, within a multi-valued rule, only in the bucket of the smallest key
 * the two share), so each pair is emitted exactly once and the work grows with the number of
 * candidate pairs, not with n². Every pair records which rules would have found it (a bit mask),
 * which the EM training uses.
 *
 * A bucket with more than `maxBucketSize` records (a missing-value placeholder, "Smith",
 * 王) would alone give millions of pairs: it is skipped and reported, and its key counts as
 * absent for that rule.
 */
import { hanSurname, readName } from './chinese-names.js';
import { normaliseText } from './comparators.js';
import { parseLinkDate, type DateFormat } from './dates.js';
import { soundex } from './strings.js';

export const KEY_TRANSFORMS = ['value', 'prefix', 'soundex', 'year', 'pinyin', 'surname', 'givenName'] as const;
export type KeyTransform = (typeof KEY_TRANSFORMS)[number];

/** One part of a blocking key, as written in the configuration. */
export interface BlockingKeySpec {
  column: string;
  /** Default 'value' (trimmed, lower case). */
  transform?: KeyTransform;
  /** For 'prefix': number of characters. */
  length?: number;
  /** For 'year': the date layout. */
  format?: DateFormat;
}

export interface BlockingRuleSpec {
  name?: string;
  keys: readonly BlockingKeySpec[];
}

/** The keys of every record under one rule, interned to integers. */
export interface RuleKeys {
  name: string;
  /** Keys of record i: keys[offsets[i] .. offsets[i + 1]), sorted ascending. */
  offsets: Int32Array;
  keys: Int32Array;
  /** Number of distinct keys. */
  keyCount: number;
  /** True when some record has more than one key. */
  multi: boolean;
}

/** The key values of one part for one raw value; [] when missing. */
export function keyParts(spec: BlockingKeySpec, raw: string | null): string[] {
  if (raw == null || raw.trim() === '') return [];
  switch (spec.transform ?? 'value') {
    case 'value':
      return [normaliseText(raw)];
    case 'prefix':
      return [normaliseText(raw).slice(0, spec.length ?? 3)];
    case 'soundex': {
      const s = soundex(raw);
      return s === '' ? [] : [s];
    }
    case 'year': {
      const d = parseLinkDate(raw, spec.format ?? 'auto');
      return d === null ? [] : [String(d.year)];
    }
    case 'pinyin': {
      const n = readName(raw);
      if (n === null) return [];
      const k = n.han.length > 0 ? n.pinyin.replaceAll(' ', '') : (n.latinSurname + n.latinGiven).replaceAll(' ', '');
      return k === '' ? [] : [k];
    }
    case 'surname':
      return [...(readName(raw)?.surnameKeys ?? [])];
    case 'givenName': {
      const n = readName(raw);
      if (n === null) return [];
      if (n.han.length > 0) {
        const given = n.pinyin.split(' ').slice(hanSurname(n.han).length).join('');
        return given === '' ? [] : [given];
      }
      return [...new Set([n.latinGiven.replaceAll(' ', ''), ...n.aliases])].filter((g) => g !== '');
    }
  }
}

/** One key part for every record, interned: single[i] = value id, −1 missing, −2 several (in `several`). */
interface PartColumn {
  single: Int32Array;
  several: Map<number, number[]>;
  /** Number of distinct values. */
  count: number;
}

/** Interns one key part over all records; each distinct raw value is transformed once. */
function partColumn(spec: BlockingKeySpec, values: readonly (string | null)[] | undefined, n: number): PartColumn {
  const byRaw = new Map<string, number | number[]>();
  const byValue = new Map<string, number>();
  const single = new Int32Array(n).fill(-1);
  const several = new Map<number, number[]>();
  if (values === undefined) return { single, several, count: 0 };
  const intern = (v: string): number => {
    let id = byValue.get(v);
    if (id === undefined) {
      id = byValue.size;
      byValue.set(v, id);
    }
    return id;
  };
  // 'value' and 'prefix' are cheaper to recompute than to cache by raw value.
  const cheap = (spec.transform ?? 'value') === 'value' || spec.transform === 'prefix';
  for (let i = 0; i < n; i++) {
    const raw = values[i];
    if (raw == null) continue;
    if (cheap) {
      const v = keyParts(spec, raw)[0] ?? '';
      if (v !== '') single[i] = intern(v);
      continue;
    }
    let ids = byRaw.get(raw);
    if (ids === undefined) {
      const parts = [...new Set(keyParts(spec, raw).filter((p) => p !== ''))];
      ids = parts.length === 0 ? -1 : parts.length === 1 ? intern(parts[0]!) : parts.map(intern).sort((x, y) => x - y);
      byRaw.set(raw, ids);
    }
    if (typeof ids === 'number') single[i] = ids;
    else {
      single[i] = -2;
      several.set(i, ids);
    }
  }
  return { single, several, count: byValue.size };
}

/** The part's value ids of record i ([] when missing). */
function partIds(c: PartColumn, i: number): readonly number[] {
  const s = c.single[i]!;
  return s >= 0 ? [s] : s === -1 ? [] : c.several.get(i)!;
}

/**
 * Computes a rule's keys for every record. `columns` maps a column name to its values for all
 * records (left then right). A record missing any part has no key.
 */
export function computeRuleKeys(rule: BlockingRuleSpec, name: string, columns: ReadonlyMap<string, readonly (string | null)[]>, n: number): RuleKeys {
  return computeAllRuleKeys([{ ...rule, name }], columns, n)[0]!;
}

/**
 * Computes the keys of several rules, transforming each (column, transform) part once even when
 * several rules use it. Parts are interned to integers first; a rule's key is then the mixed-radix
 * number of its parts' ids, so no key strings are built per record.
 */
export function computeAllRuleKeys(rules: readonly (BlockingRuleSpec & { name: string })[], columns: ReadonlyMap<string, readonly (string | null)[]>, n: number): RuleKeys[] {
  const parts = new Map<string, PartColumn>();
  const part = (spec: BlockingKeySpec): PartColumn => {
    const id = `${spec.column}\u0001${spec.transform ?? 'value'}\u0001${spec.length ?? ''}\u0001${spec.format ?? ''}`;
    let c = parts.get(id);
    if (c === undefined) {
      c = partColumn(spec, columns.get(spec.column), n);
      parts.set(id, c);
    }
    return c;
  };
  return rules.map((rule) => {
    const cols = rule.keys.map(part);
    const offsets = new Int32Array(n + 1);
    const anySeveral = cols.some((c) => c.several.size > 0);
    if (cols.length === 1 && !anySeveral) {
      // One single-valued part: the part's ids are the keys.
      const c = cols[0]!;
      const keys = new Int32Array(n);
      let count = 0;
      for (let i = 0; i < n; i++) {
        const s = c.single[i]!;
        if (s >= 0) keys[count++] = s;
        offsets[i + 1] = count;
      }
      return { name: rule.name, offsets, keys: keys.slice(0, count), keyCount: c.count, multi: false };
    }
    let radix = 1;
    for (const c of cols) radix *= Math.max(1, c.count);
    const numeric = radix < 2 ** 52;
    const index = new Map<number | string, number>();
    const intern = (k: number | string): number => {
      let id = index.get(k);
      if (id === undefined) {
        id = index.size;
        index.set(k, id);
      }
      return id;
    };
    let keys = new Int32Array(n);
    let count = 0;
    let multi = false;
    const push = (id: number): void => {
      if (count === keys.length) {
        const grown = new Int32Array(keys.length * 2);
        grown.set(keys);
        keys = grown;
      }
      keys[count++] = id;
    };
    for (let i = 0; i < n; i++) {
      if (!anySeveral) {
        let code = 0;
        let str = '';
        let missing = false;
        for (const c of cols) {
          const s = c.single[i]!;
          if (s < 0) {
            missing = true;
            break;
          }
          if (numeric) code = code * Math.max(1, c.count) + s;
          else str += `${s},`;
        }
        if (!missing) push(intern(numeric ? code : str));
      } else {
        let combos: (number | string)[] = [numeric ? 0 : ''];
        for (const c of cols) {
          const ids = partIds(c, i);
          const r = Math.max(1, c.count);
          combos = combos.flatMap((x) => ids.map((id) => (typeof x === 'number' ? x * r + id : `${x}${id},`)));
          if (combos.length === 0) break;
        }
        const ids = [...new Set(combos.map(intern))].sort((x, y) => x - y);
        if (ids.length > 1) multi = true;
        for (const id of ids) push(id);
      }
      offsets[i + 1] = count;
    }
    return { name: rule.name, offsets, keys: keys.slice(0, count), keyCount: index.size, multi };
  });
}

/** Candidate pairs: record indices (left, right) — in a dedupe left < right; in a link left is from the left file. */
export interface CandidatePairs {
  count: number;
  left: Uint32Array;
  right: Uint32Array;
  /** Bit r set when rule r shares an (enabled) key for the pair. */
  ruleMask: Uint32Array;
}

export interface BlockingRuleReport {
  name: string;
  buckets: number;
  largestBucket: number;
  /** Buckets skipped for exceeding maxBucketSize, and the records in them. */
  cappedBuckets: number;
  recordsInCappedBuckets: number;
  /** Pairs this rule added (not found by an earlier rule). */
  newPairs: number;
}

export interface BlockingReport {
  rules: BlockingRuleReport[];
  candidatePairs: number;
  maxBucketSize: number;
}

/** Growable typed-array columns of pairs. */
class PairBuffer {
  count = 0;
  left = new Uint32Array(1024);
  right = new Uint32Array(1024);
  mask = new Uint32Array(1024);

  push(a: number, b: number, m: number): void {
    if (this.count === this.left.length) {
      const size = this.left.length * 2;
      const grow = (x: Uint32Array): Uint32Array<ArrayBuffer> => {
        const y = new Uint32Array(size);
        y.set(x);
        return y;
      };
      this.left = grow(this.left);
      this.right = grow(this.right);
      this.mask = grow(this.mask);
    }
    this.left[this.count] = a;
    this.right[this.count] = b;
    this.mask[this.count] = m;
    this.count++;
  }
}

/** A rule's keys prepared for pair generation: buckets, disabled keys, a fast single-key column. */
interface RuleIndex {
  keys: RuleKeys;
  disabled: Uint8Array;
  /** For single-valued rules: the record's enabled key or −1. */
  single: Int32Array | null;
  bucketOffsets: Int32Array;
  bucketMembers: Int32Array;
}

function buildIndex(rk: RuleKeys, n: number, maxBucketSize: number, report: BlockingRuleReport): RuleIndex {
  const sizes = new Int32Array(rk.keyCount + 1);
  for (let t = 0; t < rk.keys.length; t++) sizes[rk.keys[t]! + 1]!++;
  const bucketOffsets = new Int32Array(rk.keyCount + 1);
  for (let k = 0; k < rk.keyCount; k++) bucketOffsets[k + 1] = bucketOffsets[k]! + sizes[k + 1]!;
  const fill = bucketOffsets.slice(0, rk.keyCount);
  const bucketMembers = new Int32Array(rk.keys.length);
  for (let i = 0; i < n; i++) {
    for (let t = rk.offsets[i]!; t < rk.offsets[i + 1]!; t++) bucketMembers[fill[rk.keys[t]!]!++] = i;
  }
  const disabled = new Uint8Array(rk.keyCount);
  for (let k = 0; k < rk.keyCount; k++) {
    const size = bucketOffsets[k + 1]! - bucketOffsets[k]!;
    if (size > report.largestBucket) report.largestBucket = size;
    if (size > maxBucketSize) {
      disabled[k] = 1;
      report.cappedBuckets++;
      report.recordsInCappedBuckets += size;
    }
  }
  report.buckets = rk.keyCount;
  let single: Int32Array | null = null;
  if (!rk.multi) {
    single = new Int32Array(n).fill(-1);
    for (let i = 0; i < n; i++) {
      if (rk.offsets[i + 1]! > rk.offsets[i]!) {
        const k = rk.keys[rk.offsets[i]!]!;
        if (disabled[k] === 0) single[i] = k;
      }
    }
  }
  return { keys: rk, disabled, single, bucketOffsets, bucketMembers };
}

/** The smallest enabled key records a and b share under a rule, or −1. */
function smallestSharedKey(ix: RuleIndex, a: number, b: number): number {
  if (ix.single !== null) {
    const k = ix.single[a]!;
    return k >= 0 && k === ix.single[b] ? k : -1;
  }
  const { offsets, keys } = ix.keys;
  let p = offsets[a]!;
  let q = offsets[b]!;
  const pe = offsets[a + 1]!;
  const qe = offsets[b + 1]!;
  while (p < pe && q < qe) {
    const x = keys[p]!;
    const y = keys[q]!;
    if (x === y) {
      if (ix.disabled[x] === 0) return x;
      p++;
      q++;
    } else if (x < y) p++;
    else q++;
  }
  return -1;
}

/**
 * Generates the deduplicated candidate pairs of all rules. Records are numbered 0..n−1; with
 * `nLeft` < n the task is a link and only pairs of a left record (index < nLeft) with a right
 * record are generated; with nLeft = n it is a dedupe.
 */
export function generateCandidatePairs(rules: readonly RuleKeys[], n: number, nLeft: number, maxBucketSize: number): { pairs: CandidatePairs; report: BlockingReport } {
  if (rules.length > 32) throw new RangeError('at most 32 blocking rules');
  const link = nLeft < n;
  const reports: BlockingRuleReport[] = rules.map((r) => ({ name: r.name, buckets: 0, largestBucket: 0, cappedBuckets: 0, recordsInCappedBuckets: 0, newPairs: 0 }));
  const index = rules.map((r, i) => buildIndex(r, n, maxBucketSize, reports[i]!));
  const out = new PairBuffer();
  const R = index.length;
  for (let r = 0; r < R; r++) {
    const ix = index[r]!;
    const { bucketOffsets, bucketMembers, disabled } = ix;
    const multi = ix.single === null;
    let added = 0;
    for (let k = 0; k < ix.keys.keyCount; k++) {
      if (disabled[k] === 1) continue;
      const start = bucketOffsets[k]!;
      const end = bucketOffsets[k + 1]!;
      if (end - start < 2) continue;
      // Members are in index order, so left records (index < nLeft) come first.
      let split = start;
      if (link) while (split < end && bucketMembers[split]! < nLeft) split++;
      for (let x = start; x < (link ? split : end); x++) {
        const a = bucketMembers[x]!;
        for (let y = link ? split : x + 1; y < end; y++) {
          const b = bucketMembers[y]!;
          if (multi && smallestSharedKey(ix, a, b) !== k) continue;
          let earlier = false;
          for (let q = 0; q < r; q++) {
            if (smallestSharedKey(index[q]!, a, b) >= 0) {
              earlier = true;
              break;
            }
          }
          if (earlier) continue;
          let mask = 1 << r;
          for (let q = r + 1; q < R; q++) if (smallestSharedKey(index[q]!, a, b) >= 0) mask |= 1 << q;
          out.push(a, b, mask >>> 0);
          added++;
        }
      }
    }
    reports[r]!.newPairs = added;
  }
  return {
    pairs: { count: out.count, left: out.left.subarray(0, out.count), right: out.right.subarray(0, out.count), ruleMask: out.mask.subarray(0, out.count) },
    report: { rules: reports, candidatePairs: out.count, maxBucketSize },
  };
}
