/**
 * Appends to and verifies the keyed, hash-chained audit trail (ADR 0006). Rows carry ids, never
 * personal data. A change's row is written inside the caller's transaction, so it exists if and
 * only if the change happened. A read's row, when the caller's transaction has written nothing,
 * joins a group commit on PostgreSQL and is committed before the read's data is returned.
 */
import type { Kysely, Transaction } from 'kysely';
import { verifyAuditChain, type ChainedAuditEntry, type ChainVerifyResult } from '../../core/security/index.js';
import type { AuditRow, Database } from '../../db/schema.js';
import type { AuditInput } from './audit-input.js';
import { readCheckpoints } from './checkpoints.js';
import { auditRuntimeOf, nothingWrittenYet } from './runtime.js';

export type { AuditInput } from './audit-input.js';
export { AuditRuntime, auditRuntimeOf, type AuditOptions, type AuditLogger } from './runtime.js';

/** Actions that record a read (of a list, a record, a revealed field); anything else records a change. */
const READ_ACTION = /\.(read|list|reveal)(_[a-z_]+)?$/;

/**
 * Appends one row on behalf of `trx`. A change's row goes into `trx` (the head row lock
 * serialises writers until `trx` ends). A read's row, when `trx` has written nothing and the
 * database has a group-commit writer (PostgreSQL), is committed in a shared batch, so readers do
 * not queue on the head lock one commit at a time: before this returns, or — for an HTTP request
 * the server tracks (AuditRuntime.beginRequest) — before the response is sent.
 */
export async function appendAudit(trx: Transaction<Database>, input: AuditInput, now = new Date()): Promise<void> {
  const rt = auditRuntimeOf(trx);
  if (rt.writer && READ_ACTION.test(input.action) && (await nothingWrittenYet(trx))) {
    await rt.appendRead(input, now);
    return;
  }
  await rt.insertChained(trx, [{ input, now }]);
  rt.noteAppended(1);
}

/** Appends one row in its own transaction (refusals, where there is no change to join); committed on return, or before the response of a tracked request. */
export async function appendAuditAlone(db: Kysely<Database>, input: AuditInput, now = new Date()): Promise<void> {
  const rt = auditRuntimeOf(db);
  if (rt.writer) return rt.appendRead(input, now);
  await db.transaction().execute((trx) => rt.insertChained(trx, [{ input, now }]));
  rt.noteAppended(1);
}

function toEntry(r: AuditRow): ChainedAuditEntry {
  return {
    seq: r.seq, at: r.at instanceof Date ? r.at.toISOString() : String(r.at), actorId: r.actor_id, role: r.role, action: r.action,
    objectType: r.object_type, objectId: r.object_id, purpose: r.purpose, result: r.result, requestId: r.request_id, prevHash: r.prev_hash, hash: r.hash,
  };
}

export interface AuditVerifyReport extends ChainVerifyResult {
  /** The checkpoint file compared with the chain, or null when none is configured. */
  checkpointFile: string | null;
  keyId: string;
  keyedFrom: number | null;
}

/**
 * Walks the whole trail in seq order, in pages: every link, every row's hash (HMAC from the keyed
 * boundary on), the head, and every signed checkpoint of this database. When all is well, a new
 * checkpoint follows (queued, written after `db`'s transaction if it is one).
 */
export async function verifyAudit(db: Kysely<Database>): Promise<AuditVerifyReport> {
  const rt = auditRuntimeOf(db);
  const head = await db.selectFrom('audit_head').select(['seq', 'hash']).where('id', '=', 1).executeTakeFirst();
  const keyed = await db.selectFrom('audit_keyed').select('keyed_from').where('id', '=', 1).executeTakeFirst();
  const rows: ChainedAuditEntry[] = [];
  let after = Number.MIN_SAFE_INTEGER;
  for (;;) {
    const page = await db.selectFrom('audit_log').selectAll().where('seq', '>', after).orderBy('seq').limit(10_000).execute();
    if (page.length === 0) break;
    for (const r of page) rows.push(toEntry(r));
    after = page[page.length - 1]!.seq;
  }
  const checkpoints = rt.checkpointFile ? readCheckpoints(rt.checkpointFile, rt.dbIdentity) : [];
  const r = verifyAuditChain(rows, head ?? null, { key: rt.key, keyedFrom: keyed?.keyed_from ?? null, checkpoints });
  if (r.ok) rt.scheduleCheckpoint('verify');
  return { ...r, checkpointFile: rt.checkpointFile, keyId: rt.keyId, keyedFrom: keyed?.keyed_from ?? null };
}

/** A page of the trail, newest first, with optional filters (for the audit administrator). */
export async function listAudit(
  db: Kysely<Database>,
  q: { page: number; pageSize: number; action?: string | undefined; actorId?: string | undefined; objectId?: string | undefined },
): Promise<{ items: AuditRow[]; total: number }> {
  let base = db.selectFrom('audit_log');
  if (q.action) base = base.where('action', '=', q.action);
  if (q.actorId) base = base.where('actor_id', '=', q.actorId);
  if (q.objectId) base = base.where('object_id', '=', q.objectId);
  const total = (await base.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirst())?.n ?? 0;
  const items = await base.selectAll().orderBy('seq', 'desc').limit(q.pageSize).offset((q.page - 1) * q.pageSize).execute();
  return { items, total };
}
