import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { jaro, jaroWinkler, levenshtein, osaDistance, soundex } from './strings.js';

/** Textbook dynamic programmes without the prefix/suffix trimming or early exits. */
function naiveLevenshtein(a: string, b: string): number {
  const d = Array.from({ length: a.length + 1 }, (_, i) => Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      d[i]![j] = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
  }
  return d[a.length]![b.length]!;
}
function naiveOsa(a: string, b: string): number {
  const d = Array.from({ length: a.length + 1 }, (_, i) => Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      let v = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) v = Math.min(v, d[i - 2]![j - 2]! + 1);
      d[i]![j] = v;
    }
  }
  return d[a.length]![b.length]!;
}

const short = fc.string({ unit: fc.constantFrom('a', 'b', 'c', 'd', '张', '章'), maxLength: 9 });

describe('Jaro–Winkler', () => {
  it('reproduces the published values (Winkler 1990; Cohen et al. 2003)', () => {
    expect(jaroWinkler('MARTHA', 'MARHTA')).toBeCloseTo(0.961, 3);
    expect(jaroWinkler('DWAYNE', 'DUANE')).toBeCloseTo(0.84, 3);
    expect(jaroWinkler('DIXON', 'DICKSONX')).toBeCloseTo(0.813, 3);
    expect(jaro('MARTHA', 'MARHTA')).toBeCloseTo(0.944, 3);
    expect(jaro('DWAYNE', 'DUANE')).toBeCloseTo(0.822, 3);
    expect(jaro('DIXON', 'DICKSONX')).toBeCloseTo(0.767, 3);
  });
  it('edge cases: empty strings, no common character', () => {
    expect(jaroWinkler('', '')).toBe(1);
    expect(jaroWinkler('', 'a')).toBe(0);
    expect(jaroWinkler('abc', 'xyz')).toBe(0);
  });
  it('properties: symmetric, in [0, 1], 1 exactly for equal strings', () => {
    fc.assert(
      fc.property(short, short, (a, b) => {
        const s = jaroWinkler(a, b);
        expect(s).toBe(jaroWinkler(b, a));
        expect(s).toBeGreaterThanOrEqual(0);
        expect(s).toBeLessThanOrEqual(1 + 1e-12);
        if (a === b) expect(s).toBe(1);
        else expect(s).toBeLessThan(1);
      }),
      { numRuns: 2000 },
    );
  });
});

describe('Levenshtein and optimal string alignment', () => {
  it('known values', () => {
    expect(levenshtein('kitten', 'sitting')).toBe(3);
    expect(levenshtein('flaw', 'lawn')).toBe(2);
    expect(osaDistance('ca', 'ac')).toBe(1);
    expect(levenshtein('ca', 'ac')).toBe(2);
    // OSA edits no substring twice, unlike the unrestricted Damerau–Levenshtein distance (2).
    expect(osaDistance('CA', 'ABC')).toBe(3);
    expect(osaDistance('张伟', '伟张')).toBe(1);
  });
  it('match the textbook dynamic programme; symmetric; 0 only for equal strings; bounded form agrees', () => {
    fc.assert(
      fc.property(short, short, fc.integer({ min: 0, max: 4 }), (a, b, max) => {
        const lev = levenshtein(a, b);
        const osa = osaDistance(a, b);
        expect(lev).toBe(naiveLevenshtein(a, b));
        expect(osa).toBe(naiveOsa(a, b));
        expect(levenshtein(b, a)).toBe(lev);
        expect(osaDistance(b, a)).toBe(osa);
        expect(lev === 0).toBe(a === b);
        expect(osa).toBeLessThanOrEqual(lev);
        expect(osa).toBeGreaterThanOrEqual(Math.abs(a.length - b.length));
        expect(levenshtein(a, b, max)).toBe(Math.min(lev, max + 1));
        expect(osaDistance(a, b, max)).toBe(Math.min(osa, max + 1));
      }),
      { numRuns: 3000 },
    );
  });
});

describe('Soundex', () => {
  it('the National Archives examples', () => {
    expect(soundex('Robert')).toBe('R163');
    expect(soundex('Rupert')).toBe('R163');
    expect(soundex('Rubin')).toBe('R150');
    expect(soundex('Ashcraft')).toBe('A261');
    expect(soundex('Tymczak')).toBe('T522');
    expect(soundex('Pfister')).toBe('P236');
    expect(soundex('Honeyman')).toBe('H555');
    expect(soundex('')).toBe('');
  });
});
