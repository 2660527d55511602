/**
 * Seeded, reproducible synthetic Zhejiang low-income-monitoring population for demos, load tests
 * and means-test checks. See docs/demo-data.md.
 */
export { createRng, Rng, WeightedTable } from './rng.js';
export { seededUuidV7 } from './uuid.js';
export { villagesForDemo, villageKind, VILLAGE_KIND_WEIGHT, type DemoVillage, type VillageKind } from './regions.js';
export {
  generateHouseholds,
  generateLabelledHouseholds,
  labourCapacityFor,
  type GenerateHouseholdsOptions,
  type LabelledHousehold,
} from './households.js';
export {
  ARCHETYPE_MIX,
  ARCHETYPES,
  DEFAULT_MEANS_TEST,
  TARGET_TIERS,
  TIER_SHARES,
  type Archetype,
  type TargetTier,
} from './calibration.js';
export { drawGivenName, drawSurname } from './names.js';
