/**
 * The keyed chain and the signed checkpoints (ADR 0006): wiping the trail, deleting its newest rows
 * with the head moved back, forging rows without the key, moving the keyed boundary and altering
 * the checkpoint file are all detected; concurrent appends give one gapless, valid chain.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { sql, type Kysely } from 'kysely';
import { openTestPlatform, TEST_DB_KINDS } from '../../../test/support/databases.js';
import { auditHash, auditHmac, GENESIS_HASH, type AuditEntry } from '../../core/security/index.js';
import type { Database } from '../../db/schema.js';
import type { Platform } from '../setup/open-platform.js';
import { appendAudit, appendAuditAlone, verifyAudit } from './audit.js';

class Rollback extends Error {}

// The platform reads its key and checkpoint file from the environment (a fork per test file).
const dir = mkdtempSync(join(tmpdir(), 'zf-audit-'));
const KEY = Buffer.alloc(32, 7);
process.env.ZHONGFU_AUDIT_KEY = KEY.toString('hex');
process.env.ZHONGFU_AUDIT_CHECKPOINTS = join(dir, 'checkpoints.jsonl');
const checkpointFile = process.env.ZHONGFU_AUDIT_CHECKPOINTS;

const row = (seq: number, prevHash: string, hashOf: (prev: string, e: AuditEntry) => string) => {
  const e: AuditEntry = { seq, at: new Date(1_800_000_000_000 + seq).toISOString(), actorId: null, role: 'county_officer', action: 'household.read', objectType: 'household', objectId: 'forged', purpose: null, result: 'ok', requestId: 'forged' };
  return { seq, at: e.at, actor_id: null, role: e.role, action: e.action, object_type: e.objectType, object_id: e.objectId, purpose: null, result: e.result, request_id: e.requestId, prev_hash: prevHash, hash: hashOf(prevHash, e) };
};

/** Runs `tamper` in a transaction that is rolled back; returns whether verify saw a problem. */
async function detected(db: Kysely<Database>, tamper: (trx: Kysely<Database>) => Promise<void>): Promise<boolean> {
  let found = false;
  try {
    await db.transaction().execute(async (trx) => {
      await tamper(trx);
      found = !(await verifyAudit(trx)).ok;
      throw new Rollback();
    });
  } catch (e) {
    if (!(e instanceof Rollback)) throw e;
  }
  return found;
}

const disableGuards = async (trx: Kysely<Database>): Promise<void> => {
  // What a superuser or the tables' owner can do: switch the append-only triggers off.
  for (const t of ['audit_log', 'audit_head', 'audit_keyed']) await sql`ALTER TABLE ${sql.table(t)} DISABLE TRIGGER USER`.execute(trx);
};

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe.each(TEST_DB_KINDS)('keyed audit chain and checkpoints on %s', (kind) => {
  let p: Platform;
  let n = 0;
  beforeAll(async () => {
    p = await openTestPlatform(kind);
    for (let i = 0; i < 200; i++) {
      const input = { actorId: null, role: 'county_officer', action: i % 3 ? 'household.read' : 'household.update', objectType: 'household', objectId: `h-${i % 40}`, result: 'ok' as const, requestId: `r-${i}` };
      if (i % 2) await appendAuditAlone(p.ctx.db, input);
      else await p.ctx.db.transaction().execute((trx) => appendAudit(trx, input));
    }
    await p.ctx.audit!.checkpoint('test');
    n = (await p.ctx.db.selectFrom('audit_head').select('seq').executeTakeFirstOrThrow()).seq;
  });
  afterAll(async () => p.close());

  it('keys every row with the audit key and checkpoints the head in the file', async () => {
    const rows = await p.ctx.db.selectFrom('audit_log').selectAll().orderBy('seq').execute();
    expect(rows).toHaveLength(n);
    let prev = GENESIS_HASH;
    for (const r of rows) {
      const e: AuditEntry = { seq: r.seq, at: new Date(r.at).toISOString(), actorId: r.actor_id, role: r.role, action: r.action, objectType: r.object_type, objectId: r.object_id, purpose: r.purpose, result: r.result, requestId: r.request_id };
      expect(r.prev_hash).toBe(prev);
      expect(r.hash).toBe(auditHmac(KEY, prev, e));
      prev = r.hash;
    }
    const lines = readFileSync(checkpointFile, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { seq: number; hash: string; db: string });
    const mine = lines.filter((c) => c.db === p.ctx.audit!.dbIdentity);
    expect(mine.at(-1)).toMatchObject({ seq: n, hash: prev });
    const r = await verifyAudit(p.ctx.db);
    expect(r).toMatchObject({ ok: true, checked: n, problems: [], lastCheckpointSeq: n });
  });

  it('detects the whole trail wiped (TRUNCATE audit_log; DELETE FROM audit_head), also with the head reset to the start', async () => {
    expect(await detected(p.ctx.db, async (trx) => {
      await disableGuards(trx);
      await sql`TRUNCATE audit_log`.execute(trx);
      await sql`DELETE FROM audit_head`.execute(trx);
    })).toBe(true);
    expect(await detected(p.ctx.db, async (trx) => {
      await disableGuards(trx);
      await sql`TRUNCATE audit_log`.execute(trx);
      await sql`UPDATE audit_head SET seq = 0, hash = ${GENESIS_HASH}`.execute(trx);
    })).toBe(true);
    expect(await detected(p.ctx.db, async (trx) => {
      await disableGuards(trx);
      await sql`TRUNCATE audit_log`.execute(trx);
      await sql`DELETE FROM audit_head`.execute(trx);
      await sql`DELETE FROM audit_keyed`.execute(trx);
    })).toBe(true);
  });

  it('detects 300 random tamperings: tail deleted with the head moved back, edits, reorderings, forged rows, a moved boundary (100 %)', async () => {
    let runs = 0;
    let found = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: n }),
        fc.integer({ min: 1, max: n }),
        fc.constantFrom('tail-and-head', 'edit-and-rehash', 'swap', 'forge-sha256', 'forge-wrong-key', 'forge-after-tail', 'move-boundary', 'delete-boundary'),
        async (a, b, how) => {
          runs++;
          const ok = await detected(p.ctx.db, async (trx) => {
            const at = async (seq: number) => (await trx.selectFrom('audit_log').selectAll().where('seq', '=', seq).executeTakeFirstOrThrow());
            switch (how) {
              case 'tail-and-head': {
                // Delete the newest rows and move the head back to the new last row: the chain is consistent, the checkpoint is not.
                const keep = Math.min(a, n - 1);
                await disableGuards(trx);
                await sql`DELETE FROM audit_log WHERE seq > ${keep}`.execute(trx);
                const last = keep === 0 ? { hash: GENESIS_HASH } : await at(keep);
                await sql`UPDATE audit_head SET seq = ${keep}, hash = ${last.hash}`.execute(trx);
                break;
              }
              case 'edit-and-rehash': {
                // Edit a row and recompute every hash after it with plain SHA-256 (the key is unknown).
                await disableGuards(trx);
                await sql`UPDATE audit_log SET object_id = 'edited' WHERE seq = ${a}`.execute(trx);
                let prev = a === 1 ? GENESIS_HASH : (await at(a - 1)).hash;
                for (let s = a; s <= n; s++) {
                  const r = await at(s);
                  const e: AuditEntry = { seq: s, at: new Date(r.at).toISOString(), actorId: r.actor_id, role: r.role, action: r.action, objectType: r.object_type, objectId: r.object_id, purpose: r.purpose, result: r.result, requestId: r.request_id };
                  const hash = auditHash(prev, e);
                  await sql`UPDATE audit_log SET prev_hash = ${prev}, hash = ${hash} WHERE seq = ${s}`.execute(trx);
                  prev = hash;
                }
                await sql`UPDATE audit_head SET hash = ${prev}`.execute(trx);
                break;
              }
              case 'swap': {
                const other = a === b ? (a % n) + 1 : b;
                await disableGuards(trx);
                await sql`UPDATE audit_log SET seq = -seq WHERE seq IN (${a}, ${other})`.execute(trx);
                await sql`UPDATE audit_log SET seq = CASE WHEN seq = ${-a}::bigint THEN ${other}::bigint ELSE ${a}::bigint END WHERE seq IN (${-a}::bigint, ${-other}::bigint)`.execute(trx);
                break;
              }
              case 'forge-sha256':
              case 'forge-wrong-key': {
                // With the application's own rights only (INSERT, head forward): no trigger is touched.
                const head = await trx.selectFrom('audit_head').select(['seq', 'hash']).executeTakeFirstOrThrow();
                const wrongKey = Buffer.alloc(32, 100 + (a % 100)); // never KEY (all 7s)
                const forged = row(head.seq + 1, head.hash, how === 'forge-sha256' ? auditHash : (prev, e) => auditHmac(wrongKey, prev, e));
                await trx.insertInto('audit_log').values(forged).execute();
                await trx.updateTable('audit_head').set({ seq: forged.seq, hash: forged.hash }).execute();
                break;
              }
              case 'forge-after-tail': {
                // Delete the newest rows and put forged ones (plain SHA-256) in their place, as many as there were.
                const keep = Math.min(a, n - 1);
                await disableGuards(trx);
                await sql`DELETE FROM audit_log WHERE seq > ${keep}`.execute(trx);
                let prev = keep === 0 ? GENESIS_HASH : (await at(keep)).hash;
                for (let s = keep + 1; s <= n; s++) {
                  const f = row(s, prev, auditHash);
                  await trx.insertInto('audit_log').values(f).execute();
                  prev = f.hash;
                }
                await sql`UPDATE audit_head SET seq = ${n}, hash = ${prev}`.execute(trx);
                break;
              }
              case 'move-boundary': {
                // Declare the rows up to `a` unkeyed and rewrite them with plain SHA-256, links included.
                await disableGuards(trx);
                await sql`UPDATE audit_keyed SET keyed_from = ${a + 1}`.execute(trx);
                let prev = GENESIS_HASH;
                for (let s = 1; s <= a; s++) {
                  const r = await at(s);
                  const e: AuditEntry = { seq: s, at: new Date(r.at).toISOString(), actorId: r.actor_id, role: r.role, action: r.action, objectType: r.object_type, objectId: r.object_id, purpose: r.purpose, result: r.result, requestId: r.request_id };
                  const hash = auditHash(prev, e);
                  await sql`UPDATE audit_log SET prev_hash = ${prev}, hash = ${hash} WHERE seq = ${s}`.execute(trx);
                  prev = hash;
                }
                break;
              }
              case 'delete-boundary': {
                await disableGuards(trx);
                await sql`DELETE FROM audit_keyed`.execute(trx);
                break;
              }
            }
          });
          if (ok) found++;
        },
      ),
      { numRuns: 300 },
    );
    expect(runs).toBe(300);
    expect(found).toBe(300);
    expect((await verifyAudit(p.ctx.db)).ok).toBe(true);
  }, 300_000);

  it('reports an altered checkpoint file: a changed seq or hash, a foreign key, an unreadable line', async () => {
    const original = readFileSync(checkpointFile, 'utf8');
    const lines = original.trim().split('\n');
    const mineIdx = lines.findLastIndex((l) => (JSON.parse(l) as { db: string }).db === p.ctx.audit!.dbIdentity);
    const c = JSON.parse(lines[mineIdx]!) as Record<string, unknown>;
    const variants = [
      { ...c, seq: (c.seq as number) - 1 },
      { ...c, hash: 'f'.repeat(64) },
      { ...c, keyedFrom: 7 },
      { ...c, keyId: '0123456789abcdef' },
      { ...c, sig: 'zz' },
    ];
    try {
      for (const v of variants) {
        writeFileSync(checkpointFile, [...lines.slice(0, mineIdx), JSON.stringify(v), ...lines.slice(mineIdx + 1)].join('\n') + '\n');
        const r = await verifyAudit(p.ctx.db);
        expect(r.ok).toBe(false);
        expect(r.problems.some((x) => /checkpoint file line/.test(x.problem))).toBe(true);
      }
      writeFileSync(checkpointFile, `${original}{"v":1,"db":"garbage\n`);
      expect((await verifyAudit(p.ctx.db)).ok).toBe(false);
    } finally {
      writeFileSync(checkpointFile, original);
    }
    expect((await verifyAudit(p.ctx.db)).ok).toBe(true);
  });

  it('50 concurrent appends (reads, changes, refusals) give one gapless chain that verifies', async () => {
    const before = (await p.ctx.db.selectFrom('audit_head').select('seq').executeTakeFirstOrThrow()).seq;
    const batchesBefore = p.ctx.audit!.writer?.stats.batches ?? 0;
    await Promise.all(Array.from({ length: 50 }, async (_, i) => {
      const input = { actorId: null, role: 'county_officer', action: ['household.list', 'household.update', 'household.read'][i % 3]!, objectType: 'household', objectId: `c-${i}`, result: 'ok' as const, requestId: `c-${i}` };
      if (i % 5 === 4) return appendAuditAlone(p.ctx.db, { ...input, result: 'denied' });
      return p.ctx.db.transaction().execute(async (trx) => {
        if (input.action === 'household.update') await trx.selectFrom('households').select('id').limit(1).execute();
        await appendAudit(trx, input);
      });
    }));
    const rows = await p.ctx.db.selectFrom('audit_log').select(['seq', 'request_id']).where('seq', '>', before).orderBy('seq').execute();
    expect(rows.map((r) => r.seq)).toEqual(Array.from({ length: 50 }, (_, i) => before + 1 + i));
    expect(new Set(rows.map((r) => r.request_id)).size).toBe(50);
    const r = await verifyAudit(p.ctx.db);
    expect(r).toMatchObject({ ok: true, checked: before + 50 });
    // On PostgreSQL reads and refusals share commits: fewer transactions than rows.
    if (kind === 'postgres') expect(p.ctx.audit!.writer!.stats.batches - batchesBefore).toBeLessThan(40);
  });

  it('refuses to open the database with another key than its chain was started with', async () => {
    if (kind !== 'postgres') return;
    const { AuditRuntime } = await import('./runtime.js');
    await expect(AuditRuntime.open({ db: p.ctx.db, kind, databaseUrl: 'postgres://x@127.0.0.1:5432/x' }, { key: Buffer.alloc(32, 9), checkpointFile: null })).rejects.toThrow(/not the one this database's audit trail was started with/);
  });
});
