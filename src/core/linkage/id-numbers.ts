/**
 * Comparing Chinese resident ID numbers (GB 11643-1999) for record linkage. The ISO 7064
 * MOD 11-2 check character detects every single substitution and every transposition of two
 * adjacent characters, so two numbers one such slip apart can never both be valid: when exactly
 * one of them passes the check, the other is very likely a typing error of it — a much stronger
 * signal than "one character differs" between two invalid numbers.
 */
import { residentIdCheckChar } from '../ids/index.js';

/** A resident ID number normalised for comparison. */
export interface LinkResidentId {
  /** 18 characters, X upper-cased; a 15-digit first-generation number is upgraded (below). */
  id: string;
  /** Passes the MOD 11-2 check (format and check character only: region and birth date are not judged). */
  valid: boolean;
}

/** Level names, ascending. */
export const RESIDENT_ID_LEVELS = ['else', 'one slip, neither valid', 'one slip, one valid (typo)', 'exact'] as const;

/**
 * Normalises a resident ID number: strips spaces and hyphens, upper-cases x, and upgrades a
 * 15-digit first-generation number to its 18-character form (century '19' inserted after the
 * address code, check character appended), as GB 11643-1999 prescribes, so the two forms of one
 * person's number agree exactly. Anything else that is not 18 characters is kept as it is and
 * marked invalid.
 */
export function normaliseResidentId(text: string): LinkResidentId {
  const s = text.replace(/[\s-]/g, '').toUpperCase();
  if (/^\d{15}$/.test(s)) {
    const first17 = s.slice(0, 6) + '19' + s.slice(6);
    return { id: first17 + residentIdCheckChar(first17), valid: true };
  }
  return { id: s, valid: isCheckValid(s) };
}

function isCheckValid(s: string): boolean {
  return s.length === 18 && /^\d{17}[\dX]$/.test(s) && residentIdCheckChar(s.slice(0, 17)) === s[17];
}

/**
 * True when a and b (same length) differ by exactly one substituted character or by one
 * transposition of two adjacent characters.
 */
export function oneSlipApart(a: string, b: string): boolean {
  const n = a.length;
  if (n !== b.length) return false;
  let i = 0;
  while (i < n && a.charCodeAt(i) === b.charCodeAt(i)) i++;
  if (i === n) return false;
  // Substitution at i: the rest agrees.
  let k = i + 1;
  while (k < n && a.charCodeAt(k) === b.charCodeAt(k)) k++;
  if (k === n) return true;
  // Adjacent transposition at i, i + 1: the rest agrees.
  if (k !== i + 1 || a.charCodeAt(i) !== b.charCodeAt(i + 1) || a.charCodeAt(i + 1) !== b.charCodeAt(i)) return false;
  for (k = i + 2; k < n; k++) if (a.charCodeAt(k) !== b.charCodeAt(k)) return false;
  return true;
}

/** The level (index into RESIDENT_ID_LEVELS) of two normalised numbers. */
export function compareResidentIds(a: LinkResidentId, b: LinkResidentId): number {
  if (a.id === b.id) return 3;
  if (!oneSlipApart(a.id, b.id)) return 0;
  return a.valid !== b.valid ? 2 : 1;
}
