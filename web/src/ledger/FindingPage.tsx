/**
 * Reviewing one finding: the records side by side (masked as everywhere), the registry member
 * they were linked to, the linkage explanation (each field's agreement level and its weight in
 * the match) and the auditor's decision — confirm (a recovery task: amount, responsible
 * department) or false positive (a reason that is remembered).
 */
import { ArrowLeftOutlined, HomeOutlined } from '@ant-design/icons';
import { Alert, App, Button, Card, Col, Descriptions, Flex, Form, Input, InputNumber, Radio, Row, Table, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router-dom';
import { ApiError } from '../app/api.js';
import { ErrorView, Loading, NotFoundResult, useErrorMessage } from '../app/ErrorView.js';
import { formatDateTime, formatFen } from '../app/format.js';
import { applyServerErrors } from '../app/forms.js';
import { useCan } from '../auth/AuthContext.js';
import type { FindingDetail, LedgerEntry } from './api.js';
import { FindingStatusTag, KindTag, LinkTag, needText, percent, ProgrammeTag, ProviderName, providerNamesOf, providerText } from './labels.js';
import { useFinding, useResolveFinding } from './queries.js';

const nowrap = { whiteSpace: 'nowrap', fontVariantNumeric: 'tabular-nums' } as const;

/** The two sides a finding compares (one side for a receipt after death); `label` is a region name, a provider code or a sector. */
function sides(f: FindingDetail): { key: string; label: string; entries: LedgerEntry[] }[] {
  const by = (key: (e: LedgerEntry) => string, label: (e: LedgerEntry) => string) => {
    const m = new Map<string, { key: string; label: string; entries: LedgerEntry[] }>();
    for (const e of f.entries) {
      const k = key(e);
      const s = m.get(k) ?? { key: k, label: label(e), entries: [] };
      s.entries.push(e);
      m.set(k, s);
    }
    return [...m.values()];
  };
  switch (f.kind) {
    case 'dibao_two_places': return by((e) => e.providerRegion, (e) => e.providerRegionName);
    case 'multi_provider': return by((e) => e.provider, (e) => e.provider);
    case 'over_cap': return by((e) => e.sector, (e) => e.sector);
    case 'after_death': return [{ key: 'all', label: '', entries: f.entries }];
  }
}

/** A side's records; `showProvider` for the one side of a receipt after death (two sides name their providers in their titles). */
function EntriesTable({ entries, showProvider }: { entries: LedgerEntry[]; showProvider: boolean }) {
  const { t } = useTranslation();
  const columns: TableColumnsType<LedgerEntry> = [
    { title: t('ledger.period'), key: 'period', render: (_: unknown, e) => <span style={nowrap}>{e.periodStart === e.periodEnd ? e.periodStart : `${e.periodStart} ~ ${e.periodEnd}`}</span> },
    { title: t('ledger.programmeTitle'), key: 'programme', render: (_: unknown, e) => <ProgrammeTag e={e} /> },
    ...(showProvider ? [{ title: t('ledger.providerTitle'), key: 'provider', render: (_: unknown, e: LedgerEntry) => <ProviderName e={e} /> }] : []),
    { title: t('ledger.amount'), key: 'amount', align: 'right', render: (_: unknown, e) => <span style={nowrap}>{formatFen(e.amountFen)}</span> },
    { title: t('ledger.link'), key: 'link', render: (_: unknown, e) => <LinkTag link={e.link} /> },
    { title: t('ledger.asRecorded'), key: 'who', render: (_: unknown, e) => <span style={nowrap}>{e.name} <Typography.Text type="secondary" style={{ fontFamily: 'monospace' }}>{e.idNumber}</Typography.Text></span> },
  ];
  return <Table<LedgerEntry> rowKey="id" size="small" columns={columns} dataSource={entries} pagination={false} scroll={{ x: 'max-content' }} />;
}

function Explanation({ e }: { e: LedgerEntry }) {
  const { t } = useTranslation();
  if (e.link?.method !== 'probabilistic') return null;
  const rows = e.link.fields;
  const total = rows.reduce((s, f) => s + f.weight, 0);
  return (
    <Card size="small" type="inner" title={t('ledger.explanationTitle', { source: e.sourceName || providerText(t, e.source), p: percent(e.link.probability) })} data-testid="link-explanation">
      <Table
        rowKey="field" size="small" pagination={false}
        dataSource={rows}
        columns={[
          { title: t('ledger.field'), key: 'field', render: (_: unknown, f: (typeof rows)[number]) => t(`ledger.fieldName.${f.field}`, { defaultValue: f.field }) },
          { title: t('ledger.agreement'), key: 'level', render: (_: unknown, f: (typeof rows)[number]) => <span data-testid={`level-${f.field}`}>{t(`ledger.level.${f.levelName.replace(/[^a-z0-9]+/gi, '_').replace(/^_|_$/g, '')}`, { defaultValue: f.levelName })}</span> },
          { title: t('ledger.weight'), key: 'weight', align: 'right', render: (_: unknown, f: (typeof rows)[number]) => <span style={{ ...nowrap, color: f.weight >= 0 ? '#389e0d' : '#cf1322' }}>{f.weight >= 0 ? '+' : ''}{f.weight.toFixed(2)}</span> },
        ]}
        summary={() => (
          <Table.Summary.Row>
            <Table.Summary.Cell index={0} colSpan={2}>{t('ledger.matchWeight')}</Table.Summary.Cell>
            <Table.Summary.Cell index={2} align="right"><span style={nowrap}>{total.toFixed(2)}</span></Table.Summary.Cell>
          </Table.Summary.Row>
        )}
      />
    </Card>
  );
}

function Resolve({ f }: { f: FindingDetail }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const messageOf = useErrorMessage();
  const resolve = useResolveFinding(f.id);
  const [outcome, setOutcome] = useState<'confirmed' | 'false_positive'>('confirmed');
  const [form] = Form.useForm<{ amountYuan: number; department: string; note?: string; reason?: string }>();
  const defaultDept = f.entries.find((e) => e.sector === 'government')?.provider ?? 'civil_affairs';
  const submit = async (): Promise<void> => {
    // A failed validation shows on the fields; it is not an error to report.
    const v = await form.validateFields().catch(() => null);
    if (!v) return;
    const body = outcome === 'confirmed'
      ? { outcome, recoveryAmountFen: Math.round(v.amountYuan * 100), department: v.department, ...(v.note ? { note: v.note } : {}) }
      : { outcome, reason: v.reason ?? '' };
    try {
      await resolve.mutateAsync(body);
      message.success(t(outcome === 'confirmed' ? 'ledger.confirmedDone' : 'ledger.falsePositiveDone'));
    } catch (e) {
      applyServerErrors(form, e, ['department', 'note', 'reason']);
      message.error(messageOf(e));
    }
  };
  return (
    <Card size="small" title={t('ledger.decision')} data-testid="finding-decision">
      <Form form={form} layout="vertical" initialValues={{ amountYuan: f.excessFen / 100, department: defaultDept }} style={{ maxWidth: 520 }}>
        <Form.Item label={t('ledger.outcome')}>
          <Radio.Group value={outcome} onChange={(e) => setOutcome(e.target.value as typeof outcome)} data-testid="finding-outcome">
            <Radio.Button value="confirmed" data-testid="outcome-confirmed">{t('ledger.confirm')}</Radio.Button>
            <Radio.Button value="false_positive" data-testid="outcome-false-positive">{t('ledger.falsePositive')}</Radio.Button>
          </Radio.Group>
        </Form.Item>
        {outcome === 'confirmed' ? (
          <>
            <Form.Item name="amountYuan" label={t('ledger.recoveryAmount')} rules={[{ required: true, message: t('ledger.required') }]} extra={t('ledger.suggested', { amount: formatFen(f.excessFen) })}>
              <InputNumber min={0} precision={2} suffix="元" style={{ width: 220 }} data-testid="recovery-amount" />
            </Form.Item>
            <Form.Item name="department" label={t('ledger.department')} rules={[{ required: true, pattern: /^[a-z][a-z0-9_-]{1,63}$/, message: t('ledger.departmentHint') }]}>
              <Input style={{ width: 260 }} data-testid="recovery-department" />
            </Form.Item>
            <Form.Item name="note" label={t('ledger.note')} extra={t('ledger.noPersonalData')}>
              <Input maxLength={200} />
            </Form.Item>
          </>
        ) : (
          <Form.Item name="reason" label={t('ledger.reason')} rules={[{ required: true, min: 4, message: t('ledger.reasonHint') }]} extra={t('ledger.noPersonalData')}>
            <Input.TextArea rows={3} maxLength={200} data-testid="fp-reason" />
          </Form.Item>
        )}
        <Button type="primary" danger={outcome === 'confirmed'} onClick={() => void submit()} loading={resolve.isPending} data-testid="submit-decision">
          {outcome === 'confirmed' ? t('ledger.confirmSubmit') : t('ledger.falsePositiveSubmit')}
        </Button>
      </Form>
    </Card>
  );
}

const DETAIL_MONEY = new Set(['governmentFen', 'charityFen', 'basisFen', 'capFen']);

export function FindingPage() {
  const { t } = useTranslation();
  const { id = '' } = useParams();
  const finding = useFinding(id);
  const canResolve = useCan('finding.resolve');
  if (finding.isLoading) return <Loading />;
  if (finding.isError) {
    if (finding.error instanceof ApiError && finding.error.status === 404) return <NotFoundResult title={t('ledger.notFound')} />;
    return <ErrorView error={finding.error} onRetry={() => void finding.refetch()} />;
  }
  const f = finding.data!;
  const parts = sides(f);
  const names = providerNamesOf(f.entries);
  /** A side's title: the county; the provider; or the sector with its providers (government and charity over the cap). */
  const sideLabel = (s: (typeof parts)[number]): string => {
    if (f.kind === 'multi_provider') return providerText(t, s.label, names.get(s.label));
    if (f.kind !== 'over_cap') return s.label;
    const providers = [...new Set(s.entries.map((e) => providerText(t, e.provider, e.providerName)))];
    return `${t(`ledger.sector.${s.key}`)} · ${providers.join('、')}`;
  };
  const explained = parts.map((s) => s.entries.find((e) => e.link?.method === 'probabilistic')).filter((e): e is LedgerEntry => e !== undefined);
  return (
    <Flex vertical gap={16} data-testid="finding-page">
      <Flex justify="space-between" align="center" wrap gap={8}>
        <Link to="/ledger/findings"><ArrowLeftOutlined /> {t('ledger.backToList')}</Link>
        <Link to={`/households/${f.householdId}`} data-testid="finding-household"><HomeOutlined /> {t('ledger.openHousehold')}</Link>
      </Flex>
      <Flex align="center" gap={8} wrap>
        <Typography.Title level={3} style={{ margin: 0 }}>{t('ledger.reviewTitle')}</Typography.Title>
        <KindTag kind={f.kind} />
        <FindingStatusTag status={f.status} />
      </Flex>
      <Typography.Text type="secondary">{t(`ledger.rule.${f.kind}`)}</Typography.Text>
      <Card size="small">
        <Descriptions size="small" column={{ xs: 1, sm: 2, lg: 3 }}>
          <Descriptions.Item label={t('ledger.place')}>{f.villageName}</Descriptions.Item>
          <Descriptions.Item label={t('ledger.needTitle')}>{needText(t, f.needCategory)}</Descriptions.Item>
          <Descriptions.Item label={t('ledger.overlap')}>{f.overlapStart} ~ {f.overlapEnd}（{t('ledger.days', { n: f.overlapDays })}）</Descriptions.Item>
          <Descriptions.Item label={t('ledger.totalAmount')}>{formatFen(f.totalFen)}</Descriptions.Item>
          <Descriptions.Item label={t('ledger.excess')}><span data-testid="finding-excess">{formatFen(f.excessFen)}</span></Descriptions.Item>
          <Descriptions.Item label={t('ledger.raisedOn')}>{f.raisedOn}</Descriptions.Item>
          {Object.entries(f.detail).map(([k, v]) => (
            <Descriptions.Item key={k} label={t(`ledger.detail.${k}`, { defaultValue: k })}>
              {typeof v === 'number' && DETAIL_MONEY.has(k) ? formatFen(v)
                : k.startsWith('provider') && typeof v === 'string' ? providerText(t, v, names.get(v))
                  : k === 'sector' && typeof v === 'string' ? t(`ledger.sector.${v}`, { defaultValue: v })
                    : String(v ?? '—')}
            </Descriptions.Item>
          ))}
        </Descriptions>
      </Card>
      {f.member ? (
        <Card size="small" title={t('ledger.registryPerson')} data-testid="finding-member">
          <Descriptions size="small" column={{ xs: 1, sm: 2, lg: 4 }}>
            <Descriptions.Item label={t('ledger.name')}>{f.member.name}</Descriptions.Item>
            <Descriptions.Item label={t('ledger.idNumber')}><span style={{ fontFamily: 'monospace' }}>{f.member.idNumber}</span></Descriptions.Item>
            <Descriptions.Item label={t('ledger.birthDate')}>{f.member.birthDate}</Descriptions.Item>
            <Descriptions.Item label={t('ledger.deceasedOn')}>{f.member.deceasedOn ?? '—'}</Descriptions.Item>
          </Descriptions>
        </Card>
      ) : null}
      <Row gutter={[16, 16]} data-testid="finding-sides">
        {parts.map((s, i) => (
          <Col key={s.key} xs={24} xl={parts.length > 1 ? 12 : 24}>
            <Card size="small" title={parts.length > 1 ? t('ledger.side', { n: i + 1, label: sideLabel(s) }) : t('ledger.afterDeathRecords')} data-testid={`finding-side-${i + 1}`}>
              <EntriesTable entries={s.entries} showProvider={f.kind === 'after_death'} />
            </Card>
          </Col>
        ))}
      </Row>
      {explained.length > 0 ? (
        <Card size="small" title={t('ledger.linkageTitle')} extra={<Typography.Text type="secondary">{t('ledger.linkageHint')}</Typography.Text>}>
          <Flex vertical gap={12}>{explained.map((e) => <Explanation key={e.id} e={e} />)}</Flex>
        </Card>
      ) : null}
      {f.status === 'open' && canResolve ? <Resolve f={f} /> : null}
      {f.status !== 'open' ? (
        <Alert
          type={f.status === 'confirmed' ? 'warning' : 'info'} showIcon data-testid="finding-resolution"
          title={f.status === 'confirmed' ? t('ledger.resolvedConfirmed', { amount: formatFen(f.recovery?.amountFen ?? 0), department: providerText(t, f.recovery?.department ?? ''), status: t(`ledger.recovery.${f.recovery?.status ?? 'open'}`) }) : t('ledger.resolvedFalsePositive', { reason: f.reason ?? '' })}
          description={f.resolvedAt ? formatDateTime(f.resolvedAt) : null}
        />
      ) : null}
    </Flex>
  );
}
