/** Small display helpers of the charity feature: bilingual server text, need reasons, project eligibility, places and budget in use. */
import { Flex, Space, Tag, Tooltip, Typography } from 'antd';
import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import { CATEGORY_COLORS, CATEGORY_ORDER } from '../app/categories.js';
import { formatFen } from '../app/format.js';
import type { Eligibility, Project } from './queries.js';

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

const figures = { whiteSpace: 'nowrap', fontVariantNumeric: 'tabular-nums' } as const;
const small = { fontSize: 12 } as const;

/** A project's places: taken / total, and how many the next matching run may still propose. */
export function ProjectPlaces({ p }: { p: Pick<Project, 'places' | 'placesTaken' | 'placesLeft'> }) {
  const { t } = useTranslation();
  return (
    <Tooltip title={t('charity.placesHint')}>
      <Flex vertical data-testid="project-places" data-taken={p.placesTaken} data-total={p.places} data-left={p.placesLeft}>
        <span style={figures}>{p.placesTaken} / {p.places}</span>
        <Typography.Text type="secondary" style={{ ...small, ...figures }}>{t('charity.placesLeft', { count: p.placesLeft })}</Typography.Text>
      </Flex>
    </Tooltip>
  );
}

/** A project's budget and cost per beneficiary, then what is used (delivered), reserved (open referrals) and remaining. */
export function ProjectBudget({ p }: { p: Pick<Project, 'budgetFen' | 'costPerBeneficiaryFen' | 'budgetUsedFen' | 'budgetReservedFen' | 'budgetRemainingFen'> }) {
  const { t } = useTranslation();
  const parts = [
    { key: 'used', text: t('charity.budgetUsed', { amount: formatFen(p.budgetUsedFen) }) },
    { key: 'reserved', text: t('charity.budgetReserved', { amount: formatFen(p.budgetReservedFen) }) },
    { key: 'remaining', text: t('charity.budgetRemaining', { amount: formatFen(p.budgetRemainingFen) }) },
  ];
  return (
    <Flex vertical>
      <span style={figures}>{formatFen(p.budgetFen)} · {formatFen(p.costPerBeneficiaryFen)}/{t('charity.perPerson')}</span>
      <Tooltip title={t('charity.budgetHint')}>
        <Flex wrap gap="0 10px" data-testid="project-budget-use">
          {parts.map((x) => <Typography.Text key={x.key} type="secondary" style={{ ...small, ...figures }} data-testid={`project-budget-${x.key}`}>{x.text}</Typography.Text>)}
        </Flex>
      </Tooltip>
    </Flex>
  );
}
