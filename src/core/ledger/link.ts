/**
 * Linking ledger records to registry members with the record-linkage engine (src/core/linkage):
 * the exact ID number first (done by the caller in SQL), then, for the rest, a Fellegi–Sunter
 * match on name (characters and pinyin), birth date, ID number (typos: one slip, one valid) and
 * county. The birth date of a record comes from its ID number (digits 7–14), as department systems
 * give nothing else; a mistyped birth digit is then caught by the date comparator's "one typo".
 */
import { parseLinkConfig, runLinkage, type LinkConfig } from '../linkage/index.js';
import type { LinkEvidence } from './model.js';

export interface LinkPerson {
  /** Record key (ledger side) or member id (registry side). */
  key: string;
  name: string;
  idNumber: string;
  /** YYYY-MM-DD; for a ledger record, read from the ID number (may be null when unreadable). */
  birthDate: string | null;
  /** 6-digit county. */
  county: string;
}

/** Match probability at or above which a record is linked; below it stays "unlinked" for review. */
export const LINK_THRESHOLD = 0.9;

const CONFIG: LinkConfig = parseLinkConfig({
  description: 'ledger records (department systems) against registry members',
  idColumn: 'key',
  fields: [
    { column: 'name', comparator: 'chineseName' },
    { column: 'id_number', comparator: 'residentId' },
    { column: 'birth_date', comparator: 'date', format: 'YYYY-MM-DD', withinDays: 0 },
    { column: 'county', comparator: 'exact' },
  ],
  blocking: {
    rules: [
      { name: 'ID number: county and birth date', keys: [{ column: 'id_number', transform: 'prefix', length: 14 }] },
      { name: 'pinyin of name + birth year', keys: [{ column: 'name', transform: 'pinyin' }, { column: 'birth_date', transform: 'year', format: 'YYYY-MM-DD' }] },
      { name: 'pinyin of name + county', keys: [{ column: 'name', transform: 'pinyin' }, { column: 'county' }] },
    ],
    maxBucketSize: 500,
  },
  threshold: LINK_THRESHOLD,
});

/** The birth date digits of an ID number as a date (or null). */
export function birthDateOfId(id: string): string | null {
  const d = `${id.slice(6, 10)}-${id.slice(10, 12)}-${id.slice(12, 14)}`;
  return /^\d{4}-\d{2}-\d{2}$/.test(d) ? d : null;
}

export interface LinkOutcome {
  /** Linked records: record key → member key and the evidence. */
  links: Map<string, { memberKey: string; evidence: LinkEvidence }>;
  candidatePairs: number;
  warnings: string[];
}

/**
 * Links each record to at most one member: the best-scoring candidate at or above the threshold.
 * λ is fixed at 1 / members (each record is expected to be one registry person).
 */
export function linkRecords(records: readonly LinkPerson[], members: readonly LinkPerson[]): LinkOutcome {
  if (records.length === 0 || members.length === 0) return { links: new Map(), candidatePairs: 0, warnings: [] };
  const table = (xs: readonly LinkPerson[]) => ({
    header: ['key', 'name', 'id_number', 'birth_date', 'county'],
    rows: xs.map((x) => [x.key, x.name, x.idNumber, x.birthDate ?? '', x.county]),
  });
  const config: LinkConfig = { ...CONFIG, prior: Math.min(0.5, 1 / members.length), training: { ...CONFIG.training, randomPairs: Math.min(CONFIG.training.randomPairs, 200_000) } };
  const run = runLinkage({ config, left: table(records), right: table(members) });
  const best = new Map<number, number>();
  for (let p = 0; p < run.pairs.count; p++) {
    if (run.probability(p) < LINK_THRESHOLD) continue;
    const l = run.pairs.left[p]!;
    const cur = best.get(l);
    if (cur === undefined || run.weight[p]! > run.weight[cur]!) best.set(l, p);
  }
  const links = new Map<string, { memberKey: string; evidence: LinkEvidence }>();
  for (const [l, p] of best) {
    links.set(run.ids[l]!, {
      memberKey: run.ids[run.pairs.right[p]!]!,
      evidence: { method: 'probabilistic', probability: run.probability(p), fields: run.explain(p).map((f) => ({ field: f.field, levelName: f.levelName, weight: Math.round(f.weight * 100) / 100 })) },
    });
  }
  return { links, candidatePairs: run.pairs.count, warnings: run.warnings };
}
