/**
 * The web app's reading of an event-feed file (JSON Lines or CSV) and the masking of ID numbers
 * on the feed page. A unit test of browser code that needs no browser: it runs with `npm run
 * test:unit`, beside the browser journey that uses the same page.
 */
import { describe, expect, it } from 'vitest';
import { cellText, csvRecords, decodeFeedBytes, formatOf, maskIdNumber, maskIdsIn, MAX_FEED_ROWS, parseFeedText, splitIssueField } from '../../web/src/feeds/feedFile.js';

const ID = '33010619900101123X';

describe('reading a JSON Lines feed', () => {
  it('numbers rows as the server does, skipping blank lines, and keeps each row’s file line', () => {
    const text = `\uFEFF{"recordId":"a","kind":"fire"}\r\n\r\n  \n{"recordId":"b","kind":"death"}\n`;
    const p = parseFeedText(text, 'jsonl');
    expect(p.problems).toEqual([]);
    expect(p.rows.map((r) => [r.row, r.line])).toEqual([
      [1, 1],
      [2, 4],
    ]);
    expect(p.rows[1]!.value).toEqual({ recordId: 'b', kind: 'death' });
  });

  it('names every line that is not a JSON object, and keeps no rows to send', () => {
    const p = parseFeedText('{"a":1}\n{"a": oops\n[1,2]\n42\n', 'jsonl');
    expect(p.problems).toEqual([
      { kind: 'notJson', line: 2 },
      { kind: 'notObject', line: 3 },
      { kind: 'notObject', line: 4 },
    ]);
  });

  it('refuses an empty file and one over the server’s limit', () => {
    expect(parseFeedText('\n \n', 'jsonl').problems).toEqual([{ kind: 'empty' }]);
    const many = Array.from({ length: MAX_FEED_ROWS + 1 }, (_, i) => `{"recordId":"r${i}"}`).join('\n');
    expect(parseFeedText(many, 'jsonl').problems).toEqual([{ kind: 'tooMany', rows: MAX_FEED_ROWS + 1, max: MAX_FEED_ROWS }]);
  });
});

describe('reading a CSV feed', () => {
  it('maps the header (any order and case) to fields; a grade becomes a number, an empty one is left out', () => {
    const text = `kind,RecordId,idNumber,occurredOn,disabilityGrade\r\ndisability,r1,${ID},2026-11-01,2\r\n"fire","r,2",${ID},2026-11-02,\r\n`;
    const p = parseFeedText(text, 'csv');
    expect(p.problems).toEqual([]);
    expect(p.rows).toEqual([
      { row: 1, line: 2, value: { kind: 'disability', recordId: 'r1', idNumber: ID, occurredOn: '2026-11-01', disabilityGrade: 2 } },
      { row: 2, line: 3, value: { kind: 'fire', recordId: 'r,2', idNumber: ID, occurredOn: '2026-11-02' } },
    ]);
  });

  it('names a row with the wrong number of columns by its line', () => {
    const p = parseFeedText(`recordId,kind,idNumber,occurredOn\nr1,fire,${ID},2026-11-01\nr2,fire,${ID}\n`, 'csv');
    expect(p.problems).toEqual([{ kind: 'columnCount', line: 3, expected: 4, found: 3 }]);
  });

  it('refuses a header with a missing, unknown or repeated column', () => {
    expect(parseFeedText('recordId,kind,idNumber\nr1,fire,x\n', 'csv').problems).toEqual([{ kind: 'missingColumn', line: 1, column: 'occurredOn' }]);
    expect(parseFeedText('recordId,kind,idNumber,occurredOn,name\n', 'csv').problems).toEqual([{ kind: 'unknownColumn', line: 1, column: 'name' }]);
    expect(parseFeedText('recordId,kind,kind,idNumber,occurredOn\n', 'csv').problems).toEqual([{ kind: 'duplicateColumn', line: 1, column: 'kind' }]);
  });

  it('reads quoted fields with doubled quotes and line breaks, and reports a quote left open', () => {
    expect(csvRecords('a,"b ""x""\nc",d\ne\n').records).toEqual([
      { line: 1, fields: ['a', 'b "x"\nc', 'd'] },
      { line: 3, fields: ['e'] },
    ]);
    expect(parseFeedText(`recordId,kind,idNumber,occurredOn\n"r1,fire,${ID},2026-11-01\n`, 'csv').problems).toEqual([{ kind: 'unclosedQuote', line: 2 }]);
  });

  it('decodes UTF-8 with a byte-order mark, and GB 18030 when the bytes are not UTF-8', () => {
    expect(decodeFeedBytes(new Uint8Array([0xef, 0xbb, 0xbf, 0x61]))).toBe('a');
    expect(decodeFeedBytes(new Uint8Array([0xc4, 0xe3, 0xba, 0xc3]))).toBe('你好');
  });

  it('tells the format by the file name', () => {
    expect([formatOf('a.JSONL'), formatOf('b.ndjson'), formatOf('c.csv'), formatOf('d.xlsx')]).toEqual(['jsonl', 'jsonl', 'csv', null]);
  });
});

describe('ID numbers on the feed page', () => {
  it('shows only the first six characters and the last', () => {
    expect(maskIdNumber(ID)).toBe('330106***********X');
    expect(maskIdNumber('1234567')).toBe('*******');
  });

  it('masks ID numbers inside any other text shown from a row', () => {
    expect(maskIdsIn(`rec-${ID}-1`)).toBe('rec-330106***********X-1');
    expect(cellText({ note: ID })).not.toContain(ID);
    expect(cellText(undefined)).toBe('');
    expect(cellText(3)).toBe('3');
  });

  it('splits a server issue’s field into the row and the field name', () => {
    expect(splitIssueField('rows[12].occurredOn')).toEqual({ row: 12, name: 'occurredOn' });
    expect(splitIssueField('rows[3].(row)')).toEqual({ row: 3, name: '(row)' });
    expect(splitIssueField('rows[4]')).toEqual({ row: 4, name: '(row)' });
    expect(splitIssueField('source')).toEqual({ row: null, name: 'source' });
  });
});
