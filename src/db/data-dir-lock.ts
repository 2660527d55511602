/**
 * One process per embedded database directory. PGlite keeps the whole database in the memory of the
 * process that opened it and writes it back to the directory; a second process on the same
 * directory works on its own copy, and whichever writes last wins (or the files end up mixed and the
 * directory no longer opens). So the first process takes an exclusive lock file beside the
 * directory, and a second one is refused with the holder's process id and command.
 *
 * The lock is a file created with O_EXCL (`<dir>.lock`); it names the holder. A lock left by a
 * process that no longer runs (kill -9, power loss) is stale and is taken over.
 */
import { closeSync, mkdirSync, openSync, readFileSync, renameSync, rmSync, writeSync } from 'node:fs';
import { hostname } from 'node:os';
import { dirname, resolve } from 'node:path';
import { randomUUID } from 'node:crypto';

export interface LockHolder {
  pid: number;
  host: string;
  command: string;
  since: string;
  token: string;
}

export class DataDirLockedError extends Error {
  constructor(
    readonly dataDir: string,
    readonly holder: LockHolder,
  ) {
    super(
      `the database directory ${dataDir} is in use by process ${holder.pid} (${holder.command}, since ${holder.since}). ` +
        'One process at a time may open an embedded database: stop that process first, or run both against a PostgreSQL server (--database-url). ' +
        `If process ${holder.pid} is not running, delete ${dataDir}.lock.`,
    );
    this.name = 'DataDirLockedError';
  }
}

export interface DataDirLock {
  readonly path: string;
  release(): void;
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    // EPERM: the process exists but belongs to someone else.
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function readHolder(path: string): LockHolder | null {
  try {
    const h = JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>;
    if (typeof h.pid !== 'number' || typeof h.token !== 'string') return null;
    const text = (v: unknown, otherwise: string): string => (typeof v === 'string' ? v : otherwise);
    return { pid: h.pid, host: text(h.host, ''), command: text(h.command, 'unknown'), since: text(h.since, 'unknown'), token: h.token };
  } catch {
    return null;
  }
}

function commandLine(): string {
  const args = process.argv.slice(1).map((a) => a.replace(/^.*[\\/](zhongfu(\.js)?)$/, 'zhongfu'));
  // Only the command words: flags may carry secrets (a database URL with a password).
  return args.filter((a) => !a.startsWith('-')).slice(0, 2).join(' ') || 'node';
}

/**
 * Takes the lock of a data directory (creating its parent folders). Throws DataDirLockedError when
 * a running process holds it. The lock is released by `release()` and, as a last resort, when this
 * process exits normally.
 */
export function lockDataDir(dataDir: string): DataDirLock {
  const dir = resolve(dataDir);
  mkdirSync(dirname(dir), { recursive: true });
  const path = `${dir}.lock`;
  const me: LockHolder = { pid: process.pid, host: hostname(), command: commandLine(), since: new Date().toISOString(), token: randomUUID() };
  for (let attempt = 0; attempt < 3; attempt++) {
    let fd: number;
    try {
      fd = openSync(path, 'wx', 0o600);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      const holder = readHolder(path);
      // A holder on this host that no longer runs left a stale lock; an unreadable lock is one
      // being written this instant (or a torn write of a crashed process): look again.
      if (holder && (holder.host !== me.host || isRunning(holder.pid))) throw new DataDirLockedError(dir, holder);
      if (holder) {
        // Move the stale lock aside under a unique name, then check that what was moved is the
        // stale one: if another process took the lock over in between, put its lock back.
        const aside = `${path}.stale-${me.token}`;
        try {
          renameSync(path, aside);
        } catch {
          continue;
        }
        const moved = readHolder(aside);
        if (moved && moved.token !== holder.token) {
          try {
            renameSync(aside, path);
          } catch {
            /* its owner will find the lock gone only if it checks; it does not, so keep going */
          }
          throw new DataDirLockedError(dir, moved);
        }
        rmSync(aside, { force: true });
      } else {
        Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 50);
      }
      continue;
    }
    writeSync(fd, JSON.stringify(me));
    closeSync(fd);
    let released = false;
    const release = (): void => {
      if (released) return;
      released = true;
      process.off('exit', release);
      // Remove only our own lock.
      if (readHolder(path)?.token === me.token) rmSync(path, { force: true });
    };
    process.on('exit', release);
    return { path, release };
  }
  const holder = readHolder(path);
  if (holder) throw new DataDirLockedError(dir, holder);
  throw new Error(`the database directory ${dir} could not be locked: ${path} exists and cannot be read; delete it if no process is using the directory`);
}
