/**
 * The signed-in user in the header: name, role and scope; two-step verification; sign out.
 * `AccountBar` is the wide form (`compact`: the buttons as icons, for a tablet-width header);
 * `AccountMenu` is the phone form: one button opening a menu with the account, the language,
 * the API docs, two-step verification and sign-out.
 */
import { ApiOutlined, CheckOutlined, DownOutlined, LogoutOutlined, SafetyCertificateOutlined, UserOutlined } from '@ant-design/icons';
import { App, Button, Dropdown, Flex, Tooltip, Typography } from 'antd';
import type { MenuProps } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { currentLanguage, LANGUAGES, setLanguage, type Language } from '../app/i18n.js';
import { useAuth, useMe } from './AuthContext.js';
import { TotpDialog } from './TotpDialog.js';

const light = 'rgba(255,255,255,0.85)';
const LANGUAGE_NAMES: Record<Language, string> = { 'zh-CN': '中文', en: 'English' };

/** Sign out: forget the messages on screen; the route guard then shows the login page. */
function useSignOut(): { leaving: boolean; leave: () => void } {
  const { signOut } = useAuth();
  const { message } = App.useApp();
  const [leaving, setLeaving] = useState(false);
  return {
    leaving,
    leave: () => {
      setLeaving(true);
      message.destroy();
      void signOut().catch(() => undefined);
    },
  };
}

function scopeOf(me: ReturnType<typeof useMe>): string {
  return me.organisationName ? `${me.organisationName} · ${me.scopeName}` : me.scopeName;
}

export function AccountBar({ compact = false }: { compact?: boolean }) {
  const { t } = useTranslation();
  const me = useMe();
  const { leaving, leave } = useSignOut();
  const [totpOpen, setTotpOpen] = useState(false);
  const ellipsis = { whiteSpace: 'nowrap', overflow: 'hidden', textOverflow: 'ellipsis', maxWidth: compact ? 240 : 360 } as const;
  return (
    <Flex align="center" gap={compact ? 4 : 12} data-testid="account-bar">
      <Flex vertical style={{ lineHeight: 1.25, textAlign: 'end', minWidth: 0 }}>
        <span style={{ color: '#fff', fontSize: 14, ...ellipsis }}>
          <UserOutlined style={{ marginInlineEnd: 6 }} />
          <span data-testid="account-name">{me.displayName}</span>
          <span style={{ color: light, marginInlineStart: 8 }} data-testid="account-role">
            {t(`role.${me.role}`)}
          </span>
        </span>
        <span style={{ color: 'rgba(255,255,255,0.6)', fontSize: 12, ...ellipsis }} data-testid="account-scope">
          {t('account.scope', { scope: scopeOf(me) })}
        </span>
      </Flex>
      <Tooltip title={me.totpEnabled ? t('totp.isEnabled') : t('totp.isDisabled')}>
        <Button
          type="text"
          size="small"
          icon={<SafetyCertificateOutlined />}
          style={{ color: me.totpEnabled ? '#95de64' : light }}
          onClick={() => setTotpOpen(true)}
          data-testid="totp-open"
          aria-label={t('totp.menu')}
        >
          {compact ? null : t('totp.menu')}
        </Button>
      </Tooltip>
      <Tooltip title={compact ? t('account.logout') : undefined}>
        <Button size="small" ghost icon={<LogoutOutlined />} loading={leaving} data-testid="logout" aria-label={t('account.logout')} onClick={leave}>
          {compact ? null : t('account.logout')}
        </Button>
      </Tooltip>
      <TotpDialog open={totpOpen} onClose={() => setTotpOpen(false)} />
    </Flex>
  );
}

/** The phone header's account button and its menu. */
export function AccountMenu() {
  const { t, i18n } = useTranslation();
  const me = useMe();
  const { leaving, leave } = useSignOut();
  const [totpOpen, setTotpOpen] = useState(false);
  const lang: Language = i18n.resolvedLanguage === 'en' ? 'en' : currentLanguage();
  const items: MenuProps['items'] = [
    {
      key: 'lang',
      type: 'group',
      label: t('app.language'),
      children: LANGUAGES.map((l) => ({
        key: `lang:${l}`,
        icon: l === lang ? <CheckOutlined /> : <span style={{ display: 'inline-block', width: 14 }} />,
        label: <span data-testid={`menu-lang-${l}`}>{LANGUAGE_NAMES[l]}</span>,
      })),
    },
    { type: 'divider' },
    {
      key: 'docs',
      icon: <ApiOutlined />,
      label: (
        <a href="/docs" target="_blank" rel="noreferrer" data-testid="menu-docs">
          {t('app.apiDocs')}
        </a>
      ),
    },
    {
      key: 'totp',
      icon: <SafetyCertificateOutlined style={me.totpEnabled ? { color: '#52c41a' } : undefined} />,
      label: <span data-testid="menu-totp">{me.totpEnabled ? t('totp.isEnabled') : t('totp.isDisabled')}</span>,
    },
    { type: 'divider' },
    { key: 'logout', icon: <LogoutOutlined />, danger: true, disabled: leaving, label: <span data-testid="menu-logout">{t('account.logout')}</span> },
  ];
  const onClick: MenuProps['onClick'] = ({ key }) => {
    if (key.startsWith('lang:')) void setLanguage(key.slice(5) as Language);
    else if (key === 'totp') setTotpOpen(true);
    else if (key === 'logout') leave();
  };
  return (
    <>
      <Dropdown
        trigger={['click']}
        placement="bottomRight"
        // The menu's own shadow would draw a box inside the panel.
        menu={{ items, onClick, style: { boxShadow: 'none' } }}
        popupRender={(menu) => (
          <div
            style={{ background: '#fff', borderRadius: 8, boxShadow: '0 6px 16px rgba(0,0,0,0.12), 0 3px 6px -4px rgba(0,0,0,0.12)', maxWidth: 'calc(100vw - 16px)' }}
            data-testid="account-menu"
          >
            <Flex vertical style={{ padding: '10px 16px 6px', lineHeight: 1.4 }}>
              <Typography.Text strong>{me.displayName}</Typography.Text>
              <Typography.Text type="secondary" style={{ fontSize: 13 }} data-testid="account-role">
                {t(`role.${me.role}`)}
              </Typography.Text>
              <Typography.Text type="secondary" style={{ fontSize: 12 }} data-testid="account-scope">
                {t('account.scope', { scope: scopeOf(me) })}
              </Typography.Text>
            </Flex>
            {menu}
          </div>
        )}
      >
        <Button
          type="text"
          data-testid="account-bar"
          aria-label={t('account.menu')}
          style={{ color: '#fff', paddingInline: 8, display: 'flex', alignItems: 'center', gap: 6, maxWidth: '100%' }}
        >
          <UserOutlined />
          <span data-testid="account-name" style={{ whiteSpace: 'nowrap', overflow: 'hidden', textOverflow: 'ellipsis', maxWidth: 104 }}>
            {me.displayName}
          </span>
          <DownOutlined style={{ fontSize: 10 }} />
        </Button>
      </Dropdown>
      <TotpDialog open={totpOpen} onClose={() => setTotpOpen(false)} />
    </>
  );
}
