/**
 * Chinese and English labels of the codes the household portrait writes into its evidence text
 * (the household's classification category, the findings of a home visit), so the text a worker
 * reads never holds a raw code. The codes themselves stay in the evidence's `values`.
 * The Chinese labels are the web's (`category.*`, `finding.*` in web/src/app/i18n.ts).
 */
import type { HOUSEHOLD_CATEGORIES } from './model.js';

export interface BilingualLabel {
  zh: string;
  en: string;
}

export type HouseholdCategory = (typeof HOUSEHOLD_CATEGORIES)[number];

/** The classification categories of the means test (认定类别). */
export const HOUSEHOLD_CATEGORY_TEXT: Readonly<Record<HouseholdCategory, BilingualLabel>> = {
  none: { zh: '无', en: 'none' },
  extreme_poverty: { zh: '特困', en: 'extreme poverty (tekun support)' },
  dibao: { zh: '低保', en: 'dibao (minimum living guarantee)' },
  marginal: { zh: '低边', en: 'marginal (near the dibao line)' },
  rigid_expenditure: { zh: '刚性支出困难', en: 'rigid-expenditure hardship' },
  income_uplift: { zh: '提低', en: 'income uplift' },
};

/** The findings of a home visit (as the monitoring visit form records them). */
export const VISIT_FINDING_CODES = ['none', 'unsafe_housing', 'illness_untreated', 'elderly_uncared', 'child_out_of_school', 'no_income', 'debt', 'mental_distress', 'other'] as const;
export type VisitFinding = (typeof VISIT_FINDING_CODES)[number];

export const VISIT_FINDING_TEXT: Readonly<Record<VisitFinding, BilingualLabel>> = {
  none: { zh: '未发现问题', en: 'nothing' },
  unsafe_housing: { zh: '住房不安全', en: 'unsafe housing' },
  illness_untreated: { zh: '患病未就医', en: 'an illness untreated' },
  elderly_uncared: { zh: '老人无人照料', en: 'an older person without care' },
  child_out_of_school: { zh: '儿童失学辍学', en: 'a child out of school' },
  no_income: { zh: '无收入来源', en: 'no source of income' },
  debt: { zh: '负债', en: 'debt' },
  mental_distress: { zh: '心理困扰', en: 'mental distress' },
  other: { zh: '其他', en: 'other' },
};

const has = <K extends string>(table: Readonly<Record<K, BilingualLabel>>, code: string): code is K => Object.hasOwn(table, code);

/** The labels of a household category; an unknown code is shown as itself (never an empty text). */
export function householdCategoryText(code: string): BilingualLabel {
  return has(HOUSEHOLD_CATEGORY_TEXT, code) ? HOUSEHOLD_CATEGORY_TEXT[code] : { zh: code, en: code };
}

/** The labels of a visit finding; an unknown code is shown as itself. */
export function visitFindingText(code: string): BilingualLabel {
  return has(VISIT_FINDING_TEXT, code) ? VISIT_FINDING_TEXT[code] : { zh: code, en: code };
}
