/**
 * Group commit for audit rows that need no caller transaction (reads, refusals): concurrent
 * appends join the pending batch; one transaction on a connection of its own takes the head lock
 * once, inserts the batch with one multi-row INSERT, moves the head and commits. Each caller's
 * promise settles when its batch has committed, so a read is on the trail before its data leaves.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.js';
import type { AuditInput } from './audit-input.js';

/** At most this many rows per transaction (13 parameters each). */
const MAX_BATCH = 500;

interface Pending {
  input: AuditInput;
  now: Date;
  resolve: () => void;
  reject: (e: unknown) => void;
}

export type InsertBatch = (trx: Kysely<Database>, items: { input: AuditInput; now: Date }[]) => Promise<void>;

export class GroupCommitWriter {
  private pending: Pending[] = [];
  private running: Promise<void> | null = null;
  private closed = false;
  /** Batches committed and rows written, for the bench and the tests. */
  readonly stats = { batches: 0, rows: 0 };

  /**
   * @param db a database handle whose connections no caller transaction holds (on PostgreSQL its
   *   own pool): callers wait for the batch while holding their own connection.
   */
  constructor(
    private readonly db: Kysely<Database>,
    private readonly insertBatch: InsertBatch,
    private readonly committed: (rows: number) => void,
  ) {}

  append(input: AuditInput, now: Date): Promise<void> {
    if (this.closed) return Promise.reject(new Error('audit writer is closed'));
    return new Promise<void>((resolve, reject) => {
      this.pending.push({ input, now, resolve, reject });
      this.running ??= this.drain();
    });
  }

  private async drain(): Promise<void> {
    // Let the appends of the current tick join the first batch.
    await Promise.resolve();
    try {
      while (this.pending.length > 0) {
        const batch = this.pending.splice(0, MAX_BATCH);
        try {
          await this.db.transaction().execute((trx) => this.insertBatch(trx, batch));
          this.stats.batches++;
          this.stats.rows += batch.length;
          this.committed(batch.length);
          for (const p of batch) p.resolve();
        } catch (e) {
          for (const p of batch) p.reject(e);
        }
      }
    } finally {
      this.running = null;
    }
  }

  /** Refuses new appends and waits for the pending ones. */
  async close(): Promise<void> {
    this.closed = true;
    while (this.running) await this.running;
  }
}
