/** Plain-language labels for alerts: level tags, causes, and the reasons behind an alert. */
import { Flex, Tag, Typography } from 'antd';
import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import type { AlertView } from '../../../src/contracts/index.js';
import { formatFen } from '../app/format.js';

export const LEVEL_COLORS: Record<string, string> = { red: '#cf1322', orange: '#d46b08', yellow: '#d4b106', green: '#389e0d' };
const LEVEL_TAG: Record<string, string> = { red: 'red', orange: 'orange', yellow: 'gold', green: 'green' };
const STATUS_TAG: Record<string, string> = { new: 'error', assigned: 'processing', visiting: 'warning', resolved: 'success', dismissed: 'default' };

export function LevelTag({ level }: { level: string }) {
  const { t } = useTranslation();
  return (
    <Tag color={LEVEL_TAG[level] ?? 'default'} data-testid="alert-level" data-level={level}>
      {t(`alertLevel.${level}`, { defaultValue: level })}
    </Tag>
  );
}

export function StatusTag({ status }: { status: string }) {
  const { t } = useTranslation();
  return (
    <Tag color={STATUS_TAG[status] ?? 'default'} data-testid="alert-status" data-status={status}>
      {t(`alertStatus.${status}`, { defaultValue: status })}
    </Tag>
  );
}

const POPULATION_TAG: Record<string, string> = { enrolled: 'blue', suspected: 'volcano', general: 'default' };

/** The population group in plain words ("在册救助对象", "疑似困难对象", "一般人群"). */
export function populationText(t: TFunction, group: string): string {
  return t(`populationGroup.${group}`, { defaultValue: group });
}

/** Why a household is suspected, in plain words, joined by the list separator. */
export function populationReasonsText(t: TFunction, reasons: readonly string[]): string {
  return reasons.map((r) => t(`populationReason.${r}`, { defaultValue: r })).join(t('monitoring.listSeparator', { defaultValue: '、' }));
}

/** A tag for the population group, then one tag per reason it is suspected. Nothing for an unknown shape. */
export function PopulationTags({ population, reasons }: { population: unknown; reasons: unknown }) {
  const { t } = useTranslation();
  if (typeof population !== 'string') return null;
  return (
    <Flex gap={6} wrap align="center" data-testid="population-tags">
      <Typography.Text type="secondary">{t('monitoring.population')}</Typography.Text>
      <Tag color={POPULATION_TAG[population] ?? 'default'} data-testid="population-group" data-population={population} style={{ marginInlineEnd: 0 }}>
        {populationText(t, population)}
      </Tag>
      {str(reasons).map((r) => (
        <Tag key={r} data-testid="population-reason" data-reason={r} style={{ marginInlineEnd: 0 }}>
          {t(`populationReason.${r}`, { defaultValue: r })}
        </Tag>
      ))}
    </Flex>
  );
}

/** 'risk' or 'trigger:<kind>' in plain words. */
export function causeText(t: TFunction, cause: string): string {
  const kind = cause.startsWith('trigger:') ? cause.slice('trigger:'.length) : cause;
  return t(`alertCause.${kind}`, { defaultValue: kind });
}

const str = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);
const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);

/** The reasons of an alert as lines of plain text (the first is the summary). */
export function reasonLines(t: TFunction, alert: Pick<AlertView, 'cause' | 'reasons'>): string[] {
  const r = alert.reasons;
  const sep = t('monitoring.listSeparator', { defaultValue: '、' });
  if (alert.cause === 'risk') {
    const dims = str(r.dimensions);
    const parts = dims.map((d) => {
      if (d === 'family') {
        const flags = str(r.family).map((f) => t(`familyFlag.${f}`, { defaultValue: f }));
        return flags.length > 0 ? t('monitoring.familyDetail', { flags: flags.join(sep) }) : t('riskDimension.family');
      }
      if (d === 'visits') {
        const days = num(r.daysSinceVisit);
        return days === null ? t('monitoring.visitsNever') : t('monitoring.visitsDetail', { days });
      }
      return t(`riskDimension.${d}`, { defaultValue: d });
    });
    const lines = [t('monitoring.riskSummary', { count: dims.length, list: parts.join(sep) })];
    const details: string[] = [];
    const score = num(r.score);
    if (score !== null) details.push(t('monitoring.riskScore', { score }));
    const income = num(r.incomeGap);
    if (income !== null && income > 0) details.push(t('monitoring.incomeGap', { pct: Math.round(income * 100) }));
    const property = num(r.propertyGap);
    if (property !== null && property > 0) details.push(t('monitoring.propertyGap', { pct: Math.round(property * 100) }));
    if (details.length > 0) lines.push(details.join(sep));
    return lines;
  }
  const kind = typeof r.kind === 'string' ? r.kind : alert.cause.replace(/^trigger:/, '');
  const lines = [t('monitoring.triggerSummary', { kind: t(`alertCause.${kind}`, { defaultValue: kind }) })];
  const money = kind === 'large_medical_bill' || kind === 'income_drop';
  const show = (v: unknown): string => {
    if (typeof v === 'number') return money ? formatFen(v) : String(v);
    if (typeof v === 'string') return t(`alertCause.${v}`, { defaultValue: t(`emergencyKind.${v}`, { defaultValue: t(`labour.${v}`, { defaultValue: v }) }) });
    return v === null || v === undefined ? '—' : JSON.stringify(v);
  };
  if (kind === 'large_medical_bill' && typeof r.to === 'number') lines.push(t('monitoring.triggerAmount', { amount: formatFen(r.to) }));
  else if (r.to !== undefined && r.to !== null) lines.push(t('monitoring.triggerChange', { from: show(r.from), to: show(r.to) }));
  if (r.temporaryAssistance === true) lines.push(t('monitoring.temporaryAssistance'));
  return lines;
}
