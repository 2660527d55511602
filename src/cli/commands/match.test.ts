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

/**
 * A model worked out by hand. P1 (education) has capacity 3 but budget for 2 (100,000 / 50,000);
 * P2 (education or medical) one place, cost 0. Priorities: N1 = needPriority(1, none, 0) = 100;
 * N2 250; N3 = needPriority(2, red, 21 days) = 200 + 120 + 3 = 323; N4 240, the same household and
 * category as N2; N5 200 in a mountain county, uplift 0.5 → 300. N3 can only use P2; of N2 and N4
 * one at most. Three places: N3 at P2 and the best two education needs left, N5 (300) and N2 (250),
 * at P1: 873. N1 is out (both projects full of higher needs), N4 is out (N2 serves its household).
 * First come, first served: N1 → P1, N2 → P1, N3 → P2, N4 skipped, N5 finds no room: 100 + 250 +
 * 323 = 673.
 */
const HAND_MODEL = {
  mountainUplift: 0.5,
  needs: [
    { id: 'N1', household: 'H1', category: 'education', severity: 1 },
    { id: 'N2', household: 'H2', category: 'education', priority: 250 },
    { id: 'N3', household: 'H3', category: 'medical', severity: 2, riskLevel: 'red', waitingDays: 21 },
    { id: 'N4', household: 'H2', category: 'education', priority: 240 },
    { id: 'N5', household: 'H4', category: 'education', priority: 200, mountain: true, county: '331127' },
  ],
  projects: [
    { id: 'P1', capacity: 3, budgetFen: 100_000, costPerBeneficiaryFen: 50_000, categories: ['education'] },
    { id: 'P2', capacity: 1, budgetFen: 0, costPerBeneficiaryFen: 0, categories: ['education', 'medical'] },
  ],
};

describe('zhongfu match --model', () => {
  it('solves a hand-computed model: optimum 873 against first come, first served 673, every unmatched need with its reason', async () => {
    const file = tempFile('model.json', JSON.stringify(HAND_MODEL));
    const lines = await runMatch(['--model', file]);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^\{"status":"optimal","objective":873,"fcfsObjective":673,/);
    const out = JSON.parse(lines[0]!) as Record<string, unknown>;
    expect(out).toMatchObject({ status: 'optimal', objective: 873, fcfsObjective: 673, matched: 3, fcfsMatched: 3, priorityServed: 773, mountainMatched: 1, needs: 5, projects: 2, eligiblePairs: 9 });
    expect(out.matches).toEqual([
      { need: 'N2', project: 'P1', household: 'H2', category: 'education', priority: 250, adjustedPriority: 250 },
      { need: 'N3', project: 'P2', household: 'H3', category: 'medical', priority: 323, adjustedPriority: 323 },
      { need: 'N5', project: 'P1', household: 'H4', category: 'education', priority: 200, adjustedPriority: 300 },
    ]);
    expect(out.unmatched).toEqual([
      expect.objectContaining({
        need: 'N1', reason: 'capacity-taken', adjustedPriority: 100,
        projects: [
          { projectId: 'P1', places: 2, limitedBy: 'budget', lowestAssignedPriority: 250 },
          { projectId: 'P2', places: 1, limitedBy: 'capacity', lowestAssignedPriority: 323 },
        ],
      }),
      expect.objectContaining({ need: 'N4', reason: 'household-category-served', servedBy: 'N2', adjustedPriority: 240 }),
    ]);
    expect(out.projectUse).toEqual([
      expect.objectContaining({ project: 'P1', places: 2, used: 2, limitedBy: 'budget' }),
      expect.objectContaining({ project: 'P2', places: 1, used: 1, limitedBy: 'capacity' }),
    ]);
  });

  it('takes explicit eligible pairs (their order is the first-come preference)', async () => {
    // Only P2 for N1, listed first: first come, first served now gives P2 to N1 and leaves N3 out.
    const model = { ...HAND_MODEL, eligible: [{ need: 'N1', project: 'P2' }, { need: 'N2', project: 'P1' }, { need: 'N3', project: 'P2' }, { need: 'N5', project: 'P1' }] };
    const out = JSON.parse((await runMatch(['--model', tempFile('pairs.json', JSON.stringify(model))]))[0]!) as { objective: number; fcfsObjective: number; unmatched: { need: string; reason: string }[] };
    expect(out.objective).toBe(873);
    expect(out.fcfsObjective).toBe(100 + 250 + 300);
    expect(out.unmatched.map((u) => [u.need, u.reason])).toEqual([['N1', 'capacity-taken'], ['N4', 'no-eligible-project']]);
  });

  it('refuses a bad file naming the path of every bad field, never a value', async () => {
    const bad = structuredClone(HAND_MODEL) as { needs: Record<string, unknown>[]; projects: Record<string, unknown>[]; eligible?: unknown[] };
    bad.needs[3] = { id: 'N4', household: 'H2', category: 'education', severity: 4 };
    const file = tempFile('bad.json', JSON.stringify(bad));
    await expect(runMatch(['--model', file])).rejects.toThrow(`${file}: needs[3].severity: must be an integer 1–3`);
    const many = structuredClone(HAND_MODEL) as typeof bad;
    many.needs[0] = { id: 'N1', household: 'H1', category: 'education', severity: 1, priority: 100, colour: 'red' };
    many.needs[4]!.id = 'N1';
    many.projects[1]!.capacity = -1;
    many.eligible = [{ need: 'N9', project: 'P1' }, { need: 'N3', project: 'P1' }];
    const err = await runMatch(['--model', tempFile('many.json', JSON.stringify(many))]).catch((e: unknown) => e as Error);
    const lines = (err as Error).message.split('\n').map((l) => l.replace(/^[^:]+: /, ''));
    expect(lines).toEqual(expect.arrayContaining([
      'needs[0].colour: is not a field of the model',
      'projects[1].capacity: must be a whole number from 0 to 2,147,483,647',
    ]));
    // Cross-references are checked once every part has its shape.
    many.needs[0] = { id: 'N1', household: 'H1', category: 'education', severity: 1 };
    many.projects[1]!.capacity = 1;
    const err2 = await runMatch(['--model', tempFile('refs.json', JSON.stringify(many))]).catch((e: unknown) => e as Error);
    expect((err2 as Error).message.split('\n').map((l) => l.replace(/^[^:]+: /, ''))).toEqual([
      'needs[4].id: repeats needs[0].id', 'eligible[0].need: names no need of the model', 'eligible[1].project: does not serve the category of needs[2]',
    ]);
    const both = structuredClone(HAND_MODEL) as typeof bad;
    both.needs[1] = { id: 'N2', household: 'H2', category: 'education' };
    await expect(runMatch(['--model', tempFile('none.json', JSON.stringify(both))])).rejects.toThrow('needs[1].priority: give exactly one of priority and severity');
    await expect(runMatch(['--model', tempFile('broken.json', '{"needs": [')])).rejects.toThrow(/broken\.json: is not valid JSON/);
    await expect(runMatch(['--model', tempFile('array.json', '[]')])).rejects.toThrow('(model): must be a JSON object');
    await expect(runMatch(['--model', '/nonexistent/m.json'])).rejects.toThrow('/nonexistent/m.json: cannot read the file (ENOENT)');
    await expect(runMatch([])).rejects.toThrow('give exactly one of --dimacs FILE and --model FILE.json');
  });

  it('as a process: the result on stdout with exit code 0; a bad file: stderr only, exit code 1', () => {
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
    const run = (args: string[]) =>
      spawnSync(process.execPath, ['--import', 'tsx', script, 'match', ...args], { encoding: 'utf8', cwd: join(import.meta.dirname, '../../..') });
    const bad = structuredClone(HAND_MODEL) as { needs: Record<string, unknown>[] };
    bad.needs[3]!.severity = 4;
    delete bad.needs[3]!.priority;
    const badFile = tempFile('bad.json', JSON.stringify(bad));
    const failed = run(['--model', badFile]);
    expect(failed.status).toBe(1);
    expect(failed.stdout).toBe('');
    expect(failed.stderr).toBe(`zhongfu: ${badFile}: needs[3].severity: must be an integer 1–3\n`);
    const ok = run(['--model', tempFile('model.json', JSON.stringify(HAND_MODEL))]);
    expect(ok.status).toBe(0);
    expect(JSON.parse(ok.stdout)).toMatchObject({ status: 'optimal', objective: 873, fcfsObjective: 673 });
  });
});
