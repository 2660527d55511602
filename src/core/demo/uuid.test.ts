import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { validate, version } from 'uuid';
import { createRng } from './rng.js';
import { seededUuidV7 } from './uuid.js';

const V7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('seededUuidV7', () => {
  it('has the RFC 9562 v7 layout with the timestamp in the first 48 bits', () => {
    fc.assert(
      fc.property(fc.integer(), fc.integer({ min: 0, max: 2 ** 48 - 1 }), (seed, ts) => {
        const id = seededUuidV7(createRng(seed), ts);
        const hex = id.replaceAll('-', '');
        return V7.test(id) && validate(id) && version(id) === 7 && Number.parseInt(hex.slice(0, 12), 16) === ts;
      }),
    );
  });

  it('is reproducible from the seed and varies with the random stream', () => {
    const a = createRng(9);
    const b = createRng(9);
    const ts = Date.UTC(2025, 5, 15);
    const first = seededUuidV7(a, ts);
    expect(seededUuidV7(b, ts)).toBe(first);
    expect(seededUuidV7(a, ts)).not.toBe(first);
  });

  it('sorts by timestamp', () => {
    const rng = createRng(1);
    const byStamp = new Map([5, 1, 4, 2, 3].map((t) => [t, seededUuidV7(rng, 1_700_000_000_000 + t)] as const));
    expect([...byStamp.values()].sort()).toEqual([1, 2, 3, 4, 5].map((t) => byStamp.get(t)));
  });

  it('rejects timestamps outside 48 bits', () => {
    const rng = createRng(1);
    expect(() => seededUuidV7(rng, -1)).toThrow(RangeError);
    expect(() => seededUuidV7(rng, 2 ** 48)).toThrow(RangeError);
    expect(() => seededUuidV7(rng, 1.5)).toThrow(RangeError);
  });
});
