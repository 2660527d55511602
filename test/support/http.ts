/** Signing in through the real API for HTTP tests: one helper per user, carrying cookie and CSRF token. */
import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify';
import type { AppContext } from '../../src/app/context.js';
import { createUser } from '../../src/app/auth/users.js';
import type { Role } from '../../src/core/security/index.js';

export interface Client {
  username: string;
  userId: string;
  request(method: InjectOptions['method'], url: string, payload?: unknown, extra?: { csrf?: string | null }): Promise<LightMyRequestResponse>;
}

let counter = 0;

/** Creates a user with the role and scope, signs in, and returns a client for that session. */
export async function signIn(app: FastifyInstance, ctx: AppContext, role: Role, scopeRegion: string, organisationId: string | null = null): Promise<Client> {
  const username = `t-${role.replace(/_/g, '-')}-${++counter}`;
  const password = 'correct horse battery staple';
  const { user } = await createUser(ctx, null, { username, displayName: username, role, scopeRegion, organisationId, password });
  const r = await app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username, password } });
  if (r.statusCode !== 200) throw new Error(`sign-in failed: ${r.statusCode} ${r.body}`);
  const cookie = r.cookies.find((c) => c.name === 'zf_session')!;
  const csrf = r.json<{ csrfToken: string }>().csrfToken;
  return {
    username,
    userId: user.id,
    request: (method, url, payload, extra) =>
      app.inject({
        method,
        url,
        cookies: { zf_session: cookie.value },
        headers: extra?.csrf === null ? {} : { 'x-csrf-token': extra?.csrf ?? csrf },
        ...(payload !== undefined && { payload: payload as Record<string, unknown> }),
      }),
  };
}
