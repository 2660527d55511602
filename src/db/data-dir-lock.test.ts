import { describe, expect, it } from 'vitest';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataDirLockedError, lockDataDir } from './data-dir-lock.js';

const LOCK_MODULE = join(import.meta.dirname, 'data-dir-lock.ts');
const BIN = join(import.meta.dirname, '../../bin/zhongfu.js');

/** A second process that takes the lock and holds it until killed; resolves once it holds it. */
async function holdInChild(dataDir: string): Promise<ChildProcess> {
  const code = `import { lockDataDir } from ${JSON.stringify(LOCK_MODULE)}; lockDataDir(${JSON.stringify(dataDir)}); console.log('held'); setInterval(() => {}, 1000);`;
  const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', code], { stdio: ['ignore', 'pipe', 'inherit'] });
  await new Promise<void>((res, rej) => {
    child.stdout.on('data', (b: Buffer) => b.toString().includes('held') && res());
    child.on('exit', (c) => rej(new Error(`child exited ${c}`)));
  });
  return child;
}

describe('one process per embedded data directory', () => {
  it('creates the parent folders and refuses a second holder in the same process, naming it', () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'zf-lock-')), 'a', 'b', 'data');
    const lock = lockDataDir(dir);
    expect(existsSync(`${dir}.lock`)).toBe(true);
    expect(() => lockDataDir(dir)).toThrow(DataDirLockedError);
    expect(() => lockDataDir(dir)).toThrow(`in use by process ${process.pid}`);
    lock.release();
    expect(existsSync(`${dir}.lock`)).toBe(false);
    lockDataDir(dir).release();
  });

  it('refuses while another process holds it, and takes over once that process was killed (kill -9)', async () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'zf-lock-')), 'data');
    const child = await holdInChild(dir);
    try {
      expect(() => lockDataDir(dir)).toThrow(`in use by process ${child.pid}`);
    } finally {
      child.kill('SIGKILL');
      await new Promise((res) => child.once('exit', res));
    }
    // The lock file is still there, naming a process that no longer runs: stale, taken over.
    expect(JSON.parse(readFileSync(`${dir}.lock`, 'utf8'))).toMatchObject({ pid: child.pid });
    const lock = lockDataDir(dir);
    expect(JSON.parse(readFileSync(`${dir}.lock`, 'utf8'))).toMatchObject({ pid: process.pid });
    lock.release();
  }, 30_000);

  it('the CLI refuses a command on a directory another process holds, and changes nothing', async () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'zf-lock-')), 'data');
    const child = await holdInChild(dir);
    try {
      const r = spawnSync(process.execPath, [BIN, 'users', 'add', '--username', 'second-process', '--role', 'county_officer', '--scope', '330106', '--data-dir', dir], { encoding: 'utf8' });
      expect(r.status).toBe(1);
      expect(r.stderr).toContain(`is in use by process ${child.pid}`);
      expect(r.stdout).not.toContain('created');
      expect(existsSync(join(dir, 'PG_VERSION'))).toBe(false);
    } finally {
      child.kill('SIGKILL');
    }
  }, 60_000);

  it('an unreadable lock file is reported, not overwritten', () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'zf-lock-')), 'data');
    writeFileSync(`${dir}.lock`, '');
    expect(() => lockDataDir(dir)).toThrow('cannot be read; delete it if no process is using the directory');
  });
});
