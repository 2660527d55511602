/**
 * The server survives its PostgreSQL connections being terminated mid-request
 * (pg_terminate_backend, as a failover or an administrator does): requests that lose their
 * connection answer 503 UNAVAILABLE, never 500, the process keeps serving, and once the
 * terminations stop every request succeeds again on the pool's new connections.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import type { FastifyInstance } from 'fastify';
import { buildServer } from '../../src/server/app.js';
import { loadDemo } from '../../src/app/setup/load-demo.js';
import { openTestPlatform } from '../support/databases.js';
import { signIn, type Client } from '../support/http.js';
import type { Platform } from '../../src/app/setup/open-platform.js';

const url = process.env.TEST_DATABASE_URL;

describe.skipIf(!url)('database connections terminated under load (PostgreSQL)', () => {
  let p: Platform;
  let app: FastifyInstance;
  let officer: Client;
  let admin: pg.Client;
  let dbName: string;

  beforeAll(async () => {
    p = await openTestPlatform('postgres');
    await loadDemo(p.ctx, { households: 60, seed: 7, ledger: false });
    app = await buildServer(p.ctx, { rateLimit: false });
    officer = await signIn(app, p.ctx, 'province_officer', '33');
    dbName = (await p.ctx.db.selectNoFrom((eb) => eb.fn<string>('current_database', []).as('d')).executeTakeFirstOrThrow()).d;
    admin = new pg.Client({ connectionString: url });
    await admin.connect();
  });
  afterAll(async () => {
    await admin?.end();
    await app?.close();
    await p?.close();
  });

  it('answers 200 or 503 while backends are terminated, and 200 again afterwards', async () => {
    const statuses = new Map<number, number>();
    const bodies: string[] = [];
    let terminated = 0;
    let stop = false;
    const worker = async (i: number): Promise<void> => {
      while (!stop) {
        // Each read also writes its audit row: reads and writes both lose their connections.
        const r = await officer.request('GET', `/api/v1/households?page=${1 + (i % 3)}&pageSize=20`);
        statuses.set(r.statusCode, (statuses.get(r.statusCode) ?? 0) + 1);
        if (r.statusCode >= 500 && r.statusCode !== 503) bodies.push(r.body);
      }
    };
    const killer = async (): Promise<void> => {
      for (let round = 0; round < 12; round++) {
        await new Promise((res) => setTimeout(res, 150));
        const r = await admin.query('SELECT count(*)::int AS n FROM (SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()) t', [dbName]);
        terminated += (r.rows[0] as { n: number }).n;
      }
      stop = true;
    };
    await Promise.all([killer(), ...Array.from({ length: 16 }, (_, i) => worker(i))]);
    expect(terminated).toBeGreaterThan(0);
    expect(bodies).toEqual([]);
    expect([...statuses.keys()].filter((code) => code !== 200 && code !== 503)).toEqual([]);
    expect(statuses.get(503) ?? 0).toBeGreaterThan(0);

    // The pool has replaced its connections: everything succeeds again.
    const after = await Promise.all(Array.from({ length: 20 }, () => officer.request('GET', '/api/v1/households?pageSize=5')));
    expect(after.map((r) => r.statusCode)).toEqual(Array(20).fill(200));
    const body = JSON.parse((await officer.request('GET', '/api/v1/households?pageSize=5')).body) as { total: number };
    expect(body.total).toBe(60);
  });

  it('a 503 names the cause without internals', async () => {
    // Terminate between two requests: the pool's idle connections are dead when the next one comes.
    await admin.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()', [dbName]);
    const rs = await Promise.all(Array.from({ length: 8 }, () => officer.request('GET', '/api/v1/households?pageSize=5')));
    for (const r of rs) {
      expect([200, 503]).toContain(r.statusCode);
      if (r.statusCode === 503) {
        expect(r.json()).toEqual({ error: { code: 'UNAVAILABLE', message: 'the database is not reachable at the moment; nothing was changed, try again' } });
        expect(r.headers['retry-after']).toBe('1');
      }
    }
  });
});
