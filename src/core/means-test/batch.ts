/**
 * The batch form of the classifier: many households at once, on columns (typed arrays) instead of
 * objects, one fused pass, no trace. It must give the same category, flags, payment and per-capita
 * income as `classifyFacts` (a property test holds both to it); a stored result is re-explained by
 * running `classifyFacts` on its stored facts.
 */
import { CATEGORIES, TEMPORARY_FLAGS, type Category, type TemporaryFlag } from './classify.js';
import type { HouseholdFacts } from './facts.js';
import type { Thresholds } from './thresholds.js';

/** Means-test facts of n households, one typed array per field. */
export interface FactColumns {
  length: number;
  /** Index into the thresholds table passed to `classifyBatch`. */
  paramIndex: Uint16Array;
  members: Uint8Array;
  referenceMonths: Uint8Array;
  householdIncomeFen: Float64Array;
  monetaryAssetsFen: Float64Array;
  hasVulnerableMember: Uint8Array;
  countedVehicles: Uint8Array;
  commercialProperties: Uint8Array;
  residences: Uint8Array;
  floorAreaM2: Float64Array;
  rigidExpenditureFen: Float64Array;
  medicalAccidentFen: Float64Array;
  membersWithoutLabourCapacity: Uint8Array;
  hasAbleSupporter: Uint8Array;
  recentEmergencies: Uint8Array;
  recentRigidExpenditureFen: Float64Array;
  recentIncomeFen: Float64Array;
}

export interface BatchResult {
  /** Index into CATEGORIES. */
  category: Uint8Array;
  /** Bit i set = TEMPORARY_FLAGS[i]. */
  flags: Uint8Array;
  paymentFen: Float64Array;
  perCapitaMonthlyIncomeFen: Float64Array;
}

/** Allocates empty columns for n households. */
export function allocateFactColumns(n: number): FactColumns {
  return {
    length: n,
    paramIndex: new Uint16Array(n),
    members: new Uint8Array(n),
    referenceMonths: new Uint8Array(n),
    householdIncomeFen: new Float64Array(n),
    monetaryAssetsFen: new Float64Array(n),
    hasVulnerableMember: new Uint8Array(n),
    countedVehicles: new Uint8Array(n),
    commercialProperties: new Uint8Array(n),
    residences: new Uint8Array(n),
    floorAreaM2: new Float64Array(n),
    rigidExpenditureFen: new Float64Array(n),
    medicalAccidentFen: new Float64Array(n),
    membersWithoutLabourCapacity: new Uint8Array(n),
    hasAbleSupporter: new Uint8Array(n),
    recentEmergencies: new Uint8Array(n),
    recentRigidExpenditureFen: new Float64Array(n),
    recentIncomeFen: new Float64Array(n),
  };
}

const sat = (v: number): number => Math.min(v, 255);

/** Writes one household's facts into row i of the columns. */
export function setFactRow(c: FactColumns, i: number, f: HouseholdFacts, paramIndex: number): void {
  c.paramIndex[i] = paramIndex;
  c.members[i] = sat(f.members);
  c.referenceMonths[i] = f.referenceMonths;
  c.householdIncomeFen[i] = f.householdIncomeFen;
  c.monetaryAssetsFen[i] = f.monetaryAssetsFen;
  c.hasVulnerableMember[i] = f.hasVulnerableMember ? 1 : 0;
  c.countedVehicles[i] = sat(f.countedVehicles);
  c.commercialProperties[i] = sat(f.commercialProperties);
  c.residences[i] = sat(f.residences);
  c.floorAreaM2[i] = f.floorAreaM2;
  c.rigidExpenditureFen[i] = f.rigidExpenditureFen;
  c.medicalAccidentFen[i] = f.medicalAccidentFen;
  c.membersWithoutLabourCapacity[i] = sat(f.membersWithoutLabourCapacity);
  c.hasAbleSupporter[i] = f.hasAbleSupporter ? 1 : 0;
  c.recentEmergencies[i] = sat(f.recentEmergencies.length);
  c.recentRigidExpenditureFen[i] = f.recentRigidExpenditureFen;
  c.recentIncomeFen[i] = f.recentIncomeFen;
}

const EXTREME = CATEGORIES.indexOf('extreme_poverty');
const DIBAO = CATEGORIES.indexOf('dibao');
const MARGINAL = CATEGORIES.indexOf('marginal');
const RIGID = CATEGORIES.indexOf('rigid_expenditure');
const UPLIFT = CATEGORIES.indexOf('income_uplift');
const NONE = CATEGORIES.indexOf('none');

/** Classifies every row of `c` in one pass. `table[paramIndex]` gives each row's thresholds. */
export function classifyBatch(c: FactColumns, table: readonly Thresholds[], out?: BatchResult): BatchResult {
  const n = c.length;
  const r = out ?? {
    category: new Uint8Array(n),
    flags: new Uint8Array(n),
    paymentFen: new Float64Array(n),
    perCapitaMonthlyIncomeFen: new Float64Array(n),
  };
  for (let i = 0; i < n; i++) {
    const t = table[c.paramIndex[i]!]!;
    const m = c.members[i]!;
    const months = c.referenceMonths[i]!;
    const income = c.householdIncomeFen[i]!;
    const assets = c.monetaryAssetsFen[i]!;
    const m1 = m > 0 ? m : 1;
    const perCapita = m > 0 ? Math.floor((2 * income + months * m) / (2 * months * m)) : 0;

    const otherAssetsOk =
      (t.vehiclesAllowed || c.countedVehicles[i] === 0) &&
      (t.commercialPropertyAllowed || c.commercialProperties[i] === 0) &&
      c.residences[i]! <= t.maxResidences &&
      (t.maxFloorAreaPerCapitaM2 === 0 || c.floorAreaM2[i]! <= t.maxFloorAreaPerCapitaM2 * m1);
    const limit = c.hasVulnerableMember[i] === 1 ? t.assetLimitVulnerableFen : t.assetLimitFen;
    const dibaoAssetsOk = otherAssetsOk && assets < limit * m1;
    const belowStandard = m > 0 && income < t.standardFen * months * m;
    const belowLine = m > 0 && income < t.marginalLineFen * months * m;

    let cat = NONE;
    let pay = 0;
    if (m > 0) {
      if (belowStandard && dibaoAssetsOk) {
        if (c.membersWithoutLabourCapacity[i] === m && c.hasAbleSupporter[i] === 0) {
          cat = EXTREME;
          pay = t.extremeSupportPerPersonFen * m;
        } else {
          cat = DIBAO;
          pay = (t.standardFen - perCapita) * m;
        }
      } else if (belowLine && otherAssetsOk && assets < t.marginalAssetLimitFen * m1) {
        cat = MARGINAL;
      } else if (
        income * 12 < t.disposableIncomePerCapitaFen * months * m &&
        (c.rigidExpenditureFen[i]! * 10_000 > t.rigidRatioBp * income || c.medicalAccidentFen[i]! * 10_000 > t.rigidMedicalRatioBp * income)
      ) {
        cat = RIGID;
      } else if (!belowLine && income * 12 < t.upliftCeilingFen * months) {
        cat = UPLIFT;
      }
    }
    const recentRigid = c.recentRigidExpenditureFen[i]!;
    r.category[i] = cat;
    r.flags[i] =
      (c.recentEmergencies[i]! > 0 ? 1 : 0) |
      (recentRigid > 0 && recentRigid * 10_000 > t.temporaryExpenditureRatioBp * c.recentIncomeFen[i]! ? 2 : 0);
    r.paymentFen[i] = pay;
    r.perCapitaMonthlyIncomeFen[i] = perCapita;
  }
  return r;
}

/** Decodes a flags byte into flag names. */
export function decodeFlags(bits: number): TemporaryFlag[] {
  return TEMPORARY_FLAGS.filter((_, i) => (bits & (1 << i)) !== 0);
}

/** Decodes a category index. */
export function decodeCategory(index: number): Category {
  return CATEGORIES[index] ?? 'none';
}

