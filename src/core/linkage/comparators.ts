/**
 * Comparators: each turns a pair of field values into a small integer comparison level —
 * 0 = "else" (disagree), higher = closer, the last = exact agreement — or NULL_LEVEL when either
 * value is missing (a missing value carries no evidence: weight 0, as in Fellegi–Sunter practice).
 *
 * A comparator prepares a whole column once (normalising, parsing, converting scripts, interning)
 * and then compares pairs of row indices, writing levels into a Uint8Array column, so the per-pair
 * work is only the comparison itself.
 */
import { readName, compareNames, NAME_LEVELS, type LinkName } from './chinese-names.js';
import { DateComparison, parseLinkDate, type DateFormat, type LinkDate } from './dates.js';
import { compareResidentIds, normaliseResidentId, RESIDENT_ID_LEVELS, type LinkResidentId } from './id-numbers.js';
import { jaroWinkler, levenshtein, osaDistance } from './strings.js';

/** The level of a pair where either value is missing. */
export const NULL_LEVEL = 255;

/** Comparator settings, as written in the linkage configuration (docs/linkage.md). */
export type ComparatorSpec =
  | { comparator: 'exact'; caseSensitive?: boolean }
  | { comparator: 'jaroWinkler'; thresholds?: readonly number[] }
  | { comparator: 'levenshtein' | 'damerau'; thresholds?: readonly number[] }
  | { comparator: 'date'; format?: DateFormat; swap?: boolean; typo?: boolean; withinDays?: number; sameYear?: boolean }
  | { comparator: 'residentId' }
  | { comparator: 'chineseName'; similarity?: number }
  | { comparator: 'number'; thresholds?: readonly number[] }
  | { comparator: 'postcode'; prefixLengths?: readonly number[] };

export type ComparatorKind = ComparatorSpec['comparator'];
export const COMPARATOR_KINDS: readonly ComparatorKind[] = ['exact', 'jaroWinkler', 'levenshtein', 'damerau', 'date', 'residentId', 'chineseName', 'number', 'postcode'];

/** One prepared column (left and right records concatenated, left first). */
export interface PreparedColumn {
  /** Level names, ascending; the last is exact agreement. */
  readonly levels: readonly string[];
  /** Rows whose non-empty value could not be read (treated as missing). */
  readonly unreadable: readonly number[];
  /** Level of records i and j. */
  level(i: number, j: number): number;
  /** Levels of pairs [from, to) of (left[p], right[p]) into out[p]. */
  levelsInto(left: Uint32Array, right: Uint32Array, out: Uint8Array, from?: number, to?: number): void;
  /** The value used for exact agreement and term frequencies; null when missing. */
  tfKey(i: number): string | null;
}

/** Normalisation shared by the text comparators: NFKC, trimmed, inner whitespace collapsed, lower case unless asked. */
export function normaliseText(value: string, caseSensitive = false): string {
  // Fast path: printable ASCII without upper case (when folding) and without blanks needs nothing.
  if (/^[!-~]+$/.test(value) && (caseSensitive || !/[A-Z]/.test(value))) return value;
  const s = value.normalize('NFKC').trim().replace(/\s+/g, ' ');
  return caseSensitive ? s : s.toLowerCase();
}

/**
 * A column of prepared values compared by a function. `cmp` must return 0..levels.length − 1
 * and be called only on two present values.
 */
class ValueColumn<T> implements PreparedColumn {
  constructor(
    readonly levels: readonly string[],
    private readonly values: readonly (T | null)[],
    private readonly cmp: (a: T, b: T) => number,
    private readonly key: (v: T) => string,
    readonly unreadable: readonly number[] = [],
  ) {}

  level(i: number, j: number): number {
    const a = this.values[i];
    const b = this.values[j];
    return a == null || b == null ? NULL_LEVEL : this.cmp(a, b);
  }

  levelsInto(left: Uint32Array, right: Uint32Array, out: Uint8Array, from = 0, to = left.length): void {
    const values = this.values;
    const cmp = this.cmp;
    for (let p = from; p < to; p++) {
      const a = values[left[p]!];
      const b = values[right[p]!];
      out[p] = a == null || b == null ? NULL_LEVEL : cmp(a, b);
    }
  }

  tfKey(i: number): string | null {
    const v = this.values[i];
    return v == null ? null : this.key(v);
  }
}

/** Exact agreement on interned values: the pair comparison is one integer comparison. */
class InternedColumn implements PreparedColumn {
  readonly levels = ['else', 'exact'] as const;
  readonly unreadable: readonly number[] = [];
  private readonly ids: Int32Array;
  private readonly dictionary: string[] = [];

  constructor(values: readonly (string | null)[], caseSensitive: boolean) {
    this.ids = new Int32Array(values.length);
    const index = new Map<string, number>();
    values.forEach((raw, i) => {
      const v = raw == null ? '' : normaliseText(raw, caseSensitive);
      if (v === '') {
        this.ids[i] = -1;
        return;
      }
      let id = index.get(v);
      if (id === undefined) {
        id = this.dictionary.length;
        index.set(v, id);
        this.dictionary.push(v);
      }
      this.ids[i] = id;
    });
  }

  level(i: number, j: number): number {
    const a = this.ids[i]!;
    const b = this.ids[j]!;
    return a < 0 || b < 0 ? NULL_LEVEL : a === b ? 1 : 0;
  }

  levelsInto(left: Uint32Array, right: Uint32Array, out: Uint8Array, from = 0, to = left.length): void {
    const ids = this.ids;
    for (let p = from; p < to; p++) {
      const a = ids[left[p]!]!;
      const b = ids[right[p]!]!;
      out[p] = a < 0 || b < 0 ? NULL_LEVEL : a === b ? 1 : 0;
    }
  }

  tfKey(i: number): string | null {
    const id = this.ids[i]!;
    return id < 0 ? null : this.dictionary[id]!;
  }
}

/** Reads every value with `read`, caching by raw text; a non-empty value read as null is unreadable. */
function readColumn<T>(values: readonly (string | null)[], read: (raw: string) => T | null): { out: (T | null)[]; unreadable: number[] } {
  const cache = new Map<string, T | null>();
  const unreadable: number[] = [];
  const out = values.map((raw, i) => {
    if (raw == null || raw.trim() === '') return null;
    let v = cache.get(raw);
    if (v === undefined && !cache.has(raw)) {
      v = read(raw);
      cache.set(raw, v);
    }
    if (v == null) unreadable.push(i);
    return v ?? null;
  });
  return { out, unreadable };
}

/** Level names for similarity thresholds (descending) or distance thresholds (ascending). */
function thresholdLevels(label: string, thresholds: readonly number[], op: '≥' | '≤'): string[] {
  // Ascending levels: the loosest threshold first.
  const loosestFirst = op === '≥' ? [...thresholds].sort((x, y) => x - y) : [...thresholds].sort((x, y) => y - x);
  return ['else', ...loosestFirst.map((t) => `${label} ${op} ${t}`), 'exact'];
}

/** Builds the comparator of a spec and prepares a column with it. */
export function prepareColumn(spec: ComparatorSpec, values: readonly (string | null)[]): PreparedColumn {
  switch (spec.comparator) {
    case 'exact':
      return new InternedColumn(values, spec.caseSensitive ?? false);
    case 'jaroWinkler': {
      const ts = [...(spec.thresholds ?? [0.92, 0.8])].sort((x, y) => y - x); // strictest first
      const levels = thresholdLevels('Jaro-Winkler', ts, '≥');
      const top = levels.length - 1;
      const { out, unreadable } = readColumn(values, (raw) => nonEmpty(normaliseText(raw)));
      return new ValueColumn(levels, out, (a, b) => {
        if (a === b) return top;
        const s = jaroWinkler(a, b);
        for (let k = 0; k < ts.length; k++) if (s >= ts[k]!) return top - 1 - k;
        return 0;
      }, (v) => v, unreadable);
    }
    case 'levenshtein':
    case 'damerau': {
      const ts = [...(spec.thresholds ?? [1, 2])].sort((x, y) => x - y); // strictest first
      const levels = thresholdLevels(spec.comparator === 'damerau' ? 'Damerau (OSA)' : 'Levenshtein', ts, '≤');
      const top = levels.length - 1;
      const max = ts[ts.length - 1] ?? 0;
      const dist = spec.comparator === 'damerau' ? osaDistance : levenshtein;
      const { out, unreadable } = readColumn(values, (raw) => nonEmpty(normaliseText(raw)));
      return new ValueColumn(levels, out, (a, b) => {
        if (a === b) return top;
        const d = dist(a, b, max);
        for (let k = 0; k < ts.length; k++) if (d <= ts[k]!) return top - 1 - k;
        return 0;
      }, (v) => v, unreadable);
    }
    case 'date': {
      const cmp = new DateComparison(spec);
      const format = spec.format ?? 'auto';
      const { out, unreadable } = readColumn(values, (raw) => parseLinkDate(raw, format));
      return new ValueColumn<LinkDate>(cmp.names, out, (a, b) => cmp.compare(a, b), (v) => v.digits, unreadable);
    }
    case 'residentId': {
      const { out, unreadable } = readColumn(values, (raw) => {
        const id = normaliseResidentId(raw);
        return id.id.length === 0 ? null : id;
      });
      return new ValueColumn<LinkResidentId>(RESIDENT_ID_LEVELS, out, compareResidentIds, (v) => v.id, unreadable);
    }
    case 'chineseName': {
      const similarity = spec.similarity ?? 0.9;
      const { out, unreadable } = readColumn(values, readName);
      return new ValueColumn<LinkName>(NAME_LEVELS, out, (a, b) => compareNames(a, b, similarity), (v) => v.key, unreadable);
    }
    case 'number': {
      const ts = [...(spec.thresholds ?? [])].sort((x, y) => x - y);
      const levels = thresholdLevels('|difference|', ts, '≤');
      const top = levels.length - 1;
      const { out, unreadable } = readColumn(values, (raw) => {
        const x = Number(raw.trim().replace(/,/g, ''));
        return Number.isFinite(x) ? x : null;
      });
      return new ValueColumn<number>(levels, out, (a, b) => {
        if (a === b) return top;
        const d = Math.abs(a - b);
        for (let k = 0; k < ts.length; k++) if (d <= ts[k]!) return top - 1 - k;
        return 0;
      }, (v) => String(v), unreadable);
    }
    case 'postcode': {
      const prefixes = [...(spec.prefixLengths ?? [])].sort((x, y) => x - y);
      const levels = ['else', ...prefixes.map((k) => `same first ${k}`), 'one slip', 'exact'];
      const top = levels.length - 1;
      const { out, unreadable } = readColumn(values, (raw) => nonEmpty(normaliseText(raw).replace(/[\s-]/g, '')));
      return new ValueColumn<string>(levels, out, (a, b) => {
        if (a === b) return top;
        if (a.length === b.length && osaDistance(a, b, 1) <= 1) return top - 1;
        for (let k = prefixes.length - 1; k >= 0; k--) {
          const n = prefixes[k]!;
          if (a.length >= n && b.length >= n && a.slice(0, n) === b.slice(0, n)) return k + 1;
        }
        return 0;
      }, (v) => v, unreadable);
    }
  }
}

function nonEmpty(s: string): string | null {
  return s.length === 0 ? null : s;
}
