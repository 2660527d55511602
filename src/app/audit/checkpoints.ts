/**
 * The checkpoint file: one signed checkpoint per line (JSON), appended, never rewritten, kept
 * outside the database (ADR 0006). Several databases may share one file: each line names its
 * database, and a reader keeps only its own.
 */
import { appendFileSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { parseCheckpoint, type AuditCheckpoint } from '../../core/security/index.js';

export interface CheckpointLine {
  line: number;
  /** null: the line is not a well-formed checkpoint. */
  checkpoint: AuditCheckpoint | null;
}

/** The lines of `file` that belong to database `db` (and every unreadable line, which may have been). */
export function readCheckpoints(file: string, db: string): CheckpointLine[] {
  if (!existsSync(file)) return [];
  const out: CheckpointLine[] = [];
  const lines = readFileSync(file, 'utf8').split('\n');
  for (let i = 0; i < lines.length; i++) {
    const text = lines[i]!.trim();
    if (text === '') continue;
    const c = parseCheckpoint(text);
    if (c === null) out.push({ line: i + 1, checkpoint: null });
    else if (c.db === db) out.push({ line: i + 1, checkpoint: c });
  }
  return out;
}

/** Appends one checkpoint as one line (a single write with O_APPEND, so concurrent writers do not interleave). */
export function appendCheckpoint(file: string, c: AuditCheckpoint): void {
  mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
  appendFileSync(file, `${JSON.stringify(c)}\n`, { mode: 0o600 });
}
