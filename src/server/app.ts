/** The HTTP server: API under /api/v1, OpenAPI at /docs, the web app at /. */
import { existsSync } from 'node:fs';
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
  const hasWeb = existsSync(webDist);
  // wildcard: files are looked up per request, so a rebuilt web app is served without a restart.
  if (hasWeb) await app.register(fastifyStatic, { root: webDist, wildcard: true });
  app.setNotFoundHandler((req, reply) => {
    // The web app routes on the client: any other GET page gets index.html.
    const isPage = req.method === 'GET' && !/^\/(api|docs|assets)\//.test(req.url) && !req.url.startsWith('/docs');
    if (hasWeb && isPage) return reply.sendFile('index.html');
    return reply.status(404).send({ error: { code: 'NOT_FOUND', message: 'route not found' } });
  });
  return app;
}
