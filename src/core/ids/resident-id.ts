/**
 * Citizen identity numbers (公民身份号码) under GB 11643-1999: 18 characters =
 * 6-digit address code (GB/T 2260 county-level code) + 8-digit birth date YYYYMMDD (GB/T 7408)
 * + 3-digit sequence (odd for men, even for women) + 1 check character (ISO 7064 MOD 11-2).
 *
 * Error messages never contain the number or any part of it: an ID number is personal data
 * and error text ends up in logs.
 */
import { isKnownCountyCode } from '../regions/index.js';

/** Weights W_i = 2^(17-i) mod 11 for positions 1..17 (GB 11643-1999, ISO 7064 MOD 11-2). */
const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2] as const;
/**
 * Check character indexed by (Σ a_i × W_i) mod 11: the a_18 that makes the full weighted sum
 * ≡ 1 (mod 11); a check value of 10 is written 'X' (GB 11643-1999).
 */
const CHECK_CHARS = '10X98765432';

/**
 * Earliest birth date accepted. GB 11643 itself sets no lower bound (its own example
 * 440524188001010014 is born in 1880), but nobody born before 1900 can still be a living
 * applicant, so anything earlier is treated as a typing error.
 */
export const EARLIEST_BIRTH_DATE = '1900-01-01';

export type ResidentIdError = 'FORMAT' | 'CHECK_CHAR' | 'REGION' | 'BIRTH_DATE';

export interface ResidentId {
  /** The number with the check character upper-cased ('x' → 'X'). */
  idNumber: string;
  /** The 6-digit address code. */
  regionCode: string;
  /** ISO date YYYY-MM-DD. */
  birthDate: string;
  sex: 'M' | 'F';
  /** The 3-digit sequence code (positions 15–17). */
  sequence: string;
}

export interface ParseResidentIdOptions {
  /** Address-code check; defaults to the nationwide GB/T 2260 check isKnownCountyCode. */
  isKnownRegion?: (code6: string) => boolean;
  /** Reference date YYYY-MM-DD; the birth date must not be after it. Defaults to today in China (UTC+8). */
  today?: string;
}

export type ParseResidentIdResult =
  | { ok: true; value: ResidentId }
  | { ok: false; error: ResidentIdError; message: string };

/**
 * The ISO 7064 MOD 11-2 check character for the first 17 digits of a resident ID number.
 * Throws a RangeError when the input is not exactly 17 digits.
 */
export function residentIdCheckChar(first17: string): string {
  if (!/^\d{17}$/.test(first17)) throw new RangeError('residentIdCheckChar expects exactly 17 digits');
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(first17[i]) * WEIGHTS[i]!;
  return CHECK_CHARS[sum % 11]!;
}

/**
 * Parses and validates an 18-character resident ID number: format, check character, birth date
 * (a real calendar date between EARLIEST_BIRTH_DATE and `today`) and address code, in that order
 * (intrinsic checks before the reference-data lookup). Lower-case 'x' is accepted.
 * 15-digit first-generation numbers are rejected with FORMAT.
 */
export function parseResidentId(id: string, options: ParseResidentIdOptions = {}): ParseResidentIdResult {
  const fail = (error: ResidentIdError, message: string): ParseResidentIdResult => ({ ok: false, error, message });
  if (typeof id !== 'string') return fail('FORMAT', 'resident ID number must be a string');
  if (/^\d{15}$/.test(id)) {
    return fail('FORMAT', 'only 18-character resident ID numbers are accepted (15-digit first-generation numbers are not)');
  }
  if (!/^\d{17}[\dXx]$/.test(id)) {
    return fail('FORMAT', `resident ID number must be 17 digits followed by a digit or X (got ${id.length} characters)`);
  }
  const idNumber = id.toUpperCase();
  if (residentIdCheckChar(idNumber.slice(0, 17)) !== idNumber[17]) {
    return fail('CHECK_CHAR', 'check character does not match (MOD 11-2)');
  }

  const birthDate = `${idNumber.slice(6, 10)}-${idNumber.slice(10, 12)}-${idNumber.slice(12, 14)}`;
  if (!isCalendarDate(birthDate)) return fail('BIRTH_DATE', 'birth date is not a real calendar date');
  if (birthDate < EARLIEST_BIRTH_DATE) return fail('BIRTH_DATE', `birth date is before ${EARLIEST_BIRTH_DATE}`);
  const today = options.today ?? todayInChina();
  if (!isCalendarDate(today)) throw new RangeError('options.today must be a calendar date YYYY-MM-DD');
  if (birthDate > today) return fail('BIRTH_DATE', 'birth date is in the future');

  const regionCode = idNumber.slice(0, 6);
  const isKnownRegion = options.isKnownRegion ?? isKnownCountyCode;
  if (!isKnownRegion(regionCode)) return fail('REGION', 'address code is not a known GB/T 2260 county-level code');

  const sequence = idNumber.slice(14, 17);
  // GB 11643-1999 (sequence code): odd sequence codes are assigned to men, even ones to women.
  const sex = Number(sequence) % 2 === 1 ? 'M' : 'F';
  return { ok: true, value: { idNumber, regionCode, birthDate, sex, sequence } };
}

/** True when parseResidentId accepts the number. */
export function isValidResidentId(id: string, options?: ParseResidentIdOptions): boolean {
  return parseResidentId(id, options).ok;
}

/**
 * Builds a well-formed resident ID number (used by the demo-data generator): the address code,
 * the birth date, the 3-digit sequence (odd → male, even → female) and its check character.
 * It does not check the address code against GB/T 2260; pass a real one.
 * Throws a RangeError on malformed input.
 */
export function makeResidentId(regionCode6: string, birthDate: string, sequence: number): string {
  if (!/^\d{6}$/.test(regionCode6)) throw new RangeError('makeResidentId: region code must be 6 digits');
  if (!isCalendarDate(birthDate)) throw new RangeError('makeResidentId: birth date must be a calendar date YYYY-MM-DD');
  if (!Number.isInteger(sequence) || sequence < 0 || sequence > 999) {
    throw new RangeError('makeResidentId: sequence must be an integer 0..999');
  }
  const first17 = regionCode6 + birthDate.replaceAll('-', '') + String(sequence).padStart(3, '0');
  return first17 + residentIdCheckChar(first17);
}

/**
 * Age in full years on `date` for someone born on `birthDate` (both YYYY-MM-DD). The age goes up
 * on the birthday itself; for a 29 February birthday it goes up on 1 March in common years.
 * Throws a RangeError for malformed dates or when `date` is before `birthDate`.
 */
export function ageOn(birthDate: string, date: string): number {
  if (!isCalendarDate(birthDate) || !isCalendarDate(date)) throw new RangeError('ageOn expects calendar dates YYYY-MM-DD');
  if (date < birthDate) throw new RangeError('ageOn: date is before the birth date');
  const years = Number(date.slice(0, 4)) - Number(birthDate.slice(0, 4));
  // Same-format MM-DD strings compare correctly as text.
  return date.slice(5) < birthDate.slice(5) ? years - 1 : years;
}

/** True for a real proleptic-Gregorian date written YYYY-MM-DD (years 0001–9999). */
export function isCalendarDate(value: string): boolean {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (match === null) return false;
  const year = Number(match[1]);
  const month = Number(match[2]);
  const day = Number(match[3]);
  if (year < 1 || month < 1 || month > 12 || day < 1) return false;
  return day <= daysInMonth(year, month);
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return isLeapYear(year) ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}

function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

/** Today's date in China Standard Time (UTC+8, no daylight saving), as YYYY-MM-DD. */
function todayInChina(): string {
  return new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10);
}
