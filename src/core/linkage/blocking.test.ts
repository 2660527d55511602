import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { computeRuleKeys, generateCandidatePairs, keyParts, type BlockingRuleSpec } from './blocking.js';

/** Every pair that shares an enabled key under some rule, by brute force. */
function bruteForce(columns: Map<string, (string | null)[]>, rules: BlockingRuleSpec[], n: number, nLeft: number, cap: number): Set<string> {
  const out = new Set<string>();
  const keysPerRule = rules.map((r) => {
    const perRecord: string[][] = [];
    for (let i = 0; i < n; i++) {
      let combos = [''];
      r.keys.forEach((k, j) => {
        const parts = keyParts(k, columns.get(k.column)![i] ?? null).filter((p) => p !== '');
        combos = j === 0 ? parts : combos.flatMap((c) => parts.map((p) => `${c}\u0001${p}`));
      });
      perRecord.push([...new Set(combos)]);
    }
    const size = new Map<string, number>();
    for (const ks of perRecord) for (const k of ks) size.set(k, (size.get(k) ?? 0) + 1);
    return perRecord.map((ks) => ks.filter((k) => size.get(k)! <= cap));
  });
  for (let a = 0; a < n; a++) {
    for (let b = a + 1; b < n; b++) {
      if (nLeft < n && (a < nLeft) === (b < nLeft)) continue;
      if (keysPerRule.some((ks) => ks[a]!.some((k) => ks[b]!.includes(k)))) out.add(`${a}-${b}`);
    }
  }
  return out;
}

describe('blocking', () => {
  it('key transforms', () => {
    expect(keyParts({ column: 'x', transform: 'prefix', length: 3 }, ' Smithson ')).toEqual(['smi']);
    expect(keyParts({ column: 'x', transform: 'soundex' }, 'Robert')).toEqual(['R163']);
    expect(keyParts({ column: 'x', transform: 'year' }, '19560409')).toEqual(['1956']);
    expect(keyParts({ column: 'x', transform: 'pinyin' }, '章伟')).toEqual(['zhangwei']);
    expect(keyParts({ column: 'x', transform: 'pinyin' }, '張偉先生')).toEqual(['zhangwei']);
    expect(keyParts({ column: 'x', transform: 'givenName' }, '欧阳娜娜')).toEqual(['nana']);
    expect(keyParts({ column: 'x', transform: 'givenName' }, 'CHAN Wing Yan; Thomas')).toEqual(['wingyan', 'thomas']);
    expect(keyParts({ column: 'x', transform: 'surname' }, '陳大文')).toEqual(['can', 'chan', 'chen', '陈']);
    expect(keyParts({ column: 'x' }, null)).toEqual([]);
  });

  it('each pair once, with the rules that share a key in its mask, skipping and reporting huge buckets', () => {
    const columns = new Map<string, (string | null)[]>([
      ['pc', ['1000', '1000', '1000', '2000', '2000', null]],
      ['name', ['ann', 'ann', 'bob', 'bob', 'ann', 'ann']],
    ]);
    const rules = [
      { name: 'pc', keys: [{ column: 'pc' }] },
      { name: 'name', keys: [{ column: 'name' }] },
    ];
    const keys = rules.map((r) => computeRuleKeys(r, r.name, columns, 6));
    const { pairs, report } = generateCandidatePairs(keys, 6, 6, 3);
    const got = Array.from({ length: pairs.count }, (_, p) => `${pairs.left[p]}-${pairs.right[p]}:${pairs.ruleMask[p]}`);
    // "ann" has 4 records > cap 3: skipped, so 0-1 comes from the postcode rule only.
    expect(got.sort()).toEqual(['0-1:1', '0-2:1', '1-2:1', '2-3:2', '3-4:1'].sort());
    expect(report.rules[1]).toMatchObject({ cappedBuckets: 1, recordsInCappedBuckets: 4, newPairs: 1 });
    expect(report.candidatePairs).toBe(5);
  });

  it('property: the union equals brute force, without duplicates, for dedupe and link, single- and multi-valued keys', () => {
    const value = fc.option(fc.constantFrom('陈', '陳', 'Chan', '王', 'Wong', '黄', 'a', 'b'), { nil: null });
    fc.assert(
      fc.property(fc.array(fc.tuple(value, value), { minLength: 2, maxLength: 25 }), fc.integer({ min: 0, max: 25 }), fc.integer({ min: 2, max: 8 }), (recs, split, cap) => {
        const n = recs.length;
        const nLeft = Math.min(split, n);
        const columns = new Map<string, (string | null)[]>([
          ['a', recs.map((r) => r[0])],
          ['b', recs.map((r) => r[1])],
        ]);
        const rules: BlockingRuleSpec[] = [
          { name: 'a', keys: [{ column: 'a' }] },
          { name: 'surname', keys: [{ column: 'b', transform: 'surname' }] },
          { name: 'a+b', keys: [{ column: 'a', transform: 'surname' }, { column: 'b' }] },
        ];
        const keys = rules.map((r) => computeRuleKeys(r, r.name ?? '', columns, n));
        const { pairs } = generateCandidatePairs(keys, n, nLeft === 0 ? n : nLeft, cap);
        const got = Array.from({ length: pairs.count }, (_, p) => `${pairs.left[p]}-${pairs.right[p]}`);
        expect(new Set(got).size).toBe(got.length);
        expect(new Set(got)).toEqual(bruteForce(columns, rules, n, nLeft === 0 ? n : nLeft, cap));
      }),
      { numRuns: 300 },
    );
  });
});
