/**
 * In-memory index over a tree of administrative regions: GB/T 2260 codes for province, city
 * and county, extended by the National Bureau of Statistics' 统计用区划代码 for townships
 * (9 digits) and villages/communities (12 digits). Codes keep their native lengths.
 */

export type RegionLevel = 'province' | 'city' | 'county' | 'township' | 'village';

export interface Region {
  code: string;
  name: string;
  level: RegionLevel;
  parentCode: string | null;
  /** True only on the county rows of the 26 mountain-area counties (山区26县). */
  isMountainCounty: boolean;
}

/** Levels from the top down; the index of a level is its depth. */
export const REGION_LEVELS: readonly RegionLevel[] = ['province', 'city', 'county', 'township', 'village'];

const LEVEL_BY_LENGTH: ReadonlyMap<number, RegionLevel> = new Map<number, RegionLevel>([
  [2, 'province'],
  [4, 'city'],
  [6, 'county'],
  [9, 'township'],
  [12, 'village'],
]);

/**
 * The level a code denotes, from its length: 2 province, 4 city, 6 county (GB/T 2260),
 * 9 township, 12 village (statistical division codes). Undefined for anything else.
 */
export function levelOfCode(code: string): RegionLevel | undefined {
  if (!/^\d+$/.test(code)) return undefined;
  return LEVEL_BY_LENGTH.get(code.length);
}

const depth = (level: RegionLevel): number => REGION_LEVELS.indexOf(level);

const byCode = (a: Region, b: Region): number => (a.code < b.code ? -1 : a.code > b.code ? 1 : 0);

/** Immutable lookup structure over a set of regions whose parents are all present. */
export class RegionIndex {
  readonly #byCode = new Map<string, Region>();
  readonly #children = new Map<string, Region[]>();
  readonly #byLevel = new Map<RegionLevel, Region[]>();

  /**
   * Builds the index. Throws when a code is duplicated, a level does not match the code's
   * length, or a parent is missing, because a broken tree would make ancestor queries lie.
   */
  constructor(regions: Iterable<Region>) {
    for (const level of REGION_LEVELS) this.#byLevel.set(level, []);
    for (const region of regions) {
      if (this.#byCode.has(region.code)) throw new Error(`duplicate region code ${region.code}`);
      if (levelOfCode(region.code) !== region.level) {
        throw new Error(`region ${region.code} has level ${region.level}, which does not match its code length`);
      }
      const frozen = Object.freeze({ ...region });
      this.#byCode.set(region.code, frozen);
      this.#byLevel.get(region.level)!.push(frozen);
    }
    for (const region of this.#byCode.values()) {
      if (region.parentCode === null) continue;
      const parent = this.#byCode.get(region.parentCode);
      if (parent === undefined) throw new Error(`region ${region.code} has unknown parent ${region.parentCode}`);
      if (depth(parent.level) >= depth(region.level)) {
        throw new Error(`region ${region.code} sits under ${parent.code}, which is not a higher level`);
      }
      const siblings = this.#children.get(parent.code);
      if (siblings === undefined) this.#children.set(parent.code, [region]);
      else siblings.push(region);
    }
    for (const list of this.#children.values()) list.sort(byCode);
    for (const list of this.#byLevel.values()) list.sort(byCode);
  }

  /** The region with this code, or undefined. */
  get(code: string): Region | undefined {
    return this.#byCode.get(code);
  }

  /** The region with this code; throws an Error naming the code when it is unknown. */
  require(code: string): Region {
    const region = this.#byCode.get(code);
    if (region === undefined) throw new Error(`unknown region code ${code}`);
    return region;
  }

  /** The region itself followed by its parent, grandparent, … up to the province; [] if unknown. */
  ancestors(code: string): Region[] {
    const chain: Region[] = [];
    let current = this.#byCode.get(code);
    while (current !== undefined) {
      chain.push(current);
      current = current.parentCode === null ? undefined : this.#byCode.get(current.parentCode);
    }
    return chain;
  }

  /** Direct children, sorted by code; [] for unknown codes and villages. */
  children(code: string): Region[] {
    return [...(this.#children.get(code) ?? [])];
  }

  /** The county of a region at county level or below; undefined above county level or if unknown. */
  countyOf(code: string): Region | undefined {
    return this.#ancestorAt(code, 'county');
  }

  /** The city of a region at city level or below; undefined for provinces or if unknown. */
  cityOf(code: string): Region | undefined {
    return this.#ancestorAt(code, 'city');
  }

  /** True for a mountain-area county (山区26县) and every township and village under it. */
  isMountainCounty(code: string): boolean {
    return this.countyOf(code)?.isMountainCounty ?? false;
  }

  /** All regions of a level, sorted by code; with `underCode`, only those at or under that region. */
  list(level: RegionLevel, underCode?: string): Region[] {
    const all = this.#byLevel.get(level) ?? [];
    if (underCode === undefined) return [...all];
    const under = this.#byCode.get(underCode);
    if (under === undefined || depth(under.level) > depth(level)) return [];
    return all.filter((region) => this.#ancestorAt(region.code, under.level)?.code === under.code);
  }

  /** Number of regions per level. */
  get size(): Record<RegionLevel, number> {
    return {
      province: this.#byLevel.get('province')!.length,
      city: this.#byLevel.get('city')!.length,
      county: this.#byLevel.get('county')!.length,
      township: this.#byLevel.get('township')!.length,
      village: this.#byLevel.get('village')!.length,
    };
  }

  #ancestorAt(code: string, level: RegionLevel): Region | undefined {
    let current = this.#byCode.get(code);
    while (current !== undefined && current.level !== level) {
      if (depth(current.level) < depth(level)) return undefined;
      current = current.parentCode === null ? undefined : this.#byCode.get(current.parentCode);
    }
    return current;
  }
}
