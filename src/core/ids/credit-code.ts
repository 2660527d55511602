/**
 * Unified social credit codes (统一社会信用代码) under GB 32100-2015: 18 characters =
 * registration-authority code (1) + organisation category (1) + administrative division code of
 * the registering authority (6 digits, GB/T 2260) + subject identifier, i.e. the organisation code
 * of GB 11714 (9, its last character a GB 11714 check character) + check character (MOD 31).
 *
 * Credit codes identify organisations, not people, but messages still do not echo the input so
 * that callers can log them without thinking about it.
 */

/** The 31 characters of GB 32100-2015 with their values 0..30 (I, O, Z, S and V are not used). */
const ALPHABET = '0123456789ABCDEFGHJKLMNPQRTUWXY';
/** Weights W_i = 3^(i-1) mod 31 for positions 1..17 (GB 32100-2015). */
const WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28] as const;
/** GB 11714 organisation code: weights for the 8 body characters. */
const ORG_WEIGHTS = [3, 7, 9, 10, 5, 8, 4, 2] as const;
/** GB 11714 body alphabet: digits 0–9 have values 0–9, letters A–Z values 10–35. */
const ORG_ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ';

const CREDIT_CODE_PATTERN = /^[0-9A-HJ-NPQRTUWXY]{2}\d{6}[0-9A-HJ-NPQRTUWXY]{10}$/;
const FIRST17_PATTERN = /^[0-9A-HJ-NPQRTUWXY]{17}$/;

export type CreditCodeError = 'FORMAT' | 'CHECK_CHAR' | 'ORG_CODE_CHECK';

export interface CreditCode {
  /** The code, upper-cased. */
  code: string;
  /** Position 1: 登记管理部门代码 (e.g. '9' market regulation, '5' civil affairs). */
  registrationAuthority: string;
  /** Position 2: 机构类别代码 (e.g. '1' enterprise under '9'). */
  category: string;
  /** Positions 3–8: GB/T 2260 code of the registering authority. */
  regionCode: string;
  /** Positions 9–17: the GB 11714 organisation code (subject identifier), check char included. */
  organisationCode: string;
}

export type ParseCreditCodeResult =
  | { ok: true; value: CreditCode }
  | { ok: false; error: CreditCodeError; message: string };

/**
 * The GB 32100-2015 check character for the first 17 characters of a credit code:
 * C18 = 31 − (Σ value × weight mod 31), with 31 written as '0'.
 * Throws a RangeError when the input is not 17 characters of the 31-character alphabet.
 */
export function creditCodeCheckChar(first17: string): string {
  if (!FIRST17_PATTERN.test(first17)) {
    throw new RangeError('creditCodeCheckChar expects 17 characters from 0-9 and A-Y without I, O, S, V, Z');
  }
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += ALPHABET.indexOf(first17[i]!) * WEIGHTS[i]!;
  return ALPHABET[(31 - (sum % 31)) % 31]!;
}

/**
 * The GB 11714 check character for the 8-character body of an organisation code:
 * C9 = 11 − (Σ value × weight mod 11), with 10 written 'X' and 11 written '0'.
 * Throws a RangeError when the body is not 8 characters of 0-9 / A-Z.
 */
export function organisationCodeCheckChar(body8: string): string {
  if (!/^[0-9A-Z]{8}$/.test(body8)) throw new RangeError('organisationCodeCheckChar expects 8 characters from 0-9 and A-Z');
  let sum = 0;
  for (let i = 0; i < 8; i++) sum += ORG_ALPHABET.indexOf(body8[i]!) * ORG_WEIGHTS[i]!;
  const value = 11 - (sum % 11);
  return value === 10 ? 'X' : value === 11 ? '0' : String(value);
}

/**
 * Parses and validates a unified social credit code: format (alphabet, 6-digit division code),
 * the GB 32100 check character, then the GB 11714 check of the embedded organisation code.
 * Lower-case input is accepted and upper-cased.
 */
export function parseCreditCode(code: string): ParseCreditCodeResult {
  const fail = (error: CreditCodeError, message: string): ParseCreditCodeResult => ({ ok: false, error, message });
  if (typeof code !== 'string') return fail('FORMAT', 'credit code must be a string');
  const upper = code.toUpperCase();
  if (upper.length !== 18) return fail('FORMAT', `credit code must be 18 characters (got ${upper.length})`);
  if (!CREDIT_CODE_PATTERN.test(upper)) {
    return fail('FORMAT', 'credit code must use 0-9 and A-Y without I, O, S, V, Z, with digits in positions 3-8');
  }
  if (creditCodeCheckChar(upper.slice(0, 17)) !== upper[17]) {
    return fail('CHECK_CHAR', 'check character does not match (GB 32100 MOD 31)');
  }
  const organisationCode = upper.slice(8, 17);
  if (organisationCodeCheckChar(organisationCode.slice(0, 8)) !== organisationCode[8]) {
    return fail('ORG_CODE_CHECK', 'embedded organisation code fails its GB 11714 check (MOD 11)');
  }
  return {
    ok: true,
    value: {
      code: upper,
      registrationAuthority: upper[0]!,
      category: upper[1]!,
      regionCode: upper.slice(2, 8),
      organisationCode,
    },
  };
}

/** True when parseCreditCode accepts the code. */
export function isValidCreditCode(code: string): boolean {
  return parseCreditCode(code).ok;
}

/**
 * Builds a valid credit code from a 2-character prefix (authority + category), a 6-digit
 * division code and an 8-character organisation-code body: appends the GB 11714 check character
 * to the body, then the GB 32100 check character. Throws a RangeError on malformed input.
 */
export function makeCreditCode(prefix: string, region6: string, orgBody8: string): string {
  if (!/^[0-9A-HJ-NPQRTUWXY]{2}$/.test(prefix)) throw new RangeError('makeCreditCode: prefix must be 2 characters of the GB 32100 alphabet');
  if (!/^\d{6}$/.test(region6)) throw new RangeError('makeCreditCode: region code must be 6 digits');
  // The body must also fit the 31-character alphabet, or the finished code could not be valid.
  if (!/^[0-9A-HJ-NPQRTUWXY]{8}$/.test(orgBody8)) {
    throw new RangeError('makeCreditCode: organisation body must be 8 characters of the GB 32100 alphabet');
  }
  const first17 = prefix + region6 + orgBody8 + organisationCodeCheckChar(orgBody8);
  return first17 + creditCodeCheckChar(first17);
}
