/** Tags and texts of the ledger: programme by sector, finding kind and status, link method. */
import { Tag, Tooltip } from 'antd';
import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import type { Finding, LedgerEntry } from './api.js';

export function ProgrammeTag({ e }: { e: Pick<LedgerEntry, 'programme' | 'sector'> }) {
  const { t } = useTranslation();
  return <Tag color={e.sector === 'government' ? 'blue' : 'green'}>{t(`ledger.programme.${e.programme}`)}</Tag>;
}

const KIND_COLOURS: Record<Finding['kind'], string> = { dibao_two_places: 'red', multi_provider: 'orange', over_cap: 'gold', after_death: 'magenta' };
export function KindTag({ kind }: { kind: Finding['kind'] }) {
  const { t } = useTranslation();
  return <Tag color={KIND_COLOURS[kind]} data-testid="finding-kind">{t(`ledger.kind.${kind}`)}</Tag>;
}

export function FindingStatusTag({ status }: { status: Finding['status'] }) {
  const { t } = useTranslation();
  const colour = status === 'open' ? 'processing' : status === 'confirmed' ? 'error' : 'default';
  return <Tag color={colour} data-testid="finding-status">{t(`ledger.status.${status}`)}</Tag>;
}

export function LinkTag({ link }: { link: LedgerEntry['link'] }) {
  const { t } = useTranslation();
  if (!link) return <Tag>{t('ledger.unlinked')}</Tag>;
  if (link.method === 'exact_id') return <Tag color="default">{t('ledger.linkExact')}</Tag>;
  return (
    <Tooltip title={t('ledger.linkProbabilisticHint')}>
      <Tag color="purple" data-testid="link-probabilistic">{t('ledger.linkProbabilistic', { p: percent(link.probability) })}</Tag>
    </Tooltip>
  );
}

/** A match probability as a percentage; very close to 1 reads "> 99.99", never a rounded 100. */
export const percent = (p: number): string => (p >= 0.9999 && p < 1 ? '> 99.99' : (p * 100).toFixed(2));

export const needText = (t: TFunction, need: string | null): string => (need ? t(`ledger.need.${need}`) : '—');
export const providerText = (t: TFunction, provider: string): string => t(`ledger.provider.${provider}`, { defaultValue: provider });
