/** Providers (antd, react-query, auth, router) and the route table: the login page, then every page behind sign-in and its permission. */
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { App as AntApp, ConfigProvider } from 'antd';
import { useTranslation } from 'react-i18next';
import { BrowserRouter, Route, Routes } from 'react-router-dom';
import { auditRoutes } from '../audit/routes.js';
import { accessRoutes } from '../access/routes.js';
import { charityRoutes } from '../charity/routes.js';
import { AuthProvider } from '../auth/AuthContext.js';
import { HomeRedirect, RequireAuth, RequirePermission } from '../auth/guards.js';
import { LoginPage } from '../auth/LoginPage.js';
import { feedRoutes } from '../feeds/routes.js';
import { householdRoutes } from '../households/routes.js';
import { monitoringRoutes } from '../monitoring/routes.js';
import { ledgerRoutes } from '../ledger/routes.js';
import { sharedRoutes } from '../shared/routes.js';
import { enUS, zhCN } from './antd-locale.js';
import { ApiError } from './api.js';
import { NotFoundPage } from './ErrorView.js';
import { permissionsFor } from './nav.js';
import { Shell } from './Shell.js';

const FONT_FAMILY =
  "-apple-system, BlinkMacSystemFont, 'Segoe UI', 'PingFang SC', 'Hiragino Sans GB', 'Microsoft YaHei', 'Noto Sans CJK SC', 'Noto Sans SC', 'Helvetica Neue', Arial, sans-serif";

export const queryClient = new QueryClient({
  defaultOptions: {
    queries: {
      staleTime: 30_000,
      refetchOnWindowFocus: false,
      // A 4xx will not get better by asking again.
      retry: (failures, error) => !(error instanceof ApiError && error.status >= 400 && error.status < 500) && failures < 2,
    },
  },
});

export function App() {
  const { i18n } = useTranslation();
  const english = i18n.resolvedLanguage === 'en';
  return (
    <ConfigProvider
      locale={english ? enUS : zhCN}
      button={{ autoInsertSpace: false }}
      theme={{ token: { fontFamily: FONT_FAMILY, borderRadius: 4 } }}
    >
      <AntApp>
        <QueryClientProvider client={queryClient}>
          <AuthProvider>
            <BrowserRouter>
              <Routes>
                <Route path="login" element={<LoginPage />} />
                <Route element={<RequireAuth />}>
                  <Route element={<Shell />}>
                    <Route index element={<HomeRedirect />} />
                    <Route element={<RequirePermission anyOf={permissionsFor('households')} />}>{householdRoutes}</Route>
                    <Route element={<RequirePermission anyOf={permissionsFor('alerts')} />}>{monitoringRoutes}</Route>
                    <Route element={<RequirePermission anyOf={permissionsFor('feeds')} />}>{feedRoutes}</Route>
                    <Route element={<RequirePermission anyOf={permissionsFor('findings')} />}>{ledgerRoutes}</Route>
                    <Route element={<RequirePermission anyOf={permissionsFor('shared')} />}>{sharedRoutes}</Route>
                    <Route element={<RequirePermission anyOf={permissionsFor('charity')} />}>{charityRoutes.portal}</Route>
                    <Route element={<RequirePermission anyOf={permissionsFor('consortium')} />}>{charityRoutes.consortium}</Route>
                    <Route element={<RequirePermission anyOf={permissionsFor('users')} />}>{accessRoutes.users}</Route>
                    <Route element={<RequirePermission anyOf={permissionsFor('organisations')} />}>{accessRoutes.organisations}</Route>
                    <Route element={<RequirePermission anyOf={permissionsFor('audit')} />}>{auditRoutes}</Route>
                    <Route path="*" element={<NotFoundPage />} />
                  </Route>
                </Route>
              </Routes>
            </BrowserRouter>
          </AuthProvider>
        </QueryClientProvider>
      </AntApp>
    </ConfigProvider>
  );
}
