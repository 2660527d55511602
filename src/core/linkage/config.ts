/**
 * The linkage configuration (JSON; reference and examples in docs/linkage.md and
 * docs/examples/linkage/). Validation collects every problem, each naming its key
 * (`fields[2].thresholds: …`), and unknown keys are refused so that a misspelt option is not
 * silently ignored.
 */
import { KEY_TRANSFORMS, type BlockingKeySpec, type KeyTransform } from './blocking.js';
import { COMPARATOR_KINDS, type ComparatorKind, type ComparatorSpec } from './comparators.js';
import { DATE_FORMATS, type DateFormat } from './dates.js';

export interface FieldConfig {
  /** Name in reports and output columns (default: the column). */
  name: string;
  column: string;
  tf: boolean;
  comparator: ComparatorSpec;
}

export interface BlockingRuleConfig {
  name: string;
  keys: BlockingKeySpec[];
}

export interface LinkConfig {
  idColumn?: string;
  csv: { delimiter: string; trim: boolean };
  fields: FieldConfig[];
  blocking: { rules: BlockingRuleConfig[]; maxBucketSize: number };
  /** Match probability at or above which a pair is a match. */
  threshold: number;
  /** λ, fixed; estimated from the data when absent. */
  prior?: number;
  training: { randomPairs: number; maxIterations: number; tolerance: number; seed: number; labelColumn?: string };
  clustering: { strongThreshold: number; maxClusterSize: number };
}

/** An invalid configuration: every problem, each naming its key. */
export class LinkConfigError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`invalid linkage configuration:\n  ${problems.join('\n  ')}`);
    this.name = 'LinkConfigError';
  }
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Options each comparator accepts, besides name, column, comparator and tf. */
const COMPARATOR_OPTIONS: Record<ComparatorKind, readonly string[]> = {
  exact: ['caseSensitive'],
  jaroWinkler: ['thresholds'],
  levenshtein: ['thresholds'],
  damerau: ['thresholds'],
  date: ['format', 'swap', 'typo', 'withinDays', 'sameYear'],
  residentId: [],
  chineseName: ['similarity'],
  number: ['thresholds'],
  postcode: ['prefixLengths'],
};

/** Validates a parsed JSON document. Throws LinkConfigError listing every problem. */
export function parseLinkConfig(doc: unknown): LinkConfig {
  const problems: string[] = [];
  const bad = (key: string, message: string): void => void problems.push(`${key}: ${message}`);
  if (!isObj(doc)) throw new LinkConfigError(['(top level): must be a JSON object']);
  const unknownKeys = (o: Obj, path: string, allowed: readonly string[]): void => {
    for (const k of Object.keys(o)) if (!allowed.includes(k)) bad(path === '' ? k : `${path}.${k}`, `unknown key (allowed: ${allowed.join(', ')})`);
  };
  const str = (o: Obj, key: string, path: string, required: boolean): string | undefined => {
    const v = o[key];
    if (v === undefined) {
      if (required) bad(path, 'is required');
      return undefined;
    }
    if (typeof v !== 'string' || v.length === 0) {
      bad(path, 'must be a non-empty string');
      return undefined;
    }
    return v;
  };
  const num = (o: Obj, key: string, path: string, check: (x: number) => boolean, rule: string): number | undefined => {
    const v = o[key];
    if (v === undefined) return undefined;
    if (typeof v !== 'number' || !Number.isFinite(v) || !check(v)) {
      bad(path, `must be ${rule}`);
      return undefined;
    }
    return v;
  };
  const bool = (o: Obj, key: string, path: string): boolean | undefined => {
    const v = o[key];
    if (v === undefined) return undefined;
    if (typeof v !== 'boolean') {
      bad(path, 'must be true or false');
      return undefined;
    }
    return v;
  };
  const numList = (o: Obj, key: string, path: string, check: (x: number) => boolean, rule: string): number[] | undefined => {
    const v = o[key];
    if (v === undefined) return undefined;
    if (!Array.isArray(v) || v.length > 12 || v.some((x) => typeof x !== 'number' || !Number.isFinite(x) || !check(x))) {
      bad(path, `must be a list of at most 12 numbers, each ${rule}`);
      return undefined;
    }
    if (new Set(v).size !== v.length) {
      bad(path, 'must not repeat a value');
      return undefined;
    }
    return v as number[];
  };

  unknownKeys(doc, '', ['$schema', 'description', 'idColumn', 'csv', 'fields', 'blocking', 'threshold', 'prior', 'training', 'clustering']);
  const idColumn = str(doc, 'idColumn', 'idColumn', false);

  // csv
  let csv = { delimiter: ',', trim: false };
  if (doc.csv !== undefined) {
    if (!isObj(doc.csv)) bad('csv', 'must be an object');
    else {
      unknownKeys(doc.csv, 'csv', ['delimiter', 'trim']);
      const delimiter = str(doc.csv, 'delimiter', 'csv.delimiter', false);
      if (delimiter !== undefined && (delimiter.length !== 1 || delimiter === '"' || delimiter === '\n')) bad('csv.delimiter', 'must be one character other than a quote or a line break');
      csv = { delimiter: delimiter ?? ',', trim: bool(doc.csv, 'trim', 'csv.trim') ?? false };
    }
  }

  // fields
  const fields: FieldConfig[] = [];
  if (!Array.isArray(doc.fields) || doc.fields.length === 0) bad('fields', 'must be a non-empty list');
  else {
    const names = new Set<string>();
    doc.fields.forEach((f: unknown, i) => {
      const path = `fields[${i}]`;
      if (!isObj(f)) return bad(path, 'must be an object');
      const column = str(f, 'column', `${path}.column`, true);
      const name = str(f, 'name', `${path}.name`, false) ?? column;
      const kind = str(f, 'comparator', `${path}.comparator`, true);
      if (kind !== undefined && !(COMPARATOR_KINDS as readonly string[]).includes(kind)) {
        bad(`${path}.comparator`, `unknown comparator "${kind}" (expected one of ${COMPARATOR_KINDS.join(', ')})`);
        return;
      }
      if (name !== undefined) {
        if (names.has(name)) bad(`${path}.name`, `two fields are named "${name}"`);
        names.add(name);
      }
      const k = kind as ComparatorKind | undefined;
      unknownKeys(f, path, ['name', 'column', 'comparator', 'tf', ...(k === undefined ? [] : COMPARATOR_OPTIONS[k])]);
      const tf = bool(f, 'tf', `${path}.tf`) ?? false;
      let spec: ComparatorSpec | undefined;
      switch (k) {
        case undefined:
          break;
        case 'exact':
          spec = { comparator: k, caseSensitive: bool(f, 'caseSensitive', `${path}.caseSensitive`) ?? false };
          break;
        case 'jaroWinkler':
          spec = { comparator: k, thresholds: numList(f, 'thresholds', `${path}.thresholds`, (x) => x > 0 && x < 1, 'between 0 and 1') ?? [0.92, 0.8] };
          break;
        case 'levenshtein':
        case 'damerau':
          spec = { comparator: k, thresholds: numList(f, 'thresholds', `${path}.thresholds`, (x) => Number.isInteger(x) && x >= 1 && x <= 20, 'a whole number from 1 to 20') ?? [1, 2] };
          break;
        case 'date': {
          const format = str(f, 'format', `${path}.format`, false);
          if (format !== undefined && !(DATE_FORMATS as readonly string[]).includes(format)) bad(`${path}.format`, `must be one of ${DATE_FORMATS.join(', ')}`);
          spec = {
            comparator: k,
            format: (format as DateFormat | undefined) ?? 'auto',
            swap: bool(f, 'swap', `${path}.swap`) ?? true,
            typo: bool(f, 'typo', `${path}.typo`) ?? true,
            withinDays: num(f, 'withinDays', `${path}.withinDays`, (x) => Number.isInteger(x) && x >= 0, 'a whole number ≥ 0') ?? 30,
            sameYear: bool(f, 'sameYear', `${path}.sameYear`) ?? true,
          };
          break;
        }
        case 'residentId':
          spec = { comparator: k };
          break;
        case 'chineseName':
          spec = { comparator: k, similarity: num(f, 'similarity', `${path}.similarity`, (x) => x > 0 && x < 1, 'between 0 and 1') ?? 0.9 };
          break;
        case 'number':
          spec = { comparator: k, thresholds: numList(f, 'thresholds', `${path}.thresholds`, (x) => x > 0, 'positive') ?? [] };
          break;
        case 'postcode':
          spec = { comparator: k, prefixLengths: numList(f, 'prefixLengths', `${path}.prefixLengths`, (x) => Number.isInteger(x) && x >= 1 && x <= 20, 'a whole number from 1 to 20') ?? [] };
          break;
      }
      if (column !== undefined && name !== undefined && spec !== undefined) fields.push({ name, column, tf, comparator: spec });
    });
  }

  // blocking
  const rules: BlockingRuleConfig[] = [];
  let maxBucketSize = 1000;
  if (!isObj(doc.blocking)) bad('blocking', 'is required: an object with "rules"');
  else {
    unknownKeys(doc.blocking, 'blocking', ['rules', 'maxBucketSize']);
    maxBucketSize = num(doc.blocking, 'maxBucketSize', 'blocking.maxBucketSize', (x) => Number.isInteger(x) && x >= 2, 'a whole number ≥ 2') ?? 1000;
    const list = doc.blocking.rules;
    if (!Array.isArray(list) || list.length === 0 || list.length > 32) bad('blocking.rules', 'must be a list of 1 to 32 rules');
    else {
      list.forEach((r: unknown, i) => {
        const path = `blocking.rules[${i}]`;
        if (!isObj(r)) return bad(path, 'must be an object');
        unknownKeys(r, path, ['name', 'keys']);
        const keys: BlockingKeySpec[] = [];
        if (!Array.isArray(r.keys) || r.keys.length === 0) bad(`${path}.keys`, 'must be a non-empty list');
        else {
          r.keys.forEach((key: unknown, j) => {
            const kp = `${path}.keys[${j}]`;
            if (!isObj(key)) return bad(kp, 'must be an object');
            unknownKeys(key, kp, ['column', 'transform', 'length', 'format']);
            const column = str(key, 'column', `${kp}.column`, true);
            const transform = str(key, 'transform', `${kp}.transform`, false) ?? 'value';
            if (!(KEY_TRANSFORMS as readonly string[]).includes(transform)) bad(`${kp}.transform`, `unknown transform "${transform}" (expected one of ${KEY_TRANSFORMS.join(', ')})`);
            const length = num(key, 'length', `${kp}.length`, (x) => Number.isInteger(x) && x >= 1, 'a whole number ≥ 1');
            if (length !== undefined && transform !== 'prefix') bad(`${kp}.length`, 'applies only to the prefix transform');
            const format = str(key, 'format', `${kp}.format`, false);
            if (format !== undefined && !(DATE_FORMATS as readonly string[]).includes(format)) bad(`${kp}.format`, `must be one of ${DATE_FORMATS.join(', ')}`);
            if (column !== undefined) {
              keys.push({ column, transform: transform as KeyTransform, ...(length === undefined ? {} : { length }), ...(format === undefined ? {} : { format: format as DateFormat }) });
            }
          });
        }
        const name = str(r, 'name', `${path}.name`, false) ?? keys.map((k) => (k.transform === 'value' ? k.column : `${k.transform}(${k.column})`)).join(' + ');
        rules.push({ name, keys });
      });
    }
  }

  const threshold = num(doc, 'threshold', 'threshold', (x) => x > 0 && x < 1, 'a probability strictly between 0 and 1') ?? 0.5;
  const prior = num(doc, 'prior', 'prior', (x) => x > 0 && x < 1, 'a probability strictly between 0 and 1');

  let training: LinkConfig['training'] = { randomPairs: 1_000_000, maxIterations: 100, tolerance: 1e-6, seed: 20261129 };
  if (doc.training !== undefined) {
    if (!isObj(doc.training)) bad('training', 'must be an object');
    else {
      const t = doc.training;
      unknownKeys(t, 'training', ['randomPairs', 'maxIterations', 'tolerance', 'seed', 'labelColumn']);
      const labelColumn = str(t, 'labelColumn', 'training.labelColumn', false);
      training = {
        randomPairs: num(t, 'randomPairs', 'training.randomPairs', (x) => Number.isInteger(x) && x >= 1000, 'a whole number ≥ 1000') ?? training.randomPairs,
        maxIterations: num(t, 'maxIterations', 'training.maxIterations', (x) => Number.isInteger(x) && x >= 1, 'a whole number ≥ 1') ?? training.maxIterations,
        tolerance: num(t, 'tolerance', 'training.tolerance', (x) => x > 0, 'positive') ?? training.tolerance,
        seed: num(t, 'seed', 'training.seed', Number.isSafeInteger, 'a whole number') ?? training.seed,
        ...(labelColumn === undefined ? {} : { labelColumn }),
      };
    }
  }

  let clustering = { strongThreshold: Math.max(threshold, 0.99), maxClusterSize: 50 };
  if (doc.clustering !== undefined) {
    if (!isObj(doc.clustering)) bad('clustering', 'must be an object');
    else {
      unknownKeys(doc.clustering, 'clustering', ['strongThreshold', 'maxClusterSize']);
      clustering = {
        strongThreshold: num(doc.clustering, 'strongThreshold', 'clustering.strongThreshold', (x) => x >= threshold && x < 1, `a probability from threshold (${threshold}) to below 1`) ?? clustering.strongThreshold,
        maxClusterSize: num(doc.clustering, 'maxClusterSize', 'clustering.maxClusterSize', (x) => Number.isInteger(x) && x >= 2, 'a whole number ≥ 2') ?? clustering.maxClusterSize,
      };
    }
  }

  if (problems.length > 0) throw new LinkConfigError(problems);
  return { ...(idColumn === undefined ? {} : { idColumn }), csv, fields, blocking: { rules, maxBucketSize }, threshold, ...(prior === undefined ? {} : { prior }), training, clustering };
}

/** Every column the configuration reads (fields, blocking keys, id, training labels). */
export function configColumns(config: LinkConfig): string[] {
  const cols = new Set<string>();
  if (config.idColumn !== undefined) cols.add(config.idColumn);
  for (const f of config.fields) cols.add(f.column);
  for (const r of config.blocking.rules) for (const k of r.keys) cols.add(k.column);
  if (config.training.labelColumn !== undefined) cols.add(config.training.labelColumn);
  return [...cols];
}
