/**
 * A small, fast, seeded pseudo-random number generator for demo data. src/core is pure, so every
 * random draw in the generator comes from one of these, created from a caller-supplied seed:
 * the same seed always yields the same sequence on every platform (only 32-bit integer
 * arithmetic is used for the state).
 *
 * Algorithm: xoshiro128** 1.1 (Blackman & Vigna, 2018), 128-bit state, period 2^128 − 1, seeded
 * through splitmix32 so that nearby seeds (1, 2, 3, …) give unrelated streams.
 */

const TWO_POW_32 = 4_294_967_296;

/** splitmix32 step: returns the next state and a well-mixed output, used only for seeding. */
function splitmix32(state: number): [next: number, out: number] {
  const next = (state + 0x9e3779b9) | 0;
  let z = next;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
  z ^= z >>> 16;
  return [next, z >>> 0];
}

/**
 * Seeded generator with the helpers the demo generator needs. Not cryptographically secure:
 * it is for reproducible synthetic data only.
 */
export class Rng {
  private s0: number;
  private s1: number;
  private s2: number;
  private s3: number;
  /** Second value of the last Box–Muller pair, so normal() costs one pair per two draws. */
  private spareNormal: number | null = null;

  /** Use createRng(seed); the constructor takes the seed already validated. */
  constructor(seed: number) {
    // Fold the high part of seeds beyond 32 bits in, so 2^32 + 1 and 1 differ.
    let state = (seed >>> 0) ^ Math.imul(Math.floor(seed / TWO_POW_32) | 0, 0x27d4eb2d);
    let out: number;
    [state, out] = splitmix32(state);
    this.s0 = out;
    [state, out] = splitmix32(state);
    this.s1 = out;
    [state, out] = splitmix32(state);
    this.s2 = out;
    [, out] = splitmix32(state);
    this.s3 = out;
    // xoshiro must never start from the all-zero state (it would stay zero forever).
    if ((this.s0 | this.s1 | this.s2 | this.s3) === 0) this.s0 = 1;
  }

  /** Next uniformly distributed unsigned 32-bit integer. */
  nextU32(): number {
    const s1 = this.s1;
    const m = Math.imul(s1, 5);
    const result = Math.imul((m << 7) | (m >>> 25), 9);
    const t = s1 << 9;
    this.s2 ^= this.s0;
    this.s3 ^= this.s1;
    this.s1 ^= this.s2;
    this.s0 ^= this.s3;
    this.s2 ^= t;
    this.s3 = (this.s3 << 11) | (this.s3 >>> 21);
    return result >>> 0;
  }

  /** Uniform float in [0, 1) with 32 bits of resolution (ample for demo data). */
  float(): number {
    return this.nextU32() / TWO_POW_32;
  }

  /** Uniform float in [min, max). */
  range(min: number, max: number): number {
    return min + (max - min) * this.float();
  }

  /** Uniform integer in [min, max], both inclusive (integers expected; max ≥ min). */
  int(min: number, max: number): number {
    return min + Math.floor(this.float() * (max - min + 1));
  }

  /** True with probability p. */
  chance(p: number): boolean {
    return this.float() < p;
  }

  /** A uniformly chosen element; throws on an empty list because there is nothing to return. */
  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new RangeError('pick from an empty list');
    return items[Math.floor(this.float() * items.length)]!;
  }

  /**
   * An element chosen with probability proportional to its weight. For repeated draws from the
   * same weights build a WeightedTable instead, which does the prefix sums once.
   */
  weightedPick<T>(items: readonly T[], weights: readonly number[]): T {
    return new WeightedTable(items.map((item, i) => [item, weights[i] ?? 0] as const)).pick(this);
  }

  /** Standard-normal draw scaled to N(mean, sd²) (Box–Muller, polar form). */
  normal(mean = 0, sd = 1): number {
    if (this.spareNormal !== null) {
      const z = this.spareNormal;
      this.spareNormal = null;
      return mean + sd * z;
    }
    let u: number;
    let v: number;
    let s: number;
    do {
      u = this.float() * 2 - 1;
      v = this.float() * 2 - 1;
      s = u * u + v * v;
    } while (s >= 1 || s === 0);
    const factor = Math.sqrt((-2 * Math.log(s)) / s);
    this.spareNormal = v * factor;
    return mean + sd * u * factor;
  }

  /** Log-normal draw: exp(N(mu, sigma²)); the median is exp(mu). */
  lognormal(mu: number, sigma: number): number {
    return Math.exp(this.normal(mu, sigma));
  }

  /** Log-normal draw given its median directly (more readable in calibration tables). */
  lognormalMedian(median: number, sigma: number): number {
    return median * Math.exp(this.normal(0, sigma));
  }
}

/**
 * Items with fixed weights and precomputed prefix sums, for O(log n) weighted draws. Weights
 * must be finite and ≥ 0 with a positive total.
 */
export class WeightedTable<T> {
  readonly items: readonly T[];
  private readonly cumulative: Float64Array;
  private readonly total: number;

  constructor(entries: readonly (readonly [T, number])[]) {
    const items: T[] = [];
    const cumulative = new Float64Array(entries.length);
    let total = 0;
    for (const [item, weight] of entries) {
      if (!Number.isFinite(weight) || weight < 0) throw new RangeError('weights must be finite and non-negative');
      total += weight;
      cumulative[items.length] = total;
      items.push(item);
    }
    if (!(total > 0)) throw new RangeError('weighted table needs a positive total weight');
    this.items = items;
    this.cumulative = cumulative;
    this.total = total;
  }

  /** Index of the chosen entry. */
  pickIndex(rng: Rng): number {
    const target = rng.float() * this.total;
    const cumulative = this.cumulative;
    let lo = 0;
    let hi = cumulative.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (cumulative[mid]! > target) hi = mid;
      else lo = mid + 1;
    }
    // The first entry whose prefix sum exceeds the target: a zero-weight entry shares its
    // predecessor's sum, so it can never be chosen.
    return lo;
  }

  /** The chosen entry. */
  pick(rng: Rng): T {
    return this.items[this.pickIndex(rng)]!;
  }
}

/**
 * Creates a seeded generator. The seed must be a safe integer (negative allowed); the same seed
 * gives the same stream.
 */
export function createRng(seed: number): Rng {
  if (!Number.isSafeInteger(seed)) throw new RangeError('seed must be a safe integer');
  return new Rng(seed);
}
