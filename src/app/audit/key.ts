/**
 * The audit key: a secret kept outside the database (ADR 0006). Read from ZHONGFU_AUDIT_KEY (hex or
 * base64), else from a key file (ZHONGFU_AUDIT_KEY_FILE, else the default path), created with
 * mode 0600 on first start. Errors name the file, never the key.
 */
import { randomBytes } from 'node:crypto';
import { chmodSync, linkSync, mkdirSync, readFileSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { AUDIT_KEY_MIN_BYTES } from '../../core/security/index.js';

/** Decodes a key given as text: 64+ hex digits, or base64 of 32+ bytes. */
export function parseAuditKey(text: string, source: string): Buffer {
  const t = text.trim();
  const key = /^[0-9a-fA-F]+$/.test(t) && t.length % 2 === 0 ? Buffer.from(t, 'hex') : /^[A-Za-z0-9+/_-]+=*$/.test(t) ? Buffer.from(t, 'base64') : Buffer.alloc(0);
  if (key.length < AUDIT_KEY_MIN_BYTES) throw new Error(`audit key from ${source}: must be at least ${AUDIT_KEY_MIN_BYTES} bytes, as hex or base64`);
  return key;
}

/** Reads the key file, creating it (32 random bytes, hex, mode 0600) when absent. Safe when several processes race to create it. */
export function loadOrCreateKeyFile(path: string): Buffer {
  const file = resolve(path);
  try {
    return readKeyFile(file);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
  }
  mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
  const tmp = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  writeFileSync(tmp, `${randomBytes(32).toString('hex')}\n`, { mode: 0o600, flag: 'wx' });
  chmodSync(tmp, 0o600);
  try {
    // link() fails when another process created the file first: then its key is the one.
    linkSync(tmp, file);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
  } finally {
    unlinkSync(tmp);
  }
  return readKeyFile(file);
}

function readKeyFile(file: string): Buffer {
  const st = statSync(file);
  if (process.platform !== 'win32' && (st.mode & 0o077) !== 0) {
    throw new Error(`audit key file ${file}: readable by other users; restrict it with chmod 600`);
  }
  return parseAuditKey(readFileSync(file, 'utf8'), file);
}

export interface AuditKeySource {
  /** An explicit key (tests). */
  key?: Uint8Array | undefined;
  /** The key file; default per database (see defaultAuditPaths). */
  keyFile?: string | undefined;
}

/** The key: explicit, else ZHONGFU_AUDIT_KEY, else ZHONGFU_AUDIT_KEY_FILE or the given/default file. */
export function loadAuditKey(source: AuditKeySource, defaultFile: string | null, env: NodeJS.ProcessEnv = process.env): Buffer {
  if (source.key) {
    if (source.key.length < AUDIT_KEY_MIN_BYTES) throw new Error(`audit key: must be at least ${AUDIT_KEY_MIN_BYTES} bytes`);
    return Buffer.from(source.key);
  }
  if (env.ZHONGFU_AUDIT_KEY) return parseAuditKey(env.ZHONGFU_AUDIT_KEY, 'ZHONGFU_AUDIT_KEY');
  const file = source.keyFile ?? env.ZHONGFU_AUDIT_KEY_FILE ?? defaultFile;
  // An in-memory database lives as long as the process: so may its key.
  return file ? loadOrCreateKeyFile(file) : randomBytes(32);
}
