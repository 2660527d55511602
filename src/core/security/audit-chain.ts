/**
 * The audit trail's chain and its signed checkpoints (ADR 0006). Pure: no I/O; keys are passed in.
 *
 * Each row's hash covers its content and the previous row's hash, so editing, deleting or
 * reordering any row breaks the chain from there on. Rows from the keyed boundary on are hashed
 * with HMAC-SHA256 under a key kept outside the database, so nobody who can only write to the
 * database can append a row that verifies; rows before the boundary (written before keys existed)
 * keep plain SHA-256 and are anchored by the first keyed row, whose HMAC covers their last hash.
 * Signed checkpoints (seq, hash) kept outside the database reveal truncation and tail deletion.
 */
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

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

export type ChainedAuditEntry = AuditEntry & { prevHash: string; hash: string };

export const GENESIS_HASH = '0'.repeat(64);

/** The canonical text of an entry: fixed field order, so the hash does not depend on JSON key order. */
export function canonicalAuditText(e: AuditEntry): string {
  return JSON.stringify([e.seq, e.at, e.actorId, e.role, e.action, e.objectType, e.objectId, e.purpose, e.result, e.requestId]);
}

/** The unkeyed hash of rows written before the keyed boundary. */
export function auditHash(prevHash: string, e: AuditEntry): string {
  return createHash('sha256').update(prevHash).update('\n').update(canonicalAuditText(e)).digest('hex');
}

/** The keyed hash: HMAC-SHA256(key, prev_hash + "\n" + canonical text). */
export function auditHmac(key: Uint8Array, prevHash: string, e: AuditEntry): string {
  return createHmac('sha256', key).update(prevHash).update('\n').update(canonicalAuditText(e)).digest('hex');
}

/** A public fingerprint of a key (16 hex digits): names the key in checkpoints without revealing it. */
export function auditKeyId(key: Uint8Array): string {
  return createHmac('sha256', key).update('zhongfu audit key id').digest('hex').slice(0, 16);
}

/** The minimum key length accepted (bytes). */
export const AUDIT_KEY_MIN_BYTES = 32;

/** A signed statement that the chain of database `db` had reached `seq` with `hash` at time `at`. */
export interface AuditCheckpoint {
  v: 1;
  /** The database the chain lives in (no credentials): checkpoints of other databases are ignored. */
  db: string;
  keyId: string;
  /** The first keyed seq of this chain. */
  keyedFrom: number;
  seq: number;
  hash: string;
  at: string;
  /** HMAC-SHA256 over the fields above. */
  sig: string;
}

function checkpointText(c: Omit<AuditCheckpoint, 'sig'>): string {
  return JSON.stringify(['zhongfu audit checkpoint', c.v, c.db, c.keyId, c.keyedFrom, c.seq, c.hash, c.at]);
}

export function signCheckpoint(key: Uint8Array, c: { db: string; keyedFrom: number; seq: number; hash: string; at: string }): AuditCheckpoint {
  const body: Omit<AuditCheckpoint, 'sig'> = { v: 1, db: c.db, keyId: auditKeyId(key), keyedFrom: c.keyedFrom, seq: c.seq, hash: c.hash, at: c.at };
  return { ...body, sig: createHmac('sha256', key).update(checkpointText(body)).digest('hex') };
}

export function checkpointSignatureOk(key: Uint8Array, c: AuditCheckpoint): boolean {
  const expected = createHmac('sha256', key).update(checkpointText(c)).digest();
  const given = /^[0-9a-f]{64}$/.test(c.sig) ? Buffer.from(c.sig, 'hex') : Buffer.alloc(0);
  return given.length === expected.length && timingSafeEqual(given, expected);
}

/** Parses one line of a checkpoint file; null when it is not a well-formed checkpoint. */
export function parseCheckpoint(line: string): AuditCheckpoint | null {
  let o: unknown;
  try {
    o = JSON.parse(line);
  } catch {
    return null;
  }
  if (typeof o !== 'object' || o === null) return null;
  const c = o as Record<string, unknown>;
  const int = (v: unknown): boolean => typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;
  const str = (v: unknown): boolean => typeof v === 'string';
  if (c.v !== 1 || !str(c.db) || !str(c.keyId) || !int(c.keyedFrom) || !int(c.seq) || !str(c.hash) || !str(c.at) || !str(c.sig)) return null;
  return { v: 1, db: c.db as string, keyId: c.keyId as string, keyedFrom: c.keyedFrom as number, seq: c.seq as number, hash: c.hash as string, at: c.at as string, sig: c.sig as string };
}

export interface ChainProblem {
  seq: number;
  problem: string;
}

export interface ChainVerifyOptions {
  /** The HMAC key: rows from `keyedFrom` on must carry its HMAC. */
  key: Uint8Array;
  /** The first keyed seq as the database records it; null when that record is missing. */
  keyedFrom: number | null;
  /** This database's checkpoints in file order (`line` numbers from 1); null entries are unreadable lines. */
  checkpoints?: { line: number; checkpoint: AuditCheckpoint | null }[];
}

export interface ChainVerifyResult {
  ok: boolean;
  checked: number;
  problems: ChainProblem[];
  /** Problems found in all (the list keeps the first MAX_LISTED_PROBLEMS). */
  problemCount: number;
  /** Signed checkpoints that were compared with the chain. */
  checkpointsChecked: number;
  /** The newest valid checkpoint's seq, or null. */
  lastCheckpointSeq: number | null;
}

export const MAX_LISTED_PROBLEMS = 1000;

/**
 * Verifies rows given in storage order (by seq). `head` is the separately kept last seq and hash;
 * without it, deleting the newest rows could not be told from them never having existed. With
 * `options`, rows from the keyed boundary on are checked against their HMAC, a missing head is a
 * problem, and every signed checkpoint must be matched by the row at its seq: a chain shorter than
 * a checkpoint was truncated, whatever the head says.
 */
export function verifyAuditChain(rows: Iterable<ChainedAuditEntry>, head: { seq: number; hash: string } | null, options?: ChainVerifyOptions): ChainVerifyResult {
  const problems: ChainProblem[] = [];
  let problemCount = 0;
  const problem = (seq: number, text: string): void => {
    problemCount++;
    if (problems.length < MAX_LISTED_PROBLEMS) problems.push({ seq, problem: text });
  };

  // The checkpoints first: only signed ones of this key count.
  const valid: AuditCheckpoint[] = [];
  for (const { line, checkpoint: c } of options?.checkpoints ?? []) {
    if (c === null) problem(0, `checkpoint file line ${line}: unreadable (the file was altered)`);
    else if (c.keyId !== auditKeyId(options!.key)) problem(c.seq, `checkpoint file line ${line}: signed with another key (${c.keyId})`);
    else if (!checkpointSignatureOk(options!.key, c)) problem(c.seq, `checkpoint file line ${line}: bad signature (the checkpoint file was altered)`);
    else valid.push(c);
  }
  const wanted = new Set(valid.map((c) => c.seq));
  const seen = new Map<number, string>();

  const keyedFrom = options ? (options.keyedFrom ?? 1) : Number.POSITIVE_INFINITY;
  if (options && options.keyedFrom === null) problem(0, 'the record of where the keyed chain starts (audit_keyed) is missing');
  let expectedSeq = 1;
  let prev = GENESIS_HASH;
  let checked = 0;
  for (const r of rows) {
    checked++;
    if (r.seq !== expectedSeq) problem(r.seq, `expected sequence ${expectedSeq} (a row is missing or out of order)`);
    if (r.prevHash !== prev) problem(r.seq, 'link to the previous row is broken');
    const keyed = r.seq >= keyedFrom;
    const expected = keyed ? auditHmac(options!.key, r.prevHash, r) : auditHash(r.prevHash, r);
    if (expected !== r.hash) {
      problem(r.seq, keyed ? 'content does not match its keyed hash (edited, or written without the audit key)' : 'content does not match its hash (edited)');
    }
    if (wanted.has(r.seq)) seen.set(r.seq, r.hash);
    prev = r.hash;
    expectedSeq = r.seq + 1;
  }
  const lastSeq = expectedSeq - 1;
  if (head && (head.seq !== lastSeq || head.hash !== prev)) {
    problem(head.seq, `chain ends at ${lastSeq} but the head says ${head.seq} (rows deleted at the end, or the head was altered)`);
  }
  if (!head && options) problem(lastSeq, 'the audit head is missing (the trail was wiped or the head deleted)');

  let lastCheckpointSeq: number | null = null;
  for (const c of valid) {
    lastCheckpointSeq = Math.max(lastCheckpointSeq ?? 0, c.seq);
    if (options!.keyedFrom !== null && c.keyedFrom !== options!.keyedFrom) {
      problem(c.seq, `the keyed chain starts at ${options!.keyedFrom} but the checkpoint of ${c.at} says ${c.keyedFrom} (the boundary was moved)`);
    }
    if (c.seq > lastSeq) problem(c.seq, `chain ends at ${lastSeq} but a signed checkpoint of ${c.at} saw ${c.seq} rows (rows deleted at the end or the trail truncated)`);
    else if (c.seq > 0 && seen.get(c.seq) !== c.hash) problem(c.seq, `row ${c.seq} differs from the signed checkpoint of ${c.at}`);
  }
  return { ok: problemCount === 0, checked, problems, problemCount, checkpointsChecked: valid.length, lastCheckpointSeq };
}
