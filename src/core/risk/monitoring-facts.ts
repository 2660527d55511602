/**
 * What the monitoring run needs of a household, reduced from its records: the living members and
 * their family-structure flags on the date, the income counted over the reference window
 * (pro-rated by day; the excluded subtypes and the deductions of the parameters in force applied),
 * monetary assets, rigid and recent medical spending, recent emergencies. The database computes this in bulk
 * (db/repositories/monitoring.repository.ts); `monitoringInputOf` is the same reduction over a
 * household object, which tests hold the database's result equal to. The rules — the six
 * dimensions, the triggers, the population groups — stay here, applied to these facts.
 */
import { addMonths, dayNumber, fromDayNumber } from '../dates/dates.js';
import { MONETARY_ASSET_KINDS, type Household } from '../household/household.js';
import { prorateFen } from '../means-test/facts.js';
import type { PolicyParameters } from '../policy/parameters.js';
import { familyFlagsOf } from './six-dimensions.js';

export interface MonitoringMember {
  id: string;
  relation: string;
  birthDate: string;
  disabilityGrade: number;
  seriousIllness: boolean;
  labourCapacity: 'full' | 'partial' | 'none';
  /** Deceased on or before the monitoring date. */
  deceased: boolean;
}

export interface MonitoringInput {
  /** Members living on the date. */
  livingMembers: number;
  /** Family-structure flags of the living members on the date (familyFlagsOf). */
  familyFlags: number;
  /**
   * Income over the reference window, of living members and the household: excluded subtypes do
   * not count, listed deductions are taken off, never below 0 (the means test's rule).
   */
  householdIncomeFen: number;
  /** The wages part of it (before deductions). */
  wagesFen: number;
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

/** What the reduction of one county depends on: the windows' first days (ISO dates) and the income lists in force. */
export interface FactWindows {
  /** The income reference period: `incomeReferenceMonths` back, exclusive of that day. */
  referenceFirst: string;
  /** The recent (temporary-assistance) window: `temporaryExpenditureMonths` back. */
  recentFirst: string;
  /** The emergency window: `temporaryEventWindowDays` back. */
  eventFirst: string;
  /** The suspected-population look-back: `suspectedLookbackMonths` back. */
  lookbackFirst: string;
  /** Income subtypes that do not count. */
  incomeExclusions: readonly string[];
  /** Deduction subtypes that are taken off. */
  incomeDeductions: readonly string[];
  /** The family-structure flags' ages and disability grade. */
  family: Pick<PolicyParameters, 'elderlyAge' | 'minorAge' | 'severeDisabilityMaxGrade'>;
}

export const RIGID_CATEGORIES = ['medical', 'education', 'rehabilitation', 'accident'] as const;

export function factWindows(
  p: Pick<
    PolicyParameters,
    'incomeReferenceMonths' | 'temporaryExpenditureMonths' | 'temporaryEventWindowDays' | 'suspectedLookbackMonths' | 'incomeExclusions' | 'incomeDeductions' | 'elderlyAge' | 'minorAge' | 'severeDisabilityMaxGrade'
  >,
  asOf: string,
): FactWindows {
  const asOfDay = dayNumber(asOf);
  return {
    referenceFirst: fromDayNumber(dayNumber(addMonths(asOf, -p.incomeReferenceMonths)) + 1),
    recentFirst: fromDayNumber(dayNumber(addMonths(asOf, -p.temporaryExpenditureMonths)) + 1),
    eventFirst: fromDayNumber(asOfDay - p.temporaryEventWindowDays + 1),
    lookbackFirst: fromDayNumber(dayNumber(addMonths(asOf, -p.suspectedLookbackMonths)) + 1),
    incomeExclusions: p.incomeExclusions,
    incomeDeductions: p.incomeDeductions,
    family: { elderlyAge: p.elderlyAge, minorAge: p.minorAge, severeDisabilityMaxGrade: p.severeDisabilityMaxGrade },
  };
}

const isLiving = (m: { deceasedOn?: string | null }, asOf: string): boolean => m.deceasedOn == null || m.deceasedOn > asOf;

/** The monitoring input of one household object (the reference the bulk database form is tested against). */
export function monitoringInputOf(h: Household, w: FactWindows, asOf: string): MonitoringInput {
  const asOfDay = dayNumber(asOf);
  const refDay = dayNumber(w.referenceFirst);
  const recentDay = dayNumber(w.recentFirst);
  const living = new Set(h.members.filter((m) => isLiving(m, asOf)).map((m) => m.id));
  let gross = 0;
  let deductions = 0;
  let wagesFen = 0;
  let receiving = false;
  for (const r of h.incomes) {
    const s = dayNumber(r.periodStart);
    const e = dayNumber(r.periodEnd);
    if (r.subtype === 'social_assistance' && e >= recentDay && s <= asOfDay) receiving = true;
    if (r.memberId != null && !living.has(r.memberId)) continue;
    const fen = prorateFen(r.amountFen, s, e, refDay, asOfDay);
    if (r.category === 'deduction') {
      if (w.incomeDeductions.includes(r.subtype)) deductions += fen;
    } else if (!w.incomeExclusions.includes(r.subtype)) {
      gross += fen;
      if (r.category === 'wages') wagesFen += fen;
    }
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
    livingMembers: living.size,
    familyFlags: familyFlagsOf(h.members, asOf, w.family),
    householdIncomeFen: Math.max(0, gross - deductions),
    wagesFen,
    receivingAssistance: receiving,
    monetaryAssetsFen,
    rigidExpenditureFen,
    recentMedicalFen,
    recentEmergencies,
  };
}

