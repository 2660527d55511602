import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { makeResidentId } from '../ids/index.js';
import { NULL_LEVEL, prepareColumn, type ComparatorSpec } from './comparators.js';

/** Value generators per comparator, with empty values (missing) mixed in. */
const SPECS: [ComparatorSpec, fc.Arbitrary<string>][] = [
  [{ comparator: 'exact' }, fc.constantFrom('nsw', 'NSW', 'vic', ' qld ', '')],
  [{ comparator: 'jaroWinkler', thresholds: [0.92, 0.8] }, fc.string({ unit: fc.constantFrom('a', 'b', 'n', 'm'), maxLength: 7 })],
  [{ comparator: 'levenshtein', thresholds: [1, 2] }, fc.string({ unit: fc.constantFrom('a', 'b', 'c'), maxLength: 6 })],
  [{ comparator: 'damerau', thresholds: [1, 3] }, fc.string({ unit: fc.constantFrom('1', '2', '3'), maxLength: 7 })],
  [{ comparator: 'date', format: 'auto', withinDays: 10 }, fc.constantFrom('19560409', '1956-09-04', '19560419', '19650409', '19561231', '19560931', 'n/a', '')],
  [{ comparator: 'residentId' }, fc.constantFrom(makeResidentId('330106', '1978-03-04', 1), makeResidentId('330106', '1978-03-04', 3), '330106197803040010', '330106780304001', '')],
  [{ comparator: 'chineseName' }, fc.constantFrom('张伟', '章伟', '張偉先生', 'Zhang Wei', 'CHAN Tai Man; Peter', 'Peter Chan', '陳大文', '')],
  [{ comparator: 'number', thresholds: [1, 5] }, fc.constantFrom('1', '2', '4.5', '10', '1,000', 'x', '')],
  [{ comparator: 'postcode', prefixLengths: [2, 3] }, fc.constantFrom('2119', '2191', '2118', '2100', '3165', '')],
];

describe('comparators', () => {
  for (const [spec, value] of SPECS) {
    it(`${spec.comparator}: symmetric, identity = top level, levels in range, missing = null level`, () => {
      fc.assert(
        fc.property(fc.array(value, { minLength: 2, maxLength: 12 }), (values) => {
          const col = prepareColumn(spec, values.map((v) => (v === '' ? null : v)));
          const top = col.levels.length - 1;
          expect(col.levels[0]).toBe('else');
          expect(col.levels[top]).toBe('exact');
          const n = values.length;
          const left = new Uint32Array(n * n);
          const right = new Uint32Array(n * n);
          for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) [left[i * n + j], right[i * n + j]] = [i, j];
          const out = new Uint8Array(n * n);
          col.levelsInto(left, right, out);
          for (let i = 0; i < n; i++) {
            const missing = col.tfKey(i) === null;
            for (let j = 0; j < n; j++) {
              const l = out[i * n + j]!;
              expect(l).toBe(col.level(i, j));
              expect(l).toBe(out[j * n + i]);
              if (missing || col.tfKey(j) === null) expect(l).toBe(NULL_LEVEL);
              else {
                expect(l).toBeLessThanOrEqual(top);
                expect(l === top).toBe(col.tfKey(i) === col.tfKey(j));
              }
            }
            if (!missing) expect(col.level(i, i)).toBe(top);
          }
        }),
        { numRuns: 200 },
      );
    });
  }
  it('reports values it cannot read (they count as missing)', () => {
    const col = prepareColumn({ comparator: 'date', format: 'YYYYMMDD' }, ['19560409', 'unknown', null, '1956-04-09']);
    expect(col.unreadable).toEqual([1, 3]);
    expect(col.level(0, 1)).toBe(NULL_LEVEL);
  });
});
