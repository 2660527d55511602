/**
 * Charity projects (慈善项目) and household needs (需求): the categories, the project lifecycle, the
 * checks of a project's fields, and the eligibility of a household for a project. Pure: the caller
 * passes the organisation, the household profile and today's date.
 */

/** Need categories a project can serve and a household portrait (精准画像) can hold. */
export const NEED_CATEGORIES = ['basic_living', 'income', 'medical', 'education', 'housing', 'care', 'employment', 'mental_care', 'social_integration'] as const;
export type NeedCategory = (typeof NEED_CATEGORIES)[number];

export const ORGANISATION_CHARITY_KINDS = ['foundation', 'social_organisation', 'enterprise', 'charity_trust', 'charity'] as const;

export const PROJECT_STATUSES = ['draft', 'submitted', 'approved', 'published', 'closed'] as const;
export type ProjectStatus = (typeof PROJECT_STATUSES)[number];
export const PROJECT_ACTIONS = ['submit', 'approve', 'return', 'publish', 'close'] as const;
export type ProjectAction = (typeof PROJECT_ACTIONS)[number];

export const HOUSEHOLD_CATEGORIES = ['none', 'extreme_poverty', 'dibao', 'marginal', 'rigid_expenditure', 'income_uplift'] as const;
export const RISK_ORDER = ['green', 'yellow', 'orange', 'red'] as const;
export type RiskLevelName = (typeof RISK_ORDER)[number];

export interface Issue {
  field: string;
  message: string;
}

export interface Eligibility {
  /** Household categories accepted; empty = any. */
  householdCategories: readonly string[];
  /** Some living member's age in [minAge, maxAge] (inclusive); null = no bound. */
  minAge: number | null;
  maxAge: number | null;
  /** A member with a disability (grade 1–4) is required. */
  disability: boolean;
  /** A member with a serious illness is required. */
  illness: boolean;
  /** The household's village must lie under this region (subtree by code prefix). */
  regionCode: string;
  /** The latest risk level must be at least this; null = any. */
  minRiskLevel: RiskLevelName | null;
}

export interface ProjectFields {
  title: string;
  categories: readonly string[];
  eligibility: Eligibility;
  capacity: number;
  budgetFen: number;
  costPerBeneficiaryFen: number;
  startsOn: string;
  endsOn: string;
}

export interface OrganisationScope {
  kind: string;
  /** Region codes served; empty = the organisation's own region. */
  regionsServed: readonly string[];
  regionCode: string;
}

/** Every problem with a project's fields, each naming the field. */
export function checkProject(p: ProjectFields, org: OrganisationScope, isKnownRegion: (code: string) => boolean): Issue[] {
  const out: Issue[] = [];
  if (org.kind === 'department') out.push({ field: 'organisationId', message: 'a government department cannot run a charity project' });
  if (p.categories.length === 0) out.push({ field: 'categories', message: 'name at least one need category' });
  p.categories.forEach((c, i) => {
    if (!(NEED_CATEGORIES as readonly string[]).includes(c)) out.push({ field: `categories[${i}]`, message: `unknown need category ${c}` });
  });
  if (new Set(p.categories).size !== p.categories.length) out.push({ field: 'categories', message: 'a category is repeated' });
  if (!Number.isSafeInteger(p.capacity) || p.capacity < 1) out.push({ field: 'capacity', message: 'must be a whole number of beneficiaries, at least 1' });
  if (!Number.isSafeInteger(p.costPerBeneficiaryFen) || p.costPerBeneficiaryFen < 0) out.push({ field: 'costPerBeneficiaryFen', message: 'must be whole fen, not negative' });
  if (!Number.isSafeInteger(p.budgetFen) || p.budgetFen < 0) out.push({ field: 'budgetFen', message: 'must be whole fen, not negative' });
  else if (p.budgetFen < p.costPerBeneficiaryFen) out.push({ field: 'budgetFen', message: 'is below the cost of one beneficiary' });
  if (p.endsOn < p.startsOn) out.push({ field: 'endsOn', message: 'ends before it starts' });
  const e = p.eligibility;
  if (!isKnownRegion(e.regionCode)) out.push({ field: 'eligibility.regionCode', message: 'unknown region code' });
  else {
    const served = org.regionsServed.length > 0 ? org.regionsServed : [org.regionCode];
    if (!served.some((r) => e.regionCode.startsWith(r))) out.push({ field: 'eligibility.regionCode', message: 'is outside the regions the organisation serves' });
  }
  e.householdCategories.forEach((c, i) => {
    if (!(HOUSEHOLD_CATEGORIES as readonly string[]).includes(c)) out.push({ field: `eligibility.householdCategories[${i}]`, message: `unknown household category ${c}` });
  });
  if (e.minAge !== null && e.maxAge !== null && e.maxAge < e.minAge) out.push({ field: 'eligibility.maxAge', message: 'is below the minimum age' });
  return out;
}

/** Beneficiary places: min(capacity, ⌊budget / cost⌋) (no budget limit when the cost is 0). */
export function placesOf(p: { capacity: number; budgetFen: number; costPerBeneficiaryFen: number }): number {
  return Math.min(p.capacity, p.costPerBeneficiaryFen === 0 ? p.capacity : Math.floor(p.budgetFen / p.costPerBeneficiaryFen));
}

/** A project's referrals as the budget counts them. */
export interface ReferralUse {
  /** Proposed and accepted referrals: each reserves the cost per beneficiary. */
  open: number;
  /** Delivered referrals: each counts what was delivered. */
  delivered: number;
  /** Σ delivered amounts in fen. */
  deliveredFen: number;
}

export interface ProjectBudget {
  /** Beneficiaries taken: open + delivered referrals (declined ones hold nothing). */
  placesTaken: number;
  /** More beneficiaries the project can take: min(capacity left, ⌊budget left / cost⌋). */
  placesLeft: number;
  /** open × cost per beneficiary. */
  budgetReservedFen: number;
  /** Σ delivered amounts. */
  budgetUsedFen: number;
  /** budget − reserved − used (never below 0). */
  budgetRemainingFen: number;
}

/**
 * What a project has reserved, used and left. Capacity counts beneficiaries (open and delivered
 * referrals); the budget counts an open referral at the cost per beneficiary and a delivered one at
 * its delivered amount (at most that cost), so a delivery below the cost gives the rest back.
 */
export function projectBudget(p: { capacity: number; budgetFen: number; costPerBeneficiaryFen: number }, use: ReferralUse): ProjectBudget {
  const placesTaken = use.open + use.delivered;
  const budgetReservedFen = use.open * p.costPerBeneficiaryFen;
  const budgetUsedFen = use.deliveredFen;
  const budgetRemainingFen = Math.max(0, p.budgetFen - budgetReservedFen - budgetUsedFen);
  const placesLeft = placesOf({ capacity: Math.max(0, p.capacity - placesTaken), budgetFen: budgetRemainingFen, costPerBeneficiaryFen: p.costPerBeneficiaryFen });
  return { placesTaken, placesLeft, budgetReservedFen, budgetUsedFen, budgetRemainingFen };
}

export type LifecycleRole = 'charity' | 'consortium';
export type Transition = { ok: true; status: ProjectStatus } | { ok: false; error: string };

/**
 * The lifecycle: the charity submits a draft; the county consortium approves it (or returns it to
 * draft with a reason); the charity publishes an approved project and closes a published one.
 */
export function transitionProject(status: ProjectStatus, action: ProjectAction, by: LifecycleRole, reason?: string | null): Transition {
  const rules: Record<ProjectAction, { from: readonly ProjectStatus[]; to: ProjectStatus; by: LifecycleRole }> = {
    submit: { from: ['draft'], to: 'submitted', by: 'charity' },
    approve: { from: ['submitted'], to: 'approved', by: 'consortium' },
    return: { from: ['submitted'], to: 'draft', by: 'consortium' },
    publish: { from: ['approved'], to: 'published', by: 'charity' },
    close: { from: ['published', 'approved'], to: 'closed', by: 'charity' },
  };
  const r = rules[action];
  if (r.by !== by) return { ok: false, error: `type: only the ${r.by === 'charity' ? 'charity' : 'county consortium'} may ${action} a project` };
  if (!r.from.includes(status)) return { ok: false, error: `type: a ${status} project cannot be ${action === 'return' ? 'returned' : `${action}${action.endsWith('e') ? 'd' : 'ed'}`}` };
  if (action === 'return' && !reason?.trim()) return { ok: false, error: 'reason: say why the project is returned' };
  return { ok: true, status: r.to };
}

/** What eligibility reads of a household. */
export interface HouseholdProfile {
  householdId: string;
  regionCode: string;
  category: string | null;
  riskLevel: RiskLevelName | null;
  members: readonly { age: number; disabilityGrade: number; seriousIllness: boolean }[];
}

export const CRITERIA = ['category', 'region', 'age', 'disability', 'illness', 'risk'] as const;
export type Criterion = (typeof CRITERIA)[number];

/** The eligibility criteria the household fails (empty = eligible), in a fixed order. */
export function failedCriteria(e: Eligibility, h: HouseholdProfile): Criterion[] {
  const out: Criterion[] = [];
  if (e.householdCategories.length > 0 && !e.householdCategories.includes(h.category ?? 'none')) out.push('category');
  if (!h.regionCode.startsWith(e.regionCode)) out.push('region');
  if ((e.minAge !== null || e.maxAge !== null) && !h.members.some((m) => (e.minAge === null || m.age >= e.minAge) && (e.maxAge === null || m.age <= e.maxAge))) out.push('age');
  if (e.disability && !h.members.some((m) => m.disabilityGrade > 0)) out.push('disability');
  if (e.illness && !h.members.some((m) => m.seriousIllness)) out.push('illness');
  if (e.minRiskLevel !== null && RISK_ORDER.indexOf(h.riskLevel ?? 'green') < RISK_ORDER.indexOf(e.minRiskLevel)) out.push('risk');
  return out;
}

export const CRITERION_TEXT: Record<Criterion, { zh: string; en: string }> = {
  category: { zh: '救助类别不符', en: 'household category not accepted' },
  region: { zh: '不在项目服务区域', en: 'outside the project region' },
  age: { zh: '无符合年龄条件的成员', en: 'no member in the age range' },
  disability: { zh: '无残疾成员', en: 'no member with a disability' },
  illness: { zh: '无重病成员', en: 'no member with a serious illness' },
  risk: { zh: '风险等级低于项目要求', en: 'risk level below the project minimum' },
};

/**
 * Matching priority of a need, a whole number from 100 to 446:
 * 100 × severity (1–3) + 40 × risk rank (green 0 … red 3) + whole weeks waited (at most 26).
 */
export function needPriority(severity: number, riskLevel: RiskLevelName | null, waitingDays: number): number {
  const weeks = Math.min(26, Math.max(0, Math.floor(waitingDays / 7)));
  return 100 * severity + 40 * RISK_ORDER.indexOf(riskLevel ?? 'green') + weeks;
}
