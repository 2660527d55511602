/** Thresholds derived once per parameter set, in integer fen and basis points, shared by both engine forms. */
import type { PolicyParameters } from '../policy/parameters.js';

export interface Thresholds {
  standardFen: number;
  /** Marginal line = multiplier × standard, rounded to fen. */
  marginalLineFen: number;
  /** Per-capita monetary-asset limits (years × 12 × monthly line). */
  assetLimitFen: number;
  assetLimitVulnerableFen: number;
  marginalAssetLimitFen: number;
  vehiclesAllowed: boolean;
  commercialPropertyAllowed: boolean;
  maxResidences: number;
  /** 0 = no limit. */
  maxFloorAreaPerCapitaM2: number;
  rigidRatioBp: number;
  rigidMedicalRatioBp: number;
  disposableIncomePerCapitaFen: number;
  upliftCeilingFen: number;
  extremeSupportPerPersonFen: number;
  temporaryExpenditureRatioBp: number;
}

const bp = (ratio: number): number => Math.round(ratio * 10_000);

export function deriveThresholds(p: PolicyParameters): Thresholds {
  const marginalLineFen = Math.round(p.dibaoStandardFen * p.marginalMultiplier);
  return {
    standardFen: p.dibaoStandardFen,
    marginalLineFen,
    assetLimitFen: Math.round(p.monetaryAssetLimitYears * 12 * p.dibaoStandardFen),
    assetLimitVulnerableFen: Math.round(p.monetaryAssetLimitYearsVulnerable * 12 * p.dibaoStandardFen),
    marginalAssetLimitFen: Math.round(p.marginalAssetLimitYears * 12 * marginalLineFen),
    vehiclesAllowed: p.vehiclesAllowed,
    commercialPropertyAllowed: p.commercialPropertyAllowed,
    maxResidences: p.maxResidences,
    maxFloorAreaPerCapitaM2: p.maxFloorAreaPerCapitaM2,
    rigidRatioBp: bp(p.rigidExpenditureRatio),
    rigidMedicalRatioBp: bp(p.rigidMedicalRatio),
    disposableIncomePerCapitaFen: p.disposableIncomePerCapitaFen,
    upliftCeilingFen: p.incomeUpliftCeilingFen,
    extremeSupportPerPersonFen: Math.round(p.dibaoStandardFen * p.extremePovertySupportMultiplier),
    temporaryExpenditureRatioBp: bp(p.temporaryExpenditureRatio),
  };
}

/** Round half up of a non-negative ratio of integers, to whole fen. */
export function roundDiv(numerator: number, denominator: number): number {
  return Math.floor((2 * numerator + denominator) / (2 * denominator));
}
