/**
 * Duplicate and multi-source assistance (避免重复救助或多头救助), four rules over the ledger:
 *
 * - `dibao_two_places`: one person receives basic living assistance (dibao or extreme-poverty
 *   support) from two counties in overlapping periods;
 * - `multi_provider`: one need category of a household is funded by two providers of the same
 *   sector (two departments, or two charities) in overlapping periods;
 * - `over_cap`: government and charity pay for the same need of a household in overlapping
 *   periods and together pay more than the policy cap (`duplicate_assistance_cap_ratio` × the cost);
 * - `after_death`: a person recorded as dead receives help for a period that starts after the
 *   date of death.
 *
 * Pure: the entries, the people's dates of death and the cap are passed in. Each finding carries a
 * `groupKey` (what it is about: stable while new records arrive) and an `evidenceKey` (exactly
 * which records): a finding judged a false positive is not raised again for the same evidence.
 */
import { dayNumber } from '../dates/dates.js';
import { BASIC_LIVING_PROGRAMMES, sectorOf, type LedgerEntry, type NeedCategory } from './model.js';

export const FINDING_KINDS = ['dibao_two_places', 'multi_provider', 'over_cap', 'after_death'] as const;
export type FindingKind = (typeof FINDING_KINDS)[number];

export interface Finding {
  kind: FindingKind;
  groupKey: string;
  evidenceKey: string;
  householdId: string;
  personId: string | null;
  needCategory: NeedCategory | null;
  /** The records involved, sorted by id. */
  entryIds: string[];
  /** The overlapping (or after-death) period. */
  overlap: { start: string; end: string; days: number };
  /** Sum of the amounts of the records involved. */
  totalFen: number;
  /** The amount the auditor may ask back (suggested; the auditor sets the recovery amount). */
  excessFen: number;
  /** Rule-specific numbers: counties, providers, the cap, the cost, the date of death. */
  detail: Record<string, string | number | null>;
}

export interface DetectInput {
  entries: readonly LedgerEntry[];
  /** Date of death by person id (people not listed are alive). */
  deceasedOn: ReadonlyMap<string, string>;
  /** The cap ratio in force for a household on a date. */
  capRatio: (householdId: string, date: string) => number;
}

interface Span {
  s: number;
  e: number;
}
const span = (x: LedgerEntry): Span => ({ s: dayNumber(x.periodStart), e: dayNumber(x.periodEnd) });
const fromDay = (d: number): string => new Date(d * 86_400_000).toISOString().slice(0, 10);

/** Whether two entries' closed periods share at least one day. */
export function overlaps(a: Pick<LedgerEntry, 'periodStart' | 'periodEnd'>, b: Pick<LedgerEntry, 'periodStart' | 'periodEnd'>): boolean {
  return a.periodStart <= b.periodEnd && b.periodStart <= a.periodEnd;
}

/** Merged, sorted closed intervals. */
function union(spans: Span[]): Span[] {
  const sorted = [...spans].sort((a, b) => a.s - b.s || a.e - b.e);
  const out: Span[] = [];
  for (const x of sorted) {
    const last = out[out.length - 1];
    if (last && x.s <= last.e + 1) last.e = Math.max(last.e, x.e);
    else out.push({ ...x });
  }
  return out;
}

/** Days of `x` covered by the union `u`. */
function coveredDays(x: Span, u: readonly Span[]): number {
  let d = 0;
  for (const y of u) d += Math.max(0, Math.min(x.e, y.e) - Math.max(x.s, y.s) + 1);
  return d;
}

/** The intersection of two unions, as one enclosing range and its day count. */
function sharedRange(a: readonly Span[], b: readonly Span[]): { start: string; end: string; days: number } | null {
  let days = 0;
  let lo = Infinity;
  let hi = -Infinity;
  for (const x of a) {
    for (const y of b) {
      const s = Math.max(x.s, y.s);
      const e = Math.min(x.e, y.e);
      if (e >= s) {
        days += e - s + 1;
        lo = Math.min(lo, s);
        hi = Math.max(hi, e);
      }
    }
  }
  return days === 0 ? null : { start: fromDay(lo), end: fromDay(hi), days };
}

/** Prorated part of an entry's amount for `days` of its period. */
const prorate = (x: LedgerEntry, days: number): number => {
  const total = dayNumber(x.periodEnd) - dayNumber(x.periodStart) + 1;
  return Math.round((x.amountFen * Math.min(days, total)) / total);
};

const ids = (xs: readonly LedgerEntry[]): string[] => xs.map((x) => x.id).sort();
const sum = (xs: readonly LedgerEntry[]): number => xs.reduce((t, x) => t + x.amountFen, 0);

function groupBy<T>(xs: readonly T[], key: (x: T) => string | null): Map<string, T[]> {
  const m = new Map<string, T[]>();
  for (const x of xs) {
    const k = key(x);
    if (k === null) continue;
    const g = m.get(k);
    if (g) g.push(x);
    else m.set(k, [x]);
  }
  return m;
}

/**
 * Two sides of entries that overlap: the entries of each side that overlap some entry of the
 * other, the shared range, and the prorated amount of side B over the days side A covers.
 */
function twoSides(a: readonly LedgerEntry[], b: readonly LedgerEntry[]): { a: LedgerEntry[]; b: LedgerEntry[]; overlap: { start: string; end: string; days: number }; excessFen: number } | null {
  const ia = a.filter((x) => b.some((y) => overlaps(x, y)));
  const ib = b.filter((y) => a.some((x) => overlaps(x, y)));
  if (ia.length === 0) return null;
  const ua = union(ia.map(span));
  const overlap = sharedRange(ua, union(ib.map(span)));
  if (overlap === null) return null;
  const excessFen = ib.reduce((t, y) => t + prorate(y, coveredDays(span(y), ua)), 0);
  return { a: ia, b: ib, overlap, excessFen };
}

/** Rule (a): basic living assistance for one person from two counties at once. */
function dibaoTwoPlaces(entries: readonly LedgerEntry[]): Finding[] {
  const out: Finding[] = [];
  const basic = entries.filter((x) => x.personId !== null && BASIC_LIVING_PROGRAMMES.includes(x.programme));
  for (const [person, xs] of groupBy(basic, (x) => x.personId)) {
    const counties = [...new Set(xs.map((x) => x.providerRegion))].sort();
    for (let i = 0; i < counties.length; i++) {
      for (let j = i + 1; j < counties.length; j++) {
        const A = xs.filter((x) => x.providerRegion === counties[i]);
        const B = xs.filter((x) => x.providerRegion === counties[j]);
        const r = twoSides(A, B);
        if (!r) continue;
        const all = [...r.a, ...r.b];
        // The smaller side's overlapping amount is what was paid twice.
        const reverse = twoSides(B, A)!;
        out.push({
          kind: 'dibao_two_places', groupKey: `dibao_two_places|${person}|${counties[i]}|${counties[j]}`, evidenceKey: `dibao_two_places|${ids(all).join(',')}`,
          householdId: xs[0]!.householdId, personId: person, needCategory: 'basic_living', entryIds: ids(all), overlap: r.overlap,
          totalFen: sum(all), excessFen: Math.min(r.excessFen, reverse.excessFen),
          detail: { countyA: counties[i]!, countyB: counties[j]!, recordsA: r.a.length, recordsB: r.b.length },
        });
      }
    }
  }
  return out;
}

/** Rule (b): one need of a household funded by two providers of the same sector at once. */
function multiProvider(entries: readonly LedgerEntry[]): Finding[] {
  const out: Finding[] = [];
  for (const [, xs] of groupBy(entries, (x) => `${x.householdId}|${x.needCategory}|${sectorOf(x.programme)}`)) {
    const providers = [...new Set(xs.map((x) => x.provider))].sort();
    for (let i = 0; i < providers.length; i++) {
      for (let j = i + 1; j < providers.length; j++) {
        const A = xs.filter((x) => x.provider === providers[i]);
        const B = xs.filter((x) => x.provider === providers[j]);
        const r = twoSides(A, B);
        if (!r) continue;
        const all = [...r.a, ...r.b];
        const reverse = twoSides(B, A)!;
        const h = xs[0]!;
        out.push({
          kind: 'multi_provider', groupKey: `multi_provider|${h.householdId}|${h.needCategory}|${providers[i]}|${providers[j]}`, evidenceKey: `multi_provider|${ids(all).join(',')}`,
          householdId: h.householdId, personId: null, needCategory: h.needCategory, entryIds: ids(all), overlap: r.overlap,
          totalFen: sum(all), excessFen: Math.min(r.excessFen, reverse.excessFen),
          detail: { sector: sectorOf(h.programme), providerA: providers[i]!, providerB: providers[j]! },
        });
      }
    }
  }
  return out;
}

/** Rule (c): government and charity together beyond the cap on the cost of the same need. */
function overCap(entries: readonly LedgerEntry[], capRatio: DetectInput['capRatio']): Finding[] {
  const out: Finding[] = [];
  for (const [, xs] of groupBy(entries, (x) => `${x.householdId}|${x.needCategory}`)) {
    const gov = xs.filter((x) => sectorOf(x.programme) === 'government');
    const charity = xs.filter((x) => sectorOf(x.programme) === 'charity');
    if (gov.length === 0 || charity.length === 0) continue;
    const r = twoSides(gov, charity);
    if (!r) continue;
    const all = [...r.a, ...r.b];
    const basis = all.reduce<number | null>((m, x) => (x.basisFen === null ? m : Math.max(m ?? 0, x.basisFen)), null);
    if (basis === null) continue;
    const h = all[0]!;
    const ratio = capRatio(h.householdId, r.overlap.start);
    const cap = Math.floor(basis * ratio);
    const total = sum(all);
    if (total <= cap) continue;
    out.push({
      kind: 'over_cap', groupKey: `over_cap|${h.householdId}|${h.needCategory}|${r.overlap.start}`, evidenceKey: `over_cap|${ids(all).join(',')}`,
      householdId: h.householdId, personId: null, needCategory: h.needCategory, entryIds: ids(all), overlap: r.overlap,
      totalFen: total, excessFen: total - cap,
      detail: { governmentFen: sum(r.a), charityFen: sum(r.b), basisFen: basis, capRatio: ratio, capFen: cap },
    });
  }
  return out;
}

/** Rule (d): help for a period that starts after the person's recorded date of death. */
function afterDeath(entries: readonly LedgerEntry[], deceasedOn: ReadonlyMap<string, string>): Finding[] {
  const out: Finding[] = [];
  for (const [person, xs] of groupBy(entries, (x) => x.personId)) {
    const died = deceasedOn.get(person);
    if (died === undefined) continue;
    const after = xs.filter((x) => x.periodStart > died);
    if (after.length === 0) continue;
    const u = union(after.map(span));
    const days = u.reduce((t, y) => t + y.e - y.s + 1, 0);
    out.push({
      kind: 'after_death', groupKey: `after_death|${person}`, evidenceKey: `after_death|${ids(after).join(',')}`,
      householdId: after[0]!.householdId, personId: person, needCategory: null, entryIds: ids(after),
      overlap: { start: fromDay(u[0]!.s), end: fromDay(u[u.length - 1]!.e), days },
      totalFen: sum(after), excessFen: sum(after), detail: { deceasedOn: died, records: after.length },
    });
  }
  return out;
}

/**
 * One finding per group key (one open finding per group, a unique index): the same pair of
 * providers can duplicate one need in both sectors (a department that also gives as a charity),
 * and `multi_provider`'s group key does not name the sector. Such findings are merged: the records
 * of both, the enclosing overlap (its days summed, at most its length), the totals and the
 * suggested amounts added, the sectors listed.
 */
function onePerGroup(findings: readonly Finding[]): Finding[] {
  const by = new Map<string, Finding>();
  for (const f of findings) {
    const g = by.get(f.groupKey);
    if (!g) {
      by.set(f.groupKey, f);
      continue;
    }
    const entryIds = [...new Set([...g.entryIds, ...f.entryIds])].sort();
    const start = g.overlap.start < f.overlap.start ? g.overlap.start : f.overlap.start;
    const end = g.overlap.end > f.overlap.end ? g.overlap.end : f.overlap.end;
    const days = Math.min(g.overlap.days + f.overlap.days, dayNumber(end) - dayNumber(start) + 1);
    const detail = { ...f.detail, ...g.detail };
    if (g.detail.sector !== undefined && f.detail.sector !== undefined && g.detail.sector !== f.detail.sector) detail.sector = [...new Set(`${g.detail.sector},${f.detail.sector}`.split(','))].sort().join(',');
    by.set(f.groupKey, {
      ...g, evidenceKey: `${g.kind}|${entryIds.join(',')}`, entryIds, overlap: { start, end, days },
      totalFen: g.totalFen + f.totalFen, excessFen: g.excessFen + f.excessFen, detail,
    });
  }
  return [...by.values()];
}

/** Every finding of the four kinds, one per group key, in a stable order (kind, then group key). */
export function detectFindings(input: DetectInput): Finding[] {
  const all = onePerGroup([
    ...dibaoTwoPlaces(input.entries),
    ...multiProvider(input.entries),
    ...overCap(input.entries, input.capRatio),
    ...afterDeath(input.entries, input.deceasedOn),
  ]);
  const order = (k: FindingKind): number => FINDING_KINDS.indexOf(k);
  return all.sort((a, b) => order(a.kind) - order(b.kind) || (a.groupKey < b.groupKey ? -1 : a.groupKey > b.groupKey ? 1 : 0));
}
