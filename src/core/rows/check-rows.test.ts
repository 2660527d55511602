import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { checkRows } from './check-rows.js';

const FIELDS = new Set(['recordId', 'n']);
const check = (o: Record<string, unknown>, add: (field: string, message: string) => void, row: number) => {
  if (typeof o.n !== 'number') add('n', 'must be a number');
  return () => ({ row, recordId: o.recordId as string, n: o.n as number });
};

describe('checkRows', () => {
  it('returns every value when every row passed', () => {
    expect(checkRows([{ recordId: 'a', n: 1 }, { recordId: 'b', n: 2 }], FIELDS, 'a test row', check)).toEqual({
      values: [{ row: 1, recordId: 'a', n: 1 }, { row: 2, recordId: 'b', n: 2 }],
      issues: [],
    });
  });

  it('names each problem by row and field, and returns no value then', () => {
    const r = checkRows([{ recordId: 'a', n: 1 }, [], { recordId: 'a', n: 'x', colour: 1 }, { recordId: ' ', n: 3 }], FIELDS, 'a test row', check);
    expect(r.values).toEqual([]);
    expect(r.issues).toEqual([
      { row: 2, field: '(row)', message: 'must be an object' },
      { row: 3, field: 'colour', message: 'is not a field of a test row' },
      { row: 3, field: 'recordId', message: 'repeats row 1' },
      { row: 3, field: 'n', message: 'must be a number' },
      { row: 4, field: 'recordId', message: 'must be 1–64 printable characters' },
    ]);
  });

  it('never throws, and returns values exactly when there is no issue', () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(fc.anything(), fc.record({ recordId: fc.string(), n: fc.oneof(fc.integer(), fc.string()) }))), (rows) => {
        const r = checkRows(rows, FIELDS, 'a test row', check);
        expect(r.values.length === 0 || r.issues.length === 0).toBe(true);
        if (r.issues.length === 0) expect(r.values.length).toBe(rows.length);
        for (const x of r.issues) expect(x.row >= 1 && x.row <= rows.length).toBe(true);
      }),
      { numRuns: 300 },
    );
  });
});
