/** The household page's portrait (needs with severity, evidence, status) and plan (一户一策: entitlements, department tasks, charity referrals) cards. */
import { App, Button, Card, Empty, List, Space, Tag, Timeline, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { Loading, useErrorMessage } from '../app/ErrorView.js';
import { formatFen } from '../app/format.js';
import { useCan } from '../auth/AuthContext.js';
import { STATUS_COLOR } from './CharityPortalPage.js';
import { useDeriveHousehold, usePlan } from './queries.js';

export function HouseholdCharityCards({ householdId }: { householdId: string }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const err = useErrorMessage();
  const plan = usePlan(householdId);
  const derive = useDeriveHousehold();
  const canWrite = useCan('needs.write');
  if (plan.isPending) return <Loading />;
  if (plan.isError) return null;
  const p = plan.data;
  return (
    <>
      <Card size="small" title={t('charity.portrait')} data-testid="portrait-card"
        extra={canWrite ? <Button size="small" loading={derive.isPending} data-testid="derive-household" onClick={() => derive.mutate(householdId, { onError: (e) => { void message.error(err(e)); } })}>{t('charity.deriveNeeds')}</Button> : null}>
        {p.needs.length === 0 ? <Empty description={t('charity.noNeeds')} /> : (
          <List size="small" dataSource={p.needs} renderItem={(n) => (
            <List.Item>
              <Space wrap>
                <Tag>{t(`needCategory.${n.category}`)}</Tag>
                <span>{t('charity.severity')} {n.severity}</span>
                <Tag color={STATUS_COLOR[n.status]}>{t(`charity.needStatus.${n.status}`)}</Tag>
                <Typography.Text type="secondary" style={{ fontSize: 12 }}>{n.evidence.map((e) => e.text.zh).join('；')}</Typography.Text>
              </Space>
            </List.Item>
          )} />
        )}
      </Card>
      <Card size="small" title={`${t('charity.plan')}${p.version ? ` · ${t('charity.version')} ${p.version}` : ''}`} data-testid="plan-card">
        <Timeline items={[
          ...p.entitlements.map((e) => ({ color: 'blue', children: <span>{t('charity.entitlements')}：{e.text.zh}{e.monthlyFen ? ` · ${formatFen(e.monthlyFen)}/月` : ''}</span> })),
          ...p.tasks.map((x) => ({ color: x.status === 'done' ? 'green' : 'gray', children: <span>{t('charity.tasks')}：{x.department} · {x.task} · {x.dueOn} · {x.status}</span> })),
          ...p.referrals.map((r) => ({
            color: r.status === 'delivered' ? 'green' : r.status === 'declined' ? 'red' : 'orange',
            children: <span data-testid="plan-referral">{r.organisationName} · {r.projectTitle} · {t(`needCategory.${r.category}`)} · <Tag color={STATUS_COLOR[r.status]}>{t(`charity.referralStatus.${r.status}`)}</Tag>{r.deliveredOn ? `${r.deliveredOn} · ${formatFen(r.amountFen ?? 0)}${r.items ? ` · ${r.items}` : ''}` : ''}</span>,
          })),
        ]} />
        {p.entitlements.length + p.tasks.length + p.referrals.length === 0 ? <Empty description={t('charity.noPlan')} /> : null}
        {p.reviewOn ? <Typography.Text type="secondary">{t('charity.reviewOn')} {p.reviewOn}</Typography.Text> : null}
      </Card>
    </>
  );
}
