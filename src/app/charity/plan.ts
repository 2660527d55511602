/**
 * One plan per household (一户一策): government entitlements (from the classification), department
 * tasks (department, due date, status) and charity referrals, with an owner, a review date and a
 * version history (every change writes the next version).
 */
import type { z } from 'zod';
import type { PlanSchema, PlanUpdateSchema } from '../../contracts/charity.js';
import type { AppContext } from '../context.js';
import { AppError, invalid, staleVersion } from '../errors.js';
import { appendAudit, appendAuditAlone } from '../audit/audit.js';
import { requirePermission, type Actor } from '../auth/actor.js';
import { presentNeed, checkFreeText } from './needs.js';
import { presentReferral } from './referrals.js';

type Plan = z.infer<typeof PlanSchema>;
type Task = Plan['tasks'][number];
const iso = (d: Date | string): string => (d instanceof Date ? d.toISOString() : d);

const ENTITLEMENT_TEXT: Record<string, { zh: string; en: string }> = {
  extreme_poverty: { zh: '特困人员救助供养金（按月发放）', en: 'extreme-poverty support (monthly)' },
  dibao: { zh: '最低生活保障金（按月发放）', en: 'dibao payment (monthly)' },
  marginal: { zh: '低保边缘家庭专项救助（医疗、教育、住房、就业）', en: 'marginal-household special assistance (medical, education, housing, employment)' },
  rigid_expenditure: { zh: '支出型困难家庭专项救助', en: 'special assistance for households with rigid expenditure' },
  income_uplift: { zh: '低收入家庭增收帮扶', en: 'income-uplift support' },
};

async function scoped(ctx: AppContext, actor: Actor, householdId: string, action: string): Promise<void> {
  const h = await ctx.db.selectFrom('households').select('id').where('id', '=', householdId).where('region_code', 'like', `${actor.scopeRegion}%`).executeTakeFirst();
  if (!h) {
    await appendAuditAlone(ctx.db, { actorId: actor.userId, role: actor.role, action, objectType: 'household', objectId: householdId, result: 'denied', requestId: actor.requestId });
    throw new AppError('HOUSEHOLD_NOT_FOUND', 'household not found');
  }
}

async function load(ctx: AppContext, householdId: string): Promise<Plan> {
  const today = ctx.today();
  const [plan, status, referrals, needs, versions] = await Promise.all([
    ctx.db.selectFrom('support_plans').selectAll().where('household_id', '=', householdId).executeTakeFirst(),
    ctx.db.selectFrom('household_status').select(['category', 'payment_fen']).where('household_id', '=', householdId).executeTakeFirst(),
    ctx.db.selectFrom('charity_referrals as r').innerJoin('charity_projects as p', 'p.id', 'r.project_id').innerJoin('organisations as o', 'o.id', 'r.organisation_id')
      .selectAll('r').select(['p.title', 'o.name as org_name']).where('r.household_id', '=', householdId).orderBy('r.created_at').execute(),
    ctx.db.selectFrom('needs as n').innerJoin('households as h', 'h.id', 'n.household_id').selectAll('n').select('h.region_code as household_region').where('n.household_id', '=', householdId).orderBy('n.category').execute(),
    ctx.db.selectFrom('support_plan_versions').select(['version', 'changed_at', 'changed_by', 'note']).where('household_id', '=', householdId).orderBy('version', 'desc').execute(),
  ]);
  const sev = new Map(needs.map((n) => [n.id, n.severity]));
  const cat = status?.category ?? 'none';
  const entitlements = ENTITLEMENT_TEXT[cat] ? [{ kind: cat, text: ENTITLEMENT_TEXT[cat], monthlyFen: cat === 'dibao' || cat === 'extreme_poverty' ? status!.payment_fen : null }] : [];
  return {
    householdId, version: plan?.version ?? 0, ownerId: plan?.owner_id ?? null, reviewOn: plan?.review_on ?? null, entitlements,
    tasks: (plan?.tasks ?? []) as Task[],
    referrals: referrals.map((r) => ({ ...presentReferral(r, { projectTitle: r.title, severity: sev.get(r.need_id) ?? 0 }), organisationName: r.org_name })),
    needs: needs.map((n) => presentNeed(n, today, n.household_region)),
    versions: versions.map((v) => ({ version: v.version, changedAt: iso(v.changed_at), changedBy: v.changed_by, note: v.note })),
  };
}

export async function getPlan(ctx: AppContext, actor: Actor, householdId: string): Promise<Plan> {
  requirePermission(actor, 'household.read');
  await scoped(ctx, actor, householdId, 'plan.read');
  const plan = await load(ctx, householdId);
  await appendAuditAlone(ctx.db, { actorId: actor.userId, role: actor.role, action: 'plan.read', objectType: 'household', objectId: householdId, result: 'ok', requestId: actor.requestId });
  return plan;
}

/**
 * Changes the owner, review date or department tasks; writes the next version. With `ifMatch`
 * (the version the client read; 0 = no plan yet) a plan changed since is refused (412).
 */
export async function updatePlan(ctx: AppContext, actor: Actor, householdId: string, body: z.infer<typeof PlanUpdateSchema>, ifMatch?: number): Promise<Plan> {
  requirePermission(actor, 'needs.write');
  checkFreeText('note', body.note);
  body.tasks?.forEach((t, i) => {
    checkFreeText(`tasks[${i}].id`, t.id);
    checkFreeText(`tasks[${i}].department`, t.department);
    checkFreeText(`tasks[${i}].task`, t.task);
  });
  if (body.tasks && new Set(body.tasks.map((t) => t.id)).size !== body.tasks.length) throw invalid([{ field: 'tasks', message: 'task ids must be unique' }]);
  await scoped(ctx, actor, householdId, 'plan.update');
  if (body.ownerId) {
    const u = await ctx.db.selectFrom('users').select(['scope_region', 'role']).where('id', '=', body.ownerId).executeTakeFirst();
    // The owner is a worker or officer whose area covers the household.
    const h = await ctx.db.selectFrom('households').select('region_code').where('id', '=', householdId).executeTakeFirstOrThrow();
    if (!u || !h.region_code.startsWith(u.scope_region) || !['township_worker', 'county_officer', 'city_officer', 'province_officer'].includes(u.role)) {
      throw invalid([{ field: 'ownerId', message: 'is not a worker whose area covers this household' }]);
    }
  }
  await ctx.db.transaction().execute(async (trx) => {
    // The household row is locked first: changes of one plan (its first version included, when
    // there is no plan row to lock yet) run one after another, each on the latest version.
    await trx.selectFrom('households').select('id').where('id', '=', householdId).forNoKeyUpdate().execute();
    const old = await trx.selectFrom('support_plans').selectAll().where('household_id', '=', householdId).forUpdate().executeTakeFirst();
    if (ifMatch !== undefined && (old?.version ?? 0) !== ifMatch) throw staleVersion();
    const next = {
      version: (old?.version ?? 0) + 1,
      owner_id: body.ownerId === undefined ? old?.owner_id ?? actor.userId : body.ownerId,
      review_on: body.reviewOn === undefined ? old?.review_on ?? null : body.reviewOn,
      tasks: JSON.stringify(body.tasks ?? old?.tasks ?? []),
    };
    if (old) await trx.updateTable('support_plans').set({ ...next, updated_by: actor.userId, updated_at: new Date() }).where('household_id', '=', householdId).execute();
    else await trx.insertInto('support_plans').values({ household_id: householdId, ...next, updated_by: actor.userId }).execute();
    await trx.insertInto('support_plan_versions').values({ household_id: householdId, ...next, note: body.note ?? null, changed_by: actor.userId }).execute();
    await appendAudit(trx, { actorId: actor.userId, role: actor.role, action: 'plan.update', objectType: 'household', objectId: householdId, result: 'ok', requestId: actor.requestId });
  });
  return load(ctx, householdId);
}
