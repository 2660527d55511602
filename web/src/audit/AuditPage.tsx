/**
 * The audit trail (audit administrator): who did what to which object, for what purpose, with
 * what result; filters by action, actor and object (kept in the URL), server-side paging, and a
 * check of the whole hash chain.
 */
import { CheckCircleFilled, CloseCircleFilled, ReloadOutlined, SafetyOutlined, SearchOutlined } from '@ant-design/icons';
import { keepPreviousData, useMutation, useQuery } from '@tanstack/react-query';
import { Alert, AutoComplete, Button, Card, Flex, Form, Input, Table, Tag, Tooltip, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router-dom';
import { api, type AuditEntry, type AuditQuery, type AuditVerify } from '../app/api.js';
import { ErrorView, useErrorMessage } from '../app/ErrorView.js';

const PAGE_SIZES = [20, 50, 100] as const;
const DEFAULT_PAGE_SIZE = 20;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** Actions the server records, for the filter's suggestions (others can still be typed). */
export const KNOWN_ACTIONS = [
  'auth.login', 'auth.login_failed', 'auth.logout', 'auth.totp_enable',
  'household.list', 'household.read', 'household.reveal', 'household.create', 'household.update', 'household.add_member', 'household.update_member',
  'household.classify', 'household.read_classifications', 'run.classify',
  'consent.record', 'consent.withdraw', 'shared.list', 'shared.read',
  'user.create', 'user.disable', 'user.enable', 'user.assign_role',
  'organisation.create', 'agreement.create', 'agreement.revoke', 'audit.read', 'demo.load', 'feed.import',
] as const;

const mono = { fontFamily: 'monospace', fontSize: 12, whiteSpace: 'nowrap' } as const;
/** A filter may shrink below its set width on a narrow screen. */
const filterItem = { maxWidth: 'calc(100% - 16px)' } as const;
const muted = { color: 'rgba(0,0,0,0.25)' } as const;

function readQuery(sp: URLSearchParams): AuditQuery {
  const page = Number(sp.get('page') ?? '1');
  const pageSize = Number(sp.get('pageSize') ?? String(DEFAULT_PAGE_SIZE));
  const text = (k: string, max: number): string | undefined => {
    const v = sp.get(k)?.trim();
    return v ? v.slice(0, max) : undefined;
  };
  const actorId = text('actorId', 36);
  return {
    page: Number.isInteger(page) && page >= 1 ? page : 1,
    pageSize: (PAGE_SIZES as readonly number[]).includes(pageSize) ? pageSize : DEFAULT_PAGE_SIZE,
    action: text('action', 64),
    actorId: actorId && UUID.test(actorId) ? actorId : undefined,
    objectId: text('objectId', 64),
  };
}

function writeQuery(q: AuditQuery): URLSearchParams {
  const out = new URLSearchParams();
  if (q.action) out.set('action', q.action);
  if (q.actorId) out.set('actorId', q.actorId);
  if (q.objectId) out.set('objectId', q.objectId);
  if (q.page !== 1) out.set('page', String(q.page));
  if (q.pageSize !== DEFAULT_PAGE_SIZE) out.set('pageSize', String(q.pageSize));
  return out;
}

/** "2026-11-29 15:04:05" in local time. */
function formatSeconds(iso: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  const p = (n: number): string => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}`;
}

/**
 * A long id, shortened: its head (a hash prefix) or its tail (ids: time-ordered UUIDs share their
 * first digits, the last ones tell them apart); the whole value in a tooltip.
 */
function Short({ value, chars = 8, from = 'end', onClick, testId }: { value: string | null; chars?: number; from?: 'start' | 'end'; onClick?: () => void; testId?: string }) {
  if (!value) return <span style={muted}>—</span>;
  const text = value.length <= chars + 1 ? value : from === 'start' ? `${value.slice(0, chars)}…` : `…${value.slice(-chars)}`;
  return (
    <Tooltip title={<span style={{ fontFamily: 'monospace' }}>{value}</span>}>
      {onClick ? (
        <Typography.Link style={mono} onClick={onClick} data-testid={testId}>
          {text}
        </Typography.Link>
      ) : (
        <span style={mono} data-testid={testId}>
          {text}
        </span>
      )}
    </Tooltip>
  );
}

interface FilterForm {
  action?: string;
  actorId?: string;
  objectId?: string;
}

function Filters({ query, apply }: { query: AuditQuery; apply: (f: FilterForm) => void }) {
  const { t } = useTranslation();
  const [form] = Form.useForm<FilterForm>();
  useEffect(() => {
    form.setFieldsValue({ action: query.action ?? '', actorId: query.actorId ?? '', objectId: query.objectId ?? '' });
  }, [form, query.action, query.actorId, query.objectId]);
  return (
    <Form<FilterForm> form={form} layout="inline" style={{ rowGap: 12 }} onFinish={apply} data-testid="audit-filters">
      <Form.Item name="action" label={t('audit.action')} style={filterItem}>
        <AutoComplete
          style={{ width: 200, maxWidth: '100%' }}
          allowClear
          placeholder={t('audit.anyAction')}
          options={KNOWN_ACTIONS.map((a) => ({ value: a, label: `${t(`auditAction.${a}`, { defaultValue: a })} · ${a}` }))}
          showSearch={{ filterOption: (input, o) => (o?.label ?? '').toLowerCase().includes(input.toLowerCase()) }}
          data-testid="audit-filter-action"
        />
      </Form.Item>
      <Form.Item name="actorId" label={t('audit.actor')} style={filterItem} rules={[{ pattern: UUID, message: t('audit.actorInvalid') }]}>
        <Input allowClear style={{ width: 270, maxWidth: '100%', fontFamily: 'monospace', fontSize: 12 }} placeholder={t('audit.actorPlaceholder')} data-testid="audit-filter-actor" />
      </Form.Item>
      <Form.Item name="objectId" label={t('audit.object')} style={filterItem}>
        <Input allowClear style={{ width: 220, maxWidth: '100%', fontFamily: 'monospace', fontSize: 12 }} placeholder={t('audit.objectPlaceholder')} maxLength={64} data-testid="audit-filter-object" />
      </Form.Item>
      <Form.Item>
        <Flex gap={8}>
          <Button type="primary" htmlType="submit" icon={<SearchOutlined />} data-testid="audit-search">
            {t('audit.search')}
          </Button>
          <Button
            icon={<ReloadOutlined />}
            onClick={() => {
              form.resetFields();
              apply({});
            }}
            data-testid="audit-reset"
          >
            {t('common.reset')}
          </Button>
        </Flex>
      </Form.Item>
    </Form>
  );
}

function VerifyResult({ result }: { result: AuditVerify }) {
  const { t } = useTranslation();
  if (result.ok) {
    return (
      <Alert
        type="success"
        showIcon
        icon={<CheckCircleFilled />}
        title={<span data-testid="audit-verify-result" data-ok="true">{t('audit.verifyOk', { checked: result.checked })}</span>}
        description={t('audit.verifyOkHint')}
      />
    );
  }
  return (
    <Alert
      type="error"
      showIcon
      icon={<CloseCircleFilled />}
      title={<span data-testid="audit-verify-result" data-ok="false">{t('audit.verifyFailed', { count: result.problems.length, checked: result.checked })}</span>}
      description={
        <ul style={{ margin: 0, paddingInlineStart: 20 }} data-testid="audit-verify-problems">
          {result.problems.slice(0, 20).map((p) => (
            <li key={`${p.seq}-${p.problem}`}>
              <span style={mono}>#{p.seq}</span> {p.problem}
            </li>
          ))}
          {result.problems.length > 20 ? <li>{t('audit.moreProblems', { count: result.problems.length - 20 })}</li> : null}
        </ul>
      }
    />
  );
}

export function AuditPage() {
  const { t } = useTranslation();
  const errorMessage = useErrorMessage();
  const [sp, setSp] = useSearchParams();
  const query = readQuery(sp);
  const [verifyResult, setVerifyResult] = useState<AuditVerify | null>(null);
  const list = useQuery({
    queryKey: ['audit', 'list', query],
    queryFn: ({ signal }) => api.audit(query, signal),
    placeholderData: keepPreviousData,
    staleTime: 0,
  });
  const verify = useMutation({ mutationFn: () => api.verifyAudit(), onSuccess: setVerifyResult });
  const update = (patch: Partial<AuditQuery>): void => {
    const next = { ...query, ...patch };
    if (!('page' in patch)) next.page = 1;
    setSp(writeQuery(next));
  };

  const columns: TableColumnsType<AuditEntry> = [
    { title: t('audit.seq'), key: 'seq', align: 'right', render: (_: unknown, e) => <span style={{ fontVariantNumeric: 'tabular-nums' }}>{e.seq}</span> },
    { title: t('audit.at'), key: 'at', render: (_: unknown, e) => <span style={{ whiteSpace: 'nowrap', fontVariantNumeric: 'tabular-nums' }}>{formatSeconds(e.at)}</span> },
    {
      title: t('audit.actor'),
      key: 'actor',
      render: (_: unknown, e) => <Short value={e.actorId} onClick={e.actorId ? () => update({ actorId: e.actorId ?? undefined }) : undefined} testId="audit-actor" />,
    },
    {
      title: t('audit.role'),
      key: 'role',
      render: (_: unknown, e) => (e.role ? <span style={{ whiteSpace: 'nowrap' }}>{t(`role.${e.role}`, { defaultValue: e.role })}</span> : <span style={muted}>—</span>),
    },
    {
      title: t('audit.action'),
      key: 'action',
      render: (_: unknown, e) => (
        <Tooltip title={e.action}>
          <span style={{ whiteSpace: 'nowrap' }} data-testid="audit-action" data-action={e.action}>
            {t(`auditAction.${e.action}`, { defaultValue: e.action })}
          </span>
        </Tooltip>
      ),
    },
    {
      title: t('audit.object'),
      key: 'object',
      render: (_: unknown, e) => (
        <span style={{ whiteSpace: 'nowrap' }}>
          <Typography.Text type="secondary" style={{ fontSize: 12, marginInlineEnd: 6 }}>
            {t(`auditObject.${e.objectType}`, { defaultValue: e.objectType })}
          </Typography.Text>
          <Short value={e.objectId} onClick={e.objectId ? () => update({ objectId: e.objectId ?? undefined }) : undefined} testId="audit-object" />
        </span>
      ),
    },
    {
      title: t('audit.purpose'),
      key: 'purpose',
      render: (_: unknown, e) => (e.purpose ? <span data-testid="audit-purpose">{purposeText(e.purpose, t)}</span> : <span style={muted}>—</span>),
    },
    {
      title: t('audit.result'),
      key: 'result',
      render: (_: unknown, e) => (
        <Tag color={e.result === 'ok' ? 'success' : e.result === 'denied' ? 'warning' : 'error'} style={{ marginInlineEnd: 0 }} data-testid="audit-result">
          {t(`auditResult.${e.result}`)}
        </Tag>
      ),
    },
    { title: t('audit.requestId'), key: 'requestId', render: (_: unknown, e) => <Short value={e.requestId} /> },
    { title: t('audit.hash'), key: 'hash', render: (_: unknown, e) => <Short value={e.hash} chars={12} from="start" testId="audit-hash" /> },
  ];

  return (
    <Flex vertical gap={16} data-testid="audit-page">
      <Flex justify="space-between" align="flex-start" gap={16} wrap>
        <div>
          <Typography.Title level={4} style={{ margin: 0 }}>
            {t('audit.title')}
          </Typography.Title>
          <Typography.Text type="secondary">{t('audit.description')}</Typography.Text>
        </div>
        <Button icon={<SafetyOutlined />} loading={verify.isPending} onClick={() => verify.mutate()} data-testid="audit-verify">
          {t('audit.verify')}
        </Button>
      </Flex>
      {verifyResult ? <VerifyResult result={verifyResult} /> : null}
      {verify.isError ? <Alert type="error" showIcon title={errorMessage(verify.error)} /> : null}
      <Card size="small">
        <Filters
          query={query}
          apply={(f) =>
            update({
              action: f.action?.trim() || undefined,
              actorId: f.actorId?.trim() || undefined,
              objectId: f.objectId?.trim() || undefined,
            })
          }
        />
      </Card>
      <Card size="small" styles={{ body: { padding: 0 } }}>
        {list.isError ? (
          <div style={{ padding: 16 }}>
            <ErrorView error={list.error} onRetry={() => void list.refetch()} />
          </div>
        ) : (
          <Table<AuditEntry>
            rowKey="seq"
            size="small"
            data-testid="audit-table"
            loading={list.isFetching}
            columns={columns}
            dataSource={list.data?.items ?? []}
            locale={{ emptyText: list.isLoading ? ' ' : t('audit.empty') }}
            scroll={{ x: 'max-content' }}
            pagination={{
              current: query.page,
              pageSize: query.pageSize,
              total: list.data?.total ?? 0,
              showSizeChanger: true,
              pageSizeOptions: PAGE_SIZES.map(String),
              showTotal: (total) => <span data-testid="audit-total">{t('common.total', { total })}</span>,
              onChange: (page, pageSize) => (pageSize !== query.pageSize ? update({ pageSize }) : update({ page })),
              style: { paddingInline: 16 },
            }}
          />
        )}
      </Card>
    </Flex>
  );
}

/** "home_visit: 入户核查" → "入户走访：入户核查" (a reveal's reason, then its note). */
function purposeText(purpose: string, t: (key: string, o?: { defaultValue: string }) => string): string {
  const m = /^([a-z_]+)(?::\s*(.*))?$/s.exec(purpose);
  if (!m?.[1]) return purpose;
  const label = t(`revealReason.${m[1]}`, { defaultValue: '' });
  if (!label) return purpose;
  return m[2] ? t('audit.purposeWithNote', { reason: label, note: m[2] } as never) : label;
}
