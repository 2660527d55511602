import { describe, expect, it } from 'vitest';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const BIN = join(import.meta.dirname, '../../bin/zhongfu.js');
const EXAMPLE = join(import.meta.dirname, '../../docs/examples/classify-input.json');

function run(args: string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8' });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('zhongfu classify --input (no database)', () => {
  it('classifies the documented example: 812.40 yuan per person → dibao, 673.20 yuan a month', () => {
    const out = execFileSync(process.execPath, [BIN, 'classify', '--input', EXAMPLE], { encoding: 'utf8' });
    const lines = out.trim().split('\n').map((l) => JSON.parse(l) as { ok: boolean; result: { category: string; paymentFen: number; trace: { rule: string; text: { zh: string } }[] } });
    expect(lines).toHaveLength(1);
    expect(lines[0]!.result.category).toBe('dibao');
    expect(lines[0]!.result.paymentFen).toBe(67_320);
    expect(lines[0]!.result.trace.find((s) => s.rule === 'dibao.income_below_standard')!.text.zh).toBe('人均月收入 812.40 元 < 低保标准 1149.00 元 ✓');
  });

  it('names the row and field of bad input, never the person’s data, and exits non-zero', () => {
    const doc = JSON.parse(readFileSync(EXAMPLE, 'utf8')) as { households: Record<string, unknown>[] };
    const good = doc.households[0]!;
    const badId = structuredClone(good) as { id: string; members: { idNumber: string }[] };
    badId.id = 'bad-id';
    badId.members[0]!.idNumber = '330127197803040018';
    const negative = structuredClone(good) as { id: string; incomes: { amountFen: number }[] };
    negative.id = 'negative';
    negative.incomes[0]!.amountFen = -5;
    const backwards = structuredClone(good) as { id: string; expenditures: { periodEnd: string }[] };
    backwards.id = 'backwards';
    backwards.expenditures[0]!.periodEnd = '2026-02-01';
    const unknownRegion = { ...structuredClone(good), id: 'region', regionCode: '330127999999' };
    const dir = mkdtempSync(join(tmpdir(), 'zf-cli-'));
    const file = join(dir, 'in.json');
    writeFileSync(file, JSON.stringify({ asOf: '2026-11-29', households: [good, badId, negative, backwards, unknownRegion] }));
    const r = run(['classify', '--input', file]);
    expect(r.status).toBe(1);
    const lines = r.stdout.trim().split('\n').map((l) => JSON.parse(l) as { id: string; ok: boolean; errors?: { field: string; message: string }[] });
    expect(lines.map((l) => l.ok)).toEqual([true, false, false, false, false]);
    // The copies also repeat the first household's persons, which is refused as well (one person, one household).
    expect(lines[1]!.errors).toContainEqual({ field: 'households[1].members[0].idNumber', message: 'check character does not match (MOD 11-2)' });
    expect(lines[2]!.errors![0]!.field).toBe('households[2].incomes[0].amountFen');
    expect(lines[3]!.errors).toContainEqual({ field: 'households[3].expenditures[0].periodEnd', message: 'ends before it starts' });
    expect(lines[4]!.errors).toContainEqual({ field: 'households[4].regionCode', message: 'unknown region code' });
    expect(r.stdout + r.stderr).not.toContain('330127197803040018');
    expect(r.stderr).toContain('4 household(s) could not be classified');
  });

  it('refuses a policy file with a bad value, naming the key', () => {
    const dir = mkdtempSync(join(tmpdir(), 'zf-policy-'));
    const file = join(dir, 'p.yaml');
    writeFileSync(file, readFileSync(join(import.meta.dirname, '../../policies/zhejiang.yaml'), 'utf8').replace('"2024-07-01": 1149', '"2024-07-01": -1149'));
    const r = run(['policy', 'check', '--policy', file]);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('parameters.dibao_standard.values.33.2024-07-01: must be at least 1');
  });
});

describe('zhongfu --version', () => {
  it('prints the package version', () => {
    const pkg = JSON.parse(readFileSync(join(import.meta.dirname, '../../package.json'), 'utf8')) as { version: string };
    const r = run(['--version']);
    expect(r.status).toBe(0);
    expect(r.stdout.trim()).toBe(pkg.version);
  });
});

describe('zhongfu serve --rate-limit', () => {
  it('refuses a limit that is not a whole number of requests per minute, before opening anything', () => {
    const dir = mkdtempSync(join(tmpdir(), 'zf-rate-'));
    const r = run(['serve', '--rate-limit', '-5', '--data-dir', join(dir, 'data')]);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('--rate-limit: must be a whole number of requests per minute (0 = off)');
  });
});

describe('zhongfu indices --input', () => {
  it('prints H, A, M0, M1, M2 and who is poor for the Alkire–Foster worked example', () => {
    const dir = mkdtempSync(join(tmpdir(), 'zf-af-'));
    const file = join(dir, 'af.json');
    writeFileSync(file, JSON.stringify({ achievements: [[13.1, 14, 4, 1], [15.2, 7, 5, 0], [12.5, 10, 1, 0], [20, 11, 3, 1]], cutoffs: [13, 12, 3, 1], k: 2 }));
    const r = run(['indices', '--input', file]);
    expect(r.status).toBe(0);
    const out = JSON.parse(r.stdout) as { H: number; A: number; M0: number; poor: boolean[] };
    expect(out).toMatchObject({ H: 0.5, A: 0.75, M0: 0.375, poor: [false, true, true, false] });
  });
  it('names the field of a bad matrix', () => {
    const dir = mkdtempSync(join(tmpdir(), 'zf-af-'));
    const file = join(dir, 'af.json');
    writeFileSync(file, JSON.stringify({ achievements: [[1, 2]], cutoffs: [1], k: 1 }));
    const r = run(['indices', '--input', file]);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('achievements[0]: has 2 values for 1 dimensions');
  });
});

describe('zhongfu feed', () => {
  it('refuses a feed naming each bad row and field, never the ID number, and applies nothing', () => {
    const dir = mkdtempSync(join(tmpdir(), 'zf-feed-'));
    const file = join(dir, 'feed.jsonl');
    const unknown = '11010519491231002X';
    writeFileSync(file, [
      JSON.stringify({ recordId: 'e1', kind: 'fire', idNumber: unknown, occurredOn: '2026-11-01' }),
      '',
      JSON.stringify({ recordId: 'e2', kind: 'flood', idNumber: unknown, occurredOn: '2026-11-01' }),
    ].join('\n'));
    const r = run(['feed', '--input', file, '--source', 'emergency', '--data-dir', join(dir, 'db')]);
    expect(r.status).not.toBe(0);
    expect(r.stderr).toContain('row 2: kind: must be one of');
    expect(r.stderr).toContain('nothing was applied');
    expect(r.stderr + r.stdout).not.toContain(unknown);
  }, 60_000);
});
