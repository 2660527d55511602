/**
 * The calibration figures of the demo generator, kept in one place so docs/demo-data.md
 * ("Calibration") can explain each one. These are modelling choices for a plausible monitored
 * low-income population, not statistics of the real one.
 */

/**
 * The latent classification a generated household is built to land in. The records are drawn to
 * realise it, with deliberate noise near every line, so the means test will disagree for a few.
 */
export const TARGET_TIERS = ['extreme_poverty', 'dibao', 'marginal', 'rigid_expenditure', 'income_uplift', 'none'] as const;
export type TargetTier = (typeof TARGET_TIERS)[number];

/** Share of each target tier (sums to 1). */
export const TIER_SHARES: Readonly<Record<TargetTier, number>> = Object.freeze({
  extreme_poverty: 0.06,
  dibao: 0.3,
  marginal: 0.2,
  rigid_expenditure: 0.06,
  income_uplift: 0.25,
  none: 0.13,
});

/** Household compositions typical of a monitored low-income population. */
export const ARCHETYPES = [
  'elderly_alone',
  'elderly_couple',
  'disabled_alone',
  'single_parent',
  'ill_or_disabled_family',
  'three_generation',
  'grandparents_with_minors',
  'nuclear',
] as const;
export type Archetype = (typeof ARCHETYPES)[number];

/**
 * Composition mix within each tier (weights, normalised per tier). Extreme poverty (特困) only
 * takes compositions where nobody can work; income uplift cannot take households of four or more,
 * because four people above the marginal line already exceed the 100,000-yuan household ceiling.
 */
export const ARCHETYPE_MIX: Readonly<Record<TargetTier, Readonly<Partial<Record<Archetype, number>>>>> = Object.freeze({
  extreme_poverty: { elderly_alone: 62, elderly_couple: 10, disabled_alone: 23, grandparents_with_minors: 5 },
  dibao: {
    elderly_alone: 24, elderly_couple: 14, disabled_alone: 11, single_parent: 12,
    ill_or_disabled_family: 21, grandparents_with_minors: 8, three_generation: 5, nuclear: 5,
  },
  marginal: {
    elderly_alone: 18, elderly_couple: 18, disabled_alone: 5, single_parent: 11,
    ill_or_disabled_family: 20, grandparents_with_minors: 6, three_generation: 10, nuclear: 12,
  },
  rigid_expenditure: { ill_or_disabled_family: 62, three_generation: 14, single_parent: 8, nuclear: 10, elderly_couple: 6 },
  income_uplift: {
    elderly_alone: 22, elderly_couple: 26, disabled_alone: 4, single_parent: 14,
    ill_or_disabled_family: 12, grandparents_with_minors: 4, nuclear: 18,
  },
  none: { elderly_alone: 12, elderly_couple: 18, single_parent: 8, ill_or_disabled_family: 10, three_generation: 20, nuclear: 32 },
});

/** Largest household the income-uplift tier can hold (see ARCHETYPE_MIX). */
export const UPLIFT_MAX_SIZE = 3;

/**
 * Weight multiplier of a mountain-area county (山区26县): these counties hold a larger share of
 * the low-income population than of the province's villages.
 */
export const MOUNTAIN_COUNTY_MULTIPLIER = 1.8;
/**
 * County weight = (EVEN_SHARE / counties + (1 − EVEN_SHARE) × the county's share of weighted
 * villages) × mountain multiplier. The even part keeps small urban districts represented.
 */
export const COUNTY_EVEN_SHARE = 0.35;

/** Defaults of the means-test parameters the generator aims at (policies/zhejiang.yaml). */
export const DEFAULT_MEANS_TEST = Object.freeze({
  /** 1149 yuan per person per month. */
  dibaoStandardFen: 114_900,
  marginalMultiplier: 2,
  /** Zhejiang 2023 per-capita disposable income, 63,830 yuan a year. */
  disposableIncomePerCapitaFen: 6_383_000,
  /** Income-uplift households earn under 100,000 yuan a year. */
  incomeUpliftCeilingFen: 10_000_000,
  /** Monetary assets per person up to 3 years of the dibao standard (4 for vulnerable households). */
  monetaryAssetLimitYears: 3,
  /** Marginal households: 3 years of the marginal line. */
  marginalAssetLimitYears: 3,
});

/** Share of households with an emergency (急难事件) in the 90 days before the as-of date. */
export const EMERGENCY_SHARE = 0.02;
/** Days before the as-of date in which emergencies happen. */
export const EMERGENCY_WINDOW_DAYS = 90;

/** Share of households living in a different village from their registration (人户分离). */
export const RESIDENCE_ELSEWHERE_SHARE = 0.04;

/** Share of members of each broad age group given a certified disability / a serious illness as background. */
export const BACKGROUND_HEALTH = Object.freeze({
  child: { disability: 0.02, illness: 0.01 },
  adult: { disability: 0.03, illness: 0.025 },
  youngOld: { disability: 0.06, illness: 0.06 },
  old: { disability: 0.09, illness: 0.08 },
});

/** Oldest age generated; ID birth-date bookkeeping covers this many years before the as-of date. */
export const MAX_AGE = 104;
