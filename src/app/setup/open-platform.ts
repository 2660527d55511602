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

export const DEFAULT_POLICY_FILE = fileURLToPath(new URL('../../../policies/zhejiang.yaml', import.meta.url));

export interface OpenOptions {
  databaseUrl?: string | undefined;
  dataDir?: string | undefined;
  policyFile?: string | undefined;
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
  try {
    await seedRegions(handle, regions);
    await new PolicyRepository(handle.db).save({ version: book.version, jurisdiction: book.jurisdiction, document: policyBookToDocument(book), sha256 });
  } catch (e) {
    await handle.close();
    throw e;
  }
  const ctx: AppContext = { db: handle.db, regions, policy: book, singleConnection: handle.kind === 'pglite', today: () => todayInChina() };
  return { ctx, handle, close: () => handle.close() };
}
