/**
 * What the monitoring run needs of a household, reduced from its records: the members, income
 * pro-rated to the reference and recent windows and summed per (category, subtype), monetary
 * assets, rigid and recent medical spending, recent emergencies. The database computes this in
 * bulk (db/repositories/monitoring.repository.ts); `monitoringInputOf` is the same reduction over
 * a household object, which tests hold the database's result equal to. The rules — which subtypes
 * are excluded or deducted, the six dimensions, the triggers — stay here, applied to these sums.
 */
import { addMonths, dayNumber, fromDayNumber } from '../dates/dates.js';
import { MONETARY_ASSET_KINDS, type Household } from '../household/household.js';
import { prorateFen } from '../means-test/facts.js';
import type { PolicyParameters } from '../policy/parameters.js';

export interface MonitoringMember {
  id: string;
  relation: string;
  birthDate: string;
  disabilityGrade: number;
  seriousIllness: boolean;
  labourCapacity: 'full' | 'partial' | 'none';
  deceasedOn: string | null;
}

/** Income of one category and subtype, pro-rated by day to each window and summed (whole fen). */
export interface IncomeSum {
  category: string;
  subtype: string;
  windowFen: number;
  recentFen: number;
}

export interface MonitoringInput {
  members: MonitoringMember[];
  /** Records of living members and household-level records only, one entry per (category, subtype). */
  incomeSums: IncomeSum[];
  /** A social-assistance payment whose period reaches into the recent window. */
  receivingAssistance: boolean;
  monetaryAssetsFen: number;
  /** Medical, education, rehabilitation and accident spending over the reference window. */
  rigidExpenditureFen: number;
  /** Medical spending over the recent window. */
  recentMedicalFen: number;
  /** Emergencies in the event window, most recent first (same day: by kind). */
  recentEmergencies: string[];
}

/** First days (inclusive) of the windows a monitoring date uses, as ISO dates. */
export interface FactWindows {
  /** The income reference period: `incomeReferenceMonths` back, exclusive of that day. */
  referenceFirst: string;
  /** The recent (temporary-assistance) window: `temporaryExpenditureMonths` back. */
  recentFirst: string;
  /** The emergency window: `temporaryEventWindowDays` back. */
  eventFirst: string;
  /** The suspected-population look-back: `suspectedLookbackMonths` back. */
  lookbackFirst: string;
}

export const RIGID_CATEGORIES = ['medical', 'education', 'rehabilitation', 'accident'] as const;

export function factWindows(
  p: Pick<PolicyParameters, 'incomeReferenceMonths' | 'temporaryExpenditureMonths' | 'temporaryEventWindowDays' | 'suspectedLookbackMonths'>,
  asOf: string,
): FactWindows {
  const asOfDay = dayNumber(asOf);
  return {
    referenceFirst: fromDayNumber(dayNumber(addMonths(asOf, -p.incomeReferenceMonths)) + 1),
    recentFirst: fromDayNumber(dayNumber(addMonths(asOf, -p.temporaryExpenditureMonths)) + 1),
    eventFirst: fromDayNumber(asOfDay - p.temporaryEventWindowDays + 1),
    lookbackFirst: fromDayNumber(dayNumber(addMonths(asOf, -p.suspectedLookbackMonths)) + 1),
  };
}

const isLiving = (m: { deceasedOn?: string | null }, asOf: string): boolean => m.deceasedOn == null || m.deceasedOn > asOf;

/** The monitoring input of one household object (the reference the bulk database form is tested against). */
export function monitoringInputOf(h: Household, w: FactWindows, asOf: string): MonitoringInput {
  const asOfDay = dayNumber(asOf);
  const refDay = dayNumber(w.referenceFirst);
  const recentDay = dayNumber(w.recentFirst);
  const living = new Set(h.members.filter((m) => isLiving(m, asOf)).map((m) => m.id));
  const sums = new Map<string, IncomeSum>();
  let receiving = false;
  for (const r of h.incomes) {
    const s = dayNumber(r.periodStart);
    const e = dayNumber(r.periodEnd);
    if (r.subtype === 'social_assistance' && e >= recentDay && s <= asOfDay) receiving = true;
    if (r.memberId != null && !living.has(r.memberId)) continue;
    const key = `${r.category}\u0000${r.subtype}`;
    let sum = sums.get(key);
    if (!sum) sums.set(key, (sum = { category: r.category, subtype: r.subtype, windowFen: 0, recentFen: 0 }));
    sum.windowFen += prorateFen(r.amountFen, s, e, refDay, asOfDay);
    sum.recentFen += prorateFen(r.amountFen, s, e, recentDay, asOfDay);
  }
  let monetaryAssetsFen = 0;
  for (const a of h.assets) if (a.asOf <= asOf && MONETARY_ASSET_KINDS.includes(a.kind)) monetaryAssetsFen += a.valueFen;
  let rigidExpenditureFen = 0;
  let recentMedicalFen = 0;
  for (const x of h.expenditures) {
    if (!(RIGID_CATEGORIES as readonly string[]).includes(x.category)) continue;
    const s = dayNumber(x.periodStart);
    const e = dayNumber(x.periodEnd);
    rigidExpenditureFen += prorateFen(x.amountFen, s, e, refDay, asOfDay);
    if (x.category === 'medical') recentMedicalFen += prorateFen(x.amountFen, s, e, recentDay, asOfDay);
  }
  const recentEmergencies = h.emergencies
    .filter((ev) => ev.occurredOn >= w.eventFirst && ev.occurredOn <= asOf)
    .sort((a, b) => (a.occurredOn === b.occurredOn ? (a.kind < b.kind ? -1 : a.kind > b.kind ? 1 : 0) : a.occurredOn < b.occurredOn ? 1 : -1))
    .map((ev) => ev.kind);
  return {
    members: h.members.map((m) => ({
      id: m.id, relation: m.relation, birthDate: m.birthDate, disabilityGrade: m.disabilityGrade, seriousIllness: m.seriousIllness,
      labourCapacity: m.labourCapacity, deceasedOn: m.deceasedOn ?? null,
    })),
    incomeSums: [...sums.values()].filter((s) => s.windowFen !== 0 || s.recentFen !== 0),
    receivingAssistance: receiving,
    monetaryAssetsFen,
    rigidExpenditureFen,
    recentMedicalFen,
    recentEmergencies,
  };
}

/**
 * Counted household income over the reference window (the means test's rule: excluded subtypes do
 * not count, listed deductions are taken off, never below 0) and the wages part of it.
 */
export function countedIncome(sums: readonly IncomeSum[], p: Pick<PolicyParameters, 'incomeExclusions' | 'incomeDeductions'>): { householdIncomeFen: number; wagesFen: number } {
  let gross = 0;
  let deductions = 0;
  let wages = 0;
  for (const s of sums) {
    if (s.category === 'deduction') {
      if (p.incomeDeductions.includes(s.subtype)) deductions += s.windowFen;
    } else if (!p.incomeExclusions.includes(s.subtype)) {
      gross += s.windowFen;
      if (s.category === 'wages') wages += s.windowFen;
    }
  }
  return { householdIncomeFen: Math.max(0, gross - deductions), wagesFen: wages };
}

/** Living members on the date. */
export const livingMembers = (members: readonly MonitoringMember[], asOf: string): MonitoringMember[] => members.filter((m) => isLiving(m, asOf));
