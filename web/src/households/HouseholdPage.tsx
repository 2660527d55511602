/**
 * One household: where it is registered, its members, the verified income / asset / expenditure /
 * emergency records with their source departments, and the classification with its trace,
 * a re-classify button and the history of past classifications. Names, ID numbers and phones are
 * masked; "Show full" (with a reason, audited) reveals them for as long as the page is open.
 * Users who record consent see the household's consents to share.
 */
import { ArrowLeftOutlined, EyeInvisibleOutlined, EyeOutlined, HistoryOutlined, SyncOutlined } from '@ant-design/icons';
import { App, Button, Card, Descriptions, Divider, Empty, Flex, Space, Table, Tabs, Tag, Tooltip, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router-dom';
import type { ClassificationView, HouseholdView, MemberView } from '../../../src/contracts/index.js';
import { CategoryTag, FlagTags } from '../app/categories.js';
import { ApiError, type RevealedMember } from '../app/api.js';
import { ErrorView, Loading, NotFoundResult, useErrorMessage } from '../app/ErrorView.js';
import { ageOn, formatDate, formatDateTime, formatFen } from '../app/format.js';
import { useCan } from '../auth/AuthContext.js';
import { RiskHistoryCard } from '../monitoring/RiskHistoryCard.js';
import { HouseholdCharityCards } from '../charity/HouseholdCharityCards.js';
import { ConsentCard } from './ConsentCard.js';
import { LedgerCard } from '../ledger/LedgerCard.js';
import { useClassificationHistory, useHousehold, useReclassify } from './queries.js';
import { RevealDialog } from './RevealDialog.js';
import { TraceView } from './TraceView.js';

type Income = HouseholdView['incomes'][number];
type Asset = HouseholdView['assets'][number];
type Expenditure = HouseholdView['expenditures'][number];
type Emergency = HouseholdView['emergencies'][number];

const muted = { color: 'rgba(0,0,0,0.25)' } as const;
const money = { fontVariantNumeric: 'tabular-nums', whiteSpace: 'nowrap' } as const;

function SourceTag({ dept, name }: { dept: string; name?: string | null | undefined }) {
  const { t } = useTranslation();
  return (
    <Tooltip title={dept}>
      <Tag data-testid="source-dept" style={{ marginInlineEnd: 0 }}>
        {/* A department's own feed is kept under its organisation (org_…): the server names it. A record
            relayed by civil-affairs staff names the department by its feed code (emergency, health, …). */}
        {name || t(`source.${dept}`, { defaultValue: t(`feedSource.${dept}`, { defaultValue: dept }) })}
      </Tag>
    </Tooltip>
  );
}

function Period({ start, end }: { start: string; end: string }) {
  return (
    <span style={{ whiteSpace: 'nowrap', fontVariantNumeric: 'tabular-nums' }}>
      {start} ~ {end}
    </span>
  );
}

/** Full values by member id, after "Show full"; null while masked. */
type Revealed = ReadonlyMap<string, RevealedMember> | null;

function MembersTable({ members, revealed }: { members: MemberView[]; revealed: Revealed }) {
  const { t } = useTranslation();
  const full = (m: MemberView): RevealedMember | undefined => revealed?.get(m.id);
  const columns: TableColumnsType<MemberView> = [
    {
      title: t('household.name'),
      key: 'name',
      render: (_: unknown, m) => (
        <Space size={4}>
          <span data-testid="member-name" data-revealed={full(m) ? 'true' : 'false'} style={{ whiteSpace: 'nowrap' }}>
            {full(m)?.name ?? m.name}
          </span>
          {m.deceasedOn ? <Tag>{t('household.deceased', { date: m.deceasedOn })}</Tag> : null}
        </Space>
      ),
    },
    {
      title: t('household.idNumber'),
      key: 'idNumber',
      render: (_: unknown, m) => (
        <span data-testid="member-id-number" style={{ ...money, fontFamily: 'monospace' }}>
          {full(m)?.idNumber ?? m.idNumber}
        </span>
      ),
    },
    {
      title: t('household.phone'),
      key: 'phone',
      render: (_: unknown, m) => {
        const phone = revealed ? full(m)?.phone : m.phone;
        return phone ? (
          <span data-testid="member-phone" style={{ ...money, fontFamily: 'monospace' }}>
            {phone}
          </span>
        ) : (
          <span style={muted}>—</span>
        );
      },
    },
    { title: t('household.relation'), key: 'relation', render: (_: unknown, m) => t(`relation.${m.relation}`) },
    { title: t('household.sex'), key: 'sex', render: (_: unknown, m) => t(`sex.${m.sex}`) },
    { title: t('household.birthDate'), key: 'birthDate', dataIndex: 'birthDate', render: (d: string) => <span style={money}>{d}</span> },
    { title: t('household.age'), key: 'age', align: 'right', render: (_: unknown, m) => ageOn(m.birthDate, m.deceasedOn ?? undefined) ?? '—' },
    {
      title: t('household.disabilityGrade'),
      key: 'disability',
      render: (_: unknown, m) =>
        m.disabilityGrade > 0 ? <Tag color={m.disabilityGrade <= 2 ? 'orange' : 'default'}>{t(`disability.${m.disabilityGrade}`)}</Tag> : t('disability.0'),
    },
    {
      title: t('household.seriousIllness'),
      key: 'illness',
      render: (_: unknown, m) => (m.seriousIllness ? <Tag color="red">{t('common.yes')}</Tag> : t('common.no')),
    },
    { title: t('household.labourCapacity'), key: 'labour', render: (_: unknown, m) => t(`labour.${m.labourCapacity}`) },
    { title: t('household.schooling'), key: 'schooling', render: (_: unknown, m) => t(`schooling.${m.schooling}`) },
  ];
  return (
    <Table<MemberView>
      data-testid="members-table"
      rowKey="id"
      size="small"
      columns={columns}
      dataSource={members}
      pagination={false}
      scroll={{ x: 'max-content' }}
    />
  );
}

function RecordTabs({ h }: { h: HouseholdView }) {
  const { t } = useTranslation();
  const memberNames = useMemo(() => new Map(h.members.map((m) => [m.id, m.name])), [h.members]);
  const memberOf = (id: string | null | undefined) =>
    id ? (memberNames.get(id) ?? '—') : <span style={{ color: 'rgba(0,0,0,0.45)' }}>{t('household.wholeHousehold')}</span>;
  const empty = { emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('household.noRecords')} /> };
  const paging = (n: number) => (n > 10 ? { pageSize: 10, size: 'small' as const, hideOnSinglePage: true } : (false as const));

  const incomeColumns: TableColumnsType<Income> = [
    {
      title: t('household.item'),
      key: 'item',
      render: (_: unknown, r) => (
        <span>
          {t(`incomeCategory.${r.category}`)}
          {r.subtype !== r.category ? (
            <Typography.Text type="secondary" style={{ marginInlineStart: 6, fontSize: 12 }}>
              {t(`incomeSubtype.${r.subtype}`, { defaultValue: r.subtype })}
            </Typography.Text>
          ) : null}
        </span>
      ),
    },
    { title: t('household.member'), key: 'member', render: (_: unknown, r) => memberOf(r.memberId) },
    { title: t('household.source'), key: 'source', render: (_: unknown, r) => <SourceTag dept={r.sourceDept} name={r.sourceName} /> },
    { title: t('household.period'), key: 'period', render: (_: unknown, r) => <Period start={r.periodStart} end={r.periodEnd} /> },
    {
      title: t('household.amount'),
      key: 'amount',
      align: 'right',
      render: (_: unknown, r) => (
        <span style={{ ...money, color: r.category === 'deduction' ? '#8c8c8c' : undefined }}>
          {r.category === 'deduction' ? formatFen(-r.amountFen) : formatFen(r.amountFen)}
        </span>
      ),
    },
  ];
  const assetColumns: TableColumnsType<Asset> = [
    {
      title: t('household.item'),
      key: 'kind',
      render: (_: unknown, r) => (
        <Space size={4}>
          {t(`assetKind.${r.kind}`)}
          {r.isDisabilityVehicle ? <Tag color="blue">{t('household.disabilityVehicle')}</Tag> : null}
        </Space>
      ),
    },
    { title: t('household.member'), key: 'member', render: (_: unknown, r) => memberOf(r.memberId) },
    { title: t('household.source'), key: 'source', render: (_: unknown, r) => <SourceTag dept={r.sourceDept} name={r.sourceName} /> },
    { title: t('household.asOf'), key: 'asOf', render: (_: unknown, r) => <span style={money}>{r.asOf}</span> },
    {
      title: t('household.floorArea'),
      key: 'area',
      align: 'right',
      render: (_: unknown, r) => (r.floorAreaM2 === null || r.floorAreaM2 === undefined ? <span style={muted}>—</span> : `${r.floorAreaM2} ㎡`),
    },
    { title: t('household.value'), key: 'value', align: 'right', render: (_: unknown, r) => <span style={money}>{formatFen(r.valueFen)}</span> },
  ];
  const expenditureColumns: TableColumnsType<Expenditure> = [
    { title: t('household.item'), key: 'category', render: (_: unknown, r) => t(`expenditureCategory.${r.category}`) },
    { title: t('household.member'), key: 'member', render: (_: unknown, r) => memberOf(r.memberId) },
    { title: t('household.source'), key: 'source', render: (_: unknown, r) => <SourceTag dept={r.sourceDept} name={r.sourceName} /> },
    { title: t('household.period'), key: 'period', render: (_: unknown, r) => <Period start={r.periodStart} end={r.periodEnd} /> },
    { title: t('household.amount'), key: 'amount', align: 'right', render: (_: unknown, r) => <span style={money}>{formatFen(r.amountFen)}</span> },
  ];
  const emergencyColumns: TableColumnsType<Emergency> = [
    { title: t('household.kind'), key: 'kind', render: (_: unknown, r) => <Tag color="red">{t(`emergencyKind.${r.kind}`)}</Tag> },
    { title: t('household.source'), key: 'source', render: (_: unknown, r) => <SourceTag dept={r.sourceDept} name={r.sourceName} /> },
    { title: t('household.occurredOn'), key: 'occurredOn', render: (_: unknown, r) => <span style={money}>{r.occurredOn}</span> },
  ];
  const label = (text: string, n: number) => (
    <span>
      {text} <Typography.Text type="secondary">({n})</Typography.Text>
    </span>
  );
  return (
    <Tabs
      data-testid="record-tabs"
      items={[
        {
          key: 'incomes',
          label: label(t('household.incomes'), h.incomes.length),
          children: (
            <Table<Income> data-testid="incomes-table" rowKey="id" size="small" columns={incomeColumns} dataSource={h.incomes} pagination={paging(h.incomes.length)} locale={empty} scroll={{ x: 'max-content' }} />
          ),
        },
        {
          key: 'assets',
          label: label(t('household.assets'), h.assets.length),
          children: (
            <Table<Asset> data-testid="assets-table" rowKey="id" size="small" columns={assetColumns} dataSource={h.assets} pagination={paging(h.assets.length)} locale={empty} scroll={{ x: 'max-content' }} />
          ),
        },
        {
          key: 'expenditures',
          label: label(t('household.expenditures'), h.expenditures.length),
          children: (
            <Table<Expenditure>
              data-testid="expenditures-table"
              rowKey="id"
              size="small"
              columns={expenditureColumns}
              dataSource={h.expenditures}
              pagination={paging(h.expenditures.length)}
              locale={empty}
              scroll={{ x: 'max-content' }}
            />
          ),
        },
        {
          key: 'emergencies',
          label: label(t('household.emergencies'), h.emergencies.length),
          children: (
            <Table<Emergency>
              data-testid="emergencies-table"
              rowKey="id"
              size="small"
              columns={emergencyColumns}
              dataSource={h.emergencies}
              pagination={paging(h.emergencies.length)}
              locale={empty}
              scroll={{ x: 'max-content' }}
            />
          ),
        },
      ]}
    />
  );
}

function ReclassifyButton({ id }: { id: string }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const errorMessage = useErrorMessage();
  const mutation = useReclassify(id);
  return (
    <Button
      type="primary"
      icon={<SyncOutlined />}
      loading={mutation.isPending}
      data-testid="reclassify"
      onClick={() =>
        mutation.mutate(undefined, {
          onSuccess: (c) => void message.success(t('classification.reclassified', { category: t(`category.${c.category}`) })),
          onError: (e) => void message.error(t('classification.reclassifyFailed', { message: errorMessage(e) })),
        })
      }
    >
      {t('classification.reclassify')}
    </Button>
  );
}

function ClassificationCard({ h, regionNames }: { h: HouseholdView; regionNames: ReadonlyMap<string, string> }) {
  const { t } = useTranslation();
  const canClassify = useCan('household.classify');
  const c = h.latestClassification;
  return (
    <Card title={t('classification.title')} extra={canClassify ? <ReclassifyButton id={h.id} /> : null} data-testid="classification-card">
      {c === null ? (
        <Empty description={t('classification.none')} data-testid="classification-none" />
      ) : (
        <>
          <Descriptions size="small" column={{ xs: 1, md: 2, xl: 4 }} colon={false} styles={{ label: { color: 'rgba(0,0,0,0.55)' } }} data-testid="classification-summary">
            <Descriptions.Item label={t('classification.category')}>
              <span data-testid="classification-category">
                <CategoryTag category={c.category} />
              </span>
            </Descriptions.Item>
            <Descriptions.Item label={t('classification.flags')}>
              <FlagTags flags={c.flags} />
            </Descriptions.Item>
            <Descriptions.Item label={t('classification.payment')}>
              <Typography.Text strong style={{ ...money, fontSize: 16 }} data-testid="classification-payment">
                {formatFen(c.paymentFen)}
              </Typography.Text>
            </Descriptions.Item>
            <Descriptions.Item label={t('classification.perCapita')}>
              <span style={money} data-testid="classification-per-capita">
                {formatFen(c.perCapitaMonthlyIncomeFen)}
              </span>
            </Descriptions.Item>
            <Descriptions.Item label={t('classification.policyVersion')}>
              <span data-testid="classification-policy">{c.policyVersion}</span>
            </Descriptions.Item>
            <Descriptions.Item label={t('classification.asOf')}>
              <span data-testid="classification-as-of">{c.asOf}</span>
            </Descriptions.Item>
            <Descriptions.Item label={t('classification.createdAt')} span="filled">
              {formatDateTime(c.createdAt)}
            </Descriptions.Item>
          </Descriptions>
          <Divider titlePlacement="start" style={{ marginBlock: 12 }}>
            {t('classification.trace')}
          </Divider>
          <Typography.Paragraph type="secondary" style={{ fontSize: 12, marginBottom: 8 }}>
            {t('classification.traceHint')}
          </Typography.Paragraph>
          <TraceView trace={c.trace} regionNames={regionNames} />
        </>
      )}
    </Card>
  );
}

function HistoryCard({ h, regionNames }: { h: HouseholdView; regionNames: ReadonlyMap<string, string> }) {
  const { t } = useTranslation();
  const history = useClassificationHistory(h.id);
  const latestId = h.latestClassification?.id;
  const columns: TableColumnsType<ClassificationView> = [
    {
      title: t('classification.asOf'),
      key: 'asOf',
      render: (_: unknown, c) => (
        <Space size={4}>
          <span style={money}>{c.asOf}</span>
          {c.id === latestId ? <Tag color="processing">{t('classification.current')}</Tag> : null}
        </Space>
      ),
    },
    { title: t('classification.category'), key: 'category', render: (_: unknown, c) => <CategoryTag category={c.category} /> },
    { title: t('classification.payment'), key: 'payment', align: 'right', render: (_: unknown, c) => <span style={money}>{formatFen(c.paymentFen)}</span> },
    { title: t('classification.policyVersion'), key: 'policy', dataIndex: 'policyVersion' },
    { title: t('classification.createdAt'), key: 'createdAt', render: (_: unknown, c) => <span style={money}>{formatDateTime(c.createdAt)}</span> },
  ];
  return (
    <Card
      title={
        <Space>
          <HistoryOutlined />
          {t('classification.history')}
        </Space>
      }
      data-testid="classification-history"
    >
      {history.isError ? (
        <ErrorView error={history.error} onRetry={() => void history.refetch()} />
      ) : (
        <Table<ClassificationView>
          rowKey="id"
          size="small"
          loading={history.isLoading}
          columns={columns}
          dataSource={history.data ?? []}
          pagination={(history.data?.length ?? 0) > 10 ? { pageSize: 10, size: 'small' } : false}
          expandable={{
            expandedRowRender: (c) => <TraceView trace={c.trace} regionNames={regionNames} testId="history-trace" />,
          }}
          scroll={{ x: 'max-content' }}
        />
      )}
    </Card>
  );
}

/**
 * The members, masked as the server sends them; a user allowed to unmask may show the full values
 * for a stated reason. They stay in this component's state only, so leaving the page forgets them.
 */
function MembersCard({ h }: { h: HouseholdView }) {
  const { t } = useTranslation();
  const canUnmask = useCan('household.unmask');
  const [revealed, setRevealed] = useState<Revealed>(null);
  const [asking, setAsking] = useState(false);
  return (
    <Card
      title={t('household.members')}
      size="small"
      data-testid="members-card"
      extra={
        canUnmask ? (
          revealed ? (
            <Space size={8}>
              <Tag color="warning" icon={<EyeOutlined />} data-testid="revealed-note" style={{ marginInlineEnd: 0 }}>
                {t('reveal.shown')}
              </Tag>
              <Button size="small" icon={<EyeInvisibleOutlined />} onClick={() => setRevealed(null)} data-testid="reveal-hide">
                {t('reveal.hide')}
              </Button>
            </Space>
          ) : (
            <Button size="small" icon={<EyeOutlined />} onClick={() => setAsking(true)} data-testid="reveal-open">
              {t('reveal.open')}
            </Button>
          )
        ) : null
      }
    >
      <MembersTable members={h.members} revealed={revealed} />
      {canUnmask ? (
        <RevealDialog
          householdId={h.id}
          open={asking}
          onClose={() => setAsking(false)}
          onRevealed={(members) => setRevealed(new Map(members.map((m) => [m.id, m])))}
        />
      ) : null}
    </Card>
  );
}

function HouseholdDetail({ h }: { h: HouseholdView }) {
  const { t } = useTranslation();
  const head = h.members.find((m) => m.relation === 'head');
  const path = [...h.regionPath].reverse();
  const regionNames = useMemo(() => new Map(h.regionPath.map((r) => [r.code, r.name])), [h.regionPath]);
  const living = h.members.filter((m) => !m.deceasedOn).length;
  const canRecordConsent = useCan('consent.write');
  return (
    <Flex vertical gap={16} data-testid="household-page">
      <div>
        <Link to="/households" data-testid="back-to-list" style={{ fontSize: 13 }}>
          <ArrowLeftOutlined /> {t('household.backToList')}
        </Link>
        <Flex align="center" gap={12} style={{ marginTop: 8 }} wrap>
          <Typography.Title level={4} style={{ margin: 0 }} data-testid="household-title">
            {head ? t('household.title', { name: head.name }) : t('household.untitled')}
          </Typography.Title>
          <CategoryTag category={h.latestClassification?.category ?? null} />
          {h.latestClassification && h.latestClassification.flags.length > 0 ? <FlagTags flags={h.latestClassification.flags} /> : null}
        </Flex>
      </div>
      <Card title={t('household.basics')} size="small">
        <Descriptions size="small" column={{ xs: 1, md: 2, xl: 3 }} data-testid="household-basics">
          <Descriptions.Item label={t('household.regionPath')} span={{ xs: 1, md: 2, xl: 3 }}>
            <span data-testid="region-path">
              {path.map((r, i) => (
                <span key={r.code}>
                  {i > 0 ? <span style={{ color: 'rgba(0,0,0,0.35)', marginInline: 6 }}>›</span> : null}
                  <Tooltip title={`${t(`region.${r.level}`)} ${r.code}`}>
                    <span>{r.name}</span>
                  </Tooltip>
                  {r.isMountainCounty ? (
                    <Tag color="green" variant="outlined" style={{ marginInlineStart: 6, fontSize: 11, lineHeight: '16px', paddingInline: 4 }}>
                      {t('region.mountainCounty')}
                    </Tag>
                  ) : null}
                </span>
              ))}
            </span>
          </Descriptions.Item>
          <Descriptions.Item label={t('household.address')}>
            <span data-testid="household-address">{h.address ?? '—'}</span>
          </Descriptions.Item>
          <Descriptions.Item label={t('household.ableSupporter')}>
            <span data-testid="able-supporter">{h.hasAbleSupporter ? t('common.yes') : t('common.no')}</span>
          </Descriptions.Item>
          <Descriptions.Item label={t('household.memberCount')}>{t('common.persons', { count: living })}</Descriptions.Item>
          {h.residenceRegionCode && h.residenceRegionCode !== h.regionCode ? (
            <Descriptions.Item label={t('household.residence')}>{h.residenceRegionCode}</Descriptions.Item>
          ) : null}
          <Descriptions.Item label={t('household.householdId')}>
            <Typography.Text copyable={{ text: h.id }} style={{ fontFamily: 'monospace', fontSize: 12 }}>
              {h.id.slice(0, 8)}…
            </Typography.Text>
          </Descriptions.Item>
          <Descriptions.Item label={t('household.updatedAt')}>{formatDate(h.updatedAt)}</Descriptions.Item>
        </Descriptions>
      </Card>
      <ClassificationCard h={h} regionNames={regionNames} />
      <MembersCard h={h} />
      <Card title={t('household.records')} size="small" styles={{ body: { paddingTop: 0 } }}>
        <RecordTabs h={h} />
      </Card>
      <HistoryCard h={h} regionNames={regionNames} />
      <LedgerCard householdId={h.id} />
      <RiskHistoryCard householdId={h.id} />
      <HouseholdCharityCards householdId={h.id} />
      {canRecordConsent ? <ConsentCard householdId={h.id} /> : null}
    </Flex>
  );
}

/** 404, or an id that cannot be a household id at all (the server rejects it as a bad UUID). */
function isMissingHousehold(error: unknown): boolean {
  return error instanceof ApiError && (error.isNotFound || (error.status === 400 && error.field === 'id'));
}

export function HouseholdPage() {
  const { t } = useTranslation();
  const { id = '' } = useParams();
  const household = useHousehold(id);
  if (household.isLoading) return <Loading testId="household-loading" />;
  if (household.isError) {
    return (
      <Flex vertical gap={16}>
        <Link to="/households" style={{ fontSize: 13 }}>
          <ArrowLeftOutlined /> {t('household.backToList')}
        </Link>
        {isMissingHousehold(household.error) ? (
          <NotFoundResult title={t('household.notFound')} hint={t('household.notFoundHint')} />
        ) : (
          <ErrorView error={household.error} onRetry={() => void household.refetch()} />
        )}
      </Flex>
    );
  }
  if (!household.data) return <Loading testId="household-loading" />;
  // Keyed by id: what one household's page revealed is never carried to the next.
  return <HouseholdDetail key={id} h={household.data} />;
}
