import { describe, expect, it } from 'vitest';
import { msUntilNext } from './nightly.js';

describe('nightly schedule', () => {
  it('waits until the next HH:MM in China time', () => {
    // 2026-11-29 17:00 UTC = 2026-11-30 01:00 in China: 02:00 is one hour away.
    expect(msUntilNext('02:00', new Date('2026-11-29T17:00:00Z'))).toBe(3_600_000);
    // Exactly at 02:00 China time: the next run is tomorrow.
    expect(msUntilNext('02:00', new Date('2026-11-29T18:00:00Z'))).toBe(86_400_000);
    expect(msUntilNext('00:00', new Date('2026-11-29T15:59:00Z'))).toBe(60_000);
  });
  it('refuses a malformed time', () => {
    expect(() => msUntilNext('25:00', new Date())).toThrow(/HH:MM/);
    expect(() => msUntilNext('2:00', new Date())).toThrow(/HH:MM/);
  });
});
