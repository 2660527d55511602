/**
 * Sign-in: username and password, then (when the account has TOTP) the 6-digit code. The form
 * posts JSON, never a GET, so nothing typed here reaches the URL. After signing in the browser goes
 * back to the page it was sent away from, or home.
 */
import { LockOutlined, SafetyCertificateOutlined, UserOutlined } from '@ant-design/icons';
import { Alert, Button, Card, Flex, Form, Input, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Navigate, useLocation } from 'react-router-dom';
import { api, ApiError } from '../app/api.js';
import { LanguageSwitch } from '../app/Shell.js';
import type { Me } from '../../../src/contracts/index.js';
import { navKeyFor, permissionsFor } from '../app/nav.js';
import { hasAny, useAuth } from './AuthContext.js';
import type { LoginState } from './guards.js';

interface Credentials {
  username: string;
  password: string;
}

/**
 * Where to go after signing in: the page the user was sent away from, if it is an in-app path
 * (never another origin, never the login page) that this user may open; home otherwise (another
 * user may sign in after a session expired).
 */
function returnPath(state: unknown, me: Me): string {
  const from = (state as LoginState | null)?.from;
  if (typeof from !== 'string' || !from.startsWith('/') || from.startsWith('//') || from.startsWith('/login')) return '/';
  const key = navKeyFor(new URL(from, window.location.origin).pathname);
  return key === undefined || hasAny(me, permissionsFor(key)) ? from : '/';
}

function useLoginErrorText(): (e: unknown, step: 'password' | 'totp') => string {
  const { t } = useTranslation();
  return (e, step) => {
    if (e instanceof ApiError) {
      if (e.isNetwork) return t('common.networkError');
      if (e.code === 'AUTH_FAILED') return step === 'totp' ? t('login.totpFailed') : t('login.failed');
      if (e.code === 'RATE_LIMITED' || e.status === 429) return t('login.rateLimited');
      return e.message;
    }
    return e instanceof Error ? e.message : String(e);
  };
}

export function LoginPage() {
  const { t } = useTranslation();
  const { state, signedIn } = useAuth();
  const location = useLocation();
  const errorText = useLoginErrorText();
  const [step, setStep] = useState<'password' | 'totp'>('password');
  // The password is held here, in memory, only between the two steps.
  const [credentials, setCredentials] = useState<Credentials | null>(null);
  const [code, setCode] = useState('');
  // A new key empties the code boxes after a wrong code.
  const [attempt, setAttempt] = useState(0);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [form] = Form.useForm<Credentials>();

  if (state.status === 'signedIn') return <Navigate to={returnPath(location.state, state.me)} replace />;

  const submit = async (c: Credentials, totp?: string): Promise<void> => {
    setBusy(true);
    setError(null);
    try {
      const session = await api.login(totp ? { ...c, totp } : c);
      setCredentials(null);
      signedIn(session);
    } catch (e) {
      if (e instanceof ApiError && e.code === 'SECOND_FACTOR_REQUIRED') {
        setCredentials(c);
        setCode('');
        setStep('totp');
      } else {
        setError(errorText(e, totp ? 'totp' : 'password'));
        if (totp) {
          setCode('');
          setAttempt((n) => n + 1);
        }
        else form.setFieldValue('password', '');
      }
    } finally {
      setBusy(false);
    }
  };

  const back = (): void => {
    setCredentials(null);
    setCode('');
    setError(null);
    setStep('password');
    form.setFieldValue('password', '');
  };

  return (
    <Flex
      vertical
      align="center"
      style={{ minHeight: '100vh', background: 'linear-gradient(160deg, #0a2a5e 0%, #0f3f8c 55%, #1d5fbf 100%)', padding: 24 }}
      data-testid="login-page"
    >
      <Flex justify="flex-end" style={{ width: '100%' }}>
        <LanguageSwitch />
      </Flex>
      <Flex vertical align="center" justify="center" style={{ flex: 1, width: '100%' }}>
        <Flex align="center" gap={12} style={{ marginBottom: 24 }} data-testid="login-brand">
          <img src="/favicon.svg" alt="" width={44} height={44} style={{ borderRadius: 8 }} />
          <div>
            <div style={{ color: '#fff', fontSize: 26, fontWeight: 600, letterSpacing: 1, lineHeight: 1.2 }}>
              {t('app.name')} <span style={{ fontWeight: 400, opacity: 0.85 }}>{t('app.latinName')}</span>
            </div>
            <div style={{ color: 'rgba(255,255,255,0.75)', fontSize: 14 }}>{t('app.subtitle')}</div>
          </div>
        </Flex>
        <Card style={{ width: '100%', maxWidth: 400, boxShadow: '0 8px 24px rgba(0,0,0,0.18)' }} styles={{ body: { padding: 32 } }}>
          {step === 'password' ? (
            <>
              <Typography.Title level={4} style={{ marginTop: 0, marginBottom: 24 }}>
                {t('login.title')}
              </Typography.Title>
              <Form<Credentials>
                form={form}
                layout="vertical"
                requiredMark={false}
                disabled={busy}
                onFinish={(v) => void submit(v)}
                data-testid="login-form"
              >
                <Form.Item name="username" label={t('login.username')} rules={[{ required: true, message: t('login.usernameRequired') }]}>
                  <Input prefix={<UserOutlined />} autoComplete="username" autoFocus data-testid="login-username" maxLength={64} />
                </Form.Item>
                <Form.Item name="password" label={t('login.password')} rules={[{ required: true, message: t('login.passwordRequired') }]}>
                  <Input.Password prefix={<LockOutlined />} autoComplete="current-password" data-testid="login-password" maxLength={128} />
                </Form.Item>
                {error ? <Alert type="error" showIcon title={error} style={{ marginBottom: 16 }} data-testid="login-error" /> : null}
                <Button type="primary" htmlType="submit" block size="large" loading={busy} data-testid="login-submit">
                  {t('login.submit')}
                </Button>
              </Form>
            </>
          ) : (
            <Flex vertical gap={16} data-testid="login-totp">
              <Typography.Title level={4} style={{ margin: 0 }}>
                <SafetyCertificateOutlined style={{ color: '#1677ff', marginInlineEnd: 8 }} />
                {t('login.totpTitle')}
              </Typography.Title>
              <Typography.Text type="secondary">{t('login.totpHint')}</Typography.Text>
              <Input.OTP
                key={attempt}
                length={6}
                disabled={busy}
                autoFocus
                autoComplete="one-time-code"
                formatter={(s) => s.replace(/\D/g, '')}
                onInput={(cells) => setCode(cells.join(''))}
                onChange={(v) => {
                  setCode(v);
                  if (/^\d{6}$/.test(v) && credentials) void submit(credentials, v);
                }}
                data-testid="login-totp-code"
              />
              {error ? <Alert type="error" showIcon title={error} data-testid="login-error" /> : null}
              <Button
                type="primary"
                block
                size="large"
                loading={busy}
                disabled={!/^\d{6}$/.test(code) || !credentials}
                onClick={() => credentials && void submit(credentials, code)}
                data-testid="login-totp-submit"
              >
                {t('login.totpSubmit')}
              </Button>
              <Button type="link" onClick={back} disabled={busy} data-testid="login-back">
                {t('login.back')}
              </Button>
            </Flex>
          )}
        </Card>
        <Typography.Text style={{ color: 'rgba(255,255,255,0.6)', fontSize: 12, marginTop: 24, textAlign: 'center', maxWidth: 400 }}>
          {t('login.notice')}
        </Typography.Text>
      </Flex>
    </Flex>
  );
}
