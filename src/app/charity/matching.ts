/**
 * The county matching run (consortium coordinator): the county's open needs × the published
 * projects that reach it → eligibility (core) → the exact optimum (`matchNeeds`) and first come,
 * first served for comparison → a stored run with an explanation per need, and a proposed
 * referral to the charity for every match (the need becomes planned).
 */
import { performance } from 'node:perf_hooks';
import { sql, type Selectable } from 'kysely';
import type { z } from 'zod';
import type { MatchingRunCreateSchema, MatchingRunDetailSchema, MatchingRunSchema } from '../../contracts/charity.js';
import { CRITERION_TEXT, failedCriteria, needPriority, projectBudget, type Criterion, type Eligibility } from '../../core/charity/index.js';
import { dayNumber } from '../../core/dates/dates.js';
import { greedyFirstComeFirstServed, matchNeeds, type MatchInput } from '../../core/matching/index.js';
import { parametersAt } from '../../core/policy/parameters.js';
import type { MatchingRunsTable } from '../../db/schema.js';
import type { AppContext } from '../context.js';
import { AppError, invalid } from '../errors.js';
import { newId } from '../new-id.js';
import { appendAudit } from '../audit/audit.js';
import { requirePermission, type Actor } from '../auth/actor.js';
import { loadHouseholds } from './profiles.js';
import { referralUse } from './projects.js';

type Run = z.infer<typeof MatchingRunSchema>;
type Explanation = z.infer<typeof MatchingRunDetailSchema>['results'][number]['explanation'];
const iso = (d: Date | string): string => (d instanceof Date ? d.toISOString() : d);

function presentRun(r: Selectable<MatchingRunsTable>): Run {
  return {
    id: r.id, countyCode: r.county_code, asOf: r.as_of, policyVersion: r.policy_version, mountainUplift: r.mountain_uplift, status: r.status, optimalityGap: r.optimality_gap,
    objective: r.objective, greedyObjective: r.greedy_objective, needs: r.needs, projects: r.projects, eligiblePairs: r.eligible_pairs, matched: r.matched,
    greedyMatched: r.greedy_matched, ms: r.ms, createdAt: iso(r.created_at), projectUse: r.project_use as Run['projectUse'],
  };
}

/** Runs the matching for the coordinator's county (or a county inside their scope). */
export async function runMatching(ctx: AppContext, actor: Actor, body: z.infer<typeof MatchingRunCreateSchema>): Promise<z.infer<typeof MatchingRunDetailSchema>> {
  requirePermission(actor, 'charity.coordinate');
  const county = body.countyCode ?? actor.scopeRegion.slice(0, 6);
  if (!county.startsWith(actor.scopeRegion) && !actor.scopeRegion.startsWith(county)) throw invalid([{ field: 'countyCode', message: 'is outside your area' }]);
  if (ctx.regions.get(county)?.level !== 'county') throw invalid([{ field: 'countyCode', message: 'is not a county' }]);
  const today = ctx.today();
  const params = parametersAt(ctx.policy, county, today);
  const uplift = params.values.matchingMountainUplift;
  const mountain = ctx.regions.isMountainCounty(county);

  return ctx.db.transaction().execute(async (trx) => {
    // One run per county at a time: the run lock serialises concurrent runs of the same county.
    await sql`SELECT pg_advisory_xact_lock(hashtext(${`matching:${county}`}))`.execute(trx);
    // A project may reach several counties (a city-wide one): its places are shared by their runs.
    // The rows of the projects reaching this county are locked in id order (no deadlock between
    // two counties' runs), so everything read below — which projects, the places they have left —
    // is read after any other run holding them has committed: no place is promised twice.
    await trx.selectFrom('charity_projects').select('id').where('status', '=', 'published').where('starts_on', '<=', today).where('ends_on', '>=', today)
      .where((eb) => eb.or([eb('region_code', 'like', `${county}%`), eb(sql.lit(county), 'like', sql<string>`region_code || '%'`)]))
      .orderBy('id').forUpdate().execute();
    const projects = await trx.selectFrom('charity_projects').selectAll().where('status', '=', 'published').where('starts_on', '<=', today).where('ends_on', '>=', today)
      .where((eb) => eb.or([eb('region_code', 'like', `${county}%`), eb(sql.lit(county), 'like', sql<string>`region_code || '%'`)]))
      .orderBy('created_at').orderBy('id').execute();
    const use = await referralUse(trx, projects.map((p) => p.id));
    // Households already holding a live referral in a category are served there (one project per household and category).
    const servedRows = await trx.selectFrom('charity_referrals').select(['household_id', 'category']).where('status', 'in', ['proposed', 'accepted']).execute();
    const served = new Set(servedRows.map((r) => `${r.household_id}/${r.category}`));
    // A charity that declined a need is not proposed the same need again.
    const declinedRows = await trx.selectFrom('charity_referrals').select(['need_id', 'project_id']).where('status', '=', 'declined').execute();
    const declined = new Set(declinedRows.map((r) => `${r.need_id}/${r.project_id}`));
    // Needs of the households that live in the county now (ADR 0007: scope follows the household).
    const openNeeds = (await trx.selectFrom('needs').selectAll().where('household_id', 'in', (eb) => eb.selectFrom('households').select('id').where('region_code', 'like', `${county}%`)).where('status', '=', 'open').orderBy('opened_on').orderBy('created_at').orderBy('id').execute())
      .filter((n) => !served.has(`${n.household_id}/${n.category}`));
    const hs = new Map((await loadHouseholds(trx, today, { ids: [...new Set(openNeeds.map((n) => n.household_id))] })).map((h) => [h.id, h]));

    // Remaining capacity and budget (projectBudget): open referrals hold a place and the cost per
    // beneficiary, delivered ones a place and what they delivered, declined ones nothing.
    const input: MatchInput = {
      needs: openNeeds.map((n) => ({
        id: n.id, householdId: n.household_id, category: n.category, county, mountain,
        priority: needPriority(n.severity, hs.get(n.household_id)!.profile.riskLevel, dayNumber(today) - dayNumber(n.opened_on)),
      })),
      projects: projects.map((p) => {
        const b = projectBudget({ capacity: p.capacity, budgetFen: p.budget_fen, costPerBeneficiaryFen: p.cost_per_beneficiary_fen }, use.get(p.id) ?? { open: 0, delivered: 0, deliveredFen: 0 });
        return { id: p.id, capacity: Math.max(0, p.capacity - b.placesTaken), budgetFen: b.budgetRemainingFen, costPerBeneficiaryFen: p.cost_per_beneficiary_fen, categories: p.categories };
      }),
      eligible: { need: [], project: [] },
      options: { mountainUplift: uplift },
    };
    const pairNeed: number[] = [];
    const pairProject: number[] = [];
    const failedBy = new Map<number, { projectId: string; title: string; criteria: Criterion[] }[]>();
    openNeeds.forEach((n, i) => {
      const profile = hs.get(n.household_id)!.profile;
      projects.forEach((p, j) => {
        if (!p.categories.includes(n.category) || declined.has(`${n.id}/${p.id}`)) return;
        const failed = failedCriteria(p.eligibility as Eligibility, profile);
        if (failed.length === 0) {
          pairNeed.push(i);
          pairProject.push(j);
        } else failedBy.set(i, [...(failedBy.get(i) ?? []), { projectId: p.id, title: p.title, criteria: failed }]);
      });
    });
    input.eligible = { need: Int32Array.from(pairNeed), project: Int32Array.from(pairProject) };
    const t0 = performance.now();
    const r = matchNeeds(input);
    const ms = performance.now() - t0;
    const g = greedyFirstComeFirstServed(input);
    const title = new Map(projects.map((p) => [p.id, p.title]));
    const pairsOf = new Map<number, number[]>();
    pairNeed.forEach((i, k) => pairsOf.set(i, [...(pairsOf.get(i) ?? []), pairProject[k]!]));
    const unmatchedBy = new Map(r.unmatched.map((u) => [u.needId, u]));

    const runId = newId();
    const results = openNeeds.map((n, i) => {
      const j = r.projectOf[i]!;
      const adjusted = input.needs[i]!.priority * (mountain ? 1 + uplift : 1);
      let explanation: Explanation;
      if (j >= 0) {
        const others = (pairsOf.get(i) ?? []).filter((x) => x !== j).map((x) => title.get(projects[x]!.id)!);
        explanation = {
          matched: true, projectId: projects[j]!.id, reason: 'matched', failed: [],
          text: {
            zh: `匹配到「${projects[j]!.title}」：符合全部条件，优先级 ${input.needs[i]!.priority}${mountain && uplift > 0 ? `（山区县上浮后 ${adjusted}）` : ''}，在最优方案中获得名额${others.length ? `；其他符合条件的项目：${others.join('、')}` : ''}`,
            en: `matched to "${projects[j]!.title}": meets every criterion, priority ${input.needs[i]!.priority}${mountain && uplift > 0 ? ` (${adjusted} with the mountain-county uplift)` : ''}, given a place in the optimum${others.length ? `; also eligible: ${others.join(', ')}` : ''}`,
          },
        };
      } else {
        const u = unmatchedBy.get(n.id)!;
        const failed = (failedBy.get(i) ?? []).map((f) => ({ ...f, criteria: [...f.criteria] }));
        if (u.reason.kind === 'no-eligible-project') {
          const why = failed.length === 0 ? { zh: '没有服务该类需求的已发布项目', en: 'no published project serves this category' }
            : { zh: `不符合条件：${failed.map((f) => `「${f.title}」${f.criteria.map((c) => CRITERION_TEXT[c].zh).join('、')}`).join('；')}`, en: `not eligible: ${failed.map((f) => `"${f.title}" ${f.criteria.map((c) => CRITERION_TEXT[c].en).join(', ')}`).join('; ')}` };
          explanation = { matched: false, projectId: null, reason: 'no-eligible-project', failed, text: why };
        } else if (u.reason.kind === 'household-category-served') {
          explanation = { matched: false, projectId: null, reason: 'household-category-served', failed, text: { zh: '该户同类需求已由另一需求获得项目（每户每类一个项目）', en: 'the household already gets a project in this category through another need (one per household and category)' } };
        } else {
          const ps = u.reason.projects;
          explanation = {
            matched: false, projectId: null, reason: 'capacity-taken', failed,
            text: {
              zh: `名额已被优先级更高（或相同）的需求占满：${ps.map((p) => `「${title.get(p.projectId)}」${p.places} 个名额${p.lowestAssignedPriority !== null ? `，最低 ${p.lowestAssignedPriority}` : p.limitedBy === 'budget' ? '（剩余预算不足一人）' : ''}`).join('；')}（本需求 ${u.adjustedPriority}）`,
              en: `places taken by needs of higher or equal priority: ${ps.map((p) => `"${title.get(p.projectId)}" ${p.places} place(s)${p.lowestAssignedPriority !== null ? `, lowest ${p.lowestAssignedPriority}` : p.limitedBy === 'budget' ? ' (remaining budget below one beneficiary)' : ''}`).join('; ')} (this need: ${u.adjustedPriority})`,
            },
          };
        }
      }
      return { run_id: runId, need_id: n.id, household_id: n.household_id, project_id: j >= 0 ? projects[j]!.id : null, priority: input.needs[i]!.priority, adjusted_priority: adjusted, explanation };
    });

    const projectUse = r.projects.map((u) => ({ projectId: u.projectId, title: title.get(u.projectId) ?? '', places: u.places, used: u.used, limitedBy: u.limitedBy, marginalValue: u.marginalValue }));
    const run = await trx.insertInto('matching_runs').values({
      id: runId, county_code: county, as_of: today, policy_version: params.version, mountain_uplift: uplift,
      // The network simplex is exact and its optimum is re-checked (capacity, one per household and category, every explanation): gap 0.
      status: 'optimal', optimality_gap: 0, objective: r.objective, greedy_objective: g.objective, needs: openNeeds.length, projects: projects.length,
      eligible_pairs: pairNeed.length, matched: r.matched, greedy_matched: g.matched, project_use: JSON.stringify(projectUse), ms, created_by: actor.userId,
    }).returningAll().executeTakeFirstOrThrow();
    for (let k = 0; k < results.length; k += 500) {
      await trx.insertInto('matching_results').values(results.slice(k, k + 500).map((x) => ({ ...x, explanation: JSON.stringify(x.explanation) }))).execute();
    }
    const referrals = results.filter((x) => x.project_id !== null);
    for (let k = 0; k < referrals.length; k += 500) {
      await trx.insertInto('charity_referrals').values(referrals.slice(k, k + 500).map((x) => {
        const p = projects.find((q) => q.id === x.project_id)!;
        return {
          id: newId(), run_id: runId, need_id: x.need_id, household_id: x.household_id, project_id: p.id, organisation_id: p.organisation_id,
          category: openNeeds.find((n) => n.id === x.need_id)!.category, explanation: JSON.stringify(x.explanation.text),
          decision_reason: null, decided_by: null, decided_at: null, delivered_on: null, amount_fen: null, items: null, volunteer_hours: null,
        };
      })).execute();
    }
    if (referrals.length > 0) {
      // Only needs still open: one a worker closed (or changed) while the run computed stops the
      // run (nothing is written) rather than being planned behind the worker's back.
      const r = await trx.updateTable('needs').set({ status: 'planned', updated_at: new Date(), version: sql<number>`version + 1` })
        .where('id', 'in', referrals.map((x) => x.need_id)).where('status', '=', 'open').executeTakeFirst();
      if (Number(r.numUpdatedRows) !== referrals.length) throw new AppError('CONFLICT', 'needs of the county changed while the matching ran; run it again');
    }
    await appendAudit(trx, { actorId: actor.userId, role: actor.role, action: 'matching.run', objectType: 'matching_run', objectId: runId, purpose: `county=${county}`, result: 'ok', requestId: actor.requestId });
    return { ...presentRun(run), results: detail(results, openNeeds) };
  });
}

function detail(
  results: { need_id: string; household_id: string; project_id: string | null; priority: number; adjusted_priority: number; explanation: unknown }[],
  needs: { id: string; category: string; severity: number }[],
): z.infer<typeof MatchingRunDetailSchema>['results'] {
  const byId = new Map(needs.map((n) => [n.id, n]));
  return results.map((x) => ({
    needId: x.need_id, householdId: x.household_id, category: byId.get(x.need_id)?.category ?? '', severity: byId.get(x.need_id)?.severity ?? 0,
    priority: x.priority, adjustedPriority: x.adjusted_priority, projectId: x.project_id, explanation: x.explanation as Explanation,
  }));
}

export async function listRuns(ctx: AppContext, actor: Actor): Promise<Run[]> {
  requirePermission(actor, 'charity.coordinate');
  const rows = await ctx.db.selectFrom('matching_runs').selectAll().where('county_code', 'like', `${actor.scopeRegion}%`).orderBy('created_at', 'desc').limit(50).execute();
  return rows.map(presentRun);
}

export async function getRun(ctx: AppContext, actor: Actor, id: string): Promise<z.infer<typeof MatchingRunDetailSchema>> {
  requirePermission(actor, 'charity.coordinate');
  const run = await ctx.db.selectFrom('matching_runs').selectAll().where('id', '=', id).where('county_code', 'like', `${actor.scopeRegion}%`).executeTakeFirst();
  if (!run) throw new AppError('NOT_FOUND', 'matching run not found');
  const results = await ctx.db.selectFrom('matching_results').selectAll().where('run_id', '=', id).orderBy('priority', 'desc').execute();
  const needs = results.length === 0 ? [] : await ctx.db.selectFrom('needs').select(['id', 'category', 'severity']).where('id', 'in', results.map((r) => r.need_id)).execute();
  await ctx.db.transaction().execute((trx) => appendAudit(trx, { actorId: actor.userId, role: actor.role, action: 'matching.read', objectType: 'matching_run', objectId: id, result: 'ok', requestId: actor.requestId }));
  return { ...presentRun(run), results: detail(results, needs) };
}


