/** The charity portal: the organisation's profile, its projects through their lifecycle, incoming referrals (masked) with accept / decline and delivery. */
import { useState } from 'react';
import type { Dayjs } from 'dayjs';
import { App, Button, Card, DatePicker, Descriptions, Form, Input, InputNumber, Modal, Space, Table, Tabs, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { ErrorView, Loading, useErrorMessage } from '../app/ErrorView.js';
import { formatFen, todayIso } from '../app/format.js';
import { EligibilityTags, ProjectBudget, ProjectPlaces, STATUS_COLOR, useBilingual } from './labels.js';
import { ProjectForm } from './ProjectForm.js';
import { useCharityProfile, useDecide, useDeliver, useProjectAction, useProjects, useReferrals, type Project, type Referral } from './queries.js';

interface DeliveryFormValues {
  deliveredOn: Dayjs;
  amountYuan: number;
  items?: string;
  hours?: number;
}

/** Projects with their lifecycle actions; `onEdit` (charity only) opens a draft in the project form. */
export function ProjectTable({ projects, role, onEdit }: { projects: Project[]; role: 'charity' | 'consortium'; onEdit?: (p: Project) => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const err = useErrorMessage();
  const act = useProjectAction();
  const run = async (id: string, type: string, reason?: string): Promise<void> => {
    try {
      await act.mutateAsync({ id, type, ...(reason && { reason }) });
      message.success(t(`charity.action.${type}`));
    } catch (e) {
      message.error(err(e));
    }
  };
  const actions = (p: Project) => role === 'charity'
    ? { draft: ['submit'], approved: ['publish', 'close'], published: ['close'] }[p.status as 'draft'] ?? []
    : p.status === 'submitted' ? ['approve', 'return'] : [];
  return (
    <Table<Project> rowKey="id" dataSource={projects} pagination={false} size="small" data-testid="project-table"
      columns={[
        { title: t('charity.title'), dataIndex: 'title', render: (v: string, p) => <span>{v}{p.brand ? <Tag style={{ marginLeft: 8 }}>{p.brand}</Tag> : null}</span> },
        ...(role === 'consortium' ? [{ title: t('charity.organisation'), dataIndex: 'organisationName' }] : []),
        { title: t('charity.categories'), dataIndex: 'categories', render: (cs: string[]) => cs.map((c) => <Tag key={c}>{t(`needCategory.${c}`)}</Tag>) },
        { title: t('charity.eligibility'), key: 'eligibility', render: (_: unknown, p) => <EligibilityTags eligibility={p.eligibility} /> },
        { title: <span style={{ whiteSpace: 'nowrap' }}>{t('charity.projectPlaces')}</span>, key: 'places', render: (_: unknown, p) => <ProjectPlaces p={p} /> },
        { title: t('charity.projectBudget'), key: 'budget', render: (_: unknown, p) => <ProjectBudget p={p} /> },
        { title: t('charity.period'), render: (_: unknown, p) => <span><span style={{ whiteSpace: 'nowrap' }}>{p.startsOn} –</span> <span style={{ whiteSpace: 'nowrap' }}>{p.endsOn}</span></span> },
        { title: t('charity.status'), dataIndex: 'status', render: (s: string) => <Tag color={STATUS_COLOR[s]} data-testid={`project-status-${s}`}>{t(`charity.projectStatus.${s}`)}</Tag> },
        {
          title: '', render: (_: unknown, p) => (
            <Space>
              {onEdit && p.status === 'draft' ? <Button size="small" data-testid="project-edit" onClick={() => onEdit(p)}>{t('charity.editProject')}</Button> : null}
              {actions(p).map((a) => (
                <Button key={a} size="small" data-testid={`project-${a}`} loading={act.isPending}
                  onClick={() => (a === 'return' ? void run(p.id, a, t('charity.returnReason')) : void run(p.id, a))}>{t(`charity.action.${a}`)}</Button>
              ))}
            </Space>
          ),
        },
      ]}
    />
  );
}

function ReferralTable({ referrals }: { referrals: Referral[] }) {
  const { t } = useTranslation();
  const text = useBilingual();
  const { message } = App.useApp();
  const err = useErrorMessage();
  const decide = useDecide();
  const deliver = useDeliver();
  const [delivering, setDelivering] = useState<Referral | null>(null);
  const [form] = Form.useForm<DeliveryFormValues>();
  const doDecide = async (id: string, decision: 'accept' | 'decline'): Promise<void> => {
    try {
      await decide.mutateAsync({ id, decision, reason: decision === 'accept' ? t('charity.acceptReason') : t('charity.declineReason') });
      message.success(t(`charity.decision.${decision}`));
    } catch (e) {
      message.error(err(e));
    }
  };
  const doDeliver = async (): Promise<void> => {
    // A failed validation shows on the fields; it is not an error to report.
    const v = await form.validateFields().catch(() => null);
    if (!v) return;
    try {
      await deliver.mutateAsync({ id: delivering!.id, deliveredOn: v.deliveredOn.format('YYYY-MM-DD'), amountFen: Math.round(v.amountYuan * 100), items: v.items ?? '', volunteerHours: v.hours ?? 0 });
      message.success(t('charity.delivered'));
      setDelivering(null);
    } catch (e) {
      message.error(err(e));
    }
  };
  return (
    <>
      <Table<Referral> rowKey="id" dataSource={referrals} pagination={false} size="small" data-testid="referral-table"
        columns={[
          { title: t('charity.project'), dataIndex: 'projectTitle' },
          { title: t('charity.need'), render: (_: unknown, r) => <span>{t(`needCategory.${r.category}`)} · {t('charity.severity')} {r.severity}</span> },
          {
            title: t('charity.household'), render: (_: unknown, r) => r.household
              ? <span data-testid="referral-household">{r.household.regionPath.map((x) => x.name).join(' / ')}：{r.household.members.map((m) => `${m.maskedName}${m.age !== null ? `（${m.age}）` : ''}`).join('，')}</span>
              : <Typography.Text type="secondary">{t('charity.noConsent')}</Typography.Text>,
          },
          { title: t('charity.why'), render: (_: unknown, r) => <Typography.Text style={{ fontSize: 12 }}>{text(r.explanation)}</Typography.Text> },
          { title: t('charity.status'), dataIndex: 'status', render: (s: string) => <Tag color={STATUS_COLOR[s]} data-testid={`referral-status-${s}`}>{t(`charity.referralStatus.${s}`)}</Tag> },
          {
            title: '', render: (_: unknown, r) => (
              <Space>
                {r.status === 'proposed' && <Button size="small" type="primary" data-testid="referral-accept" onClick={() => void doDecide(r.id, 'accept')}>{t('charity.decision.accept')}</Button>}
                {r.status === 'proposed' && <Button size="small" danger data-testid="referral-decline" onClick={() => void doDecide(r.id, 'decline')}>{t('charity.decision.decline')}</Button>}
                {r.status === 'accepted' && <Button size="small" data-testid="referral-deliver" onClick={() => setDelivering(r)}>{t('charity.recordDelivery')}</Button>}
                {r.status === 'delivered' && <span>{r.deliveredOn} · {formatFen(r.amountFen ?? 0)}</span>}
              </Space>
            ),
          },
        ]}
      />
      <Modal open={!!delivering} title={t('charity.recordDelivery')} onCancel={() => setDelivering(null)} onOk={() => void doDeliver()} okText={t('charity.save')} confirmLoading={deliver.isPending} destroyOnHidden>
        <Form form={form} layout="vertical" data-testid="delivery-form">
          <Form.Item name="deliveredOn" label={t('charity.deliveredOn')} rules={[{ required: true }]}><DatePicker data-testid="delivery-date" /></Form.Item>
          <Form.Item name="amountYuan" label={t('charity.amount')} rules={[{ required: true }]}><InputNumber min={0} data-testid="delivery-amount" /></Form.Item>
          <Form.Item name="items" label={t('charity.items')}><Input data-testid="delivery-items" /></Form.Item>
          <Form.Item name="hours" label={t('charity.hours')}><InputNumber min={0} data-testid="delivery-hours" /></Form.Item>
        </Form>
      </Modal>
    </>
  );
}

export function CharityPortalPage() {
  const { t } = useTranslation();
  const profile = useCharityProfile();
  const projects = useProjects();
  const referrals = useReferrals();
  /** The project form: 'new', a draft being edited, or closed. */
  const [formFor, setFormFor] = useState<Project | 'new' | null>(null);
  if (profile.isPending) return <Loading />;
  if (profile.isError) return <ErrorView error={profile.error} />;
  const p = profile.data;
  return (
    <Space orientation="vertical" style={{ width: '100%' }} data-testid="charity-portal">
      <Typography.Title level={3}>{t('charity.portal')}</Typography.Title>
      <Card size="small">
        <Descriptions size="small" column={3} items={[
          { key: 'n', label: t('charity.organisation'), children: p.name },
          { key: 'k', label: t('charity.kind'), children: t(`charity.orgKind.${p.kind}`, p.kind) },
          { key: 'r', label: t('charity.recognised'), children: p.recognisedCharity ? <Tag color="green">{t('charity.yes')}</Tag> : <Tag>{t('charity.no')}</Tag> },
          { key: 'c', label: t('charity.creditCode'), children: p.creditCode ?? '—' },
          { key: 's', label: t('charity.regionsServed'), children: (p.regionsServed.length ? p.regionsServed : [p.regionCode]).join('、') },
        ]} />
      </Card>
      <Tabs items={[
        {
          key: 'projects', label: t('charity.projects'), children: (
            <Space orientation="vertical" style={{ width: '100%' }}>
              <Button type="primary" data-testid="new-project" onClick={() => setFormFor('new')}>{t('charity.newProject')}</Button>
              {projects.data ? <ProjectTable projects={projects.data} role="charity" onEdit={setFormFor} /> : <Loading />}
            </Space>
          ),
        },
        { key: 'referrals', label: <span data-testid="tab-referrals">{t('charity.referrals')}</span>, children: referrals.data ? <ReferralTable referrals={referrals.data} /> : <Loading /> },
      ]} />
      {formFor ? <ProjectForm key={formFor === 'new' ? 'new' : formFor.id} editing={formFor === 'new' ? null : formFor} onClose={() => setFormFor(null)} /> : null}
      <Typography.Text type="secondary" style={{ fontSize: 12 }}>{t('charity.maskNote')} · {todayIso()}</Typography.Text>
    </Space>
  );
}
