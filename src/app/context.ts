/** What every use case may use: the database, the region index, the policy book and a clock. */
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.js';
import type { RegionIndex } from '../core/regions/index.js';
import type { PolicyBook } from '../core/policy/parameters.js';
import type { AuditRuntime } from './audit/runtime.js';

export interface AppContext {
  db: Kysely<Database>;
  regions: RegionIndex;
  policy: PolicyBook;
  /** PGlite has one connection: work outside a running transaction would wait for it forever. */
  singleConnection: boolean;
  /** Today's date in China (UTC+8), `YYYY-MM-DD`. */
  today: () => string;
  /** The audit trail's key, checkpoints and writer (set by openPlatform; ADR 0006). */
  audit?: AuditRuntime;
}

/** Today's calendar date in China Standard Time. */
export function todayInChina(now: Date = new Date()): string {
  return new Date(now.getTime() + 8 * 3_600_000).toISOString().slice(0, 10);
}
