import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  creditCodeCheckChar,
  isValidCreditCode,
  makeCreditCode,
  organisationCodeCheckChar,
  parseCreditCode,
} from './index.js';

const ALPHABET = '0123456789ABCDEFGHJKLMNPQRTUWXY';

describe('external truth: published credit codes', () => {
  // 91350100M000100Y43: the sample code used throughout GB 32100 explainers and validator test
  // suites (e.g. hutool's CreditCodeUtilTest). The other two are public registration records of
  // well-known companies (国家企业信用信息公示系统): 腾讯科技（深圳）有限公司 and 小米科技有限责任公司.
  const published = ['91350100M000100Y43', '91440300708461136T', '91110108551385082Q'];

  it.each(published)('%s validates, check characters and all', (code) => {
    expect(creditCodeCheckChar(code.slice(0, 17))).toBe(code[17]);
    expect(organisationCodeCheckChar(code.slice(8, 16))).toBe(code[16]);
    expect(isValidCreditCode(code)).toBe(true);
  });

  it('splits the fields', () => {
    expect(parseCreditCode('91440300708461136T')).toEqual({
      ok: true,
      value: {
        code: '91440300708461136T',
        registrationAuthority: '9',
        category: '1',
        regionCode: '440300',
        organisationCode: '708461136',
      },
    });
  });

  it('accepts lower case and upper-cases it', () => {
    const parsed = parseCreditCode('91350100m000100y43');
    expect(parsed.ok && parsed.value.code).toBe('91350100M000100Y43');
  });
});

describe('parseCreditCode errors', () => {
  it('FORMAT: length, forbidden letters, non-digit division code', () => {
    for (const bad of ['', '91350100M000100Y4', '91350100M000100Y433', '91350100M000100Y4I', '91350100O000100Y43',
      '9135010SM000100Y43', '91A50100M000100Y43', '91350100M000100Y4 ', '91350100M000100Y4-']) {
      expect(parseCreditCode(bad), bad).toMatchObject({ ok: false, error: 'FORMAT' });
    }
  });

  it('CHECK_CHAR: wrong final character', () => {
    expect(parseCreditCode('91350100M000100Y44')).toEqual({
      ok: false, error: 'CHECK_CHAR', message: 'check character does not match (GB 32100 MOD 31)',
    });
  });

  it('ORG_CODE_CHECK: organisation code check broken but the outer check recomputed', () => {
    // Replace the organisation check char (position 17) and fix up the outer check character.
    const first16 = '91350100M000100Y';
    const wrongOrgCheck = first16 + '5';
    const code = wrongOrgCheck + creditCodeCheckChar(wrongOrgCheck);
    expect(parseCreditCode(code)).toMatchObject({ ok: false, error: 'ORG_CODE_CHECK' });
  });

  it('messages do not echo the input', () => {
    for (const bad of ['91350100M000100Y44', '91350100M000100Y4I', '91350100M000100Y4']) {
      const parsed = parseCreditCode(bad);
      expect(!parsed.ok && parsed.message).not.toContain('350100');
    }
  });
});

describe('organisationCodeCheckChar (GB 11714)', () => {
  it('maps 10 to X and 11 to 0', () => {
    // Find bodies hitting both special cases by brute force over a small range and re-check the rule.
    const results = new Set<string>();
    for (let n = 0; n < 200; n++) results.add(organisationCodeCheckChar(String(n).padStart(8, '0')));
    expect(results.has('X')).toBe(true);
    expect(results.has('0')).toBe(true);
    expect(organisationCodeCheckChar('00000000')).toBe('0'); // Σ = 0 → 11 − 0 = 11 → '0'
  });
  it('rejects malformed bodies', () => {
    expect(() => organisationCodeCheckChar('0000000')).toThrow(RangeError);
    expect(() => organisationCodeCheckChar('0000000a')).toThrow(RangeError);
  });
});

describe('makeCreditCode', () => {
  it('rebuilds a published code from its parts', () => {
    expect(makeCreditCode('91', '350100', 'M000100Y')).toBe('91350100M000100Y43');
    expect(makeCreditCode('91', '440300', '70846113')).toBe('91440300708461136T');
  });
  it('rejects malformed parts', () => {
    expect(() => makeCreditCode('9', '330106', '12345678')).toThrow(RangeError);
    expect(() => makeCreditCode('9I', '330106', '12345678')).toThrow(RangeError);
    expect(() => makeCreditCode('91', '33010A', '12345678')).toThrow(RangeError);
    expect(() => makeCreditCode('91', '330106', '1234567Z')).toThrow(RangeError);
    expect(() => creditCodeCheckChar('91350100M000100Y')).toThrow(RangeError);
  });
});

describe('properties', () => {
  const alphaChar = fc.constantFrom(...Array.from(ALPHABET));
  const codes = fc
    .tuple(
      fc.string({ unit: alphaChar, minLength: 2, maxLength: 2 }),
      fc.string({ unit: fc.constantFrom(...Array.from('0123456789')), minLength: 6, maxLength: 6 }),
      fc.string({ unit: alphaChar, minLength: 8, maxLength: 8 }),
    )
    .map(([prefix, region, body]) => ({ prefix, region, body, code: makeCreditCode(prefix, region, body) }));

  it('every makeCreditCode output parses and round-trips', () => {
    fc.assert(
      fc.property(codes, ({ prefix, region, body, code }) => {
        const parsed = parseCreditCode(code);
        expect(parsed.ok).toBe(true);
        if (parsed.ok) {
          expect(parsed.value.registrationAuthority + parsed.value.category).toBe(prefix);
          expect(parsed.value.regionCode).toBe(region);
          expect(parsed.value.organisationCode.slice(0, 8)).toBe(body);
        }
      }),
      { numRuns: 500 },
    );
  });

  it('any single-character substitution is detected (MOD 31)', () => {
    fc.assert(
      fc.property(codes, fc.integer({ min: 0, max: 17 }), fc.integer({ min: 1, max: 30 }), ({ code }, pos, shift) => {
        const replacement = ALPHABET[(ALPHABET.indexOf(code[pos]!) + shift) % 31]!;
        const mutated = code.slice(0, pos) + replacement + code.slice(pos + 1);
        const parsed = parseCreditCode(mutated);
        expect(parsed.ok).toBe(false);
        // Positions 3–8 must stay digits, so a letter there is caught as FORMAT before the check.
        const formatOk = pos < 2 || pos > 7 || /\d/.test(replacement);
        if (formatOk) expect(parsed).toMatchObject({ error: 'CHECK_CHAR' });
      }),
      { numRuns: 1000 },
    );
  });

  it('swapping two adjacent different characters is detected', () => {
    fc.assert(
      fc.property(codes, fc.integer({ min: 0, max: 16 }), ({ code }, pos) => {
        fc.pre(code[pos] !== code[pos + 1]);
        const swapped = code.slice(0, pos) + code[pos + 1]! + code[pos]! + code.slice(pos + 2);
        expect(isValidCreditCode(swapped)).toBe(false);
      }),
      { numRuns: 1000 },
    );
  });
});
