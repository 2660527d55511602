/**
 * Authentication and the route guard. Every /api route declares `config.auth`: 'public', 'session'
 * (any signed-in user; the use case decides), or a permission. A route without it stops the server
 * at start-up. Order of refusals: 401 (no session) → 403 (CSRF, permission) → 400 (validation).
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import cookie from '@fastify/cookie';
import type { AppContext } from '../app/context.js';
import { AppError } from '../app/errors.js';
import { requirePermission, type Actor } from '../app/auth/actor.js';
import { resolveSession, type SessionPolicy, DEFAULT_SESSION_POLICY } from '../app/auth/sessions.js';
import type { Permission } from '../core/security/index.js';

export const SESSION_COOKIE = 'zf_session';
export type RouteAuth = 'public' | 'session' | Permission;

declare module 'fastify' {
  interface FastifyRequest {
    actor: Actor | null;
    csrfToken: string | null;
    sessionToken: string | null;
  }
  interface FastifyContextConfig {
    auth?: RouteAuth;
  }
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** The signed-in actor of a guarded route (the guard has already refused anonymous requests). */
export function actorOf(req: FastifyRequest): Actor {
  if (!req.actor) throw new AppError('UNAUTHENTICATED', 'sign in first');
  return req.actor;
}

export function setSessionCookie(reply: FastifyReply, token: string): void {
  void reply.setCookie(SESSION_COOKIE, token, { httpOnly: true, sameSite: 'strict', secure: 'auto', path: '/' });
}

export function clearSessionCookie(reply: FastifyReply): void {
  void reply.clearCookie(SESSION_COOKIE, { path: '/' });
}

export async function registerAuth(app: FastifyInstance, ctx: AppContext, policy: SessionPolicy = DEFAULT_SESSION_POLICY): Promise<void> {
  await app.register(cookie);
  app.decorateRequest('actor', null);
  app.decorateRequest('csrfToken', null);
  app.decorateRequest('sessionToken', null);

  app.addHook('onRoute', (route) => {
    if (route.url.startsWith('/api/') && route.config?.auth === undefined) {
      throw new Error(`route ${route.method.toString()} ${route.url} declares no auth (config.auth)`);
    }
  });

  app.addHook('onRequest', async (req) => {
    const auth = req.routeOptions.config.auth;
    if (auth === undefined) return;
    const token = req.cookies[SESSION_COOKIE];
    if (token) {
      const session = await resolveSession(ctx, token, req.id, policy);
      if (session) {
        req.actor = session.actor;
        req.csrfToken = session.csrfToken;
        req.sessionToken = token;
      }
    }
    if (auth === 'public') return;
    if (!req.actor) throw new AppError('UNAUTHENTICATED', 'sign in first');
    if (!SAFE_METHODS.has(req.method) && req.headers['x-csrf-token'] !== req.csrfToken) {
      throw new AppError('CSRF_FAILED', 'missing or wrong x-csrf-token header');
    }
    if (auth !== 'session') requirePermission(req.actor, auth);
  });
}
