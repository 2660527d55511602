/**
 * One alert, loaded from the household's monitoring record: the reasons in plain words, the
 * handling history, the actions its status allows (assign to me, start visit, resolve with an
 * outcome, dismiss with a reason) and a visit form that answers the alert. Links to the household.
 */
import { ArrowLeftOutlined, HomeOutlined } from '@ant-design/icons';
import { Alert, App, Button, Card, Checkbox, Descriptions, Flex, Form, Input, List, Modal, Select, Space, Tag, Timeline, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router-dom';
import { RESOLUTION_OUTCOMES, VISIT_FINDINGS } from '../../../src/contracts/index.js';
import type { AlertAction, HouseholdMonitoring } from '../app/api.js';
import { ErrorView, Loading, NotFoundResult, useErrorMessage } from '../app/ErrorView.js';
import { applyServerErrors, isIsoDate } from '../app/forms.js';
import { formatDateTime, todayIso } from '../app/format.js';
import { useCan, useMe } from '../auth/AuthContext.js';
import { causeText, LevelTag, PopulationTags, reasonLines, StatusTag } from './labels.js';
import { useAlertAction, useHouseholdMonitoring, useRecordVisit } from './queries.js';

type MonitoredAlert = HouseholdMonitoring['alerts'][number];
type Outcome = (typeof RESOLUTION_OUTCOMES)[number];
type Finding = (typeof VISIT_FINDINGS)[number];
const OPEN = ['new', 'assigned', 'visiting'];

function ActionsCard({ alert }: { alert: MonitoredAlert }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const messageOf = useErrorMessage();
  const act = useAlertAction(alert.householdId, alert.id);
  const [outcome, setOutcome] = useState<Outcome | undefined>(undefined);
  const [dismissOpen, setDismissOpen] = useState(false);
  const [form] = Form.useForm<{ reason: string }>();
  const run = (body: AlertAction, label: string): Promise<void> =>
    act.mutateAsync(body).then(
      () => void message.success(t('monitoring.done', { action: label })),
      (e: unknown) => void message.error(t('monitoring.failed', { message: messageOf(e) })),
    );
  if (!OPEN.includes(alert.status)) return null;
  return (
    <Card size="small" title={t('monitoring.actions')} data-testid="alert-actions">
      <Flex gap={12} wrap align="center">
        {alert.status === 'new' ? (
          <Button type="primary" data-testid="action-assign" loading={act.isPending} onClick={() => void run({ type: 'assign' }, t('monitoring.assign'))}>
            {t('monitoring.assign')}
          </Button>
        ) : null}
        {alert.status === 'assigned' ? (
          <Button type="primary" data-testid="action-start-visit" loading={act.isPending} onClick={() => void run({ type: 'start_visit' }, t('monitoring.startVisit'))}>
            {t('monitoring.startVisit')}
          </Button>
        ) : null}
        {alert.status === 'visiting' ? (
          <Space.Compact>
            <Select<Outcome>
              data-testid="resolve-outcome"
              style={{ minWidth: 180 }}
              placeholder={t('monitoring.outcome')}
              value={outcome}
              onChange={setOutcome}
              options={RESOLUTION_OUTCOMES.map((o) => ({ value: o, label: t(`outcome.${o}`) }))}
            />
            <Button
              type="primary"
              data-testid="action-resolve"
              disabled={!outcome}
              loading={act.isPending}
              onClick={() => outcome && void run({ type: 'resolve', outcome }, t('monitoring.resolve'))}
            >
              {t('monitoring.resolve')}
            </Button>
          </Space.Compact>
        ) : (
          <Typography.Text type="secondary">{t('monitoring.resolveNeedsVisit')}</Typography.Text>
        )}
        <Button danger data-testid="action-dismiss" onClick={() => setDismissOpen(true)}>
          {t('monitoring.dismiss')}
        </Button>
      </Flex>
      <Modal
        open={dismissOpen}
        title={t('monitoring.dismissTitle')}
        okText={t('monitoring.dismiss')}
        okButtonProps={{ danger: true, loading: act.isPending }}
        cancelText={t('common.cancel')}
        onCancel={() => setDismissOpen(false)}
        onOk={() =>
          void form.validateFields().then(({ reason }) =>
            run({ type: 'dismiss', reason: reason.trim() }, t('monitoring.dismiss')).then(() => {
              setDismissOpen(false);
              form.resetFields();
            }),
          )
        }
        destroyOnHidden
      >
        <Form form={form} layout="vertical">
          <Form.Item
            name="reason"
            label={t('monitoring.dismissReason')}
            rules={[{ required: true, whitespace: true, min: 2, max: 200, message: t('monitoring.dismissReasonRequired') }]}
          >
            <Input.TextArea rows={3} maxLength={200} data-testid="dismiss-reason" />
          </Form.Item>
        </Form>
      </Modal>
    </Card>
  );
}

interface VisitValues {
  visitedOn: string;
  findings: Finding[];
  notes?: string;
}

function VisitForm({ alert }: { alert: MonitoredAlert }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const messageOf = useErrorMessage();
  const visit = useRecordVisit(alert.householdId);
  const [form] = Form.useForm<VisitValues>();
  const submit = (v: VisitValues): void => {
    const notes = v.notes?.trim();
    visit.mutate(
      { visitedOn: v.visitedOn, findings: v.findings, ...(notes ? { notes } : {}), alertId: alert.id },
      {
        onSuccess: () => {
          void message.success(t('monitoring.visitSaved'));
          form.resetFields();
        },
        onError: (e) => {
          if (!applyServerErrors(form, e, ['visitedOn', 'findings', 'notes'])) void message.error(t('monitoring.failed', { message: messageOf(e) }));
        },
      },
    );
  };
  return (
    <Card size="small" title={t('monitoring.visitTitle')} data-testid="visit-card">
      <Form<VisitValues> form={form} layout="vertical" initialValues={{ visitedOn: todayIso(), findings: [] }} onFinish={submit} data-testid="visit-form">
        <Form.Item
          name="visitedOn"
          label={t('monitoring.visitedOn')}
          rules={[{ required: true, message: t('common.required') }, { validator: (_, v: string) => (isIsoDate(v) ? Promise.resolve() : Promise.reject(new Error(t('common.invalidDate')))) }]}
        >
          <Input type="date" max={todayIso()} style={{ maxWidth: 220 }} data-testid="visit-date" />
        </Form.Item>
        <Form.Item
          name="findings"
          label={t('monitoring.findings')}
          rules={[
            { required: true, type: 'array', min: 1, message: t('monitoring.findingsRequired') },
            { validator: (_, v: Finding[]) => (v.includes('none') && v.length > 1 ? Promise.reject(new Error(t('monitoring.noneAlone'))) : Promise.resolve()) },
          ]}
        >
          <Checkbox.Group style={{ display: 'grid', gridTemplateColumns: 'repeat(auto-fill, minmax(160px, 1fr))', gap: 8 }}>
            {VISIT_FINDINGS.map((f) => (
              <Checkbox key={f} value={f} data-testid={`finding-${f}`}>
                {t(`finding.${f}`)}
              </Checkbox>
            ))}
          </Checkbox.Group>
        </Form.Item>
        <Form.Item name="notes" label={t('monitoring.notes')} extra={<Alert type="warning" showIcon title={t('monitoring.notesWarning')} style={{ marginTop: 8 }} />}>
          <Input.TextArea rows={3} maxLength={500} placeholder={t('monitoring.notesPlaceholder')} data-testid="visit-notes" />
        </Form.Item>
        <Button type="primary" htmlType="submit" loading={visit.isPending} data-testid="visit-submit" block style={{ maxWidth: 320 }}>
          {t('monitoring.saveVisit')}
        </Button>
      </Form>
    </Card>
  );
}

function Timeline_({ alert, meId }: { alert: MonitoredAlert; meId: string }) {
  const { t } = useTranslation();
  const items = [
    { key: 'raised', color: 'gray', content: <span>{t('monitoring.raisedEvent')} · {alert.raisedOn}</span> },
    ...alert.events.map((e, i) => {
      const detail =
        e.action === 'resolve' && e.detail
          ? t(`outcome.${e.detail}`, { defaultValue: e.detail })
          : e.action === 'visit' && e.detail
            ? e.detail
                .split(',')
                .map((f) => t(`finding.${f}`, { defaultValue: f }))
                .join(t('monitoring.listSeparator'))
            : e.detail;
      return {
        key: `${i}`,
        color: e.action === 'dismiss' ? 'gray' : e.action === 'resolve' ? 'green' : 'blue',
        content: (
          <div data-testid="alert-event" data-action={e.action}>
            <Typography.Text strong>{t(`alertEvent.${e.action}`, { defaultValue: e.action })}</Typography.Text>
            {e.actorId === meId ? <Tag style={{ marginInlineStart: 8 }}>{t('monitoring.assignedToMe')}</Tag> : null}
            <Typography.Text type="secondary" style={{ marginInlineStart: 8 }}>
              {formatDateTime(e.at)}
            </Typography.Text>
            {detail ? <div>{detail}</div> : null}
          </div>
        ),
      };
    }),
  ];
  return (
    <Card size="small" title={t('monitoring.timeline')} data-testid="alert-timeline">
      <Timeline items={items} />
    </Card>
  );
}

export function AlertPage() {
  const { t } = useTranslation();
  const { hid = '', alertId = '' } = useParams();
  const me = useMe();
  const canWrite = useCan('household.write');
  const monitoring = useHouseholdMonitoring(hid);
  if (monitoring.isLoading) return <Loading />;
  if (monitoring.isError) return <ErrorView error={monitoring.error} onRetry={() => void monitoring.refetch()} notFoundTitle={t('monitoring.alertNotFound')} notFoundHint={t('monitoring.alertNotFoundHint')} />;
  const alert = monitoring.data?.alerts.find((a) => a.id === alertId);
  if (!alert) return <NotFoundResult title={t('monitoring.alertNotFound')} hint={t('monitoring.alertNotFoundHint')} />;
  const visits = (monitoring.data?.visits ?? []).filter((v) => v.alertId === alert.id);
  const open = OPEN.includes(alert.status);
  const lines = reasonLines(t, alert);
  return (
    <Flex vertical gap={16} data-testid="alert-page" style={{ maxWidth: 1100 }}>
      <Flex justify="space-between" wrap gap={8}>
        <Link to="/alerts">
          <ArrowLeftOutlined /> {t('monitoring.backToAlerts')}
        </Link>
        <Link to={`/households/${alert.householdId}`} data-testid="alert-household-link">
          <HomeOutlined /> {t('monitoring.household')}
        </Link>
      </Flex>
      <Flex align="center" gap={8} wrap>
        <Typography.Title level={3} style={{ margin: 0 }}>
          {t('monitoring.alertTitle')} · {causeText(t, alert.cause)}
        </Typography.Title>
        <LevelTag level={alert.level} />
        <StatusTag status={alert.status} />
        {alert.overdue ? <Tag color="red">{t('monitoring.overdue')}</Tag> : null}
        {alert.escalated ? <Tag>{t('monitoring.escalated')}</Tag> : null}
      </Flex>
      <Card size="small">
        <Descriptions size="small" column={{ xs: 1, sm: 2, lg: 3 }} colon={false} styles={{ label: { color: 'rgba(0,0,0,0.55)' } }}>
          <Descriptions.Item label={t('monitoring.place')}>
            {alert.villageName} › {alert.townshipName}
          </Descriptions.Item>
          <Descriptions.Item label={t('monitoring.raisedOn')}>{alert.raisedOn}</Descriptions.Item>
          <Descriptions.Item label={t('monitoring.dueOn')}>
            <span style={alert.overdue ? { color: '#cf1322' } : undefined}>{alert.dueOn}</span>
          </Descriptions.Item>
          <Descriptions.Item label={t('monitoring.assignee')}>{alert.assigneeId === null ? '—' : alert.assigneeId === me.id ? t('monitoring.assignedToMe') : alert.assigneeId.slice(0, 8)}</Descriptions.Item>
          {alert.outcome ? (
            <Descriptions.Item label={t('monitoring.outcome')}>
              <span data-testid="alert-outcome">{t(`outcome.${alert.outcome}`)}</span>
            </Descriptions.Item>
          ) : null}
          {alert.closingReason ? <Descriptions.Item label={t('monitoring.closingReason')}>{alert.closingReason}</Descriptions.Item> : null}
        </Descriptions>
      </Card>
      <Card size="small" title={t('monitoring.reasons')} data-testid="alert-reasons">
        {lines.map((l, i) => (
          <Typography.Paragraph key={i} style={{ marginBottom: 4 }} strong={i === 0}>
            {l}
          </Typography.Paragraph>
        ))}
        {alert.cause === 'risk' ? <PopulationTags population={alert.reasons.population} reasons={alert.reasons.populationReasons} /> : null}
      </Card>
      {canWrite && open ? <ActionsCard alert={alert} /> : null}
      {!open ? <Alert type="info" showIcon title={t('monitoring.closed')} /> : null}
      {canWrite && open ? <VisitForm alert={alert} /> : null}
      <Timeline_ alert={alert} meId={me.id} />
      <Card size="small" title={t('monitoring.visits')} data-testid="alert-visits">
        <List
          dataSource={visits}
          locale={{ emptyText: t('monitoring.noVisits') }}
          renderItem={(v) => (
            <List.Item data-testid="visit-item">
              <Flex vertical gap={4}>
                <Space wrap>
                  <Typography.Text strong>{v.visitedOn}</Typography.Text>
                  {v.findings.map((f) => (
                    <Tag key={f}>{t(`finding.${f}`, { defaultValue: f })}</Tag>
                  ))}
                </Space>
                {v.notes ? <Typography.Text type="secondary">{v.notes}</Typography.Text> : null}
              </Flex>
            </List.Item>
          )}
        />
      </Card>
    </Flex>
  );
}
