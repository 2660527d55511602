/**
 * Medium tests run on every database we support: embedded PGlite always, and a real PostgreSQL
 * server when TEST_DATABASE_URL is set (CI sets it). Each test file gets its own fresh database.
 */
import pg from 'pg';
import { openPlatform, type Platform } from '../../src/app/setup/open-platform.js';

export type TestDbKind = 'pglite' | 'postgres';

export const TEST_DB_KINDS: TestDbKind[] = process.env.TEST_DATABASE_URL ? ['pglite', 'postgres'] : ['pglite'];

/** Opens a platform on a brand-new database of the given kind; `close` drops it. */
export async function openTestPlatform(kind: TestDbKind, today = '2026-11-29'): Promise<Platform> {
  if (kind === 'pglite') {
    const p = await openPlatform({});
    p.ctx.today = () => today;
    return p;
  }
  const admin = process.env.TEST_DATABASE_URL!;
  const name = `zf_test_${Date.now().toString(36)}_${Math.random().toString(36).slice(2, 8)}`;
  const client = new pg.Client({ connectionString: admin });
  await client.connect();
  await client.query(`CREATE DATABASE ${name}`);
  await client.end();
  const url = new URL(admin);
  url.pathname = `/${name}`;
  const p = await openPlatform({ databaseUrl: url.toString() });
  p.ctx.today = () => today;
  return {
    ...p,
    close: async () => {
      await p.close();
      const c = new pg.Client({ connectionString: admin });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
    },
  };
}
