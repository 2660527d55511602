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
/**
 * A provider as people name it: the name the ledger knows (the organisation of a charity delivery
 * recorded in the platform, or of an organisation's own import, `org_…`), else the label of a known
 * department or charity code, else the code.
 */
export const providerText = (t: TFunction, provider: string, providerName?: string | null): string =>
  providerName || t(`ledger.provider.${provider}`, { defaultValue: provider });

/** The provider of a ledger entry by name; the code it is recorded under on hover when a name stands in for it. */
export function ProviderName({ e }: { e: Pick<LedgerEntry, 'provider' | 'providerName'> }) {
  const { t } = useTranslation();
  return <span title={e.providerName ? e.provider : undefined} data-testid="ledger-provider">{providerText(t, e.provider, e.providerName)}</span>;
}

/** The names the ledger knows for the provider codes of these entries (code → name). */
export function providerNamesOf(entries: readonly Pick<LedgerEntry, 'provider' | 'providerName'>[]): Map<string, string> {
  const out = new Map<string, string>();
  for (const e of entries) if (e.providerName && !out.has(e.provider)) out.set(e.provider, e.providerName);
  return out;
}
