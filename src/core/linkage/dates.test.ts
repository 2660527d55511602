import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { DateComparison, dayNumber, parseLinkDate } from './dates.js';

describe('reading dates', () => {
  it('reads the declared layouts and keeps impossible dates as digits', () => {
    expect(parseLinkDate('19560409', 'YYYYMMDD')).toMatchObject({ digits: '19560409', year: 1956, month: 4, dayOfMonth: 9 });
    expect(parseLinkDate('1956-4-9')).toMatchObject({ digits: '19560409' });
    expect(parseLinkDate('09/04/1956', 'DD/MM/YYYY')).toMatchObject({ digits: '19560409' });
    expect(parseLinkDate('04/09/1956', 'MM/DD/YYYY')).toMatchObject({ digits: '19560409' });
    const impossible = parseLinkDate('19560931')!;
    expect(impossible.digits).toBe('19560931');
    expect(impossible.day).toBeNaN();
    expect(parseLinkDate('1956', 'YYYYMMDD')).toBeNull();
    expect(parseLinkDate('abc')).toBeNull();
  });
  it('day numbers: epoch, leap days', () => {
    expect(dayNumber(1970, 1, 1)).toBe(0);
    expect(dayNumber(2000, 3, 1) - dayNumber(2000, 2, 28)).toBe(2);
    expect(dayNumber(1900, 2, 29)).toBeNaN();
    expect(dayNumber(2026, 11, 29)).toBe(Date.UTC(2026, 10, 29) / 86_400_000);
  });
});

describe('date comparison', () => {
  const c = new DateComparison({ withinDays: 30 });
  const lv = (a: string, b: string): string => c.names[c.compare(parseLinkDate(a)!, parseLinkDate(b)!)]!;
  it('levels, from the top', () => {
    expect(c.names).toEqual(['else', 'same year', 'within 30 days', 'one typo', 'day/month swapped', 'exact']);
    expect(lv('19560409', '19560409')).toBe('exact');
    expect(lv('19560409', '19560904')).toBe('day/month swapped');
    expect(lv('19560409', '19650409')).toBe('one typo');
    expect(lv('19560931', '19560930')).toBe('one typo');
    expect(lv('19560409', '19560426')).toBe('within 30 days');
    expect(lv('19560409', '19561225')).toBe('same year');
    expect(lv('19560409', '19770101')).toBe('else');
  });
  it('levels can be switched off', () => {
    const strict = new DateComparison({ swap: false, typo: false, withinDays: 0, sameYear: false });
    expect(strict.names).toEqual(['else', 'exact']);
    expect(strict.compare(parseLinkDate('19560409')!, parseLinkDate('19560904')!)).toBe(0);
  });
  it('properties: symmetric, identity is exact, levels in range', () => {
    const date = fc.tuple(fc.integer({ min: 1900, max: 2030 }), fc.integer({ min: 1, max: 13 }), fc.integer({ min: 1, max: 31 }))
      .map(([y, m, d]) => parseLinkDate(`${y}${String(m).padStart(2, '0')}${String(d).padStart(2, '0')}`)!);
    fc.assert(
      fc.property(date, date, (a, b) => {
        const l = c.compare(a, b);
        expect(c.compare(b, a)).toBe(l);
        expect(c.compare(a, a)).toBe(c.names.length - 1);
        expect(l).toBeGreaterThanOrEqual(0);
        expect(l).toBeLessThan(c.names.length);
        if (a.digits !== b.digits) expect(l).toBeLessThan(c.names.length - 1);
      }),
      { numRuns: 2000 },
    );
  });
});
