/** Small display helpers of the charity feature: bilingual server text, need reasons, project eligibility. */
import { Space, Tag, Typography } from 'antd';
import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import { CATEGORY_COLORS, CATEGORY_ORDER } from '../app/categories.js';
import type { Eligibility } from './queries.js';

/** Tag colours of project, referral and need statuses. */
export const STATUS_COLOR: Record<string, string> = { draft: 'default', submitted: 'processing', approved: 'cyan', published: 'green', closed: 'default', proposed: 'processing', accepted: 'cyan', declined: 'red', delivered: 'green', open: 'orange', planned: 'processing', met: 'green' };
export const RISK_LEVELS = ['green', 'yellow', 'orange', 'red'] as const;
export const RISK_COLOR: Record<(typeof RISK_LEVELS)[number], string> = { green: 'green', yellow: 'gold', orange: 'orange', red: 'red' };
export const TASK_STATUSES = ['todo', 'doing', 'done'] as const;
export const TASK_COLOR: Record<(typeof TASK_STATUSES)[number], string> = { todo: 'default', doing: 'processing', done: 'success' };
/** Household categories in display order (most to least severe, then none). */
export const HOUSEHOLD_CATEGORY_ORDER = CATEGORY_ORDER;

/** Picks the current language's side of a `{ zh, en }` text the server sends. */
export function useBilingual(): (text: { zh: string; en: string }) => string {
  const { i18n } = useTranslation();
  const en = i18n.resolvedLanguage === 'en';
  return (text) => (en ? text.en : text.zh);
}

/** The reasons the server itself writes on a need (English, fixed), by label key. */
const SYSTEM_REASONS: Record<string, 'noLongerIndicated' | 'deliveredByReferral'> = {
  'no longer indicated by the household data': 'noLongerIndicated',
  'delivered by a charity referral': 'deliveredByReferral',
};

/** Why a need has its status or severity: the system's reason, or the worker's. */
export function needReasonText(t: TFunction, reason: string): string {
  const key = SYSTEM_REASONS[reason];
  return key ? t(`charity.systemReason.${key}`) : t('charity.workerReason', { reason });
}

/** A project's eligibility as compact tags (household categories, risk, age, members); "any" when there is none. */
export function EligibilityTags({ eligibility: e }: { eligibility: Eligibility }) {
  const { t } = useTranslation();
  const tags: { key: string; color?: string; text: string }[] = [
    ...HOUSEHOLD_CATEGORY_ORDER.filter((c) => e.householdCategories.includes(c)).map((c) => ({ key: `c-${c}`, color: CATEGORY_COLORS[c].tag, text: t(`category.${c}`) })),
    ...(e.minRiskLevel ? [{ key: 'risk', color: RISK_COLOR[e.minRiskLevel], text: t('charity.riskAtLeast', { level: t(`riskLevel.${e.minRiskLevel}`) }) }] : []),
    ...(e.minAge !== null && e.maxAge !== null ? [{ key: 'age', text: t('charity.ageRange', { min: e.minAge, max: e.maxAge }) }]
      : e.minAge !== null ? [{ key: 'age', text: t('charity.ageFrom', { min: e.minAge }) }]
        : e.maxAge !== null ? [{ key: 'age', text: t('charity.ageTo', { max: e.maxAge }) }] : []),
    ...(e.disability ? [{ key: 'dis', text: t('charity.withDisability') }] : []),
    ...(e.illness ? [{ key: 'ill', text: t('charity.withIllness') }] : []),
  ];
  if (tags.length === 0) return <Typography.Text type="secondary" data-testid="project-eligibility">{t('charity.anyHousehold')}</Typography.Text>;
  return (
    <Space size={[0, 4]} wrap data-testid="project-eligibility">
      {tags.map((x) => <Tag key={x.key} color={x.color}>{x.text}</Tag>)}
    </Space>
  );
}
