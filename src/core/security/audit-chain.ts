/**
 * The audit trail's hash chain: each row's hash covers its content and the previous row's hash,
 * so editing, deleting or reordering any row breaks the chain from there on.
 */
import { createHash } from 'node:crypto';

export interface AuditEntry {
  seq: number;
  /** ISO timestamp. */
  at: string;
  actorId: string | null;
  role: string | null;
  action: string;
  objectType: string;
  objectId: string | null;
  purpose: string | null;
  result: 'ok' | 'denied' | 'error';
  requestId: string | null;
}

export const GENESIS_HASH = '0'.repeat(64);

/** The canonical text of an entry: fixed field order, so the hash does not depend on JSON key order. */
export function canonicalAuditText(e: AuditEntry): string {
  return JSON.stringify([e.seq, e.at, e.actorId, e.role, e.action, e.objectType, e.objectId, e.purpose, e.result, e.requestId]);
}

export function auditHash(prevHash: string, e: AuditEntry): string {
  return createHash('sha256').update(prevHash).update('\n').update(canonicalAuditText(e)).digest('hex');
}

export interface ChainProblem {
  seq: number;
  problem: string;
}

/**
 * Verifies rows given in storage order (by seq). `head` is the separately kept last seq and hash;
 * without it, deleting the newest rows could not be told from them never having existed.
 */
export function verifyAuditChain(
  rows: Iterable<AuditEntry & { prevHash: string; hash: string }>,
  head: { seq: number; hash: string } | null,
): { ok: boolean; checked: number; problems: ChainProblem[] } {
  const problems: ChainProblem[] = [];
  let expectedSeq = 1;
  let prev = GENESIS_HASH;
  let checked = 0;
  for (const r of rows) {
    checked++;
    if (r.seq !== expectedSeq) problems.push({ seq: r.seq, problem: `expected sequence ${expectedSeq} (a row is missing or out of order)` });
    if (r.prevHash !== prev) problems.push({ seq: r.seq, problem: 'link to the previous row is broken' });
    if (auditHash(r.prevHash, r) !== r.hash) problems.push({ seq: r.seq, problem: 'content does not match its hash (edited)' });
    prev = r.hash;
    expectedSeq = r.seq + 1;
  }
  const lastSeq = expectedSeq - 1;
  if (head && (head.seq !== lastSeq || head.hash !== prev)) {
    problems.push({ seq: head.seq, problem: `chain ends at ${lastSeq} but the head says ${head.seq} (rows deleted at the end, or the head was altered)` });
  }
  return { ok: problems.length === 0, checked, problems };
}
