/**
 * TOTP enrolment: ask the server for a new secret, show it (as a QR code, the secret in groups of
 * four, and the otpauth:// URL as text), then confirm with a code from the authenticator app. The
 * second factor is required at the next sign-in.
 */
import { CheckCircleFilled } from '@ant-design/icons';
import { Alert, App, Button, Flex, Input, Modal, QRCode, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, type TotpSetup } from '../app/api.js';
import { useErrorMessage } from '../app/ErrorView.js';
import { useAuth, useMe } from './AuthContext.js';

const groupsOfFour = (s: string): string => s.replace(/(.{4})(?=.)/g, '$1 ');

export function TotpDialog({ open, onClose }: { open: boolean; onClose: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const me = useMe();
  const { refresh } = useAuth();
  const errorMessage = useErrorMessage();
  const [setup, setSetup] = useState<TotpSetup | null>(null);
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [code, setCode] = useState('');
  // Re-binding needs a code from the authenticator in use: a session alone cannot swap the factor.
  const [currentCode, setCurrentCode] = useState('');
  const [attempt, setAttempt] = useState(0);
  const [busy, setBusy] = useState(false);

  // A fresh state each time the dialog opens or closes: the secret lives only here, and not for long.
  useEffect(() => {
    setSetup(null);
    setError(null);
    setCode('');
    setCurrentCode('');
  }, [open]);

  const start = async (): Promise<void> => {
    setLoading(true);
    setError(null);
    try {
      setSetup(await api.totpSetup());
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setLoading(false);
    }
  };

  const enable = async (): Promise<void> => {
    if (!setup || !/^\d{6}$/.test(code) || (me.totpEnabled && !/^\d{6}$/.test(currentCode))) return;
    setBusy(true);
    setError(null);
    try {
      await api.totpEnable(setup.secret, code, me.totpEnabled ? currentCode : undefined);
      setSetup(null);
      await refresh();
      void message.success(t('totp.enabled'));
      onClose();
    } catch (e) {
      setError(t('totp.codeRejected', { message: errorMessage(e) }));
      setCode('');
      setAttempt((n) => n + 1);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Modal
      open={open}
      title={t('totp.title')}
      onCancel={onClose}
      destroyOnHidden
      width={620}
      footer={
        setup
          ? [
              <Button key="cancel" onClick={onClose}>
                {t('common.cancel')}
              </Button>,
              <Button key="ok" type="primary" loading={busy} disabled={!/^\d{6}$/.test(code)} onClick={() => void enable()} data-testid="totp-enable">
                {t('totp.enable')}
              </Button>,
            ]
          : [
              <Button key="close" onClick={onClose}>
                {t('common.close')}
              </Button>,
            ]
      }
    >
      <Flex vertical gap={16} data-testid="totp-dialog">
        {!setup ? (
          <>
            {me.totpEnabled ? (
              <Alert type="success" showIcon icon={<CheckCircleFilled />} title={t('totp.isEnabled')} description={t('totp.isEnabledHint')} data-testid="totp-status" />
            ) : (
              <Alert type="info" showIcon title={t('totp.isDisabled')} description={t('totp.isDisabledHint')} data-testid="totp-status" />
            )}
            <div>
              <Button type="primary" loading={loading} onClick={() => void start()} data-testid="totp-start">
                {me.totpEnabled ? t('totp.restart') : t('totp.start')}
              </Button>
            </div>
          </>
        ) : (
          <>
            <Typography.Text>{t('totp.step1')}</Typography.Text>
            <Flex gap={16} align="flex-start" wrap>
              <QRCode value={setup.otpauthUrl} size={148} bordered errorLevel="M" data-testid="totp-qr" />
              <Flex vertical gap={8} style={{ flex: '1 1 240px', minWidth: 0 }}>
                <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                  {t('totp.secret')}
                </Typography.Text>
                <Typography.Text copyable={{ text: setup.secret }} code style={{ fontSize: 14 }} data-testid="totp-secret">
                  {groupsOfFour(setup.secret)}
                </Typography.Text>
                <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                  {t('totp.url')}
                </Typography.Text>
                <Typography.Paragraph copyable={{ text: setup.otpauthUrl }} style={{ fontFamily: 'monospace', fontSize: 12, wordBreak: 'break-all', margin: 0 }} data-testid="totp-url">
                  {setup.otpauthUrl}
                </Typography.Paragraph>
              </Flex>
            </Flex>
            {me.totpEnabled ? (
              <>
                <Typography.Text>{t('totp.current')}</Typography.Text>
                <Input
                  value={currentCode}
                  maxLength={6}
                  inputMode="numeric"
                  autoComplete="one-time-code"
                  onChange={(e) => setCurrentCode(e.target.value.replace(/\D/g, ''))}
                  disabled={busy}
                  style={{ width: 160 }}
                  data-testid="totp-current-code"
                />
              </>
            ) : null}
            <Typography.Text>{t('totp.step2')}</Typography.Text>
            <Input.OTP
              key={attempt}
              length={6}
              autoComplete="one-time-code"
              formatter={(s) => s.replace(/\D/g, '')}
              onInput={(cells) => setCode(cells.join(''))}
              onChange={setCode}
              disabled={busy}
              data-testid="totp-code"
            />
          </>
        )}
        {error ? <Alert type="error" showIcon title={error} data-testid="totp-error" /> : null}
      </Flex>
    </Modal>
  );
}
