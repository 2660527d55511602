/** The signed-in user in the header: name, role and scope; two-step verification; sign out. */
import { LogoutOutlined, SafetyCertificateOutlined, UserOutlined } from '@ant-design/icons';
import { App, Button, Flex, Tooltip } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useAuth, useMe } from './AuthContext.js';
import { TotpDialog } from './TotpDialog.js';

const light = 'rgba(255,255,255,0.85)';

export function AccountBar() {
  const { t } = useTranslation();
  const me = useMe();
  const { signOut } = useAuth();
  const { message } = App.useApp();
  const [totpOpen, setTotpOpen] = useState(false);
  const [leaving, setLeaving] = useState(false);
  const scope = me.organisationName ? `${me.organisationName} · ${me.scopeName}` : me.scopeName;
  return (
    <Flex align="center" gap={12} data-testid="account-bar">
      <Flex vertical style={{ lineHeight: 1.25, textAlign: 'end' }}>
        <span style={{ color: '#fff', fontSize: 14, whiteSpace: 'nowrap' }}>
          <UserOutlined style={{ marginInlineEnd: 6 }} />
          <span data-testid="account-name">{me.displayName}</span>
          <span style={{ color: light, marginInlineStart: 8 }} data-testid="account-role">
            {t(`role.${me.role}`)}
          </span>
        </span>
        <span style={{ color: 'rgba(255,255,255,0.6)', fontSize: 12, whiteSpace: 'nowrap' }} data-testid="account-scope">
          {t('account.scope', { scope })}
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
        >
          {t('totp.menu')}
        </Button>
      </Tooltip>
      <Button
        size="small"
        ghost
        icon={<LogoutOutlined />}
        loading={leaving}
        data-testid="logout"
        onClick={() => {
          setLeaving(true);
          message.destroy();
          // The route guard then shows the login page.
          void signOut().catch(() => undefined);
        }}
      >
        {t('account.logout')}
      </Button>
      <TotpDialog open={totpOpen} onClose={() => setTotpOpen(false)} />
    </Flex>
  );
}
