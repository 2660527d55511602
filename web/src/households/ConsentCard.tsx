/**
 * The household's consents to share its data with organisations: the list, recording a new one
 * (organisation, purpose, date, how it was given) and withdrawing one. Sharing stops on the next
 * request after a withdrawal.
 */
import { FileProtectOutlined, PlusOutlined } from '@ant-design/icons';
import { Alert, App, Button, Card, Form, Input, Modal, Select, Table, Tag, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { CONSENT_METHODS } from '../../../src/contracts/index.js';
import { useOrganisations } from '../access/queries.js';
import type { Consent, ConsentCreate } from '../app/api.js';
import { ErrorView, useErrorMessage } from '../app/ErrorView.js';
import { applyServerErrors, isIsoDate } from '../app/forms.js';
import { todayIso } from '../app/format.js';
import { useConsents, useRecordConsent, useWithdrawConsent } from './queries.js';

type Method = (typeof CONSENT_METHODS)[number];

function RecordConsentDialog({ householdId, open, onClose }: { householdId: string; open: boolean; onClose: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const errorMessage = useErrorMessage();
  const [form] = Form.useForm<ConsentCreate>();
  const organisations = useOrganisations(open);
  const record = useRecordConsent(householdId);
  const [error, setError] = useState<string | null>(null);
  const submit = (v: ConsentCreate): void => {
    setError(null);
    record.mutate(
      { ...v, purpose: v.purpose.trim() },
      {
        onSuccess: () => {
          void message.success(t('consent.recorded'));
          onClose();
        },
        onError: (e) => {
          if (!applyServerErrors(form, e, ['organisationId', 'purpose', 'givenOn', 'method'])) setError(errorMessage(e));
        },
      },
    );
  };
  return (
    <Modal
      open={open}
      title={t('consent.recordTitle')}
      onCancel={onClose}
      destroyOnHidden
      footer={[
        <Button key="cancel" onClick={onClose}>
          {t('common.cancel')}
        </Button>,
        <Button key="ok" type="primary" loading={record.isPending} onClick={() => form.submit()} data-testid="consent-save">
          {t('common.save')}
        </Button>,
      ]}
    >
      <Form<ConsentCreate>
        form={form}
        layout="vertical"
        preserve={false}
        initialValues={{ givenOn: todayIso(), method: 'written' }}
        onFinish={submit}
        data-testid="consent-form"
      >
        <Form.Item name="organisationId" label={t('consent.organisation')} rules={[{ required: true, message: t('common.required') }]}>
          <Select
            data-testid="consent-organisation"
            loading={organisations.isLoading}
            showSearch={{ optionFilterProp: 'label' }}
            placeholder={t('consent.organisationPlaceholder')}
            options={(organisations.data ?? []).map((o) => ({ value: o.id, label: o.name }))}
          />
        </Form.Item>
        <Form.Item
          name="purpose"
          label={t('consent.purpose')}
          rules={[
            { required: true, whitespace: true, message: t('common.required') },
            { min: 2, max: 200, message: t('consent.purposeLength') },
          ]}
        >
          <Input maxLength={200} placeholder={t('consent.purposePlaceholder')} data-testid="consent-purpose" />
        </Form.Item>
        <Form.Item
          name="givenOn"
          label={t('consent.givenOn')}
          rules={[
            { required: true, message: t('common.required') },
            { validator: (_, v: string) => (!v || isIsoDate(v) ? Promise.resolve() : Promise.reject(new Error(t('common.invalidDate')))) },
          ]}
        >
          <Input type="date" max={todayIso()} style={{ width: 200 }} data-testid="consent-given-on" />
        </Form.Item>
        <Form.Item name="method" label={t('consent.method')} rules={[{ required: true, message: t('common.required') }]}>
          <Select<Method> style={{ width: 200 }} options={CONSENT_METHODS.map((m) => ({ value: m, label: t(`consentMethod.${m}`) }))} data-testid="consent-method" />
        </Form.Item>
      </Form>
      {error ? <Alert type="error" showIcon title={error} /> : null}
    </Modal>
  );
}

function WithdrawDialog({ householdId, consent, onClose }: { householdId: string; consent: Consent | null; onClose: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const errorMessage = useErrorMessage();
  const withdraw = useWithdrawConsent(householdId);
  const [date, setDate] = useState(todayIso());
  const [error, setError] = useState<string | null>(null);
  return (
    <Modal
      open={consent !== null}
      title={t('consent.withdrawTitle')}
      onCancel={onClose}
      destroyOnHidden
      afterOpenChange={(visible) => {
        if (visible) {
          setDate(todayIso());
          setError(null);
        }
      }}
      footer={[
        <Button key="cancel" onClick={onClose}>
          {t('common.cancel')}
        </Button>,
        <Button
          key="ok"
          danger
          type="primary"
          disabled={!isIsoDate(date)}
          loading={withdraw.isPending}
          data-testid="consent-withdraw-confirm"
          onClick={() =>
            consent &&
            withdraw.mutate(
              { consentId: consent.id, withdrawnOn: date },
              {
                onSuccess: () => {
                  void message.success(t('consent.withdrawn'));
                  onClose();
                },
                onError: (e) => setError(errorMessage(e)),
              },
            )
          }
        >
          {t('consent.withdraw')}
        </Button>,
      ]}
    >
      <Typography.Paragraph>{t('consent.withdrawExplain', { purpose: consent?.purpose ?? '' })}</Typography.Paragraph>
      <Form layout="vertical">
        <Form.Item label={t('consent.withdrawnOn')}>
          <Input type="date" value={date} max={todayIso()} onChange={(e) => setDate(e.target.value)} style={{ width: 200 }} />
        </Form.Item>
      </Form>
      {error ? <Alert type="error" showIcon title={error} /> : null}
    </Modal>
  );
}

export function ConsentCard({ householdId }: { householdId: string }) {
  const { t } = useTranslation();
  const consents = useConsents(householdId);
  const organisations = useOrganisations();
  const [recording, setRecording] = useState(false);
  const [withdrawing, setWithdrawing] = useState<Consent | null>(null);
  const orgNames = useMemo(() => new Map((organisations.data ?? []).map((o) => [o.id, o.name])), [organisations.data]);
  const columns: TableColumnsType<Consent> = [
    { title: t('consent.organisation'), key: 'org', render: (_: unknown, c) => orgNames.get(c.organisationId) ?? c.organisationId.slice(0, 8) },
    { title: t('consent.purpose'), key: 'purpose', dataIndex: 'purpose' },
    { title: t('consent.givenOn'), key: 'givenOn', dataIndex: 'givenOn', render: (d: string) => <span style={{ whiteSpace: 'nowrap' }}>{d}</span> },
    { title: t('consent.method'), key: 'method', render: (_: unknown, c) => t(`consentMethod.${c.method}`) },
    {
      title: t('consent.status'),
      key: 'status',
      render: (_: unknown, c) =>
        c.withdrawnOn ? (
          <Tag data-testid="consent-status" data-active="false">
            {t('consent.withdrawnOnDate', { date: c.withdrawnOn.slice(0, 10) })}
          </Tag>
        ) : (
          <Tag color="success" data-testid="consent-status" data-active="true">
            {t('consent.active')}
          </Tag>
        ),
    },
    {
      title: '',
      key: 'actions',
      align: 'right',
      render: (_: unknown, c) =>
        c.withdrawnOn ? null : (
          <Button size="small" danger type="link" onClick={() => setWithdrawing(c)} data-testid="consent-withdraw">
            {t('consent.withdraw')}
          </Button>
        ),
    },
  ];
  return (
    <Card
      size="small"
      title={
        <span>
          <FileProtectOutlined style={{ marginInlineEnd: 8 }} />
          {t('consent.title')}
        </span>
      }
      extra={
        <Button size="small" icon={<PlusOutlined />} onClick={() => setRecording(true)} data-testid="consent-record">
          {t('consent.record')}
        </Button>
      }
      data-testid="consent-card"
    >
      <Typography.Paragraph type="secondary" style={{ fontSize: 12, marginBottom: 8 }}>
        {t('consent.hint')}
      </Typography.Paragraph>
      {consents.isError ? (
        <ErrorView error={consents.error} onRetry={() => void consents.refetch()} />
      ) : (
        <Table<Consent>
          rowKey="id"
          size="small"
          loading={consents.isLoading}
          columns={columns}
          dataSource={consents.data ?? []}
          pagination={false}
          locale={{ emptyText: t('consent.none') }}
          scroll={{ x: 'max-content' }}
          data-testid="consent-table"
        />
      )}
      <RecordConsentDialog householdId={householdId} open={recording} onClose={() => setRecording(false)} />
      <WithdrawDialog householdId={householdId} consent={withdrawing} onClose={() => setWithdrawing(null)} />
    </Card>
  );
}
