/**
 * A read's audit row and the response that carries the data (ADR 0006): with the hooks the HTTP
 * server installs (src/server/app.ts, mirrored here: app may not import server), the row has
 * committed when the response arrives, and when its commit fails the data does not leave.
 */
import Fastify, { type FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestPlatform, TEST_DB_KINDS } from '../../../test/support/databases.js';
import type { Platform } from '../setup/open-platform.js';
import { appendAudit, verifyAudit } from './audit.js';

describe.each(TEST_DB_KINDS)('audited reads over HTTP on %s', (kind) => {
  let p: Platform;
  let app: FastifyInstance;
  beforeAll(async () => {
    p = await openTestPlatform(kind);
    app = Fastify();
    const audit = p.ctx.audit!;
    app.addHook('onRequest', (req, _reply, done) => { audit.beginRequest(req.id); done(); });
    app.addHook('onSend', async (req) => { await audit.settled(req.id); });
    app.addHook('onResponse', (req, _reply, done) => { audit.endRequest(req.id); done(); });
    app.get<{ Querystring: { purpose?: string } }>('/read', async (req) => {
      const code = await p.ctx.db.transaction().execute(async (trx) => {
        const r = await trx.selectFrom('regions').select('code').orderBy('code').limit(1).executeTakeFirstOrThrow();
        await appendAudit(trx, { actorId: null, role: 'county_officer', action: 'household.list', objectType: 'household', purpose: req.query.purpose ?? null, result: 'ok', requestId: req.id });
        return r.code;
      });
      return { requestId: req.id, secret: `data-${code}` };
    });
    await app.ready();
  });
  afterAll(async () => {
    await app.close();
    await p.close();
  });

  it('every response of 60 concurrent reads finds its audit row committed', async () => {
    const found = await Promise.all(Array.from({ length: 60 }, async () => {
      const r = await app.inject({ method: 'GET', url: '/read' });
      expect(r.statusCode).toBe(200);
      const { requestId } = r.json<{ requestId: string }>();
      // Read at once on another connection: committed, not merely queued.
      return (await p.ctx.db.selectFrom('audit_log').select('seq').where('request_id', '=', requestId).execute()).length;
    }));
    expect(found).toEqual(Array.from({ length: 60 }, () => 1));
    expect((await verifyAudit(p.ctx.db)).ok).toBe(true);
  });

  it('answers 500 without the data when the audit row cannot be committed', async () => {
    await sql`ALTER TABLE audit_log ADD CONSTRAINT audit_test_refuse CHECK (purpose IS DISTINCT FROM 'refuse me') NOT VALID`.execute(p.ctx.db);
    try {
      const r = await app.inject({ method: 'GET', url: '/read?purpose=refuse%20me' });
      expect(r.statusCode).toBe(500);
      expect(r.body).not.toContain('data-');
    } finally {
      await sql`ALTER TABLE audit_log DROP CONSTRAINT audit_test_refuse`.execute(p.ctx.db);
    }
    const r = await app.inject({ method: 'GET', url: '/read' });
    expect(r.statusCode).toBe(200);
    expect((await verifyAudit(p.ctx.db)).ok).toBe(true);
  });
});
