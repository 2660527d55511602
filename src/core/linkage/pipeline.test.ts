import { describe, expect, it } from 'vitest';
import { makeResidentId } from '../ids/index.js';
import { NULL_LEVEL } from './comparators.js';
import { parseLinkConfig } from './config.js';
import { LinkInputError, runLinkage, type LinkTable } from './pipeline.js';

const rawConfig = {
  idColumn: 'id',
  fields: [
    { column: 'name', comparator: 'chineseName', tf: true },
    { column: 'idno', comparator: 'residentId' },
    { column: 'dob', comparator: 'date', format: 'YYYY-MM-DD' },
  ],
  blocking: { rules: [{ keys: [{ column: 'name', transform: 'pinyin' }] }, { keys: [{ column: 'idno' }] }] },
  training: { randomPairs: 5000 },
};
const config = parseLinkConfig(rawConfig);

/** 40 people, every fourth with a duplicate carrying a homophone, a traditional character or an ID typo. */
function people(): { table: LinkTable; truth: string[] } {
  const surnames = ['王', '李', '张', '陈', '周', '吴', '徐', '孙'];
  const given = ['伟', '芳', '娜', '敏', '静', '丽', '强', '磊', '军', '洋'];
  const rows: string[][] = [];
  const truth: string[] = [];
  for (let p = 0; p < 40; p++) {
    const name = surnames[p % 8]! + given[Math.floor(p / 4) % 10]!;
    const dob = `19${50 + p}-0${1 + (p % 9)}-1${p % 10}`;
    const idno = makeResidentId('330106', dob, p);
    rows.push([`a${p}`, name, idno, dob]);
    truth.push(String(p));
    if (p % 4 === 0) {
      const typo = `${idno.slice(0, 15)}${(Number(idno[15]) + 1) % 10}${idno.slice(16)}`;
      const variants = [name.replace('张', '章'), name.replace('陈', '陳'), name];
      rows.push([`b${p}`, variants[p % 3]!, p % 3 === 2 ? typo : idno, dob]);
      truth.push(String(p));
    }
  }
  return { table: { header: ['id', 'name', 'idno', 'dob', 'person'], rows: rows.map((r, i) => [...r, truth[i]!]) }, truth };
}

describe('linkage run', () => {
  it('deduplicates: finds the planted duplicates, explains each pair, clusters them', () => {
    const { table } = people();
    const run = runLinkage({ config, left: table, truth: { column: 'person' } });
    expect(run.mode).toBe('dedupe');
    expect(run.evaluation!.pairs.truePairs).toBe(10);
    expect(run.evaluation!.pairs.recall).toBe(1);
    expect(run.evaluation!.pairs.precision).toBe(1);
    expect(run.clusters.multiRecordClusters).toBe(10);
    for (let p = 0; p < run.pairs.count; p++) {
      const parts = run.explain(p);
      expect(parts.map((x) => x.field)).toEqual(['name', 'idno', 'dob']);
      expect(parts.reduce((s, x) => s + x.weight, 0)).toBeCloseTo(run.weight[p]!, 9);
      for (const [f, x] of parts.entries()) expect(x.level).toBe(run.levels[f]![p] === NULL_LEVEL ? null : run.levels[f]![p]);
    }
    // The ID typo pair is recognised as such.
    const typoPair = [...Array(run.pairs.count).keys()].find((p) => run.ids[run.pairs.left[p]!] === 'a8' || run.ids[run.pairs.right[p]!] === 'a8');
    expect(run.explain(typoPair!)[1]!.levelName).toBe('one slip, one valid (typo)');
  });

  it('trains from labels when the configuration names a label column; a fixed prior is used as given', () => {
    const { table } = people();
    const labelled = parseLinkConfig({ ...rawConfig, training: { randomPairs: 5000, labelColumn: 'person' } });
    const run = runLinkage({ config: labelled, left: table, truth: { column: 'person' } });
    expect(run.training.method).toBe('labels');
    expect(run.training.sessions).toEqual([]);
    // 10 labelled pairs among 50 · 49 / 2 pairs.
    expect(run.model.prior).toBeCloseTo(10 / 1225, 12);
    // Every labelled pair agrees on the birth date, so m(exact) is (10 + 0.5) / (10 + 0.5 · levels).
    const dob = run.model.fields[2]!;
    expect(dob.m[dob.m.length - 1]).toBeCloseTo(10.5 / (10 + 0.5 * dob.m.length), 12);
    expect(run.evaluation!.pairs.f1).toBe(1);
    const fixed = runLinkage({ config: parseLinkConfig({ ...rawConfig, prior: 0.001 }), left: table });
    expect(fixed.model.prior).toBe(0.001);
    expect(fixed.training.priorFixed).toBe(true);
  });

  it('links two files: only pairs across them', () => {
    const { table } = people();
    const left: LinkTable = { header: table.header, rows: table.rows.filter((r) => r[0]!.startsWith('a')) };
    const right: LinkTable = { header: table.header, rows: table.rows.filter((r) => r[0]!.startsWith('b')) };
    const run = runLinkage({ config, left, right, truth: { column: 'person' } });
    expect(run.mode).toBe('link');
    for (let p = 0; p < run.pairs.count; p++) {
      expect(run.pairs.left[p]!).toBeLessThan(run.nLeft);
      expect(run.pairs.right[p]!).toBeGreaterThanOrEqual(run.nLeft);
    }
    expect(run.evaluation!.pairs.f1).toBe(1);
  });

  it('refuses missing columns and duplicate ids naming the key and rows, never a value', () => {
    const { table } = people();
    const noDob: LinkTable = { header: ['id', 'name', 'idno', 'birth', 'person'], rows: table.rows };
    expect(() => runLinkage({ config, left: noDob })).toThrow(new LinkInputError(['fields[2].column: column "dob" is not in the header of the input file']));
    const dup: LinkTable = { header: table.header, rows: [...table.rows, table.rows[0]!] };
    try {
      runLinkage({ config, left: dup });
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(LinkInputError);
      expect((e as LinkInputError).problems).toEqual([`idColumn: input rows 1 and ${dup.rows.length} have the same id`]);
      expect((e as Error).message).not.toContain(table.rows[0]![1]!);
    }
  });
});
