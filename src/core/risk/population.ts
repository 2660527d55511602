/**
 * Which part of the monitored population a household belongs to (动态监测对象范围): enrolled in
 * assistance, suspected (疑似 — close to or recently out of assistance, or named by someone), or
 * the general registry. Every household is monitored; the group says why it is watched closely.
 */
export const POPULATION_GROUPS = ['enrolled', 'suspected', 'general'] as const;
export type PopulationGroup = (typeof POPULATION_GROUPS)[number];

export const SUSPECTED_REASONS = ['marginal', 'income_uplift', 'recent_exit', 'rejected_application', 'department_referral'] as const;
export type SuspectedReason = (typeof SUSPECTED_REASONS)[number];

/** Categories whose households receive assistance: extreme poverty (特困), dibao (低保), rigid expenditure (刚性支出困难). */
export const ENROLLED_CATEGORIES: readonly string[] = ['extreme_poverty', 'dibao', 'rigid_expenditure'];

export interface PopulationInput {
  /** Current classification category (null: never classified). */
  category: string | null;
  /** Classified in an enrolled category at some time in the look-back period. */
  enrolledInLookback: boolean;
  /** Referrals in the look-back period, by reason. */
  referrals: readonly string[];
}

/**
 * Enrolled when the current category is an assistance category; otherwise suspected for every
 * reason that holds — marginal (低边) or income-uplift (提低) household, left assistance in the
 * look-back period, an application rejected or a department referral in it; otherwise general.
 */
export function populationOf(x: PopulationInput): { group: PopulationGroup; reasons: SuspectedReason[] } {
  if (x.category !== null && ENROLLED_CATEGORIES.includes(x.category)) return { group: 'enrolled', reasons: [] };
  const reasons: SuspectedReason[] = [];
  if (x.category === 'marginal') reasons.push('marginal');
  if (x.category === 'income_uplift') reasons.push('income_uplift');
  if (x.enrolledInLookback) reasons.push('recent_exit');
  if (x.referrals.includes('rejected_application')) reasons.push('rejected_application');
  if (x.referrals.includes('department_referral')) reasons.push('department_referral');
  return reasons.length > 0 ? { group: 'suspected', reasons } : { group: 'general', reasons };
}
