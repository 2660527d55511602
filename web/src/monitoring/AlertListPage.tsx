/** The alert inbox: level, status (default open) and overdue filters kept in the URL, a server-paged table; a row opens the alert. */
import { Card, Checkbox, Flex, Select, Table, Tag, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import { useTranslation } from 'react-i18next';
import { useNavigate, useSearchParams } from 'react-router-dom';
import type { AlertView } from '../../../src/contracts/index.js';
import { ALERT_LEVELS, ALERT_STATUSES } from '../../../src/contracts/index.js';
import type { AlertListParams } from '../app/api.js';
import { ErrorView } from '../app/ErrorView.js';
import { causeText, LevelTag, StatusTag } from './labels.js';
import { useAlerts } from './queries.js';

const PAGE_SIZES = [10, 20, 50, 100];
const DEFAULT_PAGE_SIZE = 20;
const STATUSES = ['open', ...ALERT_STATUSES] as const;
const nowrap = { whiteSpace: 'nowrap', fontVariantNumeric: 'tabular-nums' } as const;

function readParams(sp: URLSearchParams): AlertListParams {
  const level = sp.get('level') ?? undefined;
  const status = sp.get('status') ?? 'open';
  const page = Number(sp.get('page') ?? '1');
  const pageSize = Number(sp.get('pageSize') ?? String(DEFAULT_PAGE_SIZE));
  return {
    level: level && (ALERT_LEVELS as readonly string[]).includes(level) ? level : undefined,
    status: (STATUSES as readonly string[]).includes(status) ? status : 'open',
    overdue: sp.get('overdue') === 'true' ? true : undefined,
    page: Number.isInteger(page) && page >= 1 ? page : 1,
    pageSize: PAGE_SIZES.includes(pageSize) ? pageSize : DEFAULT_PAGE_SIZE,
  };
}

export function AlertListPage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const [sp, setSp] = useSearchParams();
  const q = readParams(sp);
  const alerts = useAlerts(q);
  const update = (patch: Partial<AlertListParams>): void => {
    const next = { ...q, ...patch };
    if (!('page' in patch)) next.page = 1;
    const out = new URLSearchParams();
    if (next.level) out.set('level', next.level);
    if (next.status && next.status !== 'open') out.set('status', next.status);
    if (next.overdue) out.set('overdue', 'true');
    if (next.page !== 1) out.set('page', String(next.page));
    if (next.pageSize !== DEFAULT_PAGE_SIZE) out.set('pageSize', String(next.pageSize));
    setSp(out);
  };
  const columns: TableColumnsType<AlertView> = [
    { title: t('monitoring.level'), key: 'level', render: (_: unknown, a) => <LevelTag level={a.level} /> },
    { title: t('monitoring.cause'), key: 'cause', render: (_: unknown, a) => <span data-testid="alert-cause">{causeText(t, a.cause)}</span> },
    {
      title: t('monitoring.place'),
      key: 'place',
      render: (_: unknown, a) => (
        <span>
          {a.villageName} <Typography.Text type="secondary">› {a.townshipName}</Typography.Text>
        </span>
      ),
    },
    { title: t('monitoring.raisedOn'), key: 'raised', render: (_: unknown, a) => <span style={nowrap}>{a.raisedOn}</span> },
    {
      title: t('monitoring.dueOn'),
      key: 'due',
      render: (_: unknown, a) => (
        <Flex gap={4} align="center" style={nowrap}>
          <span style={a.overdue ? { color: '#cf1322' } : undefined}>{a.dueOn}</span>
          {a.overdue ? (
            <Tag color="red" variant="outlined" data-testid="alert-overdue">
              {t('monitoring.overdue')}
            </Tag>
          ) : null}
          {a.escalated ? <Tag>{t('monitoring.escalated')}</Tag> : null}
        </Flex>
      ),
    },
    { title: t('monitoring.status'), key: 'status', render: (_: unknown, a) => <StatusTag status={a.status} /> },
  ];
  return (
    <Flex vertical gap={16}>
      <div>
        <Typography.Title level={3} style={{ marginBottom: 4 }}>
          {t('monitoring.alertsTitle')}
        </Typography.Title>
        <Typography.Text type="secondary">{t('monitoring.alertsDescription')}</Typography.Text>
      </div>
      <Card size="small">
        <Flex gap={12} wrap align="center" data-testid="alert-filters">
          <Select
            data-testid="filter-level"
            style={{ width: 140 }}
            value={q.level ?? ''}
            onChange={(v: string) => update({ level: v || undefined })}
            options={[{ value: '', label: t('monitoring.allLevels') }, ...ALERT_LEVELS.map((l) => ({ value: l, label: t(`alertLevel.${l}`) }))]}
          />
          <Select
            data-testid="filter-status"
            style={{ width: 140 }}
            value={q.status ?? 'open'}
            onChange={(v: string) => update({ status: v })}
            options={STATUSES.map((s) => ({ value: s, label: t(`alertStatus.${s}`) }))}
          />
          <Checkbox data-testid="filter-overdue" checked={q.overdue === true} onChange={(e) => update({ overdue: e.target.checked || undefined })}>
            {t('monitoring.overdueOnly')}
          </Checkbox>
        </Flex>
      </Card>
      <Card size="small">
        {alerts.isError ? (
          <ErrorView error={alerts.error} onRetry={() => void alerts.refetch()} />
        ) : (
          <Table<AlertView>
            data-testid="alerts-table"
            rowKey="id"
            size="middle"
            loading={alerts.isFetching}
            columns={columns}
            dataSource={alerts.data?.items ?? []}
            locale={{ emptyText: t('monitoring.empty') }}
            onRow={(a) => ({
              onClick: () => void navigate(`/households/${a.householdId}/alerts/${a.id}`),
              style: { cursor: 'pointer' },
              'data-testid': 'alert-row',
            })}
            pagination={{
              current: q.page,
              pageSize: q.pageSize,
              total: alerts.data?.total ?? 0,
              showSizeChanger: true,
              pageSizeOptions: PAGE_SIZES,
              showTotal: (total) => t('monitoring.total', { total }),
              onChange: (page, pageSize) => update(pageSize !== q.pageSize ? { page: 1, pageSize } : { page }),
            }}
            scroll={{ x: 'max-content' }}
          />
        )}
      </Card>
    </Flex>
  );
}
