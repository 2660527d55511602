/**
 * Organisations (charities, departments …) and the data-sharing agreements with them (security
 * administrator): list and register organisations; list, create and revoke agreements, each naming
 * the fields the organisation may see, the region it covers and how long it runs.
 */
import { PlusOutlined } from '@ant-design/icons';
import { App, Button, Card, Checkbox, Flex, Form, Input, Popconfirm, Select, Table, Tag, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ORGANISATION_KINDS, SHAREABLE_FIELDS } from '../../../src/contracts/index.js';
import type { Agreement, AgreementCreate, Organisation, OrganisationCreate } from '../app/api.js';
import { ErrorView, useErrorMessage } from '../app/ErrorView.js';
import { applyServerErrors, isIsoDate } from '../app/forms.js';
import { formatDate, todayIso } from '../app/format.js';
import { RegionName, RegionPicker } from '../app/regions.js';
import { useAgreements, useCreateAgreement, useCreateOrganisation, useOrganisations, useRevokeAgreement } from './queries.js';
import { FormDialog } from './FormDialog.js';

type Kind = (typeof ORGANISATION_KINDS)[number];
type Field = (typeof SHAREABLE_FIELDS)[number];
const CREDIT_CODE = /^[0-9A-HJ-NPQRTUWXY]{2}\d{6}[0-9A-HJ-NPQRTUWXY]{10}$/i;
const muted = { color: 'rgba(0,0,0,0.25)' } as const;

function dateRule(message: string) {
  return { validator: (_: unknown, v: string | undefined) => (!v || isIsoDate(v) ? Promise.resolve() : Promise.reject(new Error(message))) };
}

function OrganisationDialog({ open, onClose }: { open: boolean; onClose: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const errorMessage = useErrorMessage();
  const [form] = Form.useForm<OrganisationCreate>();
  const create = useCreateOrganisation();
  const [error, setError] = useState<string | null>(null);
  return (
    <FormDialog
      open={open}
      title={t('organisations.createTitle')}
      onClose={onClose}
      form={form}
      saving={create.isPending}
      saveTestId="organisation-save"
      error={error}
      onClosed={() => setError(null)}
      width={600}
    >
      <Form<OrganisationCreate>
        form={form}
        layout="vertical"
        preserve={false}
        initialValues={{ kind: 'charity', regionCode: '33' }}
        onFinish={(v) => {
          setError(null);
          const creditCode = v.creditCode?.trim().toUpperCase();
          create.mutate(
            { name: v.name.trim(), kind: v.kind, regionCode: v.regionCode, creditCode: creditCode ? creditCode : null },
            {
              onSuccess: (o) => {
                void message.success(t('organisations.created', { name: o.name }));
                onClose();
              },
              onError: (e) => {
                if (!applyServerErrors(form, e, ['name', 'kind', 'creditCode', 'regionCode'])) setError(errorMessage(e));
              },
            },
          );
        }}
      >
        <Form.Item name="name" label={t('organisations.name')} rules={[{ required: true, whitespace: true, message: t('common.required') }]}>
          <Input maxLength={100} data-testid="organisation-name" />
        </Form.Item>
        <Form.Item name="kind" label={t('organisations.kind')} rules={[{ required: true, message: t('common.required') }]}>
          <Select<Kind> style={{ width: 240 }} options={ORGANISATION_KINDS.map((k) => ({ value: k, label: t(`organisationKind.${k}`) }))} data-testid="organisation-kind" />
        </Form.Item>
        <Form.Item name="creditCode" label={t('organisations.creditCode')} extra={t('organisations.creditCodeHint')} rules={[{ pattern: CREDIT_CODE, message: t('organisations.creditCodeInvalid') }]}>
          <Input maxLength={18} style={{ width: 260, fontFamily: 'monospace' }} data-testid="organisation-credit-code" />
        </Form.Item>
        <Form.Item name="regionCode" label={t('organisations.region')} rules={[{ required: true, message: t('common.required') }]}>
          <RegionPicker deepest="county" testId="organisation-region" />
        </Form.Item>
      </Form>
    </FormDialog>
  );
}

function AgreementDialog({ open, onClose, organisations }: { open: boolean; onClose: () => void; organisations: Organisation[] }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const errorMessage = useErrorMessage();
  const [form] = Form.useForm<AgreementCreate>();
  const create = useCreateAgreement();
  const [error, setError] = useState<string | null>(null);
  const today = todayIso();
  const nextYear = `${String(Number(today.slice(0, 4)) + 1)}${today.slice(4)}`.replace(/-02-29$/, '-02-28');
  return (
    <FormDialog
      open={open}
      title={t('agreements.createTitle')}
      onClose={onClose}
      form={form}
      saving={create.isPending}
      saveTestId="agreement-save"
      error={error}
      onClosed={() => setError(null)}
      width={640}
    >
      <Form<AgreementCreate>
        form={form}
        layout="vertical"
        preserve={false}
        initialValues={{ regionCode: '33', validFrom: today, validUntil: nextYear, allowedFields: ['category', 'members_basic'] }}
        onFinish={(v) => {
          setError(null);
          create.mutate(
            { ...v, purpose: v.purpose.trim() },
            {
              onSuccess: () => {
                void message.success(t('agreements.created'));
                onClose();
              },
              onError: (e) => {
                if (!applyServerErrors(form, e, ['organisationId', 'purpose', 'allowedFields', 'regionCode', 'validFrom', 'validUntil'])) setError(errorMessage(e));
              },
            },
          );
        }}
        data-testid="agreement-form"
      >
        <Form.Item name="organisationId" label={t('agreements.organisation')} rules={[{ required: true, message: t('common.required') }]}>
          <Select
            showSearch={{ optionFilterProp: 'label' }}
            placeholder={t('agreements.organisationPlaceholder')}
            options={organisations.map((o) => ({ value: o.id, label: o.name }))}
            data-testid="agreement-organisation"
          />
        </Form.Item>
        <Form.Item
          name="purpose"
          label={t('agreements.purpose')}
          rules={[
            { required: true, whitespace: true, message: t('common.required') },
            { min: 2, max: 200, message: t('consent.purposeLength') },
          ]}
        >
          <Input.TextArea rows={2} maxLength={200} showCount data-testid="agreement-purpose" />
        </Form.Item>
        <Form.Item name="allowedFields" label={t('agreements.allowedFields')} extra={t('agreements.allowedFieldsHint')} rules={[{ required: true, type: 'array', min: 1, message: t('agreements.allowedFieldsRequired') }]}>
          <Checkbox.Group<Field> options={SHAREABLE_FIELDS.map((f) => ({ value: f, label: t(`shareableField.${f}`) }))} data-testid="agreement-fields" />
        </Form.Item>
        <Form.Item name="regionCode" label={t('agreements.region')} rules={[{ required: true, message: t('common.required') }]}>
          <RegionPicker deepest="county" testId="agreement-region" />
        </Form.Item>
        <Flex gap={16} wrap>
          <Form.Item name="validFrom" label={t('agreements.validFrom')} rules={[{ required: true, message: t('common.required') }, dateRule(t('common.invalidDate'))]}>
            <Input type="date" style={{ width: 200 }} data-testid="agreement-valid-from" />
          </Form.Item>
          <Form.Item
            name="validUntil"
            label={t('agreements.validUntil')}
            dependencies={['validFrom']}
            rules={[
              { required: true, message: t('common.required') },
              dateRule(t('common.invalidDate')),
              ({ getFieldValue }) => ({
                validator: (_: unknown, v: string | undefined) => {
                  const from = getFieldValue('validFrom') as string | undefined;
                  return !v || !from || v >= from ? Promise.resolve() : Promise.reject(new Error(t('agreements.untilBeforeFrom')));
                },
              }),
            ]}
          >
            <Input type="date" style={{ width: 200 }} data-testid="agreement-valid-until" />
          </Form.Item>
        </Flex>
      </Form>
    </FormDialog>
  );
}

function AgreementStatus({ a }: { a: Agreement }) {
  const { t } = useTranslation();
  if (a.revokedAt) return <Tag color="error">{t('agreements.revokedOn', { date: formatDate(a.revokedAt) })}</Tag>;
  if (a.active) return <Tag color="success">{t('agreements.active')}</Tag>;
  const today = todayIso();
  return <Tag>{a.validFrom > today ? t('agreements.notYet') : t('agreements.expired')}</Tag>;
}

export function OrganisationsPage() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const errorMessage = useErrorMessage();
  const organisations = useOrganisations();
  const agreements = useAgreements();
  const revoke = useRevokeAgreement();
  const [creatingOrg, setCreatingOrg] = useState(false);
  const [creatingAgreement, setCreatingAgreement] = useState(false);
  const orgNames = useMemo(() => new Map((organisations.data ?? []).map((o) => [o.id, o.name])), [organisations.data]);

  const orgColumns: TableColumnsType<Organisation> = [
    { title: t('organisations.name'), key: 'name', dataIndex: 'name', render: (n: string) => <span data-testid="organisation-row-name">{n}</span> },
    { title: t('organisations.kind'), key: 'kind', render: (_: unknown, o) => <Tag>{t(`organisationKind.${o.kind}`)}</Tag> },
    {
      title: t('organisations.creditCode'),
      key: 'creditCode',
      render: (_: unknown, o) => (o.creditCode ? <span style={{ fontFamily: 'monospace' }}>{o.creditCode}</span> : <span style={muted}>—</span>),
    },
    { title: t('organisations.region'), key: 'region', render: (_: unknown, o) => <RegionName code={o.regionCode} /> },
    { title: t('organisations.createdAt'), key: 'createdAt', render: (_: unknown, o) => formatDate(o.createdAt) },
  ];

  const agreementColumns: TableColumnsType<Agreement> = [
    { title: t('agreements.organisation'), key: 'org', render: (_: unknown, a) => orgNames.get(a.organisationId) ?? a.organisationId.slice(0, 8) },
    { title: t('agreements.purpose'), key: 'purpose', dataIndex: 'purpose', width: 200 },
    {
      title: t('agreements.allowedFields'),
      key: 'fields',
      width: 240,
      render: (_: unknown, a) => (
        <Flex gap={4} wrap>
          {a.allowedFields.map((f) => (
            <Tag key={f} color="blue" variant="outlined" style={{ marginInlineEnd: 0 }}>
              {t(`shareableField.${f}`)}
            </Tag>
          ))}
        </Flex>
      ),
    },
    { title: t('agreements.region'), key: 'region', render: (_: unknown, a) => <RegionName code={a.regionCode} /> },
    {
      title: t('agreements.validity'),
      key: 'validity',
      render: (_: unknown, a) => (
        <span style={{ whiteSpace: 'nowrap', fontVariantNumeric: 'tabular-nums' }}>
          {a.validFrom} ~ {a.validUntil}
        </span>
      ),
    },
    { title: t('agreements.status'), key: 'status', render: (_: unknown, a) => <AgreementStatus a={a} /> },
    {
      title: '',
      key: 'actions',
      align: 'right',
      render: (_: unknown, a) =>
        a.revokedAt ? null : (
          <Popconfirm
            title={t('agreements.revokeConfirm')}
            description={t('agreements.revokeHint')}
            okText={t('agreements.revoke')}
            okButtonProps={{ danger: true }}
            cancelText={t('common.cancel')}
            onConfirm={() =>
              revoke.mutate(a.id, {
                onSuccess: () => void message.success(t('agreements.revoked')),
                onError: (e) => void message.error(errorMessage(e)),
              })
            }
          >
            <Button size="small" type="link" danger data-testid="agreement-revoke">
              {t('agreements.revoke')}
            </Button>
          </Popconfirm>
        ),
    },
  ];

  return (
    <Flex vertical gap={16} data-testid="organisations-page">
      <div>
        <Typography.Title level={4} style={{ margin: 0 }}>
          {t('organisations.pageTitle')}
        </Typography.Title>
        <Typography.Text type="secondary">{t('organisations.description')}</Typography.Text>
      </div>
      <Card
        size="small"
        title={t('organisations.title')}
        extra={
          <Button type="primary" size="small" icon={<PlusOutlined />} onClick={() => setCreatingOrg(true)} data-testid="organisation-create">
            {t('organisations.create')}
          </Button>
        }
        data-testid="organisations-card"
      >
        {organisations.isError ? (
          <ErrorView error={organisations.error} onRetry={() => void organisations.refetch()} />
        ) : (
          <Table<Organisation>
            rowKey="id"
            size="small"
            loading={organisations.isLoading}
            columns={orgColumns}
            dataSource={organisations.data ?? []}
            pagination={{ pageSize: 10, hideOnSinglePage: true }}
            scroll={{ x: 'max-content' }}
            data-testid="organisations-table"
          />
        )}
      </Card>
      <Card
        size="small"
        title={t('agreements.title')}
        extra={
          <Button
            type="primary"
            size="small"
            icon={<PlusOutlined />}
            onClick={() => setCreatingAgreement(true)}
            disabled={(organisations.data ?? []).length === 0}
            data-testid="agreement-create"
          >
            {t('agreements.create')}
          </Button>
        }
        data-testid="agreements-card"
      >
        {agreements.isError ? (
          <ErrorView error={agreements.error} onRetry={() => void agreements.refetch()} />
        ) : (
          <Table<Agreement>
            rowKey="id"
            size="small"
            loading={agreements.isLoading}
            columns={agreementColumns}
            dataSource={agreements.data ?? []}
            pagination={{ pageSize: 10, hideOnSinglePage: true }}
            locale={{ emptyText: t('agreements.none') }}
            scroll={{ x: 'max-content' }}
            data-testid="agreements-table"
          />
        )}
      </Card>
      <OrganisationDialog open={creatingOrg} onClose={() => setCreatingOrg(false)} />
      <AgreementDialog open={creatingAgreement} onClose={() => setCreatingAgreement(false)} organisations={organisations.data ?? []} />
    </Flex>
  );
}
