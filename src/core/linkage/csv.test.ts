import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { formatCsvProblem, parseCsv } from './csv.js';

describe('CSV', () => {
  it('quotes, doubled quotes, delimiters and line breaks inside quotes, CRLF, BOM, blank lines', () => {
    const t = parseCsv('\ufeffid,name,note\r\n1,"Chan, Tai Man","said ""hi""\nthen left"\r\n\r\n2,王伟,\n');
    expect(t.header).toEqual(['id', 'name', 'note']);
    expect(t.rows).toEqual([
      ['1', 'Chan, Tai Man', 'said "hi"\nthen left'],
      ['2', '王伟', ''],
    ]);
    expect(t.rowNumbers).toEqual([1, 2]);
    expect(t.problems).toEqual([]);
  });
  it('trims blanks around unquoted fields when asked ("a, b, c" files such as FEBRL)', () => {
    expect(parseCsv('a, b, c\n1, x y , "z "', { trim: true }).rows).toEqual([['1', 'x y', 'z ']]);
    expect(parseCsv('a;b\n1;2', { delimiter: ';' }).rows).toEqual([['1', '2']]);
  });
  it('names the row, line and column of a bad row, never its content', () => {
    const t = parseCsv('id,name,phone\n1,张三,13800000000\n2,李四\n3,"王五\n');
    expect(t.rows).toHaveLength(1);
    expect(t.problems.map(formatCsvProblem)).toEqual([
      'row 2 (line 3): has 2 fields, the header has 3',
      'row 3 (line 4), column "name": a quoted field is not closed before the end of the file',
    ]);
    const after = parseCsv('id,name\n1,"张三"x\n');
    expect(formatCsvProblem(after.problems[0]!)).toBe('row 1 (line 2), column "name": characters after the closing quote of a quoted field');
    for (const p of [...t.problems, ...after.problems]) expect(formatCsvProblem(p)).not.toMatch(/张三|李四|王五|138/);
  });
  it('property: writing any table with quotes and reading it back gives the table', () => {
    const cell = fc.string({ unit: fc.constantFrom('a', ' ', ',', '"', '\n', '\r\n', '张'), maxLength: 6 });
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 4 }).chain((w) => fc.array(fc.array(cell, { minLength: w, maxLength: w }), { minLength: 1, maxLength: 5 })), (table) => {
        const header = table[0]!.map((_, i) => `c${i}`);
        const text = [header, ...table].map((r) => r.map((c) => `"${c.replaceAll('"', '""')}"`).join(',')).join('\n');
        const parsed = parseCsv(text);
        expect(parsed.problems).toEqual([]);
        expect(parsed.rows).toEqual(table);
      }),
    );
  });
});
