import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { sql } from 'kysely';
import { openTestPlatform, TEST_DB_KINDS } from '../../../test/support/databases.js';
import type { Platform } from '../setup/open-platform.js';
import { appendAudit, verifyAudit } from './audit.js';

class Rollback extends Error {}

describe.each(TEST_DB_KINDS)('audit trail on %s', (kind) => {
  let p: Platform;
  beforeAll(async () => {
    p = await openTestPlatform(kind);
    for (let i = 0; i < 300; i++) {
      await p.ctx.db.transaction().execute((trx) =>
        appendAudit(trx, { actorId: null, role: 'county_officer', action: i % 4 ? 'household.read' : 'household.update', objectType: 'household', objectId: `h-${i % 40}`, result: 'ok', requestId: `r-${i}` }),
      );
    }
  });
  afterAll(async () => p.close());

  it('verifies the intact chain', async () => {
    const r = await verifyAudit(p.ctx.db);
    expect(r).toMatchObject({ ok: true, problems: [] });
    expect(r.checked).toBeGreaterThanOrEqual(300);
  });

  it('refuses UPDATE, DELETE and TRUNCATE to every role, the owner included', async () => {
    await expect(sql`UPDATE audit_log SET action = 'x' WHERE seq = 5`.execute(p.ctx.db)).rejects.toThrow(/append-only/);
    await expect(sql`DELETE FROM audit_log WHERE seq = 5`.execute(p.ctx.db)).rejects.toThrow(/append-only/);
    await expect(sql`TRUNCATE audit_log`.execute(p.ctx.db)).rejects.toThrow(/append-only/);
    await expect(sql`UPDATE audit_head SET seq = 1`.execute(p.ctx.db)).rejects.toThrow(/forward/);
    expect((await verifyAudit(p.ctx.db)).ok).toBe(true);
  });

  it('detects 1,000 random edits, deletions and reorderings by someone who bypasses the triggers (100 %)', async () => {
    const n = (await verifyAudit(p.ctx.db)).checked;
    let detected = 0;
    let runs = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: n }),
        fc.integer({ min: 1, max: n }),
        fc.constantFrom('edit-action', 'edit-actor', 'edit-time', 'delete', 'delete-last', 'swap-content', 'reseq'),
        async (a, b, how) => {
          runs++;
          try {
            await p.ctx.db.transaction().execute(async (trx) => {
              // A database owner can switch the guard off; the chain must still tell.
              await sql`ALTER TABLE audit_log DISABLE TRIGGER USER`.execute(trx);
              const other = a === b ? (a % n) + 1 : b;
              switch (how) {
                case 'edit-action': await sql`UPDATE audit_log SET action = 'household.delete' WHERE seq = ${a}`.execute(trx); break;
                case 'edit-actor': await sql`UPDATE audit_log SET actor_id = '01900000-0000-7000-8000-000000000000' WHERE seq = ${a}`.execute(trx); break;
                case 'edit-time': await sql`UPDATE audit_log SET at = at + interval '1 second' WHERE seq = ${a}`.execute(trx); break;
                case 'delete': await sql`DELETE FROM audit_log WHERE seq = ${a}`.execute(trx); break;
                case 'delete-last': await sql`DELETE FROM audit_log WHERE seq > ${n - 1 - (a % 3)}`.execute(trx); break;
                case 'swap-content': {
                  // Reorder: exchange two rows' contents (and hashes) while keeping their seq numbers.
                  await sql`UPDATE audit_log x SET action = y.action, object_id = y.object_id, request_id = y.request_id, at = y.at, hash = y.hash, prev_hash = y.prev_hash
                            FROM audit_log y WHERE (x.seq, y.seq) IN ((${a}, ${other}), (${other}, ${a}))`.execute(trx);
                  break;
                }
                case 'reseq': {
                  await sql`UPDATE audit_log SET seq = -seq WHERE seq IN (${a}, ${other})`.execute(trx);
                  await sql`UPDATE audit_log SET seq = CASE WHEN seq = ${-a}::bigint THEN ${other}::bigint ELSE ${a}::bigint END WHERE seq IN (${-a}::bigint, ${-other}::bigint)`.execute(trx);
                  break;
                }
              }
              const r = await verifyAudit(trx);
              if (!r.ok) detected++;
              throw new Rollback();
            });
          } catch (e) {
            if (!(e instanceof Rollback)) throw e;
          }
        },
      ),
      { numRuns: 1000 },
    );
    expect(runs).toBe(1000);
    expect(detected).toBe(1000);
    expect((await verifyAudit(p.ctx.db)).ok).toBe(true);
  }, 180_000);
});
