/** Route guards: signed in, holding a permission; and the home route, which goes to the first page the user may use. */
import { Button, Flex, Result } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link, Navigate, Outlet, useLocation } from 'react-router-dom';
import { ErrorView, Loading } from '../app/ErrorView.js';
import { navEntriesFor } from '../app/nav.js';
import { hasAny, useAuth, useMe, type Permission } from './AuthContext.js';

/** Where the login page returns to, carried in router state (nothing in the URL). */
export interface LoginState {
  from?: string;
}

/** Renders the child routes for a signed-in user; otherwise the login page, remembering where the user was. */
export function RequireAuth() {
  const { state, refresh } = useAuth();
  const location = useLocation();
  if (state.status === 'loading') return <Loading testId="auth-loading" />;
  if (state.status === 'error') {
    return (
      <Flex justify="center" style={{ padding: 48 }}>
        <div style={{ maxWidth: 560, width: '100%' }}>
          <ErrorView error={state.error} onRetry={() => void refresh()} />
        </div>
      </Flex>
    );
  }
  if (state.status === 'signedOut') {
    if (state.loggedOut) return <Navigate to="/login" replace />;
    const from = `${location.pathname}${location.search}${location.hash}`;
    return <Navigate to="/login" replace state={{ from } satisfies LoginState} />;
  }
  return <Outlet />;
}

/** A 403 page: the user is signed in but this page is not for their role. */
export function ForbiddenResult() {
  const { t } = useTranslation();
  return (
    <Result
      status="403"
      title={<span data-testid="forbidden">{t('auth.forbiddenTitle')}</span>}
      subTitle={t('auth.forbiddenHint')}
      extra={
        <Link to="/">
          <Button type="primary">{t('common.backHome')}</Button>
        </Link>
      }
    />
  );
}

/** Renders the child routes only for users holding one of `anyOf`. */
export function RequirePermission({ anyOf }: { anyOf: readonly Permission[] }) {
  const me = useMe();
  return hasAny(me, anyOf) ? <Outlet /> : <ForbiddenResult />;
}

/** `/`: the first menu entry the user may use, or a notice that the account has no role yet. */
export function HomeRedirect() {
  const { t } = useTranslation();
  const me = useMe();
  const first = navEntriesFor(me)[0];
  if (first) return <Navigate to={first.path} replace />;
  return <Result status="info" title={<span data-testid="no-role">{t('auth.noRoleTitle')}</span>} subTitle={t('auth.noRoleHint')} />;
}
