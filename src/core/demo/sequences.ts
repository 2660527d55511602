/** Resident ID sequence numbers for the demo generator, unique within a run. */

/** Seats per (county, birth date, sex): sequences 001–997 odd for men, 002–998 even for women. */
const SEQUENCE_SLOTS = 499;

/**
 * Hands out ID sequence numbers so that no two members of a run share an ID number: one counter
 * per (county, birth day, sex), kept in a typed array per county (≈ 150 KB per county that
 * occurs), so a million households need no per-person memory.
 */
export class SequenceAllocator {
  private readonly counters = new Map<number, Uint16Array>();
  private readonly days: number;

  constructor(private readonly minDay: number, maxDay: number) {
    this.days = maxDay - minDay + 1;
  }

  /** The sequence for the next person of this sex born that day in that county, or -1 when all are taken. */
  next(countyIndex: number, day: number, male: boolean): number {
    let table = this.counters.get(countyIndex);
    if (table === undefined) {
      table = new Uint16Array(this.days * 2);
      this.counters.set(countyIndex, table);
    }
    const at = (day - this.minDay) * 2 + (male ? 1 : 0);
    const used = table[at]!;
    if (used >= SEQUENCE_SLOTS) return -1;
    table[at] = used + 1;
    // Start each bucket at a scattered slot so numbers do not all end in 001/002 (real sequences
    // encode the police station); stepping from there keeps them distinct.
    const start = (Math.imul(day ^ (countyIndex << 16), 0x9e3779b1) >>> 0) % SEQUENCE_SLOTS;
    const slot = (start + used) % SEQUENCE_SLOTS;
    return male ? 2 * slot + 1 : 2 * slot + 2;
  }
}
