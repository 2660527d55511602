/**
 * Who is signed in. At start the app asks /auth/me (the session cookie is httpOnly, so that is the
 * only way to know); the answer's CSRF token is kept in memory for the API client. Any 401 from the
 * API forgets the user, and the route guard then sends the browser to the login page, keeping the
 * page it was on (in router state, not in the URL) to come back to after signing in.
 */
import { useQueryClient } from '@tanstack/react-query';
import { createContext, useCallback, useContext, useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import type { Me, PERMISSIONS } from '../../../src/contracts/index.js';
import { api, ApiError, setCsrfFailedHandler, setCsrfToken, setUnauthenticatedHandler, type Session } from '../app/api.js';

export type Permission = (typeof PERMISSIONS)[number];

export type AuthState =
  | { status: 'loading' }
  /** `loggedOut`: the user signed out (the login page then starts afresh, with no page to return to). */
  | { status: 'signedOut'; loggedOut?: boolean }
  | { status: 'signedIn'; me: Me }
  /** /auth/me failed for another reason than 401 (server down): the app shows it with a retry. */
  | { status: 'error'; error: unknown };

export interface AuthValue {
  state: AuthState;
  /** After a successful POST /auth/login. */
  signedIn: (session: Session) => void;
  /** POST /auth/logout, then forget everything cached. */
  signOut: () => Promise<void>;
  /** Asks /auth/me again (after TOTP enrolment, or to retry a failed start-up). */
  refresh: () => Promise<void>;
}

const AuthContext = createContext<AuthValue | null>(null);

export function AuthProvider({ children }: { children: ReactNode }) {
  const queryClient = useQueryClient();
  const [state, setState] = useState<AuthState>({ status: 'loading' });
  const wasSignedIn = useRef(false);

  const apply = useCallback((session: Session | null, loggedOut = false) => {
    setCsrfToken(session?.csrfToken ?? null);
    setState(session ? { status: 'signedIn', me: session.user } : { status: 'signedOut', loggedOut });
  }, []);

  const refresh = useCallback(async () => {
    try {
      apply(await api.me());
    } catch (e) {
      if (e instanceof ApiError && e.status === 401) apply(null);
      else setState({ status: 'error', error: e });
    }
  }, [apply]);

  useEffect(() => {
    void refresh();
    setUnauthenticatedHandler(() => apply(null));
    return () => setUnauthenticatedHandler(null);
  }, [refresh, apply]);

  // A CSRF failure: take the session's current token if it is still the same user's; if another
  // user signed in meanwhile (another tab), they take over, with nothing cached from before.
  const userId = state.status === 'signedIn' ? state.me.id : null;
  useEffect(() => {
    setCsrfFailedHandler(async () => {
      try {
        const session = await api.me();
        if (session.user.id === userId) {
          setCsrfToken(session.csrfToken);
          return true;
        }
        queryClient.clear();
        apply(session);
      } catch (e) {
        if (e instanceof ApiError && e.status === 401) apply(null);
      }
      return false;
    });
    return () => setCsrfFailedHandler(null);
  }, [userId, apply, queryClient]);

  // Nothing one user loaded may be shown to the next: drop the cache whenever a session ends.
  // (The pages that used it are unmounted by then: the route guard has switched to the login page.)
  useEffect(() => {
    if (state.status === 'signedIn') wasSignedIn.current = true;
    if (state.status === 'signedOut' && wasSignedIn.current) {
      wasSignedIn.current = false;
      queryClient.clear();
    }
  }, [state.status, queryClient]);

  const signedIn = useCallback(
    (session: Session) => {
      queryClient.clear();
      apply(session);
    },
    [apply, queryClient],
  );

  const signOut = useCallback(async () => {
    try {
      await api.logout();
    } finally {
      apply(null, true);
    }
  }, [apply]);

  const value = useMemo<AuthValue>(() => ({ state, signedIn, signOut, refresh }), [state, signedIn, signOut, refresh]);
  return <AuthContext.Provider value={value}>{children}</AuthContext.Provider>;
}

export function useAuth(): AuthValue {
  const ctx = useContext(AuthContext);
  if (!ctx) throw new Error('useAuth outside <AuthProvider>');
  return ctx;
}

/** The signed-in user; only inside the route guard. */
export function useMe(): Me {
  const { state } = useAuth();
  if (state.status !== 'signedIn') throw new Error('useMe outside a signed-in route');
  return state.me;
}

export function hasAny(me: Me, permissions: readonly Permission[]): boolean {
  return permissions.some((p) => me.permissions.includes(p));
}

/** Whether the signed-in user holds a permission (false when nobody is signed in). */
export function useCan(permission: Permission): boolean {
  const { state } = useAuth();
  return state.status === 'signedIn' && state.me.permissions.includes(permission);
}
