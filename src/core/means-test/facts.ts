/**
 * Step one of the means test: reduce a household's records to the numbers the rules use
 * (民政部《最低生活保障审核确认办法》2021: income over a reference period, assets, expenditure).
 */
import { addMonths, dayNumber, fromDayNumber, fullYears, overlapDays } from '../dates/dates.js';
import {
  MONETARY_ASSET_KINDS,
  type EmergencyKind,
  type Household,
  type IncomeCategory,
  type Member,
} from '../household/household.js';
import type { PolicyParameters } from '../policy/parameters.js';

export interface HouseholdFacts {
  asOf: string;
  /** First and last day of the income reference period (inclusive). */
  periodStart: string;
  periodEnd: string;
  referenceMonths: number;
  /** Living members counted in the household. */
  members: number;
  incomeFen: Record<Exclude<IncomeCategory, 'deduction'>, number>;
  deductionsFen: number;
  excludedIncomeFen: number;
  /** Counted income over the reference period after exclusions and deductions, never below 0. */
  householdIncomeFen: number;
  monetaryAssetsFen: number;
  /** A member aged 60+, severely disabled or seriously ill: the higher asset limit applies. */
  hasVulnerableMember: boolean;
  /** Vehicles and boats that count against the vehicle rule. */
  countedVehicles: number;
  commercialProperties: number;
  residences: number;
  floorAreaM2: number;
  /** Medical + education + rehabilitation + accident spending over the reference period. */
  rigidExpenditureFen: number;
  medicalAccidentFen: number;
  membersWithoutLabourCapacity: number;
  hasAbleSupporter: boolean;
  /** Emergencies within the temporary-assistance window, most recent first. */
  recentEmergencies: EmergencyKind[];
  /** Rigid spending and counted income over the short temporary-assistance window. */
  recentRigidExpenditureFen: number;
  recentIncomeFen: number;
}

/** Pro-rates an amount to the days of its period inside a window, rounding half up to whole fen. */
export function prorateFen(amountFen: number, start: number, end: number, winStart: number, winEnd: number): number {
  const days = end - start + 1;
  if (days <= 0) return 0;
  const o = overlapDays(start, end, winStart, winEnd);
  if (o === days) return amountFen;
  return Math.floor((2 * amountFen * o + days) / (2 * days));
}

/** Whether a member lacks labour capacity on a date (《特困人员认定办法》2021, art. 7). */
export function lacksLabourCapacity(m: Member, asOf: string, p: PolicyParameters): boolean {
  const age = fullYears(m.birthDate, asOf);
  return (
    age >= p.elderlyAge ||
    age < p.minorAge ||
    (m.disabilityGrade > 0 && m.disabilityGrade <= p.severeDisabilityMaxGrade) ||
    m.labourCapacity === 'none'
  );
}

function isLiving(m: Member, asOfDay: number): boolean {
  return m.deceasedOn == null || dayNumber(m.deceasedOn) > asOfDay;
}

const RIGID = new Set(['medical', 'education', 'rehabilitation', 'accident']);

// Parameter lists are shared by every household under one parameter set: build each set once.
const sets = new WeakMap<readonly string[], ReadonlySet<string>>();
function setOf(list: readonly string[]): ReadonlySet<string> {
  let s = sets.get(list);
  if (!s) {
    s = new Set(list);
    sets.set(list, s);
  }
  return s;
}

/** Computes the means-test facts of a household on `asOf` under the given parameters. */
export function computeFacts(h: Household, p: PolicyParameters, asOf: string): HouseholdFacts {
  const asOfDay = dayNumber(asOf);
  const periodStart = addMonths(asOf, -p.incomeReferenceMonths);
  const winStart = dayNumber(periodStart) + 1;
  const recentStart = dayNumber(addMonths(asOf, -p.temporaryExpenditureMonths)) + 1;
  const living = h.members.filter((m) => isLiving(m, asOfDay));
  const livingIds = new Set(living.map((m) => m.id));
  const excluded = setOf(p.incomeExclusions);
  const deductible = setOf(p.incomeDeductions);

  const incomeFen = { wages: 0, business: 0, property: 0, transfer: 0 };
  let deductionsFen = 0;
  let excludedIncomeFen = 0;
  let recentGross = 0;
  let recentDeductions = 0;
  for (const r of h.incomes) {
    // Income of a member who has died no longer counts; household-level records always do.
    if (r.memberId != null && !livingIds.has(r.memberId)) continue;
    const s = dayNumber(r.periodStart);
    const e = dayNumber(r.periodEnd);
    const amount = prorateFen(r.amountFen, s, e, winStart, asOfDay);
    const recent = prorateFen(r.amountFen, s, e, recentStart, asOfDay);
    if (r.category === 'deduction') {
      if (deductible.has(r.subtype)) {
        deductionsFen += amount;
        recentDeductions += recent;
      }
    } else if (excluded.has(r.subtype)) {
      excludedIncomeFen += amount;
    } else {
      incomeFen[r.category] += amount;
      recentGross += recent;
    }
  }
  const gross = incomeFen.wages + incomeFen.business + incomeFen.property + incomeFen.transfer;

  let monetaryAssetsFen = 0;
  let countedVehicles = 0;
  let commercialProperties = 0;
  let residences = 0;
  let floorAreaM2 = 0;
  for (const a of h.assets) {
    if (dayNumber(a.asOf) > asOfDay) continue;
    if (MONETARY_ASSET_KINDS.includes(a.kind)) monetaryAssetsFen += a.valueFen;
    else if (a.kind === 'vehicle' || a.kind === 'boat') {
      if (!(a.kind === 'vehicle' && a.isDisabilityVehicle === true && p.disabilityVehicleExempt)) countedVehicles++;
    } else if (a.kind === 'commercial_property') commercialProperties++;
    else {
      residences++;
      floorAreaM2 += a.floorAreaM2 ?? 0;
    }
  }

  let rigidExpenditureFen = 0;
  let medicalAccidentFen = 0;
  let recentRigidExpenditureFen = 0;
  for (const x of h.expenditures) {
    if (!RIGID.has(x.category)) continue;
    const s = dayNumber(x.periodStart);
    const e = dayNumber(x.periodEnd);
    const amount = prorateFen(x.amountFen, s, e, winStart, asOfDay);
    rigidExpenditureFen += amount;
    if (x.category === 'medical' || x.category === 'accident') medicalAccidentFen += amount;
    recentRigidExpenditureFen += prorateFen(x.amountFen, s, e, recentStart, asOfDay);
  }

  const eventFrom = asOfDay - p.temporaryEventWindowDays;
  const recentEmergencies = h.emergencies
    .map((ev) => ({ kind: ev.kind, day: dayNumber(ev.occurredOn) }))
    .filter((ev) => ev.day > eventFrom && ev.day <= asOfDay)
    .sort((a, b) => b.day - a.day)
    .map((ev) => ev.kind);

  let withoutLabour = 0;
  let vulnerable = false;
  for (const m of living) {
    if (lacksLabourCapacity(m, asOf, p)) withoutLabour++;
    if (
      fullYears(m.birthDate, asOf) >= p.elderlyAge ||
      (m.disabilityGrade > 0 && m.disabilityGrade <= p.severeDisabilityMaxGrade) ||
      m.seriousIllness
    ) {
      vulnerable = true;
    }
  }

  return {
    asOf,
    periodStart: fromDayNumber(winStart),
    periodEnd: asOf,
    referenceMonths: p.incomeReferenceMonths,
    members: living.length,
    incomeFen,
    deductionsFen,
    excludedIncomeFen,
    householdIncomeFen: Math.max(0, gross - deductionsFen),
    monetaryAssetsFen,
    hasVulnerableMember: vulnerable,
    countedVehicles,
    commercialProperties,
    residences,
    floorAreaM2,
    rigidExpenditureFen,
    medicalAccidentFen,
    membersWithoutLabourCapacity: withoutLabour,
    hasAbleSupporter: h.hasAbleSupporter,
    recentEmergencies,
    recentRigidExpenditureFen,
    recentIncomeFen: Math.max(0, recentGross - recentDeductions),
  };
}

