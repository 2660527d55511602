/**
 * Households shared with the user's organisation (charity staff, department liaisons): only
 * households with an active agreement and the household's own consent appear, and only with the
 * fields the agreement allows (names and phones masked). A field not shared is simply not shown.
 */
import { ArrowLeftOutlined, LockOutlined } from '@ant-design/icons';
import { Button, Card, Descriptions, Flex, Result, Table, Tag, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useParams } from 'react-router-dom';
import type { SharedHouseholdView } from '../../../src/contracts/index.js';
import { ApiError } from '../app/api.js';
import { CategoryTag } from '../app/categories.js';
import { ErrorView, Loading, NotFoundResult } from '../app/ErrorView.js';
import { useMe } from '../auth/AuthContext.js';
import { useSharedHousehold, useSharedHouseholds } from './queries.js';

type SharedMember = SharedHouseholdView['members'][number];
const muted = { color: 'rgba(0,0,0,0.25)' } as const;

/** Village › township › county (the province and city add little here). */
function placeOf(h: SharedHouseholdView): string {
  return h.regionPath
    .filter((r) => r.level === 'village' || r.level === 'township' || r.level === 'county')
    .reverse()
    .map((r) => r.name)
    .join(' › ');
}

/** The answer for a household whose agreement or consent has ended (or was never there). */
function isNoLongerShared(e: unknown): boolean {
  return e instanceof ApiError && (e.code === 'CONSENT_REQUIRED' || e.code === 'FORBIDDEN');
}

function NoLongerShared() {
  const { t } = useTranslation();
  return (
    <Result
      status="warning"
      icon={<LockOutlined style={{ color: '#faad14' }} />}
      title={<span data-testid="shared-revoked">{t('shared.revokedTitle')}</span>}
      subTitle={t('shared.revokedHint')}
      extra={
        <Link to="/shared">
          <Button type="primary">{t('shared.backToList')}</Button>
        </Link>
      }
    />
  );
}

function OrganisationNote() {
  const { t } = useTranslation();
  const me = useMe();
  return me.organisationName ? (
    <Tag color="cyan" variant="outlined" style={{ marginInlineStart: 8 }} data-testid="organisation-note">
      {t('shared.organisation', { name: me.organisationName })}
    </Tag>
  ) : null;
}

export function SharedHouseholdsPage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const list = useSharedHouseholds();
  const columns: TableColumnsType<SharedHouseholdView> = [
    { title: t('shared.place'), key: 'place', render: (_: unknown, h) => <span data-testid="shared-place">{placeOf(h)}</span> },
    {
      title: t('shared.category'),
      key: 'category',
      render: (_: unknown, h) => (h.category === null ? <span style={muted}>{t('shared.notShared')}</span> : <CategoryTag category={h.category} />),
    },
    { title: t('shared.members'), key: 'members', align: 'right', render: (_: unknown, h) => h.members.length },
    { title: t('shared.consentPurpose'), key: 'consent', dataIndex: 'consentPurpose' },
    { title: t('shared.agreementPurpose'), key: 'agreement', dataIndex: 'agreementPurpose' },
    {
      title: '',
      key: 'open',
      align: 'right',
      render: (_: unknown, h) => (
        <Link to={`/shared/${h.id}`} onClick={(e) => e.stopPropagation()} data-testid="shared-open">
          {t('shared.open')}
        </Link>
      ),
    },
  ];
  return (
    <Flex vertical gap={16} data-testid="shared-list-page">
      <div>
        <Typography.Title level={4} style={{ margin: 0 }}>
          {t('shared.title')}
        </Typography.Title>
        <Typography.Text type="secondary">{t('shared.description')}</Typography.Text>
        <OrganisationNote />
      </div>
      <Card size="small" styles={{ body: { padding: 0 } }}>
        {list.isError ? (
          <div style={{ padding: 16 }}>{isNoLongerShared(list.error) ? <NoLongerShared /> : <ErrorView error={list.error} onRetry={() => void list.refetch()} />}</div>
        ) : (
          <Table<SharedHouseholdView>
            rowKey="id"
            size="middle"
            data-testid="shared-table"
            loading={list.isLoading}
            columns={columns}
            dataSource={list.data ?? []}
            locale={{ emptyText: list.isLoading ? ' ' : t('shared.empty') }}
            scroll={{ x: 'max-content' }}
            onRow={(h) => ({ onClick: () => void navigate(`/shared/${h.id}`), style: { cursor: 'pointer' } })}
            pagination={{ pageSize: 20, hideOnSinglePage: true, showTotal: (total) => t('common.total', { total }), style: { paddingInline: 16 } }}
          />
        )}
      </Card>
    </Flex>
  );
}

function SharedMembers({ members }: { members: SharedMember[] }) {
  const { t } = useTranslation();
  // A column appears only when the agreement shares that field (the server sends null otherwise).
  const has = (k: keyof SharedMember): boolean => members.some((m) => m[k] !== null);
  const columns: TableColumnsType<SharedMember> = [
    { title: t('household.name'), key: 'name', render: (_: unknown, m) => <span data-testid="shared-member-name">{m.maskedName}</span> },
  ];
  if (has('sex')) columns.push({ title: t('household.sex'), key: 'sex', render: (_: unknown, m) => (m.sex ? t(`sex.${m.sex}`) : '—') });
  if (has('age')) columns.push({ title: t('household.age'), key: 'age', align: 'right', render: (_: unknown, m) => m.age ?? '—' });
  if (has('disabilityGrade')) {
    columns.push({
      title: t('household.disabilityGrade'),
      key: 'disability',
      render: (_: unknown, m) =>
        m.disabilityGrade === null ? '—' : m.disabilityGrade > 0 ? <Tag color={m.disabilityGrade <= 2 ? 'orange' : 'default'}>{t(`disability.${m.disabilityGrade}`)}</Tag> : t('disability.0'),
    });
  }
  if (has('seriousIllness')) {
    columns.push({
      title: t('household.seriousIllness'),
      key: 'illness',
      render: (_: unknown, m) => (m.seriousIllness === null ? '—' : m.seriousIllness ? <Tag color="red">{t('common.yes')}</Tag> : t('common.no')),
    });
  }
  if (has('maskedPhone')) {
    columns.push({ title: t('household.phone'), key: 'phone', render: (_: unknown, m) => <span style={{ fontFamily: 'monospace' }}>{m.maskedPhone ?? '—'}</span> });
  }
  return <Table<SharedMember> rowKey={(_, i) => String(i)} size="small" columns={columns} dataSource={members} pagination={false} data-testid="shared-members-table" />;
}

export function SharedHouseholdPage() {
  const { t } = useTranslation();
  const { id = '' } = useParams();
  const household = useSharedHousehold(id);
  const back = (
    <Link to="/shared" data-testid="back-to-shared" style={{ fontSize: 13 }}>
      <ArrowLeftOutlined /> {t('shared.backToList')}
    </Link>
  );
  if (household.isLoading) return <Loading testId="shared-loading" />;
  if (household.isError) {
    const e = household.error;
    return (
      <Flex vertical gap={16}>
        {back}
        {isNoLongerShared(e) ? (
          <NoLongerShared />
        ) : e instanceof ApiError && (e.isNotFound || e.status === 400) ? (
          <NotFoundResult title={t('household.notFound')} hint={t('household.notFoundHint')} />
        ) : (
          <ErrorView error={e} onRetry={() => void household.refetch()} />
        )}
      </Flex>
    );
  }
  const h = household.data;
  if (!h) return <Loading testId="shared-loading" />;
  return (
    <Flex vertical gap={16} data-testid="shared-household-page">
      <div>
        {back}
        <Flex align="center" gap={12} style={{ marginTop: 8 }} wrap>
          <Typography.Title level={4} style={{ margin: 0 }} data-testid="shared-title">
            {t('shared.detailTitle', { place: placeOf(h) })}
          </Typography.Title>
          {h.category !== null ? <CategoryTag category={h.category} /> : null}
        </Flex>
      </div>
      <Card size="small" title={t('shared.basis')}>
        <Descriptions size="small" column={{ xs: 1, md: 2 }}>
          <Descriptions.Item label={t('shared.place')}>{placeOf(h)}</Descriptions.Item>
          <Descriptions.Item label={t('shared.category')}>{h.category === null ? <span style={muted}>{t('shared.notShared')}</span> : <CategoryTag category={h.category} />}</Descriptions.Item>
          <Descriptions.Item label={t('shared.agreementPurpose')}>{h.agreementPurpose}</Descriptions.Item>
          <Descriptions.Item label={t('shared.consentPurpose')}>{h.consentPurpose}</Descriptions.Item>
        </Descriptions>
      </Card>
      <Card size="small" title={t('household.members')}>
        <SharedMembers members={h.members} />
      </Card>
      <Typography.Text type="secondary" style={{ fontSize: 12 }}>
        {t('shared.footnote')}
      </Typography.Text>
    </Flex>
  );
}
