/**
 * Appends to the hash-chained audit trail, inside the caller's transaction, so the row exists if
 * and only if the change (or read) it records happened. Rows carry ids, never personal data.
 */
import type { Kysely, Transaction } from 'kysely';
import { auditHash, verifyAuditChain, type AuditEntry } from '../../core/security/index.js';
import type { AuditRow, Database } from '../../db/schema.js';

export interface AuditInput {
  actorId: string | null;
  role: string | null;
  action: string;
  objectType: string;
  objectId?: string | null;
  /** The stated purpose or reason (never personal data). */
  purpose?: string | null;
  result: AuditEntry['result'];
  requestId?: string | null;
}

/** Appends one row; must run in a transaction (the head row lock serialises writers). */
export async function appendAudit(trx: Transaction<Database>, input: AuditInput, now = new Date()): Promise<void> {
  const head = await trx.selectFrom('audit_head').select(['seq', 'hash']).where('id', '=', 1).forUpdate().executeTakeFirstOrThrow();
  const entry: AuditEntry = {
    seq: head.seq + 1,
    at: now.toISOString(),
    actorId: input.actorId,
    role: input.role,
    action: input.action,
    objectType: input.objectType,
    objectId: input.objectId ?? null,
    purpose: input.purpose ?? null,
    result: input.result,
    requestId: input.requestId ?? null,
  };
  const hash = auditHash(head.hash, entry);
  await trx
    .insertInto('audit_log')
    .values({
      seq: entry.seq, at: entry.at, actor_id: entry.actorId, role: entry.role, action: entry.action, object_type: entry.objectType,
      object_id: entry.objectId, purpose: entry.purpose, result: entry.result, request_id: entry.requestId, prev_hash: head.hash, hash,
    })
    .execute();
  await trx.updateTable('audit_head').set({ seq: entry.seq, hash }).where('id', '=', 1).execute();
}

/** Appends one row in its own transaction (for refusals, where there is no change to join). */
export async function appendAuditAlone(db: Kysely<Database>, input: AuditInput): Promise<void> {
  await db.transaction().execute((trx) => appendAudit(trx, input));
}

function toEntry(r: AuditRow): AuditEntry & { prevHash: string; hash: string } {
  return {
    seq: r.seq, at: r.at instanceof Date ? r.at.toISOString() : String(r.at), actorId: r.actor_id, role: r.role, action: r.action,
    objectType: r.object_type, objectId: r.object_id, purpose: r.purpose, result: r.result, requestId: r.request_id, prevHash: r.prev_hash, hash: r.hash,
  };
}

/** Walks the whole trail in seq order, in pages, and checks every link and hash against the head. */
export async function verifyAudit(db: Kysely<Database>): Promise<{ ok: boolean; checked: number; problems: { seq: number; problem: string }[] }> {
  const head = await db.selectFrom('audit_head').select(['seq', 'hash']).where('id', '=', 1).executeTakeFirst();
  const rows: (AuditEntry & { prevHash: string; hash: string })[] = [];
  let after = 0;
  for (;;) {
    const page = await db.selectFrom('audit_log').selectAll().where('seq', '>', after).orderBy('seq').limit(10_000).execute();
    if (page.length === 0) break;
    for (const r of page) rows.push(toEntry(r));
    after = page[page.length - 1]!.seq;
  }
  return verifyAuditChain(rows, head ?? null);
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

