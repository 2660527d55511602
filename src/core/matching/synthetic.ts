/**
 * Seeded synthetic matching instances for tests and benchmarks: households with one to three
 * needs, projects scoped to a county, a city or the whole instance, and about `pairsPerNeed`
 * eligible projects per need (those whose scope covers the need's county and that serve its
 * category, sampled). The same seed gives the same instance.
 */
import { createRng } from '../demo/rng.js';
import type { EligiblePairs, MatchInput, Need, Project } from './match-needs.js';

export const NEED_CATEGORIES = ['medical', 'education', 'elderly_care', 'disability', 'housing', 'employment', 'childcare', 'emergency'] as const;

export interface SyntheticCounty {
  code: string;
  /** City code (4 digits) the county belongs to. */
  city: string;
  mountain: boolean;
}

export interface SyntheticOptions {
  needs: number;
  projects: number;
  counties: readonly SyntheticCounty[];
  seed: number;
  /** Eligible projects sampled per need (fewer when fewer qualify). Default 20. */
  pairsPerNeed?: number;
  /** Total places ÷ needs, about. Default 0.5. */
  placesPerNeed?: number;
}

/** A reproducible instance; needs are in waiting order. */
export function syntheticMatching(o: SyntheticOptions): MatchInput & { eligible: { need: Int32Array; project: Int32Array } } {
  if (o.counties.length === 0) throw new RangeError('counties: needs at least one county');
  const rng = createRng(o.seed);
  const k = o.pairsPerNeed ?? 20;
  const cats = NEED_CATEGORIES;
  const nc = o.counties.length;
  const cities = [...new Set(o.counties.map((c) => c.city))];

  // Projects: scope county (60 %), city (30 %) or everywhere (10 %); one scope only when the
  // instance is one county.
  const scopeCounty = nc === 1 ? 1 : 0.6;
  const scopeCity = nc === 1 ? 0 : 0.3;
  const covering = (o.projects * scopeCounty) / nc + (o.projects * scopeCity) / cities.length + o.projects * (1 - scopeCounty - scopeCity);
  // Categories per project so that a need has about 2k candidates.
  const catsPerProject = Math.min(cats.length, Math.max(1, Math.ceil((2 * k * cats.length) / Math.max(covering, 1))));
  const meanPlaces = ((o.placesPerNeed ?? 0.5) * o.needs) / Math.max(o.projects, 1);
  const projects: Project[] = [];
  // candidates[county][category] = project indices.
  const candidates: number[][][] = o.counties.map(() => cats.map(() => []));
  for (let j = 0; j < o.projects; j++) {
    const u = rng.float();
    const home = rng.int(0, nc - 1);
    const scope: number[] =
      u < scopeCounty ? [home] : u < scopeCounty + scopeCity ? o.counties.flatMap((c, ci) => (c.city === o.counties[home]!.city ? [ci] : [])) : o.counties.map((_, ci) => ci);
    const nCats = Math.max(1, Math.min(cats.length, catsPerProject + rng.int(-1, 1)));
    const served = new Set<number>();
    while (served.size < nCats) served.add(rng.int(0, cats.length - 1));
    const capacity = Math.max(1, Math.round(meanPlaces * rng.range(0.5, 1.5)));
    const costPerBeneficiaryFen = rng.int(300, 5000) * 100;
    const budgetFen = Math.round(capacity * costPerBeneficiaryFen * rng.range(0.7, 1.3));
    projects.push({ id: `P${j + 1}`, capacity, budgetFen, costPerBeneficiaryFen, categories: [...served].sort((a, b) => a - b).map((c) => cats[c]!) });
    for (const ci of scope) for (const c of served) candidates[ci]![c]!.push(j);
  }

  const needs: Need[] = [];
  const pairNeed: number[] = [];
  const pairProject: number[] = [];
  const scratch: number[] = [];
  let h = 0;
  while (needs.length < o.needs) {
    h++;
    const ci = rng.int(0, nc - 1);
    const county = o.counties[ci]!;
    const u = rng.float();
    const size = Math.min(o.needs - needs.length, u < 0.7 ? 1 : u < 0.92 ? 2 : 3);
    let firstCat = -1;
    for (let m = 0; m < size; m++) {
      // A second need in the same category (two children at school, say) one time in ten.
      const c = m > 0 && rng.chance(0.1) ? firstCat : rng.int(0, cats.length - 1);
      if (m === 0) firstCat = c;
      const v = rng.float();
      const priority = 1 + Math.floor(99 * v * v);
      const i = needs.length;
      needs.push({ id: `N${i + 1}`, householdId: `H${h}`, category: cats[c]!, priority, county: county.code, mountain: county.mountain });
      // Sample up to k of the qualifying projects (partial Fisher–Yates), in random order.
      const list = candidates[ci]![c]!;
      scratch.length = 0;
      scratch.push(...list);
      const take = Math.min(k, scratch.length);
      for (let t = 0; t < take; t++) {
        const r = rng.int(t, scratch.length - 1);
        const tmp = scratch[t]!;
        scratch[t] = scratch[r]!;
        scratch[r] = tmp;
        pairNeed.push(i);
        pairProject.push(scratch[t]!);
      }
    }
  }
  const eligible: EligiblePairs & { need: Int32Array; project: Int32Array } = { need: Int32Array.from(pairNeed), project: Int32Array.from(pairProject) };
  return { needs, projects, eligible };
}
