/**
 * Charity fixtures straight in the database, for the security tests: a project of an
 * organisation in a given status, a household with a need and a referral in a given status, a
 * matching run. Direct inserts, so a fixture never depends on the routes under test.
 */
import { randomUUID } from 'node:crypto';
import type { AppContext } from '../../src/app/context.js';
import { dayNumber, fromDayNumber } from '../../src/core/dates/dates.js';
import { makeResidentId } from '../../src/core/ids/index.js';

export const FIXTURE_PROJECT = {
  categories: ['housing', 'care'], capacity: 3, budget_fen: 30_000_00, cost_per_beneficiary_fen: 10_000_00, starts_on: '2026-01-01', ends_on: '2026-12-31',
};

export async function insertProject(ctx: AppContext, organisationId: string, status: 'draft' | 'submitted' | 'approved' | 'published' | 'closed', regionCode = '330106'): Promise<string> {
  const id = randomUUID();
  await ctx.db.insertInto('charity_projects').values({
    id, organisation_id: organisationId, title: `项目-${id.slice(0, 6)}`, brand: null, eligibility: JSON.stringify({ householdCategories: [], minAge: null, maxAge: null, disability: false, illness: false, regionCode, minRiskLevel: null }),
    region_code: regionCode, status, status_reason: null, approved_by: null, created_by: null, ...FIXTURE_PROJECT,
  }).execute();
  return id;
}

let headSeq = 0;

/**
 * A household in the village with one member (its head, aged 40–56: no need is derived from them)
 * and an open housing need. A delivery writes its ledger record against the head.
 */
export async function insertHouseholdWithNeed(ctx: AppContext, village: string, status: 'open' | 'planned' = 'open'): Promise<{ householdId: string; needId: string }> {
  const householdId = randomUUID();
  await ctx.db.insertInto('households').values({ id: householdId, region_code: village, county_code: village.slice(0, 6), residence_region_code: null, address: null, has_able_supporter: false }).execute();
  // Sequence numbers 950–999: never those of security-world's newPerson (100–899).
  const k = headSeq++;
  const birth = fromDayNumber(dayNumber('1970-01-01') + (k * 37) % 6000);
  await ctx.db.insertInto('members').values({
    id: randomUUID(), household_id: householdId, name: '测试户主', id_number: makeResidentId(village.slice(0, 6), birth, 950 + (k % 50)), relation: 'head', sex: 'M', birth_date: birth,
    disability_grade: 0, serious_illness: false, labour_capacity: 'full', schooling: 'none', deceased_on: null, position: 0, phone: null,
  }).execute();
  const needId = randomUUID();
  await ctx.db.insertInto('needs').values({
    id: needId, household_id: householdId, region_code: village, category: 'housing', severity: 3, source: 'worker', status, status_reason: null, opened_on: '2026-11-01', created_by: null,
    evidence: JSON.stringify([{ rule: 'worker', values: { finding: 'fixture' }, text: { zh: '测试', en: 'fixture' } }]),
  }).execute();
  return { householdId, needId };
}

export async function insertReferral(ctx: AppContext, organisationId: string, village: string, status: 'proposed' | 'accepted'): Promise<string> {
  const projectId = await insertProject(ctx, organisationId, 'published');
  const { householdId, needId } = await insertHouseholdWithNeed(ctx, village, 'planned');
  const id = randomUUID();
  await ctx.db.insertInto('charity_referrals').values({
    id, run_id: null, need_id: needId, household_id: householdId, project_id: projectId, organisation_id: organisationId, category: 'housing', status,
    explanation: JSON.stringify({ zh: '测试', en: 'fixture' }), decision_reason: null, decided_by: null, decided_at: null, delivered_on: null, amount_fen: null, items: null, volunteer_hours: null,
  }).execute();
  return id;
}

export async function insertRun(ctx: AppContext, county: string): Promise<string> {
  const id = randomUUID();
  await ctx.db.insertInto('matching_runs').values({
    id, county_code: county, as_of: '2026-11-29', policy_version: 'fixture', mountain_uplift: 0, status: 'optimal', optimality_gap: 0, objective: 0, greedy_objective: 0,
    needs: 0, projects: 0, eligible_pairs: 0, matched: 0, greedy_matched: 0, project_use: '[]', ms: 0, created_by: null,
  }).execute();
  return id;
}

/** A need of an existing household (for the routes that change one). */
export async function insertNeed(ctx: AppContext, householdId: string): Promise<string> {
  const h = await ctx.db.selectFrom('households').select('region_code').where('id', '=', householdId).executeTakeFirst();
  const id = randomUUID();
  if (!h) return id;
  await ctx.db.insertInto('needs').values({
    id, household_id: householdId, region_code: h.region_code, category: 'mental_care', severity: 2, source: 'worker', status: 'open', status_reason: null, opened_on: '2026-11-01', created_by: null,
    evidence: JSON.stringify([{ rule: 'worker', values: { finding: 'fixture' }, text: { zh: '测试', en: 'fixture' } }]),
  }).execute();
  return id;
}
