/**
 * Server-side masking of personal data (PIPL art. 51; GB/T 35273-2020 去标识化 practice):
 * names keep the surname, ID numbers the region and the last four, phones the first three and last four.
 */

/** `张三` → `张*`, `欧阳娜娜` → `欧***`. */
export function maskName(name: string): string {
  const chars = Array.from(name.trim());
  if (chars.length === 0) return '';
  return chars[0]! + '*'.repeat(Math.max(1, chars.length - 1));
}

/** `330106198003041234` → `330106********1234`. */
export function maskIdNumber(id: string): string {
  if (id.length < 10) return '*'.repeat(id.length);
  return id.slice(0, 6) + '*'.repeat(id.length - 10) + id.slice(-4);
}

/** `13812345678` → `138****5678`. */
export function maskPhone(phone: string): string {
  const digits = phone.trim();
  if (digits.length < 7) return '*'.repeat(digits.length);
  return digits.slice(0, 3) + '*'.repeat(digits.length - 7) + digits.slice(-4);
}

/** Resident ID numbers (18 chars, optional X) anywhere in a text: what a leak scan looks for. */
export const RESIDENT_ID_PATTERN = /(?<![0-9])[1-9]\d{5}(?:19|20)\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])\d{3}[\dXx](?![0-9])/g;
/** Mainland mobile numbers anywhere in a text. */
export const MOBILE_PATTERN = /(?<![0-9])1[3-9]\d{9}(?![0-9])/g;
