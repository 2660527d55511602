/**
 * Opens the database: embedded PGlite in a data directory by default (or in memory), a PostgreSQL
 * server when a URL is given. Both speak the same SQL through Kysely, and both run the migrations.
 */
import { Kysely, Migrator, PostgresDialect, type Migration, type MigrationProvider } from 'kysely';
import { PGliteDialect } from './pglite-dialect.js';
import { PGlite, types as pgliteTypes } from '@electric-sql/pglite';
import pg from 'pg';
import { mkdirSync } from 'node:fs';
import { lockDataDir } from './data-dir-lock.js';
import type { Database } from './schema.js';
import * as foundation from './migrations/2026-11-29T0001-foundation.js';
import * as security from './migrations/2026-11-29T0002-security.js';
import * as monitoring from './migrations/2026-11-29T0003-monitoring.js';
import * as feedsPopulation from './migrations/2026-11-29T0004-feeds-population.js';
import * as ledger from './migrations/2026-11-29T0005-ledger.js';
import * as charity from './migrations/2026-11-29T0006-charity.js';
import * as monitoringState from './migrations/2026-11-29T0007-monitoring-state.js';
import * as scopeRules from './migrations/2026-12-04T0010-scope-rules.js';
import * as versions from './migrations/2026-12-04T0009-versions.js';
import * as auditKeyed from './migrations/2026-12-04T0008-audit-keyed.js';

export type DbKind = 'pglite' | 'postgres';

export interface DbHandle {
  db: Kysely<Database>;
  kind: DbKind;
  close(): Promise<void>;
}

export interface CreateDbOptions {
  /** postgres://… — when set, a PostgreSQL server is used. */
  databaseUrl?: string | undefined;
  /** PGlite data directory; omitted = in memory. */
  dataDir?: string | undefined;
  /** Run migrations on open (default true). */
  migrate?: boolean;
}

const MIGRATIONS: Record<string, Migration> = {
  '2026-11-29T0001-foundation': foundation,
  '2026-11-29T0002-security': security,
  '2026-11-29T0003-monitoring': monitoring,
  '2026-11-29T0004-feeds-population': feedsPopulation,
  '2026-11-29T0005-ledger': ledger,
  '2026-11-29T0006-charity': charity,
  '2026-11-29T0007-monitoring-state': monitoringState,
  '2026-12-04T0008-audit-keyed': auditKeyed,
  '2026-12-04T0009-versions': versions,
  '2026-12-04T0010-scope-rules': scopeRules,
};

const provider: MigrationProvider = { getMigrations: () => Promise.resolve(MIGRATIONS) };

// int8 fits our values (fen < 2^53); dates stay calendar strings; numeric is never used for money.
const asNumber = (v: string): number => Number(v);
const asIs = (v: string): string => v;
const defaultParser = pg.types.getTypeParser.bind(pg.types) as (oid: number, format: 'text' | 'binary') => (v: string) => unknown;

/** Opens and migrates the database. */
export async function createDb(options: CreateDbOptions = {}): Promise<DbHandle> {
  let handle: DbHandle;
  if (options.databaseUrl) {
    const pool = new pg.Pool({
      connectionString: options.databaseUrl,
      max: 8,
      // PostgreSQL's JIT compiler costs seconds on the bulk reads (its estimates for the
      // monitoring and classification statements are far above the real row counts) and helps
      // none of the platform's statements; see ADR 0005. A server's own setting stays for others.
      // Dates are read and built as ISO text (the monitoring read concatenates them).
      options: '-c jit=off -c datestyle=ISO',
      types: {
        getTypeParser: ((oid: number, format?: 'text' | 'binary') => {
          if (oid === 20) return asNumber;
          if (oid === 1082) return asIs;
          return defaultParser(oid, format ?? 'text');
        }) as typeof pg.types.getTypeParser,
      },
    });
    // A client whose server connection ends (restart, pg_terminate_backend, DROP DATABASE … FORCE)
    // emits 'error': an idle one on the pool, a checked-out one on itself. Without a listener the
    // process would crash; with one, the running query fails (the request answers 503), the
    // broken client is discarded on release and the pool opens a new connection on next use.
    pool.on('error', () => undefined);
    pool.on('connect', (client) => {
      client.on('error', () => undefined);
    });
    const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
    handle = { db, kind: 'postgres', close: () => db.destroy() };
  } else {
    // One process per data directory (see data-dir-lock.ts); the folders are created first.
    const lock = options.dataDir !== undefined ? lockDataDir(options.dataDir) : undefined;
    try {
      if (options.dataDir !== undefined) mkdirSync(options.dataDir, { recursive: true });
      // Options go in one object: `new PGlite(undefined, options)` silently drops them (in memory).
      const pglite = new PGlite({
        ...(options.dataDir !== undefined && { dataDir: options.dataDir }),
        parsers: { [pgliteTypes.INT8]: asNumber, [pgliteTypes.DATE]: asIs },
      });
      await pglite.waitReady;
      const db = new Kysely<Database>({ dialect: new PGliteDialect({ pglite }) });
      handle = {
        db,
        kind: 'pglite',
        close: async () => {
          try {
            await db.destroy();
          } finally {
            lock?.release();
          }
        },
      };
    } catch (e) {
      lock?.release();
      throw new Error(`the embedded database ${options.dataDir ?? '(in memory)'} could not be opened: ${e instanceof Error ? e.message : String(e)}`);
    }
  }
  if (options.migrate !== false) {
    try {
      await migrate(handle.db);
    } catch (e) {
      await handle.close().catch(() => undefined);
      throw e;
    }
  }
  return handle;
}

/** Applies pending migrations; throws with the failing migration's name. */
export async function migrate(db: Kysely<Database>): Promise<void> {
  const migrator = new Migrator({ db, provider });
  const { error, results } = await migrator.migrateToLatest();
  if (error) {
    const reason = error instanceof Error ? error.message : 'unknown error';
    const failed = results?.find((r) => r.status === 'Error')?.migrationName;
    // No failed migration in the results: the migrator could not start (no connection, no lock table).
    if (failed === undefined) throw new Error(`migrations could not run (none was applied): ${reason}`);
    throw new Error(`migration ${failed} failed: ${reason}`);
  }
}
