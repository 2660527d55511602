/** Calendar dates as ISO `YYYY-MM-DD` strings, computed in UTC days so no time zone can shift them. */

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const MS_PER_DAY = 86_400_000;

/** True when `s` is a real calendar date in `YYYY-MM-DD` form (2023-02-29 is not). */
export function isIsoDate(s: string): boolean {
  const m = ISO_DATE.exec(s);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const t = new Date(Date.UTC(y, mo - 1, d));
  return t.getUTCFullYear() === y && t.getUTCMonth() === mo - 1 && t.getUTCDate() === d;
}

// Registry data repeats the same few thousand dates (month starts and ends) millions of times.
const dayCache = new Map<string, number>();

/** Days since 1970-01-01 for an ISO date. */
export function dayNumber(iso: string): number {
  const hit = dayCache.get(iso);
  if (hit !== undefined) return hit;
  const m = ISO_DATE.exec(iso);
  if (!m) throw new RangeError('not an ISO date (YYYY-MM-DD)');
  const day = Math.round(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])) / MS_PER_DAY);
  if (dayCache.size > 200_000) dayCache.clear();
  dayCache.set(iso, day);
  return day;
}

/** ISO date of a day number. */
export function fromDayNumber(day: number): string {
  return new Date(day * MS_PER_DAY).toISOString().slice(0, 10);
}

/** The date `months` calendar months after `iso` (negative goes back); the day is clamped to the month's end. */
export function addMonths(iso: string, months: number): string {
  const [y, m, d] = iso.split('-').map(Number) as [number, number, number];
  const total = y * 12 + (m - 1) + months;
  const ny = Math.floor(total / 12);
  const nm = total - ny * 12;
  const lastDay = new Date(Date.UTC(ny, nm + 1, 0)).getUTCDate();
  return fromDayNumber(Math.round(Date.UTC(ny, nm, Math.min(d, lastDay)) / MS_PER_DAY));
}

/** Number of days in the closed interval [start, end]; 0 when end < start. */
export function daysInclusive(start: string, end: string): number {
  return Math.max(0, dayNumber(end) - dayNumber(start) + 1);
}

/** Days shared by two closed intervals given as day numbers. */
export function overlapDays(aStart: number, aEnd: number, bStart: number, bEnd: number): number {
  return Math.max(0, Math.min(aEnd, bEnd) - Math.max(aStart, bStart) + 1);
}

/** Full years between a birth date and a date. */
export function fullYears(birthDate: string, on: string): number {
  // ISO dates (YYYY-MM-DD): the year difference, less one when the month-day is not yet reached
  // (compared as strings, no parsing of the month and day).
  const years = Number(on.slice(0, 4)) - Number(birthDate.slice(0, 4));
  return on.slice(5) < birthDate.slice(5) ? years - 1 : years;
}
