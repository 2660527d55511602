import { randomFillSync } from 'node:crypto';
import { v7 } from 'uuid';

// Random bits for many ids at once: one system call per 4,096 ids instead of one per id (bulk runs
// create hundreds of thousands). The millisecond and the sequence are kept here as uuid keeps them
// for its own calls, so ids made in the same millisecond still sort in creation order.
const POOL = 4_096 * 16;
const pool = new Uint8Array(POOL);
let used = POOL;
let lastMs = -Infinity;
let seq = 0;

/** A new row id: UUIDv7, so ids sort by creation time and index well. */
export function newId(): string {
  if (used === POOL) {
    randomFillSync(pool);
    used = 0;
  }
  const random = pool.subarray(used, used + 16);
  used += 16;
  const now = Date.now();
  if (now > lastMs) {
    // A fresh 31-bit sequence start, as uuid does (random high bits, room to count up).
    seq = ((random[6]! & 0x7f) << 24) | (random[7]! << 16) | (random[8]! << 8) | random[9]!;
    lastMs = now;
  } else {
    seq = (seq + 1) | 0;
    if (seq === 0) lastMs++;
  }
  return v7({ random, msecs: lastMs, seq });
}
