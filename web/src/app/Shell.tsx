/**
 * The application frame: header (product name, the signed-in user, language switch), left menu (what the role may use), content area.
 * Narrower screens get a shorter header (see `headerModeOf`): on a phone the account, language and links fold into one menu.
 */
import { ApiOutlined } from '@ant-design/icons';
import { ConfigProvider, Grid, Layout, Menu, Segmented, Space, Tooltip, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link, Outlet, useLocation } from 'react-router-dom';
import { currentLanguage, setLanguage, type Language } from './i18n.js';
import { AccountBar, AccountMenu } from '../auth/AccountBar.js';
import { useMe } from '../auth/AuthContext.js';
import { navEntriesFor, navKeyFor } from './nav.js';

const { Header, Sider, Content, Footer } = Layout;

export function LanguageSwitch() {
  const { i18n } = useTranslation();
  const value: Language = i18n.resolvedLanguage === 'en' ? 'en' : currentLanguage();
  return (
    <ConfigProvider
      theme={{
        components: {
          Segmented: {
            trackBg: 'rgba(255, 255, 255, 0.14)',
            itemColor: 'rgba(255, 255, 255, 0.85)',
            itemHoverColor: '#fff',
            itemHoverBg: 'rgba(255, 255, 255, 0.12)',
            itemSelectedBg: '#fff',
            itemSelectedColor: '#0a2a5e',
          },
        },
      }}
    >
      <Segmented<Language>
        data-testid="lang-switch"
        size="small"
        value={value}
        options={[
          { label: '中文', value: 'zh-CN' },
          { label: 'English', value: 'en' },
        ]}
        onChange={(lang) => void setLanguage(lang)}
      />
    </ConfigProvider>
  );
}

/**
 * How much the header shows at this width: `full` (≥ 1200 px) everything; `medium` (≥ 768 px) no
 * subtitle, icon buttons; `phone` the name and one account menu holding the rest.
 */
export type HeaderMode = 'full' | 'medium' | 'phone';

export function headerModeOf(screens: Partial<Record<string, boolean>>): HeaderMode {
  if (screens.xl) return 'full';
  if (screens.md) return 'medium';
  return 'phone';
}

export function Shell() {
  const { t } = useTranslation();
  const location = useLocation();
  const me = useMe();
  const screens = Grid.useBreakpoint();
  const mode = headerModeOf(screens);
  const phone = mode === 'phone';
  const entries = navEntriesFor(me);
  const selected = navKeyFor(location.pathname);
  return (
    <Layout style={{ minHeight: '100vh' }}>
      <Header
        data-testid="app-header"
        data-mode={mode}
        style={{
          position: 'sticky',
          top: 0,
          zIndex: 10,
          display: 'flex',
          alignItems: 'center',
          justifyContent: 'space-between',
          gap: phone ? 8 : 16,
          paddingInline: phone ? 12 : 24,
          background: 'linear-gradient(90deg, #0a2a5e 0%, #0f3f8c 100%)',
          boxShadow: '0 1px 4px rgba(0, 21, 41, 0.2)',
        }}
      >
        <Link to="/" style={{ display: 'flex', alignItems: 'center', gap: phone ? 8 : 12, minWidth: 0, flexShrink: 1 }} data-testid="app-name">
          <img src="/favicon.svg" alt="" width={phone ? 28 : 32} height={phone ? 28 : 32} style={{ borderRadius: 6, flexShrink: 0 }} />
          <span style={{ color: '#fff', fontSize: phone ? 18 : 20, fontWeight: 600, letterSpacing: 1, whiteSpace: 'nowrap' }}>
            {t('app.name')}
            {/* The second name goes first on the narrowest phones. */}
            {screens.sm ? <span style={{ fontWeight: 400, opacity: 0.85 }}> {t('app.latinName')}</span> : null}
          </span>
          {mode === 'full' ? (
            <span
              style={{ color: 'rgba(255,255,255,0.65)', fontSize: 13, borderInlineStart: '1px solid rgba(255,255,255,0.3)', paddingInlineStart: 12, whiteSpace: 'nowrap' }}
              data-testid="app-subtitle"
            >
              {t('app.subtitle')}
            </span>
          ) : null}
        </Link>
        {phone ? (
          <AccountMenu />
        ) : (
          <Space size={mode === 'full' ? 'middle' : 'small'} style={{ flexShrink: 0 }}>
            <Tooltip title={mode === 'full' ? undefined : t('app.apiDocs')}>
              <a href="/docs" target="_blank" rel="noreferrer" style={{ color: 'rgba(255,255,255,0.85)', fontSize: 13, whiteSpace: 'nowrap' }} aria-label={t('app.apiDocs')}>
                <ApiOutlined />
                {mode === 'full' ? ` ${t('app.apiDocs')}` : null}
              </a>
            </Tooltip>
            <LanguageSwitch />
            <AccountBar compact={mode !== 'full'} />
          </Space>
        )}
      </Header>
      <Layout>
        <Sider width={200} theme="light" breakpoint="lg" collapsedWidth={64} style={{ borderInlineEnd: '1px solid #f0f0f0' }}>
          <Menu
            mode="inline"
            data-testid="nav-menu"
            selectedKeys={selected ? [selected] : []}
            style={{ borderInlineEnd: 0, paddingTop: 8 }}
            items={entries.map((e) => ({
              key: e.key,
              icon: e.icon,
              label: (
                <Link to={e.path} data-testid={`nav-${e.key}`}>
                  {t(e.labelKey)}
                </Link>
              ),
            }))}
          />
        </Sider>
        <Layout style={{ background: '#f5f6f8' }}>
          <Content style={{ padding: phone ? 12 : 24, minWidth: 0 }} data-testid="content">
            <Outlet />
          </Content>
          <Footer style={{ textAlign: 'center', color: 'rgba(0,0,0,0.45)', fontSize: 12, paddingBlock: 16, background: 'transparent' }}>
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>
              {t('app.footer')}
            </Typography.Text>
          </Footer>
        </Layout>
      </Layout>
    </Layout>
  );
}
