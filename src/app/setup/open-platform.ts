/**
 * Opens the platform: the database (PGlite or PostgreSQL), the official regions (seeded into the
 * database on first start), and the policy file (validated, then stored by version).
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { createDb, type DbHandle } from '../../db/create-db.js';
import { PolicyRepository } from '../../db/repositories/policy.repository.js';
import { RegionRepository } from '../../db/repositories/region.repository.js';
import { parsePolicyYaml, policyBookToDocument, type PolicyBook } from '../../core/policy/parameters.js';
import { REGION_LEVELS, zhejiangRegions, type RegionIndex } from '../../core/regions/index.js';
import { todayInChina, type AppContext } from '../context.js';
import { AuditRuntime, type AuditOptions } from '../audit/runtime.js';

export const DEFAULT_POLICY_FILE = fileURLToPath(new URL('../../../policies/zhejiang.yaml', import.meta.url));

export interface OpenOptions {
  databaseUrl?: string | undefined;
  dataDir?: string | undefined;
  policyFile?: string | undefined;
  /** The audit key and checkpoint file (ADR 0006); defaults beside the data, see AuditOptions. */
  audit?: AuditOptions | undefined;
}

export interface Platform {
  ctx: AppContext;
  handle: DbHandle;
  close(): Promise<void>;
}

/** Reads and validates a policy file; a bad file throws PolicyValidationError listing every problem. */
export function loadPolicyFile(path: string, regions: RegionIndex): { book: PolicyBook; sha256: string } {
  const text = readFileSync(path, 'utf8');
  const book = parsePolicyYaml(text, { isKnownRegion: (code) => regions.get(code) !== undefined });
  return { book, sha256: createHash('sha256').update(text).digest('hex') };
}

async function seedRegions(handle: DbHandle, regions: RegionIndex): Promise<void> {
  const repo = new RegionRepository(handle.db);
  if ((await repo.count()) > 0) return;
  const rows = REGION_LEVELS.flatMap((level) =>
    regions.list(level).map((r) => ({ code: r.code, name: r.name, level: r.level, parent_code: r.parentCode, is_mountain_county: r.isMountainCounty })),
  );
  await handle.db.transaction().execute((trx) => new RegionRepository(trx).insertMany(rows));
}

/** Opens the database, seeds regions when empty, loads and stores the policy. */
export async function openPlatform(options: OpenOptions = {}): Promise<Platform> {
  const regions = zhejiangRegions();
  const { book, sha256 } = loadPolicyFile(options.policyFile ?? DEFAULT_POLICY_FILE, regions);
  const handle = await createDb({ databaseUrl: options.databaseUrl, dataDir: options.dataDir });
  // PostgreSQL: the audit group-commit writer gets a pool of its own (requests wait for it while holding theirs).
  // ZHONGFU_AUDIT_GROUP_COMMIT=off (or audit.groupCommit false): every row in its caller's transaction, as on PGlite.
  const groupCommit = options.audit?.groupCommit ?? process.env.ZHONGFU_AUDIT_GROUP_COMMIT !== 'off';
  const writer = options.databaseUrl && groupCommit ? await createDb({ databaseUrl: options.databaseUrl, migrate: false }) : undefined;
  let audit: AuditRuntime;
  try {
    await seedRegions(handle, regions);
    await new PolicyRepository(handle.db).save({ version: book.version, jurisdiction: book.jurisdiction, document: policyBookToDocument(book), sha256 });
    audit = await AuditRuntime.open({ db: handle.db, kind: handle.kind, databaseUrl: options.databaseUrl, dataDir: options.dataDir, writerDb: writer?.db }, options.audit);
  } catch (e) {
    await writer?.close();
    await handle.close();
    throw e;
  }
  const ctx: AppContext = { db: handle.db, regions, policy: book, singleConnection: handle.kind === 'pglite', today: () => todayInChina(), audit };
  const close = async (): Promise<void> => {
    try {
      await audit.close();
    } finally {
      await writer?.close();
      await handle.close();
    }
  };
  return { ctx, handle, close };
}
