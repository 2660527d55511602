/** The auditor's list of duplicate and multi-source assistance findings: kind and status filters in the URL, server-paged; a row opens the pair review. */
import { Button, Card, Flex, Select, Table, Typography, App } from 'antd';
import type { TableColumnsType } from 'antd';
import { useTranslation } from 'react-i18next';
import { useNavigate, useSearchParams } from 'react-router-dom';
import { FINDING_KINDS, FINDING_STATUSES } from '../../../src/contracts/index.js';
import { ErrorView, useErrorMessage } from '../app/ErrorView.js';
import { formatFen } from '../app/format.js';
import { useCan } from '../auth/AuthContext.js';
import type { Finding, FindingListParams } from './api.js';
import { FindingStatusTag, KindTag, needText, percent } from './labels.js';
import { useFindings, useLedgerCheck } from './queries.js';

const PAGE_SIZES = [10, 20, 50, 100];
const DEFAULT_PAGE_SIZE = 20;
const nowrap = { whiteSpace: 'nowrap', fontVariantNumeric: 'tabular-nums' } as const;

function readParams(sp: URLSearchParams): FindingListParams {
  const kind = sp.get('kind') ?? '';
  const status = sp.get('status') ?? 'open';
  const page = Number(sp.get('page') ?? '1');
  const pageSize = Number(sp.get('pageSize') ?? String(DEFAULT_PAGE_SIZE));
  return {
    kind: (FINDING_KINDS as readonly string[]).includes(kind) ? (kind as FindingListParams['kind']) : undefined,
    status: status === 'all' ? undefined : (FINDING_STATUSES as readonly string[]).includes(status) ? (status as FindingListParams['status']) : 'open',
    page: Number.isInteger(page) && page >= 1 ? page : 1,
    pageSize: PAGE_SIZES.includes(pageSize) ? pageSize : DEFAULT_PAGE_SIZE,
  };
}

export function FindingListPage() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const messageOf = useErrorMessage();
  const navigate = useNavigate();
  const [sp, setSp] = useSearchParams();
  const q = readParams(sp);
  const findings = useFindings(q);
  const canCheck = useCan('finding.resolve');
  const check = useLedgerCheck();
  const update = (patch: Partial<FindingListParams> & { statusValue?: string }): void => {
    const out = new URLSearchParams(sp);
    if ('kind' in patch) {
      if (patch.kind) out.set('kind', patch.kind);
      else out.delete('kind');
    }
    if (patch.statusValue !== undefined) {
      if (patch.statusValue === 'open') out.delete('status');
      else out.set('status', patch.statusValue);
    }
    if (patch.page !== undefined && patch.page !== 1) out.set('page', String(patch.page));
    else out.delete('page');
    if (patch.pageSize !== undefined) {
      if (patch.pageSize === DEFAULT_PAGE_SIZE) out.delete('pageSize');
      else out.set('pageSize', String(patch.pageSize));
    }
    setSp(out);
  };
  const columns: TableColumnsType<Finding> = [
    { title: t('ledger.kindTitle'), key: 'kind', render: (_: unknown, f) => <KindTag kind={f.kind} /> },
    { title: t('ledger.place'), key: 'place', render: (_: unknown, f) => f.villageName },
    { title: t('ledger.needTitle'), key: 'need', render: (_: unknown, f) => needText(t, f.needCategory) },
    { title: t('ledger.overlap'), key: 'overlap', render: (_: unknown, f) => <span style={nowrap}>{f.overlapStart} ~ {f.overlapEnd}（{t('ledger.days', { n: f.overlapDays })}）</span> },
    { title: t('ledger.records'), key: 'records', align: 'right', render: (_: unknown, f) => f.entryCount },
    { title: t('ledger.excess'), key: 'excess', align: 'right', render: (_: unknown, f) => <span style={nowrap}>{formatFen(f.excessFen)}</span> },
    {
      title: t('ledger.linkage'), key: 'linkage',
      render: (_: unknown, f) => (f.minLinkProbability === null ? <Typography.Text type="secondary">{t('ledger.linkExact')}</Typography.Text> : <span data-testid="finding-linkage">{t('ledger.linkProbabilistic', { p: percent(f.minLinkProbability) })}</span>),
    },
    { title: t('ledger.raisedOn'), key: 'raised', render: (_: unknown, f) => <span style={nowrap}>{f.raisedOn}</span> },
    { title: t('ledger.statusTitle'), key: 'status', render: (_: unknown, f) => <FindingStatusTag status={f.status} /> },
  ];
  const runCheck = (): void => {
    check.mutateAsync().then(
      (r) => void message.success(t('ledger.checkDone', { detected: r.detected, raised: r.raised, remembered: r.remembered })),
      (e: unknown) => void message.error(messageOf(e)),
    );
  };
  return (
    <Flex vertical gap={16}>
      <Flex justify="space-between" align="flex-start" gap={16} wrap>
        <div>
          <Typography.Title level={3} style={{ marginBottom: 4 }}>{t('ledger.findingsTitle')}</Typography.Title>
          <Typography.Text type="secondary">{t('ledger.findingsDescription')}</Typography.Text>
        </div>
        {canCheck ? <Button onClick={runCheck} loading={check.isPending} data-testid="run-check">{t('ledger.runCheck')}</Button> : null}
      </Flex>
      <Card size="small">
        <Flex gap={12} wrap align="center" data-testid="finding-filters">
          <Select
            data-testid="filter-kind" style={{ width: 220 }} value={q.kind ?? ''}
            onChange={(v: string) => update({ kind: (v || undefined) as FindingListParams['kind'] })}
            options={[{ value: '', label: t('ledger.allKinds') }, ...FINDING_KINDS.map((k) => ({ value: k, label: t(`ledger.kind.${k}`) }))]}
          />
          <Select
            data-testid="filter-finding-status" style={{ width: 160 }} value={q.status ?? 'all'}
            onChange={(v: string) => update({ statusValue: v })}
            options={[...FINDING_STATUSES.map((s) => ({ value: s, label: t(`ledger.status.${s}`) })), { value: 'all', label: t('ledger.allStatuses') }]}
          />
        </Flex>
      </Card>
      <Card size="small">
        {findings.isError ? (
          <ErrorView error={findings.error} onRetry={() => void findings.refetch()} />
        ) : (
          <Table<Finding>
            data-testid="findings-table" rowKey="id" size="middle" loading={findings.isFetching} columns={columns}
            dataSource={findings.data?.items ?? []} locale={{ emptyText: t('ledger.noFindings') }}
            onRow={(f) => ({ onClick: () => void navigate(`/ledger/findings/${f.id}`), style: { cursor: 'pointer' } })}
            pagination={{
              current: q.page, pageSize: q.pageSize, total: findings.data?.total ?? 0, pageSizeOptions: PAGE_SIZES, showSizeChanger: true,
              showTotal: (n) => t('ledger.total', { n }), onChange: (page, pageSize) => update({ page, pageSize }),
            }}
            scroll={{ x: 'max-content' }}
          />
        )}
      </Card>
    </Flex>
  );
}
