/** The household's benefit ledger as one timeline (一户一条救助链): every receipt of help, newest first, government and charity side by side. */
import { Card, Empty, Flex, Statistic, Table, Tag, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import { useTranslation } from 'react-i18next';
import { ErrorView } from '../app/ErrorView.js';
import { formatFen } from '../app/format.js';
import type { LedgerEntry } from './api.js';
import { LinkTag, needText, ProgrammeTag, ProviderName } from './labels.js';
import { useHouseholdLedger } from './queries.js';

const nowrap = { whiteSpace: 'nowrap', fontVariantNumeric: 'tabular-nums' } as const;

export function LedgerCard({ householdId }: { householdId: string }) {
  const { t } = useTranslation();
  const ledger = useHouseholdLedger(householdId);
  const columns: TableColumnsType<LedgerEntry> = [
    { title: t('ledger.period'), key: 'period', render: (_: unknown, e) => <span style={nowrap}>{e.periodStart === e.periodEnd ? e.periodStart : `${e.periodStart} ~ ${e.periodEnd}`}</span> },
    { title: t('ledger.programmeTitle'), key: 'programme', render: (_: unknown, e) => <ProgrammeTag e={e} /> },
    { title: t('ledger.needTitle'), key: 'need', render: (_: unknown, e) => needText(t, e.needCategory) },
    { title: t('ledger.providerTitle'), key: 'provider', render: (_: unknown, e) => <span><ProviderName e={e} /> <Typography.Text type="secondary">{e.providerRegionName}</Typography.Text></span> },
    { title: t('ledger.recipient'), key: 'recipient', render: (_: unknown, e) => e.name },
    {
      title: t('ledger.amount'), key: 'amount', align: 'right',
      render: (_: unknown, e) => <span style={nowrap}>{formatFen(e.amountFen)}{e.inKind ? <Tag style={{ marginLeft: 4 }}>{t('ledger.inKind')}</Tag> : null}</span>,
    },
    { title: t('ledger.link'), key: 'link', render: (_: unknown, e) => <LinkTag link={e.link} /> },
  ];
  return (
    <Card title={t('ledger.cardTitle')} size="small" data-testid="ledger-card">
      {ledger.isError ? (
        <ErrorView error={ledger.error} onRetry={() => void ledger.refetch()} />
      ) : (
        <Flex vertical gap={12}>
          {ledger.data ? (
            <Flex gap={32} wrap>
              <Statistic title={t('ledger.governmentTotal')} value={formatFen(ledger.data.totals.governmentFen)} />
              <Statistic title={t('ledger.charityTotal')} value={formatFen(ledger.data.totals.charityFen)} />
              <Statistic title={t('ledger.openFindings')} value={ledger.data.openFindings} styles={ledger.data.openFindings > 0 ? { content: { color: '#cf1322' } } : {}} />
            </Flex>
          ) : null}
          <Table<LedgerEntry>
            data-testid="ledger-table"
            rowKey="id"
            size="small"
            loading={ledger.isLoading}
            columns={columns}
            dataSource={ledger.data?.entries ?? []}
            pagination={(ledger.data?.entries.length ?? 0) > 10 ? { pageSize: 10, size: 'small', hideOnSinglePage: true } : false}
            locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('ledger.empty')} /> }}
            scroll={{ x: 'max-content' }}
          />
        </Flex>
      )}
    </Card>
  );
}
