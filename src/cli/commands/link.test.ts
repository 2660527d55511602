import { afterEach, describe, expect, it, vi } from 'vitest';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import { makeResidentId } from '../../core/ids/index.js';
import { registerLinkCommand } from './link.js';

const dir = mkdtempSync(join(tmpdir(), 'zf-link-'));
const config = join(dir, 'config.json');
writeFileSync(config, JSON.stringify({
  idColumn: 'id',
  fields: [
    { column: 'name', comparator: 'chineseName', tf: true },
    { column: 'idno', comparator: 'residentId' },
    { column: 'phone', comparator: 'damerau', thresholds: [1] },
  ],
  blocking: { rules: [{ keys: [{ column: 'name', transform: 'pinyin' }] }, { keys: [{ column: 'idno' }] }] },
  training: { randomPairs: 2000 },
}));

const SURNAMES = '王李张刘陈杨黄赵吴周';
const GIVEN = '伟芳娜敏静丽强磊军洋';
function people(): string {
  const lines = ['id,name,idno,phone,person'];
  for (let p = 0; p < 60; p++) {
    const name = SURNAMES[p % 10]! + GIVEN[Math.floor(p / 6) % 10]!;
    const idno = makeResidentId('330106', `19${40 + p}-03-0${1 + (p % 9)}`, p);
    const phone = `1380000${String(1000 + p)}`;
    lines.push(`a${p},${name},${idno},${phone},${p}`);
    if (p % 5 === 0) lines.push(`b${p},"${name.replace('张', '章')}先生",${idno},${phone},${p}`);
  }
  return `${lines.join('\n')}\n`;
}

async function link(args: string[]): Promise<{ out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  vi.spyOn(console, 'log').mockImplementation((...a: unknown[]) => void out.push(a.join(' ')));
  vi.spyOn(console, 'error').mockImplementation((...a: unknown[]) => void err.push(a.join(' ')));
  const program = new Command('zhongfu').exitOverride();
  registerLinkCommand(program);
  await program.parseAsync(['link', ...args], { from: 'user' });
  return { out: out.join('\n'), err: err.join('\n') };
}

afterEach(() => vi.restoreAllMocks());

describe('zhongfu link', () => {
  it('deduplicates a CSV file: summary, precision / recall / F1 with --truth, scored pairs as CSV', async () => {
    const input = join(dir, 'people.csv');
    writeFileSync(input, people());
    const pairsFile = join(dir, 'pairs.csv');
    const { out } = await link(['--left', input, '--config', config, '--truth', 'person', '--out', pairsFile, '--clusters', join(dir, 'clusters.csv')]);
    expect(out).toContain('deduplicated 72 records (people.csv)');
    expect(out).toMatch(/pairs with match probability ≥ 0\.5: 12\n/);
    expect(out).toContain('pairs:    precision 1.0000  recall 1.0000  F1 1.0000');
    const rows = readFileSync(pairsFile, 'utf8').trim().split('\n');
    expect(rows[0]).toBe('left_id,right_id,probability,match_weight,name_level,name_weight,idno_level,idno_weight,phone_level,phone_weight');
    expect(rows).toHaveLength(13);
    expect(rows[1]).toMatch(/^[ab]\d+,[ab]\d+,/);
    expect(readFileSync(join(dir, 'clusters.csv'), 'utf8').split('\n')[0]).toBe('id,side,cluster');
  });

  it('links two files', async () => {
    const [header, ...lines] = people().trim().split('\n');
    const left = join(dir, 'left.csv');
    const right = join(dir, 'right.csv');
    writeFileSync(left, [header, ...lines.filter((l) => l.startsWith('a'))].join('\n'));
    writeFileSync(right, [header, ...lines.filter((l) => l.startsWith('b'))].join('\n'));
    const { out } = await link(['--left', left, '--right', right, '--config', config, '--truth', 'person']);
    expect(out).toContain('linked 60 × 12 records (left.csv × right.csv)');
    expect(out).toContain('F1 1.0000');
  });

  it('names the row and column of bad rows and the key of a bad configuration, never a value', async () => {
    const bad = join(dir, 'bad.csv');
    writeFileSync(bad, 'id,name,idno,phone,person\na1,张伟,330106194003010018,13800001000,1\na2,"李娜,330106194003010026,13800001001,2\n');
    await expect(link(['--left', bad, '--config', config])).rejects.toThrow(/--left bad\.csv: row 2 \(line 3\), column "name": a quoted field is not closed/);
    await expect(link(['--left', bad, '--config', config])).rejects.not.toThrow(/李娜|330106|138000/);
    const badConfig = join(dir, 'bad-config.json');
    writeFileSync(badConfig, JSON.stringify({ fields: [{ column: 'name', comparator: 'soundalike' }], blocking: { rules: [] } }));
    await expect(link(['--left', bad, '--config', badConfig])).rejects.toThrow(/fields\[0\]\.comparator: unknown comparator "soundalike"[\s\S]*blocking\.rules: must be a list/);
  });
});
