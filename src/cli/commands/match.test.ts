import { afterEach, describe, expect, it, vi } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { Command } from 'commander';
import { registerMatchCommand } from './match.js';
import { ASSIGN100, NETGEN2, readReference } from '../../core/matching/test-support.js';

/** Runs `match` in-process and returns what it printed. */
async function runMatch(args: string[]): Promise<string[]> {
  const program = new Command('zhongfu').exitOverride();
  registerMatchCommand(program);
  const lines: string[] = [];
  vi.spyOn(console, 'log').mockImplementation((s: unknown) => lines.push(String(s)));
  await program.parseAsync(['match', ...args], { from: 'user' });
  return lines;
}

function tempFile(name: string, text: string): string {
  const file = join(mkdtempSync(join(tmpdir(), 'zf-match-')), name);
  writeFileSync(file, text);
  return file;
}

afterEach(() => vi.restoreAllMocks());

describe('zhongfu match --dimacs', () => {
  it('prints one line of JSON starting with status and cost: netgen-2 and assign100', async () => {
    readReference(NETGEN2);
    const [line] = await runMatch(['--dimacs', NETGEN2]);
    expect(line).toMatch(/^\{"status":"optimal","cost":6749969302,/);
    expect(JSON.parse(line!)).toMatchObject({ status: 'optimal', cost: 6749969302, nodes: 400, arcs: 1416 });
    const [assign] = await runMatch(['--dimacs', ASSIGN100]);
    expect(JSON.parse(assign!)).toMatchObject({ status: 'optimal', cost: 305 });
  });

  it('reports infeasible with cost null, and the flows on request', async () => {
    const infeasible = tempFile('inf.min', 'p min 2 1\nn 1 3\nn 2 -3\na 1 2 0 2 1\n');
    expect(JSON.parse((await runMatch(['--dimacs', infeasible]))[0]!)).toMatchObject({ status: 'infeasible', cost: null });
    const tiny = tempFile('tiny.min', 'p min 3 3\nn 1 2\nn 3 -2\na 1 2 0 1 1\na 2 3 0 2 1\na 1 3 0 2 5\n');
    expect(JSON.parse((await runMatch(['--dimacs', tiny, '--flows']))[0]!)).toMatchObject({ status: 'optimal', cost: 7, flows: [1, 1, 1] });
  });

  it('throws with the file and line for bad input, and for a missing file', async () => {
    const bad = tempFile('bad.min', 'p min 400 1\na 1 401 0 1 1\n');
    await expect(runMatch(['--dimacs', bad])).rejects.toThrow(`${bad}: line 2: arc head 401 is outside 1..400`);
    await expect(runMatch(['--dimacs', '/nonexistent/x.min'])).rejects.toThrow('/nonexistent/x.min: cannot read the file (ENOENT)');
  });

  it('as a process (with the error handling of main.ts): stderr and exit code 1 on bad input', () => {
    // A stand-in for src/cli/main.ts, which the lead wires: same catch, same exit code.
    const script = tempFile(
      'cli.ts',
      [
        `import { Command } from ${JSON.stringify(pathToFileURL(createRequire(import.meta.url).resolve('commander')).href)};`,
        `import { registerMatchCommand } from ${JSON.stringify(join(import.meta.dirname, 'match.ts'))};`,
        "const program = new Command('zhongfu');",
        'registerMatchCommand(program);',
        'program.parseAsync().catch((e: unknown) => { console.error(`zhongfu: ${e instanceof Error ? e.message : String(e)}`); process.exit(1); });',
      ].join('\n'),
    );
    const bad = tempFile('bad.min', 'p min 3 1\na 1 2 0 x 1\n');
    const run = (args: string[]) =>
      spawnSync(process.execPath, ['--import', 'tsx', script, 'match', ...args], { encoding: 'utf8', cwd: join(import.meta.dirname, '../../..') });
    const failed = run(['--dimacs', bad]);
    expect(failed.status).toBe(1);
    expect(failed.stdout).toBe('');
    expect(failed.stderr).toContain(`zhongfu: ${bad}: line 2: capacity 'x' is not an integer`);
    const ok = run(['--dimacs', ASSIGN100]);
    expect(ok.status).toBe(0);
    expect(JSON.parse(ok.stdout)).toMatchObject({ status: 'optimal', cost: 305 });
  });
});
