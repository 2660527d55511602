/** The household plan (一户一策): entitlements, department tasks, charity referrals, owner and review date, version history; a worker edits it. */
import { useState } from 'react';
import { Button, Card, Collapse, Empty, List, Space, Tag, Timeline, Typography } from 'antd';
import { EditOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { formatDateTime, formatFen } from '../app/format.js';
import { useAuth } from '../auth/AuthContext.js';
import { STATUS_COLOR, TASK_COLOR, useBilingual } from './labels.js';
import { PlanEditDrawer } from './PlanEditDrawer.js';
import type { Plan } from './queries.js';

function VersionHistory({ versions, meId }: { versions: Plan['versions']; meId: string | null }) {
  const { t } = useTranslation();
  return (
    <Collapse size="small" ghost data-testid="plan-versions" style={{ marginTop: 8 }}
      items={[{
        key: 'versions', label: t('charity.versions', { count: versions.length }),
        children: (
          <List size="small" dataSource={versions} rowKey="version" renderItem={(v) => (
            <List.Item data-testid="plan-version-row" data-version={v.version}>
              <Space wrap size={[8, 0]}>
                <Typography.Text strong>{t('charity.versionNo', { version: v.version })}</Typography.Text>
                <Typography.Text type="secondary">{formatDateTime(v.changedAt)}</Typography.Text>
                <span style={{ overflowWrap: 'anywhere' }}>{v.note ?? <Typography.Text type="secondary">{t('charity.noNote')}</Typography.Text>}</span>
                {meId && v.changedBy === meId ? <Tag style={{ marginInlineEnd: 0 }}>{t('charity.changedByMe')}</Tag> : null}
              </Space>
            </List.Item>
          )} />
        ),
      }]} />
  );
}

export function PlanCard({ householdId, plan: p, canWrite }: { householdId: string; plan: Plan; canWrite: boolean }) {
  const { t } = useTranslation();
  const text = useBilingual();
  const { state } = useAuth();
  const meId = state.status === 'signedIn' ? state.me.id : null;
  const [editing, setEditing] = useState(false);
  const ownerText = p.ownerId === null ? t('charity.ownerNone') : p.ownerId === meId ? t('charity.ownerMe') : t('charity.ownerOther');
  const perMonth = t('charity.perMonth');
  const items = [
    ...p.entitlements.map((e) => ({ color: 'blue', content: <span>{t('charity.entitlements')}：{text(e.text)}{e.monthlyFen ? ` · ${formatFen(e.monthlyFen)}${perMonth}` : ''}</span> })),
    ...p.tasks.map((x) => ({
      color: x.status === 'done' ? 'green' : 'gray',
      content: (
        <span data-testid="plan-task" style={{ overflowWrap: 'anywhere' }}>
          {t('charity.tasks')}：{x.department} · {x.task} · {t('charity.dueOn')} {x.dueOn} <Tag color={TASK_COLOR[x.status]}>{t(`charity.taskStatus.${x.status}`)}</Tag>
        </span>
      ),
    })),
    ...p.referrals.map((r) => ({
      color: r.status === 'delivered' ? 'green' : r.status === 'declined' ? 'red' : 'orange',
      content: (
        <span data-testid="plan-referral" style={{ overflowWrap: 'anywhere' }}>
          {r.organisationName} · {r.projectTitle} · {t(`needCategory.${r.category}`)} · <Tag color={STATUS_COLOR[r.status]}>{t(`charity.referralStatus.${r.status}`)}</Tag>
          {r.deliveredOn ? `${r.deliveredOn} · ${formatFen(r.amountFen ?? 0)}${r.items ? ` · ${r.items}` : ''}` : ''}
        </span>
      ),
    })),
  ];
  return (
    <Card size="small" data-testid="plan-card"
      title={<span>{t('charity.plan')}{p.version ? <span data-testid="plan-version" data-version={p.version}> · {t('charity.version')} {p.version}</span> : null}</span>}
      extra={canWrite ? <Button size="small" icon={<EditOutlined />} data-testid="edit-plan" onClick={() => setEditing(true)}>{t('charity.editPlan')}</Button> : null}>
      <Space wrap size={[16, 4]} style={{ marginBottom: 12 }}>
        <span><Typography.Text type="secondary">{t('charity.owner')}：</Typography.Text><span data-testid="plan-owner-text">{ownerText}</span></span>
        <span><Typography.Text type="secondary">{t('charity.reviewOn')}：</Typography.Text>{p.reviewOn ?? '—'}</span>
      </Space>
      {items.length === 0 ? <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('charity.noPlan')} /> : <Timeline items={items} />}
      {p.versions.length > 0 ? <VersionHistory versions={p.versions} meId={meId} /> : null}
      {editing ? <PlanEditDrawer householdId={householdId} plan={p} ownerText={ownerText} onClose={() => setEditing(false)} /> : null}
    </Card>
  );
}
