import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { makeResidentId } from '../ids/resident-id.js';
import { FEED_EVENT_KINDS, parseFeedRows } from './event-feed.js';

const ID = makeResidentId('330106', '1960-05-04', 12);
const TODAY = '2026-11-29';
const row = (o: Record<string, unknown> = {}): Record<string, unknown> => ({ recordId: 'r1', kind: 'fire', idNumber: ID, occurredOn: '2026-11-20', ...o });

describe('event feed rows', () => {
  it('accepts every kind, with a grade only for a disability', () => {
    const rows = FEED_EVENT_KINDS.map((kind, i) => row({ recordId: `r${i}`, kind, ...(kind === 'disability' && { disabilityGrade: 2 }) }));
    const { events, issues } = parseFeedRows(rows, TODAY);
    expect(issues).toEqual([]);
    expect(events.map((e) => [e.row, e.kind, e.disabilityGrade])).toEqual(FEED_EVENT_KINDS.map((k, i) => [i + 1, k, k === 'disability' ? 2 : null]));
  });

  it('names the row and field of every problem, and never the value', () => {
    const bad = ID.slice(0, 17) + (ID[17] === '0' ? '1' : '0');
    const { events, issues } = parseFeedRows(
      [row(), row({ recordId: 'r1' }), row({ recordId: 'r3', idNumber: bad }), row({ recordId: 'r4', kind: 'flood' }), row({ recordId: 'r5', occurredOn: '2026-12-01' }),
        row({ recordId: 'r6', kind: 'disability' }), row({ recordId: 'r7', disabilityGrade: 1 }), row({ recordId: 'r8', name: '张三' }), 'x', row({ recordId: '', occurredOn: '2026-02-30' })],
      TODAY,
    );
    expect(events).toEqual([]);
    expect(issues.map((i) => [i.row, i.field])).toEqual([
      [2, 'recordId'], [3, 'idNumber'], [4, 'kind'], [5, 'occurredOn'], [6, 'disabilityGrade'], [7, 'disabilityGrade'], [8, 'name'], [9, '(row)'], [10, 'recordId'], [10, 'occurredOn'],
    ]);
    expect(issues[0]!.message).toBe('repeats row 1');
    for (const i of issues) expect(i.message).not.toContain(bad);
    expect(issues.map((i) => i.message).join()).not.toContain('张三');
  });

  it('property: any row with one field broken is refused and nothing is returned', () => {
    const breakers: [string, unknown][] = [['recordId', 5], ['kind', 'party'], ['idNumber', '330106196005041234X'], ['occurredOn', '20261120'], ['disabilityGrade', 3]];
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 30 }), fc.nat(), fc.constantFrom(...breakers), (n, at, [field, value]) => {
        const rows = Array.from({ length: n }, (_, i) => row({ recordId: `r${i}` }));
        const k = at % n;
        rows[k] = { ...rows[k], [field]: value };
        const { events, issues } = parseFeedRows(rows, TODAY);
        return events.length === 0 && issues.length >= 1 && issues.every((i) => i.row === k + 1 && i.field === field);
      }),
    );
  });
});
