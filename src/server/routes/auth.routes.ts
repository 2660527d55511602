/** /api/v1/auth: sign in and out, who am I, TOTP enrolment. */
import { z } from 'zod';
import type { FastifyPluginCallbackZod } from 'fastify-type-provider-zod';
import { ErrorResponseSchema } from '../../contracts/common.js';
import { LoginSchema, SessionSchema, TotpEnableSchema, TotpSetupSchema } from '../../contracts/security.js';
import type { AppContext } from '../../app/context.js';
import { enableTotp, login, logout, newTotpSecret } from '../../app/auth/sessions.js';
import { me } from '../../app/auth/users.js';
import { actorOf, clearSessionCookie, setSessionCookie } from '../auth.js';

const errors = { 400: ErrorResponseSchema, 401: ErrorResponseSchema, 403: ErrorResponseSchema };
const tags = ['auth'];

export function authRoutes(ctx: AppContext, loginRateLimit: { max: number; timeWindow: string } | false): FastifyPluginCallbackZod {
  return (app, _opts, done) => {
    app.post('/auth/login', {
      config: { auth: 'public', ...(loginRateLimit && { rateLimit: loginRateLimit }) },
      schema: { tags, summary: 'Sign in; sets the session cookie and returns the CSRF token', body: LoginSchema, response: { 200: SessionSchema, ...errors } },
    }, async (req, reply) => {
      const r = await login(ctx, req.body, req.id);
      // A session id presented before login is dropped: a new one is issued (no fixation).
      if (req.sessionToken && req.actor) await logout(ctx, req.sessionToken, req.actor);
      setSessionCookie(reply, r.token);
      return { user: await me(ctx, r.actor), csrfToken: r.csrfToken };
    });

    app.post('/auth/logout', {
      config: { auth: 'session' },
      schema: { tags, summary: 'Sign out (ends the session)', response: { 204: z.null(), ...errors } },
    }, async (req, reply) => {
      await logout(ctx, req.sessionToken!, actorOf(req));
      clearSessionCookie(reply);
      return reply.status(204).send(null);
    });

    app.get('/auth/me', {
      config: { auth: 'session' },
      schema: { tags, summary: 'The signed-in user, permissions and CSRF token', response: { 200: SessionSchema, ...errors } },
    }, async (req) => ({ user: await me(ctx, actorOf(req)), csrfToken: req.csrfToken! }));

    app.post('/auth/totp/setup', {
      config: { auth: 'session' },
      schema: { tags, summary: 'A new TOTP secret to enrol (not active until confirmed)', response: { 200: TotpSetupSchema, ...errors } },
    }, (req) => {
      const secret = newTotpSecret();
      const label = encodeURIComponent(`Zhongfu:${actorOf(req).username}`);
      return { secret, otpauthUrl: `otpauth://totp/${label}?secret=${secret}&issuer=Zhongfu&algorithm=SHA1&digits=6&period=30` };
    });

    app.post('/auth/totp/enable', {
      config: { auth: 'session' },
      schema: { tags, summary: 'Confirm a code from the new secret; the second factor is then required at sign-in', body: TotpEnableSchema, response: { 204: z.null(), ...errors } },
    }, async (req, reply) => {
      await enableTotp(ctx, actorOf(req), req.body.secret, req.body.code, req.body.currentCode);
      return reply.status(204).send(null);
    });
    done();
  };
}
