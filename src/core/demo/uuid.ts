/**
 * Deterministic UUIDv7 (RFC 9562 §5.7) for demo data: the layout of a real v7 id (48-bit Unix
 * millisecond timestamp, version 7, variant 10) but with the 74 random bits drawn from a seeded
 * Rng, so a seed reproduces every id. Real records get their ids from the uuid package instead.
 */
import type { Rng } from './rng.js';

const HEX: readonly string[] = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));
const MAX_TIMESTAMP_MS = 2 ** 48 - 1;

/**
 * A UUIDv7 string: `timestampMs` (integer, 0 ≤ t < 2^48) in the first 48 bits, then version 7,
 * 12 random bits (rand_a), variant `10`, and 62 random bits (rand_b), all random bits from `rng`.
 * Ids with later timestamps sort after earlier ones, as v7 ids should.
 */
export function seededUuidV7(rng: Rng, timestampMs: number): string {
  if (!Number.isInteger(timestampMs) || timestampMs < 0 || timestampMs > MAX_TIMESTAMP_MS) {
    throw new RangeError('UUIDv7 timestamp must be an integer number of milliseconds in [0, 2^48)');
  }
  // Split the 48-bit timestamp without 64-bit integers: 16 high bits and 32 low bits.
  const high = Math.floor(timestampMs / 4_294_967_296);
  const low = timestampMs >>> 0;
  const r1 = rng.nextU32();
  const r2 = rng.nextU32();
  const r3 = rng.nextU32();
  return (
    HEX[(high >>> 8) & 0xff]! +
    HEX[high & 0xff]! +
    HEX[low >>> 24]! +
    HEX[(low >>> 16) & 0xff]! +
    '-' +
    HEX[(low >>> 8) & 0xff]! +
    HEX[low & 0xff]! +
    '-' +
    // Version nibble 7, then the 12 bits of rand_a.
    HEX[0x70 | ((r1 >>> 8) & 0x0f)]! +
    HEX[r1 & 0xff]! +
    '-' +
    // Variant bits 10, then the first 6 bits of rand_b.
    HEX[0x80 | ((r1 >>> 16) & 0x3f)]! +
    HEX[r1 >>> 24]! +
    '-' +
    HEX[r2 >>> 24]! +
    HEX[(r2 >>> 16) & 0xff]! +
    HEX[(r2 >>> 8) & 0xff]! +
    HEX[r2 & 0xff]! +
    HEX[r3 >>> 24]! +
    HEX[(r3 >>> 16) & 0xff]!
  );
}
