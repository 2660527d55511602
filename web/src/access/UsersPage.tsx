/**
 * Accounts under separation of duties: the system administrator creates, disables and enables
 * accounts (the initial password is shown once); the security administrator assigns each account
 * its role, data scope and, for charity staff and department liaisons, its organisation.
 */
import { CopyOutlined, KeyOutlined, PlusOutlined, SearchOutlined, StopOutlined, CheckCircleOutlined } from '@ant-design/icons';
import { Alert, App, Button, Card, Flex, Form, Input, Modal, Popconfirm, Select, Space, Table, Tag, Tooltip, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ROLES, type UserView } from '../../../src/contracts/index.js';
import type { RoleAssign, UserCreated } from '../app/api.js';
import { ErrorView, useErrorMessage } from '../app/ErrorView.js';
import { applyServerErrors } from '../app/forms.js';
import { formatDateTime } from '../app/format.js';
import { RegionName, RegionPicker } from '../app/regions.js';
import { useCan, useMe } from '../auth/AuthContext.js';
import { useAssignRole, useCreateUser, useOrganisations, useSetUserDisabled, useUsers } from './queries.js';
import { FormDialog } from './FormDialog.js';

type Role = (typeof ROLES)[number];
/** Roles whose accounts belong to an organisation (a charity or a department). */
export const ORGANISATION_ROLES: readonly Role[] = ['charity_staff', 'department_liaison'];
const ADMIN_ROLES: readonly Role[] = ['system_admin', 'security_admin', 'audit_admin'];
const USERNAME = /^[a-z][a-z0-9._-]{2,63}$/;

export function RoleTag({ role }: { role: Role }) {
  const { t } = useTranslation();
  const color = role === 'unassigned' ? 'orange' : ADMIN_ROLES.includes(role) ? 'purple' : ORGANISATION_ROLES.includes(role) ? 'cyan' : 'blue';
  return (
    <Tag color={color} data-testid="role-tag" data-role={role} style={{ marginInlineEnd: 0 }}>
      {t(`role.${role}`)}
    </Tag>
  );
}

function StatusTag({ u }: { u: UserView }) {
  const { t } = useTranslation();
  if (u.disabled) return <Tag color="error">{t('users.disabled')}</Tag>;
  if (u.locked) return <Tag color="warning">{t('users.locked')}</Tag>;
  return <Tag color="success">{t('users.enabled')}</Tag>;
}

interface CreateForm {
  username: string;
  displayName: string;
}

function CreateUserDialog({ open, onClose, onCreated }: { open: boolean; onClose: () => void; onCreated: (c: UserCreated) => void }) {
  const { t } = useTranslation();
  const errorMessage = useErrorMessage();
  const [form] = Form.useForm<CreateForm>();
  const create = useCreateUser();
  const [error, setError] = useState<string | null>(null);
  return (
    <FormDialog
      open={open}
      title={t('users.createTitle')}
      onClose={onClose}
      form={form}
      saving={create.isPending}
      saveTestId="user-create-save"
      saveLabel={t('users.create')}
      error={error}
      onClosed={() => setError(null)}
    >
      <Typography.Paragraph type="secondary">{t('users.createHint')}</Typography.Paragraph>
      <Form<CreateForm>
        form={form}
        layout="vertical"
        preserve={false}
        onFinish={(v) => {
          setError(null);
          create.mutate(
            { username: v.username.trim(), displayName: v.displayName.trim() },
            {
              onSuccess: (c) => {
                onCreated(c);
                onClose();
              },
              onError: (e) => {
                if (!applyServerErrors(form, e, ['username', 'displayName'])) setError(errorMessage(e));
              },
            },
          );
        }}
      >
        <Form.Item
          name="username"
          label={t('users.username')}
          extra={t('users.usernameHint')}
          rules={[
            { required: true, message: t('common.required') },
            { pattern: USERNAME, message: t('users.usernameInvalid') },
          ]}
        >
          <Input autoComplete="off" maxLength={64} data-testid="user-create-username" />
        </Form.Item>
        <Form.Item name="displayName" label={t('users.displayName')} rules={[{ required: true, whitespace: true, message: t('common.required') }]}>
          <Input autoComplete="off" maxLength={50} data-testid="user-create-display-name" />
        </Form.Item>
      </Form>
    </FormDialog>
  );
}

/** The initial password, once. It lives in the page's state until this dialog closes. */
function InitialPasswordDialog({ created, onClose }: { created: UserCreated | null; onClose: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const copy = async (text: string): Promise<void> => {
    try {
      await navigator.clipboard.writeText(text);
      void message.success(t('common.copied'));
    } catch {
      void message.warning(t('users.copyFailed'));
    }
  };
  return (
    <Modal
      open={created !== null}
      title={t('users.createdTitle')}
      onCancel={onClose}
      mask={{ closable: false }}
      destroyOnHidden
      footer={[
        <Button key="done" type="primary" onClick={onClose} data-testid="initial-password-done">
          {t('users.passwordNoted')}
        </Button>,
      ]}
    >
      {created ? (
        <Flex vertical gap={16} data-testid="initial-password-dialog">
          <Typography.Text>{t('users.createdFor', { username: created.user.username, name: created.user.displayName })}</Typography.Text>
          <Flex align="center" gap={12} style={{ padding: '12px 16px', background: '#fafafa', border: '1px dashed #d9d9d9', borderRadius: 4 }}>
            <KeyOutlined style={{ color: '#8c8c8c', fontSize: 18 }} />
            <span style={{ flex: 1, fontFamily: 'monospace', fontSize: 18, letterSpacing: 1, userSelect: 'all' }} data-testid="initial-password">
              {created.initialPassword}
            </span>
            <Button icon={<CopyOutlined />} onClick={() => void copy(created.initialPassword)} data-testid="initial-password-copy">
              {t('common.copy')}
            </Button>
          </Flex>
          <Alert type="warning" showIcon title={t('users.passwordOnce')} description={t('users.passwordOnceHint')} />
        </Flex>
      ) : null}
    </Modal>
  );
}

interface RoleForm {
  role: Role;
  scopeRegion: string;
  organisationId?: string | null;
}

function AssignRoleDialog({ user, onClose }: { user: UserView | null; onClose: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const errorMessage = useErrorMessage();
  const [form] = Form.useForm<RoleForm>();
  const assign = useAssignRole();
  const organisations = useOrganisations(user !== null);
  const role = Form.useWatch('role', form);
  const needsOrganisation = role !== undefined && ORGANISATION_ROLES.includes(role);
  const [error, setError] = useState<string | null>(null);
  return (
    <FormDialog
      open={user !== null}
      title={t('users.assignTitle', { username: user?.username ?? '' })}
      onClose={onClose}
      form={form}
      saving={assign.isPending}
      saveTestId="assign-save"
      error={error}
      onClosed={() => setError(null)}
      width={600}
    >
      {user ? (
        <Form<RoleForm>
          form={form}
          layout="vertical"
          preserve={false}
          initialValues={{ role: user.role === 'unassigned' ? undefined : user.role, scopeRegion: user.scopeRegion, organisationId: user.organisationId ?? undefined }}
          onFinish={(v) => {
            setError(null);
            const body: RoleAssign = {
              role: v.role,
              scopeRegion: v.scopeRegion,
              organisationId: ORGANISATION_ROLES.includes(v.role) ? (v.organisationId ?? null) : null,
            };
            assign.mutate(
              { id: user.id, body },
              {
                onSuccess: () => {
                  void message.success(t('users.assigned', { username: user.username }));
                  onClose();
                },
                onError: (e) => {
                  if (!applyServerErrors(form, e, ['role', 'scopeRegion', 'organisationId'])) setError(errorMessage(e));
                },
              },
            );
          }}
          data-testid="assign-form"
        >
          <Form.Item name="role" label={t('users.role')} rules={[{ required: true, message: t('common.required') }]} extra={role ? t(`roleScope.${role}`) : undefined}>
            <Select<Role>
              data-testid="assign-role"
              placeholder={t('users.rolePlaceholder')}
              options={[
                { label: t('users.roleGroupWork'), options: ROLES.filter((r) => !ADMIN_ROLES.includes(r) && r !== 'unassigned' && !ORGANISATION_ROLES.includes(r)).map((r) => ({ value: r, label: t(`role.${r}`) })) },
                { label: t('users.roleGroupOrganisation'), options: ORGANISATION_ROLES.map((r) => ({ value: r, label: t(`role.${r}`) })) },
                { label: t('users.roleGroupAdmin'), options: ADMIN_ROLES.map((r) => ({ value: r, label: t(`role.${r}`) })) },
                { label: t('users.roleGroupNone'), options: [{ value: 'unassigned' as Role, label: t('role.unassigned') }] },
              ]}
            />
          </Form.Item>
          <Form.Item name="scopeRegion" label={t('users.scope')} rules={[{ required: true, message: t('common.required') }]}>
            <RegionPicker testId="assign-scope" />
          </Form.Item>
          {needsOrganisation ? (
            <Form.Item name="organisationId" label={t('users.organisation')} rules={[{ required: true, message: t('common.required') }]}>
              <Select
                data-testid="assign-organisation"
                loading={organisations.isLoading}
                showSearch={{ optionFilterProp: 'label' }}
                placeholder={t('users.organisationPlaceholder')}
                options={(organisations.data ?? []).map((o) => ({ value: o.id, label: o.name }))}
              />
            </Form.Item>
          ) : null}
        </Form>
      ) : null}
    </FormDialog>
  );
}

export function UsersPage() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const errorMessage = useErrorMessage();
  const me = useMe();
  const canManage = useCan('user.manage');
  const canAssign = useCan('access.manage');
  const users = useUsers();
  const organisations = useOrganisations();
  const setDisabled = useSetUserDisabled();
  const [search, setSearch] = useState('');
  const [creating, setCreating] = useState(false);
  const [created, setCreated] = useState<UserCreated | null>(null);
  const [assigning, setAssigning] = useState<UserView | null>(null);
  const orgNames = useMemo(() => new Map((organisations.data ?? []).map((o) => [o.id, o.name])), [organisations.data]);
  const shown = useMemo(() => {
    const q = search.trim().toLowerCase();
    const all = users.data ?? [];
    return q ? all.filter((u) => u.username.toLowerCase().includes(q) || u.displayName.toLowerCase().includes(q)) : all;
  }, [users.data, search]);

  const toggle = (u: UserView): void =>
    setDisabled.mutate(
      { id: u.id, disabled: !u.disabled },
      {
        onSuccess: (v) => void message.success(t(v.disabled ? 'users.disabledDone' : 'users.enabledDone', { username: v.username })),
        onError: (e) => void message.error(errorMessage(e)),
      },
    );

  const columns: TableColumnsType<UserView> = [
    {
      title: t('users.username'),
      key: 'username',
      render: (_: unknown, u) => (
        <span style={{ fontFamily: 'monospace', whiteSpace: 'nowrap' }} data-testid="user-username">
          {u.username}
        </span>
      ),
    },
    { title: t('users.displayName'), key: 'displayName', dataIndex: 'displayName' },
    { title: t('users.role'), key: 'role', render: (_: unknown, u) => <RoleTag role={u.role} /> },
    { title: t('users.scope'), key: 'scope', render: (_: unknown, u) => <RegionName code={u.scopeRegion} /> },
    {
      title: t('users.organisation'),
      key: 'organisation',
      render: (_: unknown, u) => (u.organisationId ? (orgNames.get(u.organisationId) ?? u.organisationId.slice(0, 8)) : <span style={{ color: 'rgba(0,0,0,0.25)' }}>—</span>),
    },
    { title: t('users.status'), key: 'status', render: (_: unknown, u) => <StatusTag u={u} /> },
    {
      title: t('users.totp'),
      key: 'totp',
      render: (_: unknown, u) => (u.totpEnabled ? <Tag color="success">{t('users.totpOn')}</Tag> : <Tag>{t('users.totpOff')}</Tag>),
    },
    { title: t('users.createdAt'), key: 'createdAt', render: (_: unknown, u) => <span style={{ whiteSpace: 'nowrap' }}>{formatDateTime(u.createdAt)}</span> },
    {
      title: t('users.actions'),
      key: 'actions',
      fixed: 'right',
      render: (_: unknown, u) => {
        const self = u.id === me.id;
        return (
          <Space size={4}>
            {canAssign ? (
              <Tooltip title={self ? t('users.notSelf') : undefined}>
                <Button size="small" type="link" disabled={self} onClick={() => setAssigning(u)} data-testid="user-assign">
                  {t('users.assign')}
                </Button>
              </Tooltip>
            ) : null}
            {canManage ? (
              <Popconfirm
                title={t(u.disabled ? 'users.enableConfirm' : 'users.disableConfirm', { username: u.username })}
                onConfirm={() => toggle(u)}
                okText={t('common.confirm')}
                cancelText={t('common.cancel')}
                disabled={self}
              >
                <Tooltip title={self ? t('users.notSelf') : undefined}>
                  <Button
                    size="small"
                    type="link"
                    danger={!u.disabled}
                    disabled={self}
                    icon={u.disabled ? <CheckCircleOutlined /> : <StopOutlined />}
                    data-testid={u.disabled ? 'user-enable' : 'user-disable'}
                  >
                    {u.disabled ? t('users.enable') : t('users.disable')}
                  </Button>
                </Tooltip>
              </Popconfirm>
            ) : null}
          </Space>
        );
      },
    },
  ];

  return (
    <Flex vertical gap={16} data-testid="users-page">
      <div>
        <Typography.Title level={4} style={{ margin: 0 }}>
          {t('users.title')}
        </Typography.Title>
        <Typography.Text type="secondary">{canManage ? t('users.descriptionSystem') : t('users.descriptionSecurity')}</Typography.Text>
      </div>
      <Card size="small" styles={{ body: { padding: 0 } }}>
        <Flex justify="space-between" gap={12} wrap style={{ padding: 12 }}>
          <Input
            allowClear
            prefix={<SearchOutlined />}
            placeholder={t('users.search')}
            style={{ width: 260 }}
            value={search}
            onChange={(e) => setSearch(e.target.value)}
            data-testid="users-search"
          />
          {canManage ? (
            <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)} data-testid="user-create">
              {t('users.create')}
            </Button>
          ) : null}
        </Flex>
        {users.isError ? (
          <div style={{ padding: 16 }}>
            <ErrorView error={users.error} onRetry={() => void users.refetch()} />
          </div>
        ) : (
          <Table<UserView>
            rowKey="id"
            size="middle"
            data-testid="users-table"
            loading={users.isLoading}
            columns={columns}
            dataSource={shown}
            scroll={{ x: 'max-content' }}
            pagination={{ pageSize: 20, hideOnSinglePage: true, showTotal: (total) => t('common.total', { total }), style: { paddingInline: 16 } }}
          />
        )}
      </Card>
      {canManage ? <CreateUserDialog open={creating} onClose={() => setCreating(false)} onCreated={setCreated} /> : null}
      <InitialPasswordDialog created={created} onClose={() => setCreated(null)} />
      {canAssign ? <AssignRoleDialog user={assigning} onClose={() => setAssigning(null)} /> : null}
    </Flex>
  );
}
