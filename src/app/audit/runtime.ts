/**
 * The audit trail's runtime (ADR 0006): the key, where the keyed chain starts, the checkpoint file,
 * and on PostgreSQL the group-commit writer. One per opened database; use cases find it from any
 * handle of that database (the database itself or a transaction) without passing it around.
 */
import { dirname, resolve } from 'node:path';
import { randomUUID } from 'node:crypto';
import { sql, type Kysely } from 'kysely';
import type { Database } from '../../db/schema.js';
import { auditHash, auditHmac, auditKeyId, signCheckpoint, type AuditCheckpoint } from '../../core/security/index.js';
import { appendCheckpoint, readCheckpoints } from './checkpoints.js';
import { GroupCommitWriter, type InsertBatch } from './group-commit.js';
import { loadAuditKey } from './key.js';
import type { AuditInput } from './audit-input.js';

/** Where checkpoints are reported besides the file (the server's pino logger). */
export interface AuditLogger {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
}

export interface AuditOptions {
  /** An explicit key (tests); else ZHONGFU_AUDIT_KEY, else the key file. */
  key?: Uint8Array | undefined;
  /** Key file; default `.zhongfu/audit.key` (PostgreSQL) or `audit.key` beside the data directory. */
  keyFile?: string | undefined;
  /**
   * Checkpoint file, or null for none; default `.zhongfu/audit-checkpoints.jsonl` (PostgreSQL) or
   * `audit-checkpoints.jsonl` beside the data directory; none for an in-memory database.
   * ZHONGFU_AUDIT_CHECKPOINTS overrides the default ("off" for none).
   */
  checkpointFile?: string | null | undefined;
  /** PostgreSQL: group commit of reads' rows (default true; ZHONGFU_AUDIT_GROUP_COMMIT=off turns it off). */
  groupCommit?: boolean | undefined;
  /** A checkpoint after this many appends (default 1,000) … */
  checkpointEvery?: number | undefined;
  /** … and this often when rows were appended since the last one (default 10 s). */
  checkpointIntervalMs?: number | undefined;
}

export interface AuditDatabase {
  db: Kysely<Database>;
  kind: 'pglite' | 'postgres';
  databaseUrl?: string | undefined;
  dataDir?: string | undefined;
  /** PostgreSQL: a second handle whose connections no request holds, for the group-commit writer. */
  writerDb?: Kysely<Database> | undefined;
}

const runtimes = new WeakMap<object, AuditRuntime>();

/** The runtime of the database `db` belongs to (a transaction shares its database's adapter). */
export function auditRuntimeOf(db: Kysely<Database>): AuditRuntime {
  const rt = runtimes.get(db.getExecutor().adapter);
  if (!rt) throw new Error('audit trail not configured for this database (open it with openPlatform)');
  return rt;
}

/** The database as checkpoints name it: no user name or password. */
export function databaseIdentity(d: { databaseUrl?: string | undefined; dataDir?: string | undefined }): string {
  if (d.databaseUrl) {
    const u = new URL(d.databaseUrl);
    return `postgres://${u.hostname}:${u.port || '5432'}${u.pathname}`;
  }
  return d.dataDir ? `pglite:${resolve(d.dataDir)}` : `pglite:memory:${randomUUID()}`;
}

function defaultDir(d: AuditDatabase): string | null {
  if (d.databaseUrl) return resolve('.zhongfu');
  return d.dataDir ? dirname(resolve(d.dataDir)) : null;
}

export class AuditRuntime {
  readonly keyId: string;
  readonly writer: GroupCommitWriter | null;
  private log: AuditLogger | null = null;
  private last: AuditCheckpoint | null;
  private sinceCheckpoint = 0;
  private checkpointing: Promise<void> = Promise.resolve();
  private readonly timer: NodeJS.Timeout | null;
  private readonly every: number;
  /** HTTP requests in flight whose responses wait for their audit rows (see beginRequest). */
  private readonly inFlight = new Set<string>();
  private readonly pendingByRequest = new Map<string, Promise<void>>();

  private constructor(
    readonly key: Buffer,
    readonly dbIdentity: string,
    /** The first keyed seq (null: its record is missing — verify reports it). */
    readonly keyedFrom: number | null,
    readonly checkpointFile: string | null,
    private readonly readDb: Kysely<Database>,
    writerDb: Kysely<Database> | undefined,
    options: AuditOptions,
  ) {
    this.keyId = auditKeyId(key);
    this.every = options.checkpointEvery ?? 1000;
    this.last = null;
    if (checkpointFile) {
      for (const { checkpoint: c } of readCheckpoints(checkpointFile, dbIdentity)) {
        if (c && c.keyId === this.keyId && (this.last === null || c.seq > this.last.seq)) this.last = c;
      }
    }
    this.writer = writerDb ? new GroupCommitWriter(writerDb, (trx, items) => this.insertChained(trx, items), (n) => this.noteAppended(n)) : null;
    const interval = options.checkpointIntervalMs ?? 10_000;
    this.timer = interval > 0 ? setInterval(() => { if (this.sinceCheckpoint > 0) this.scheduleCheckpoint('interval'); }, interval) : null;
    this.timer?.unref();
  }

  /** Loads the key, checks it against the one the chain was started with, and writes a first checkpoint. */
  static async open(d: AuditDatabase, options: AuditOptions = {}, env: NodeJS.ProcessEnv = process.env): Promise<AuditRuntime> {
    const dir = defaultDir(d);
    const key = loadAuditKey(options, dir && resolve(dir, 'audit.key'), env);
    const keyId = auditKeyId(key);
    const envFile = env.ZHONGFU_AUDIT_CHECKPOINTS;
    const checkpointFile =
      options.checkpointFile !== undefined ? options.checkpointFile
      : envFile !== undefined && envFile !== '' ? (envFile === 'off' ? null : resolve(envFile))
      : dir && resolve(dir, 'audit-checkpoints.jsonl');

    const keyed = await d.db.selectFrom('audit_keyed').select(['keyed_from', 'key_id']).where('id', '=', 1).executeTakeFirst();
    if (keyed && keyed.key_id === null) {
      await d.db.updateTable('audit_keyed').set({ key_id: keyId }).where('id', '=', 1).execute();
    } else if (keyed && keyed.key_id !== keyId) {
      throw new Error(
        `the audit key (id ${keyId}) is not the one this database's audit trail was started with (id ${keyed.key_id}); ` +
        'point ZHONGFU_AUDIT_KEY_FILE at the right key file',
      );
    }
    const rt = new AuditRuntime(key, databaseIdentity(d), keyed?.keyed_from ?? null, checkpointFile, d.writerDb ?? d.db, d.writerDb, options);
    runtimes.set(d.db.getExecutor().adapter, rt);
    if (d.writerDb) runtimes.set(d.writerDb.getExecutor().adapter, rt);
    await rt.checkpoint('start');
    return rt;
  }

  /** Where checkpoints are logged besides the file. */
  attachLogger(log: AuditLogger | null): void {
    this.log = log;
  }

  /** The last checkpoint written or read for this database (null: none yet). */
  get lastCheckpoint(): AuditCheckpoint | null {
    return this.last;
  }

  /**
   * Appends rows to the chain in `trx`: takes the head lock, hashes each row with the key, inserts
   * them with one statement, moves the head. The lock is held until `trx` ends.
   */
  readonly insertChained: InsertBatch = async (trx, items) => {
    const head = await trx.selectFrom('audit_head').select(['seq', 'hash']).where('id', '=', 1).forUpdate().executeTakeFirstOrThrow();
    let seq = head.seq;
    let prev = head.hash;
    const rows = items.map(({ input, now }) => {
      seq++;
      const entry = {
        seq, at: now.toISOString(), actorId: input.actorId, role: input.role, action: input.action, objectType: input.objectType,
        objectId: input.objectId ?? null, purpose: input.purpose ?? null, result: input.result, requestId: input.requestId ?? null,
      };
      const hash = auditHmac(this.key, prev, entry);
      const row = {
        seq, at: entry.at, actor_id: entry.actorId, role: entry.role, action: entry.action, object_type: entry.objectType,
        object_id: entry.objectId, purpose: entry.purpose, result: entry.result, request_id: entry.requestId, prev_hash: prev, hash,
      };
      prev = hash;
      return row;
    });
    await trx.insertInto('audit_log').values(rows).execute();
    await trx.updateTable('audit_head').set({ seq, hash: prev }).where('id', '=', 1).execute();
  };

  /**
   * The server calls this when a request starts, `settled` before its response is sent and
   * `endRequest` when it is done: a read's audit row appended on behalf of such a request is then
   * not awaited inside the use case's transaction (whose connection is released at once) but
   * before the response leaves.
   */
  beginRequest(requestId: string): void {
    if (this.writer) this.inFlight.add(requestId);
  }

  /** Waits until every audit row appended for the request has committed; throws when one failed. */
  async settled(requestId: string): Promise<void> {
    const p = this.pendingByRequest.get(requestId);
    if (p === undefined) return;
    this.pendingByRequest.delete(requestId);
    await p;
  }

  endRequest(requestId: string): void {
    this.inFlight.delete(requestId);
    this.pendingByRequest.delete(requestId);
  }

  /**
   * Appends a read's row through the group-commit writer: awaited here, or — for a request the
   * server tracks — awaited by the server before the response is sent.
   */
  async appendRead(input: AuditInput, now: Date): Promise<void> {
    const id = input.requestId;
    if (!this.writer) throw new Error('no group-commit writer');
    const p = this.writer.append(input, now);
    if (!id || !this.inFlight.has(id)) return p;
    // Handled here so that a failure is not an unhandled rejection when the response never comes.
    p.catch(() => undefined);
    const before = this.pendingByRequest.get(id);
    const all = before ? Promise.all([before, p]).then(() => undefined) : p;
    all.catch(() => undefined);
    this.pendingByRequest.set(id, all);
    void p.then(() => {
      if (this.pendingByRequest.get(id) === all) this.pendingByRequest.delete(id);
    }, () => undefined);
  }

  /** Counts appended rows; every `checkpointEvery` rows a checkpoint follows (not awaited). */
  noteAppended(n: number): void {
    this.sinceCheckpoint += n;
    if (this.sinceCheckpoint >= this.every) this.scheduleCheckpoint('count');
  }

  /**
   * Queues a checkpoint and returns at once. Never await it inside a transaction: on PGlite (one
   * connection) it waits for the transaction to end.
   */
  scheduleCheckpoint(reason: string): void {
    void this.checkpoint(reason);
  }

  /** Writes a signed checkpoint of the committed head when it moved since the last one. */
  checkpoint(reason: string): Promise<void> {
    this.sinceCheckpoint = 0;
    this.checkpointing = this.checkpointing.then(() => this.writeCheckpoint(reason)).catch((e: unknown) => {
      this.log?.warn({ audit: { reason, error: e instanceof Error ? e.name : 'unknown' } }, 'audit checkpoint failed');
    });
    return this.checkpointing;
  }

  private async writeCheckpoint(reason: string): Promise<void> {
    if (!this.checkpointFile && !this.log) return;
    const head = await this.readDb.selectFrom('audit_head').select(['seq', 'hash']).where('id', '=', 1).executeTakeFirst();
    if (!head) {
      this.log?.warn({ audit: { reason } }, 'audit head missing: checkpoint withheld');
      return;
    }
    if (head.seq === 0) return;
    const last = this.last;
    if (last && (head.seq < last.seq || (head.seq === last.seq && head.hash !== last.hash))) {
      this.log?.warn({ audit: { reason, headSeq: head.seq, checkpointSeq: last.seq } }, 'audit head is behind the last signed checkpoint: checkpoint withheld');
      return;
    }
    if (last && head.seq === last.seq) return;
    // Sign only what verifies: the rows since the last checkpoint (or the head row alone at first).
    const from = last ? last.seq + 1 : head.seq;
    let prev = last ? last.hash : null;
    const rows = await this.readDb.selectFrom('audit_log').selectAll().where('seq', '>=', from).where('seq', '<=', head.seq).orderBy('seq').execute();
    let expected = from;
    for (const r of rows) {
      const entry = {
        seq: r.seq, at: r.at instanceof Date ? r.at.toISOString() : String(r.at), actorId: r.actor_id, role: r.role, action: r.action,
        objectType: r.object_type, objectId: r.object_id, purpose: r.purpose, result: r.result, requestId: r.request_id,
      };
      const keyed = this.keyedFrom === null || r.seq >= this.keyedFrom;
      const ok = r.seq === expected && (prev === null || r.prev_hash === prev) && (keyed ? auditHmac(this.key, r.prev_hash, entry) : auditHash(r.prev_hash, entry)) === r.hash;
      if (!ok) {
        this.log?.warn({ audit: { reason, seq: r.seq } }, 'audit row does not verify: checkpoint withheld (run zhongfu audit verify)');
        return;
      }
      prev = r.hash;
      expected++;
    }
    if (expected !== head.seq + 1 || prev !== head.hash) {
      this.log?.warn({ audit: { reason, headSeq: head.seq } }, 'audit head does not match the trail: checkpoint withheld (run zhongfu audit verify)');
      return;
    }
    const c = signCheckpoint(this.key, { db: this.dbIdentity, keyedFrom: this.keyedFrom ?? 1, seq: head.seq, hash: head.hash, at: new Date().toISOString() });
    if (this.checkpointFile) appendCheckpoint(this.checkpointFile, c);
    this.last = c;
    this.log?.info({ auditCheckpoint: c, reason }, 'audit checkpoint');
  }

  /** Drains the writer, writes a last checkpoint, stops the timer. The caller closes the databases. */
  async close(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.writer?.close();
    await this.checkpoint('shutdown');
  }
}

/** True when `trx` has written nothing yet (PostgreSQL assigns a transaction id on the first write). */
export async function nothingWrittenYet(trx: Kysely<Database>): Promise<boolean> {
  const r = await sql<{ ro: boolean }>`SELECT txid_current_if_assigned() IS NULL AS ro`.execute(trx);
  return r.rows[0]?.ro === true;
}
