/** The HTTP server: API under /api/v1, OpenAPI at /docs, the web app at /. */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Fastify, { type FastifyInstance } from 'fastify';
import helmet from '@fastify/helmet';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import fastifyStatic from '@fastify/static';
import { jsonSchemaTransform, serializerCompiler, validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import type { AppContext } from '../app/context.js';
import { AppError } from '../app/errors.js';
import { errorHandler } from './errors.js';
import { randomUUID } from 'node:crypto';
import rateLimit from '@fastify/rate-limit';
import { householdRoutes } from './routes/households.routes.js';
import { referenceRoutes } from './routes/reference.routes.js';
import { authRoutes } from './routes/auth.routes.js';
import { adminRoutes } from './routes/admin.routes.js';
import { monitoringRoutes } from './routes/monitoring.routes.js';
import { charityRoutes } from './routes/charity.routes.js';
import { ledgerRoutes } from './routes/ledger.routes.js';
import { registerAuth } from './auth.js';
import type { SessionPolicy } from '../app/auth/sessions.js';

export const WEB_DIST = fileURLToPath(new URL('../../web/dist', import.meta.url));

/** Whether the web app has been built into `dir` (its index.html exists). */
export function isWebBuilt(dir: string = WEB_DIST): boolean {
  return existsSync(join(dir, 'index.html'));
}

/** What a browser gets at `/` when the web app was not built: how to build it, in both languages. */
const WEB_NOT_BUILT_PAGE = `<!doctype html><html lang="zh-CN"><meta charset="utf-8"><title>众扶 Zhongfu</title>
<body style="font-family:sans-serif;max-width:40em;margin:4em auto;line-height:1.6">
<h1>众扶 Zhongfu</h1>
<p>网页端尚未构建。请在项目目录运行 <code>npm run build:web</code>，然后重启服务（<code>npm start</code> 会自动构建）。API 与文档照常可用：<a href="/docs">/docs</a>。</p>
<p>The web app has not been built. In the project folder run <code>npm run build:web</code>, then restart the server (<code>npm start</code> builds it for you). The API and its documentation work as usual: <a href="/docs">/docs</a>.</p>
</body></html>`;

export interface ServerOptions {
  /** pino logger options (a `stream` lets tests read the log), or false for none. */
  logger?: boolean | { level: string; stream?: { write(msg: string): void } };
  webDist?: string;
  /** API rate limit per client address; false turns it off (tests that send thousands of requests). */
  rateLimit?: { max: number; timeWindow: string } | false;
  /** Sign-in attempts per client address. */
  loginRateLimit?: { max: number; timeWindow: string } | false;
  sessionPolicy?: SessionPolicy;
}

/** The path of the first string holding a NUL character, or null. Iterative: bodies may nest deeply. */
function findNul(root: unknown, rootPath: string): string | null {
  const stack: [unknown, string][] = [[root, rootPath]];
  while (stack.length > 0) {
    const [value, path] = stack.pop()!;
    if (typeof value === 'string') {
      if (value.includes('\u0000')) return path || '(body)';
    } else if (Array.isArray(value)) {
      for (let i = value.length - 1; i >= 0; i--) stack.push([value[i], `${path}[${i}]`]);
    } else if (typeof value === 'object' && value !== null) {
      for (const [k, v] of Object.entries(value).reverse()) {
        if (k.includes('\u0000')) return `${path ? `${path}.` : ''}(key)`;
        stack.push([v, path ? `${path}.${k}` : k]);
      }
    }
  }
  return null;
}

export async function buildServer(ctx: AppContext, options: ServerOptions = {}): Promise<FastifyInstance> {
  const app = Fastify({
    logger: options.logger ?? false,
    bodyLimit: 1_048_576,
    // Request ids are random, so the audit trail's request_id cannot be guessed or collide across restarts.
    genReqId: () => randomUUID(),
  }).withTypeProvider<ZodTypeProvider>();
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  app.setErrorHandler(errorHandler);
  // Reads' audit rows commit in shared batches (ADR 0006): a response leaves only after its request's rows have committed.
  const audit = ctx.audit;
  if (audit) {
    audit.attachLogger(app.log);
    app.addHook('onRequest', (req, _reply, done) => { audit.beginRequest(req.id); done(); });
    app.addHook('onSend', async (req) => { await audit.settled(req.id); });
    app.addHook('onResponse', (req, _reply, done) => { audit.endRequest(req.id); done(); });
    app.addHook('onRequestAbort', (req, done) => { audit.endRequest(req.id); done(); });
  }

  await app.register(helmet, {
    contentSecurityPolicy: {
      directives: { defaultSrc: ["'self'"], scriptSrc: ["'self'"], styleSrc: ["'self'", "'unsafe-inline'"], imgSrc: ["'self'", 'data:'] },
    },
  });
  await app.register(swagger, {
    openapi: {
      info: { title: 'Zhongfu 众扶 API', version: '1', description: 'Social assistance registry, policy parameters and means test.' },
      tags: [{ name: 'auth' }, { name: 'households' }, { name: 'reference' }, { name: 'access' }, { name: 'sharing' }, { name: 'monitoring' }, { name: 'charity' }, { name: 'audit' }],
    },
    transform: jsonSchemaTransform,
  });
  await app.register(swaggerUi, { routePrefix: '/docs' });

  app.addHook('onSend', async (req, reply) => {
    // Personal data must not sit in shared caches or the browser's disk cache.
    if (req.url.startsWith('/api/')) void reply.header('cache-control', 'no-store');
  });

  const limit = options.rateLimit ?? { max: 600, timeWindow: '1 minute' };
  // Global: every route, static files included; sign-in has its own, tighter limit.
  if (limit) await app.register(rateLimit, { ...limit, global: true });
  await registerAuth(app, ctx, options.sessionPolicy);
  // PostgreSQL text cannot hold NUL: refuse it as bad input, naming the field, before it reaches SQL.
  app.addHook('preValidation', (req, _reply, done) => {
    const field = findNul(req.body, '') ?? findNul(req.query, '');
    done(field === null ? undefined : new AppError('VALIDATION_FAILED', `${field}: must not contain a NUL character`, field));
  });
  await app.register(
    async (api) => {
      await api.register(authRoutes(ctx, limit && (options.loginRateLimit ?? { max: 20, timeWindow: '1 minute' })));
      await api.register(householdRoutes(ctx));
      await api.register(referenceRoutes(ctx));
      await api.register(adminRoutes(ctx));
      await api.register(monitoringRoutes(ctx));
      await api.register(ledgerRoutes(ctx));
      await api.register(charityRoutes(ctx));
    },
    { prefix: '/api/v1' },
  );

  const webDist = options.webDist ?? WEB_DIST;
  const hasWeb = isWebBuilt(webDist);
  // wildcard: files are looked up per request, so a rebuilt web app is served without a restart.
  if (hasWeb) await app.register(fastifyStatic, { root: webDist, wildcard: true });
  app.setNotFoundHandler((req, reply) => {
    // The web app routes on the client: any other GET page gets index.html.
    const isPage = req.method === 'GET' && !/^\/(api|docs|assets)\//.test(req.url) && !req.url.startsWith('/docs');
    if (hasWeb && isPage) return reply.sendFile('index.html');
    if (isPage) return reply.status(503).type('text/html; charset=utf-8').send(WEB_NOT_BUILT_PAGE);
    return reply.status(404).send({ error: { code: 'NOT_FOUND', message: 'route not found' } });
  });
  return app;
}
