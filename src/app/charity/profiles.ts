/**
 * Loads what the portrait and eligibility read of households, in bulk: members (living), the
 * classification, the latest stored risk state, open alert causes and the last home visit.
 * No personal data leaves this module: ages, grades and flags only.
 */
import { sql, type Kysely } from 'kysely';
import { fullYears } from '../../core/dates/dates.js';
import { deprivedDimensions } from '../../core/risk/six-dimensions.js';
import type { HouseholdProfile, PortraitFacts, RiskLevelName } from '../../core/charity/index.js';
import type { Database } from '../../db/schema.js';

export interface LoadedHousehold {
  id: string;
  regionCode: string;
  countyCode: string;
  facts: PortraitFacts;
  profile: HouseholdProfile;
}

/** Households by id, or every household under a region prefix. */
export async function loadHouseholds(db: Kysely<Database>, today: string, where: { ids: readonly string[] } | { regionPrefix: string }): Promise<LoadedHousehold[]> {
  let q = db.selectFrom('households').select(['id', 'region_code', 'county_code']);
  if ('ids' in where) {
    if (where.ids.length === 0) return [];
    q = q.where('id', 'in', where.ids as string[]);
  } else q = q.where('region_code', 'like', `${where.regionPrefix}%`);
  const hs = await q.orderBy('id').execute();
  if (hs.length === 0) return [];
  const ids = hs.map((h) => h.id);
  const [members, status, risk, alerts, visits] = await Promise.all([
    db.selectFrom('members').select(['household_id', 'birth_date', 'disability_grade', 'serious_illness', 'labour_capacity']).where('household_id', 'in', ids).where('deceased_on', 'is', null).execute(),
    db.selectFrom('household_status').select(['household_id', 'category']).where('household_id', 'in', ids).execute(),
    sql<{ household_id: string; level: RiskLevelName; mask: number; income_gap: number }>`
      SELECT DISTINCT ON (household_id) household_id, level, mask, income_gap FROM risk_snapshots
      WHERE household_id = ANY(${ids}::uuid[]) ORDER BY household_id, as_of DESC`.execute(db),
    db.selectFrom('alerts').select(['household_id', 'cause']).where('household_id', 'in', ids).where('status', 'in', ['new', 'assigned', 'visiting']).execute(),
    sql<{ household_id: string; visited_on: string; findings: string[] }>`
      SELECT DISTINCT ON (household_id) household_id, visited_on::text AS visited_on, findings FROM visits
      WHERE household_id = ANY(${ids}::uuid[]) ORDER BY household_id, visited_on DESC, created_at DESC`.execute(db),
  ]);
  const group = <T extends { household_id: string }>(rows: readonly T[]): Map<string, T[]> => {
    const m = new Map<string, T[]>();
    for (const r of rows) m.set(r.household_id, [...(m.get(r.household_id) ?? []), r]);
    return m;
  };
  const mem = group(members);
  const cat = new Map(status.map((s) => [s.household_id, s.category]));
  const rk = new Map(risk.rows.map((r) => [r.household_id, r]));
  const al = group(alerts);
  const vi = new Map(visits.rows.map((v) => [v.household_id, v]));
  return hs.map((h) => {
    const ms = (mem.get(h.id) ?? []).map((m) => ({ age: fullYears(m.birth_date, today), disabilityGrade: m.disability_grade, seriousIllness: m.serious_illness, labourCapacity: m.labour_capacity }));
    const r = rk.get(h.id);
    const v = vi.get(h.id);
    const category = cat.get(h.id) ?? null;
    const facts: PortraitFacts = {
      category,
      members: ms,
      risk: r ? { level: r.level, dimensions: deprivedDimensions(r.mask), incomeGap: r.income_gap } : null,
      openAlertCauses: (al.get(h.id) ?? []).map((a) => a.cause),
      lastVisit: v ? { visitedOn: v.visited_on, findings: v.findings } : null,
    };
    return {
      id: h.id, regionCode: h.region_code, countyCode: h.county_code, facts,
      profile: { householdId: h.id, regionCode: h.region_code, category, riskLevel: r?.level ?? null, members: ms },
    };
  });
}
