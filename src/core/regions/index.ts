export { levelOfCode, RegionIndex, REGION_LEVELS, type Region, type RegionLevel } from './region-index.js';
export { loadZhejiangRegions, zhejiangRegions, ZHEJIANG_PROVINCE_CODE } from './zhejiang.js';
export { isKnownCountyCode, RETIRED_ZHEJIANG_COUNTY_CODES } from './county-codes.js';
export { MOUNTAIN_COUNTY_NAMES, type MountainCountyName } from './mountain-counties.js';
