/**
 * Dates for record linkage: reading a date column in a declared layout, and comparing two
 * dates into agreement levels (exact, day and month swapped, one typing error, within N days,
 * same year). A value that is not a real calendar date is still compared as a digit string,
 * so a typing error such as 19560931 can still agree "with one typo" with 19560930.
 */
import { osaDistance } from './strings.js';

/** Layouts a date column may be declared in. `auto` accepts YYYYMMDD and YYYY-MM-DD (also with / or .). */
export const DATE_FORMATS = ['auto', 'YYYYMMDD', 'YYYY-MM-DD', 'DD/MM/YYYY', 'MM/DD/YYYY'] as const;
export type DateFormat = (typeof DATE_FORMATS)[number];

/** A date read from text: its 8 digits in YYYYMMDD order, and its day number when it is a real date. */
export interface LinkDate {
  /** YYYYMMDD digits, also when the date itself is impossible (month 13, 31 April…). */
  digits: string;
  /** Days since 1970-01-01, or NaN when the digits are not a real calendar date. */
  day: number;
  year: number;
  month: number;
  dayOfMonth: number;
}

/**
 * Reads a date in the given layout; null when the text does not have the layout at all
 * (wrong length, letters). A layout-conforming but impossible date keeps its digits, with day NaN.
 */
export function parseLinkDate(text: string, format: DateFormat = 'auto'): LinkDate | null {
  const parts = splitDate(text.trim(), format);
  if (parts === null) return null;
  const [y, mo, d] = parts;
  const year = Number(y);
  const month = Number(mo);
  const dayOfMonth = Number(d);
  return { digits: y + mo.padStart(2, '0') + d.padStart(2, '0'), day: dayNumber(year, month, dayOfMonth), year, month, dayOfMonth };
}

/** Year, month and day digit groups of a date in the given layout, or null. */
function splitDate(s: string, format: DateFormat): [string, string, string] | null {
  const ymd = (m: RegExpExecArray | null): [string, string, string] | null => (m === null ? null : [m[1]!, m[2]!, m[3]!]);
  switch (format) {
    case 'YYYYMMDD':
      return ymd(/^(\d{4})(\d{2})(\d{2})$/.exec(s));
    case 'YYYY-MM-DD':
      return ymd(/^(\d{4})-(\d{1,2})-(\d{1,2})$/.exec(s));
    case 'DD/MM/YYYY': {
      const m = /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$/.exec(s);
      return m === null ? null : [m[3]!, m[2]!, m[1]!];
    }
    case 'MM/DD/YYYY': {
      const m = /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$/.exec(s);
      return m === null ? null : [m[3]!, m[1]!, m[2]!];
    }
    case 'auto':
      return ymd(/^(\d{4})(\d{2})(\d{2})$/.exec(s) ?? /^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})$/.exec(s));
  }
}

/** Days since 1970-01-01 for a real proleptic-Gregorian date, NaN otherwise. */
export function dayNumber(year: number, month: number, day: number): number {
  if (!Number.isInteger(year) || year < 1 || year > 9999 || month < 1 || month > 12 || day < 1) return NaN;
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  const dim = month === 2 ? (leap ? 29 : 28) : month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
  if (day > dim) return NaN;
  // Days from civil (H. Hinnant's algorithm).
  const yy = month <= 2 ? year - 1 : year;
  const era = Math.floor(yy / 400);
  const yoe = yy - era * 400;
  const mp = (month + 9) % 12;
  const doy = Math.floor((153 * mp + 2) / 5) + day - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

/** Which date levels a comparison distinguishes; every one defaults to on (withinDays to 30). */
export interface DateLevelOptions {
  /** Day and month exchanged (03/04 vs 04/03), a common slip between conventions. */
  swap?: boolean;
  /** One substitution or adjacent transposition in the eight digits. */
  typo?: boolean;
  /** Within this many days (0 turns the level off). */
  withinDays?: number;
  /** Same year. */
  sameYear?: boolean;
}

/** The level names, ascending: index 0 is 'else', the last is 'exact'. */
export function dateLevelNames(o: DateLevelOptions = {}): string[] {
  const names = ['else'];
  if (o.sameYear ?? true) names.push('same year');
  if ((o.withinDays ?? 30) > 0) names.push(`within ${o.withinDays ?? 30} days`);
  if (o.typo ?? true) names.push('one typo');
  if (o.swap ?? true) names.push('day/month swapped');
  names.push('exact');
  return names;
}

/**
 * A date comparison with fixed options: `compare(a, b)` gives the level index into `names`,
 * checking from the top (exact, swapped, typo, within N days, same year) down.
 */
export class DateComparison {
  readonly names: readonly string[];
  private readonly swapLevel: number;
  private readonly typoLevel: number;
  private readonly withinLevel: number;
  private readonly yearLevel: number;
  private readonly withinDays: number;

  constructor(o: DateLevelOptions = {}) {
    this.names = dateLevelNames(o);
    this.withinDays = o.withinDays ?? 30;
    this.yearLevel = this.names.indexOf('same year');
    this.withinLevel = this.names.findIndex((n) => n.startsWith('within '));
    this.typoLevel = this.names.indexOf('one typo');
    this.swapLevel = this.names.indexOf('day/month swapped');
  }

  compare(a: LinkDate, b: LinkDate): number {
    if (a.digits === b.digits) return this.names.length - 1;
    if (this.swapLevel >= 0 && a.year === b.year && a.month === b.dayOfMonth && a.dayOfMonth === b.month) return this.swapLevel;
    if (this.typoLevel >= 0 && osaDistance(a.digits, b.digits, 1) <= 1) return this.typoLevel;
    if (this.withinLevel >= 0 && Math.abs(a.day - b.day) <= this.withinDays) return this.withinLevel;
    if (this.yearLevel >= 0 && a.year === b.year) return this.yearLevel;
    return 0;
  }
}
