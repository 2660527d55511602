import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { addMonths, dayNumber, daysInclusive, fromDayNumber, fullYears, isIsoDate } from './dates.js';

describe('dates', () => {
  it('recognises real calendar dates only', () => {
    expect(isIsoDate('2024-02-29')).toBe(true);
    expect(isIsoDate('2023-02-29')).toBe(false);
    expect(isIsoDate('1900-02-29')).toBe(false);
    expect(isIsoDate('2000-02-29')).toBe(true);
    expect(isIsoDate('2024-13-01')).toBe(false);
    expect(isIsoDate('2024-1-01')).toBe(false);
  });
  it('adds months clamping to the month end', () => {
    expect(addMonths('2024-01-31', 1)).toBe('2024-02-29');
    expect(addMonths('2024-03-31', -1)).toBe('2024-02-29');
    expect(addMonths('2024-12-01', -12)).toBe('2023-12-01');
    expect(addMonths('2024-01-15', 13)).toBe('2025-02-15');
  });
  it('counts inclusive days', () => {
    expect(daysInclusive('2024-01-01', '2024-12-31')).toBe(366);
    expect(daysInclusive('2024-01-02', '2024-01-01')).toBe(0);
  });
  it('computes full years at birthdays', () => {
    expect(fullYears('1964-11-29', '2024-11-28')).toBe(59);
    expect(fullYears('1964-11-29', '2024-11-29')).toBe(60);
  });
  it('round-trips day numbers', () => {
    fc.assert(fc.property(fc.integer({ min: -25_000, max: 60_000 }), (n) => dayNumber(fromDayNumber(n)) === n));
  });
});

describe('fullYears agrees with a field-by-field count', () => {
  it('property: for any two ISO dates', () => {
    const iso = fc.date({ min: new Date('1900-01-01T00:00:00Z'), max: new Date('2100-12-31T00:00:00Z'), noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10));
    fc.assert(
      fc.property(iso, iso, (b, o) => {
        const [by, bm, bd] = b.split('-').map(Number) as [number, number, number];
        const [y, m, d] = o.split('-').map(Number) as [number, number, number];
        return fullYears(b, o) === y - by - (m < bm || (m === bm && d < bd) ? 1 : 0);
      }),
      { numRuns: 2000 },
    );
  });
});
