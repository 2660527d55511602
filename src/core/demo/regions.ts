/**
 * The village list the demo generator spreads households over, and the weights it uses to do so.
 */
import type { RegionIndex } from '../regions/index.js';

/** A 12-digit village or community code with its county's mountain-area flag (山区26县). */
export interface DemoVillage {
  code: string;
  isMountainCounty: boolean;
}

/**
 * Every village-level region (12-digit code) of the index with the mountain-area flag of its
 * county, sorted by code. The flag is looked up on the county because Region.isMountainCounty
 * is set on county rows only.
 */
export function villagesForDemo(regions: RegionIndex): DemoVillage[] {
  return regions.list('village').map((village) => ({
    code: village.code,
    isMountainCounty: regions.isMountainCounty(village.code),
  }));
}

/** How a 12-digit statistical village code classifies the place (digit 10, 统计用区划代码). */
export type VillageKind = 'community' | 'village' | 'virtual';

/**
 * Digit 10 of the statistical division code: 0–1 are residents' committees (居委会, urban
 * communities), 2–3 villagers' committees (村委会, rural villages), 4–5 "similar to a community /
 * village" units (类似居委会/类似村委会: development zones, farms, industrial parks).
 */
export function villageKind(code: string): VillageKind {
  const digit = code.charCodeAt(9) - 48;
  if (digit <= 1) return 'community';
  if (digit <= 3) return 'village';
  return 'virtual';
}

/**
 * Relative weight of a village when placing a low-income household inside its county: rural
 * villages carry most of the monitored population, urban communities half as much per
 * unit, and the virtual units (industrial parks, farms) almost none.
 */
export const VILLAGE_KIND_WEIGHT: Readonly<Record<VillageKind, number>> = Object.freeze({
  village: 1,
  community: 0.5,
  virtual: 0.02,
});
