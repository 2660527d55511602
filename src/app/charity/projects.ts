/**
 * Charity organisations' profiles and their projects: create and edit drafts (charity staff of
 * the organisation), the lifecycle (submit → approve by the county consortium → publish → close),
 * and pushing a published project to the households whose open needs it could serve.
 */
import { sql, type Kysely, type Selectable } from 'kysely';
import type { z } from 'zod';
import type { CandidateSchema, CharityProfileSchema, CharityProfileUpdateSchema, EligibilitySchema, ProjectActionSchema, ProjectCreateSchema, ProjectSchema, ProjectUpdateSchema } from '../../contracts/charity.js';
import {
  checkProject, CRITERION_TEXT, failedCriteria, needPriority, projectBudget, transitionProject, type Eligibility, type LifecycleRole, type ProjectStatus, type ReferralUse,
} from '../../core/charity/index.js';
import type { CharityProjectsTable, Database } from '../../db/schema.js';
import type { AppContext } from '../context.js';
import { AppError, invalid } from '../errors.js';
import { newId } from '../new-id.js';
import { appendAudit } from '../audit/audit.js';
import { hasPermission, requirePermission, type Actor } from '../auth/actor.js';
import { loadHouseholds } from './profiles.js';
import { checkFreeText } from './needs.js';

type Project = z.infer<typeof ProjectSchema>;
type ProjectRow = Selectable<CharityProjectsTable>;
const iso = (d: Date | string): string => (d instanceof Date ? d.toISOString() : d);
const projectNotFound = (): AppError => new AppError('NOT_FOUND', 'project not found');
/** Referral statuses that hold a project place. */
export const LIVE_REFERRAL = ['proposed', 'accepted', 'delivered'] as const;

/** The organisation of a charity staff member, or FORBIDDEN. */
function orgOf(actor: Actor): string {
  if (!actor.organisationId) throw new AppError('FORBIDDEN', 'your account belongs to no organisation');
  return actor.organisationId;
}

type ProfileView = z.infer<typeof CharityProfileSchema>;
const presentOrg = (o: Selectable<Database['organisations']>): ProfileView => ({
  id: o.id, name: o.name, kind: o.kind, creditCode: o.credit_code, regionCode: o.region_code, recognisedCharity: o.recognised_charity, regionsServed: o.regions_served,
});

export async function charityProfile(ctx: AppContext, actor: Actor): Promise<ProfileView> {
  requirePermission(actor, 'charity.manage');
  const o = await ctx.db.selectFrom('organisations').selectAll().where('id', '=', orgOf(actor)).executeTakeFirstOrThrow();
  return presentOrg(o);
}

/** The security administrator records an organisation's charity kind, recognition (慈善组织认定) and the regions it serves. */
export async function updateCharityProfile(ctx: AppContext, actor: Actor | null, organisationId: string, body: z.infer<typeof CharityProfileUpdateSchema>): Promise<ProfileView> {
  if (actor) requirePermission(actor, 'access.manage');
  body.regionsServed.forEach((r, i) => {
    if (!ctx.regions.get(r)) throw invalid([{ field: `regionsServed[${i}]`, message: 'unknown region code' }]);
  });
  return ctx.db.transaction().execute(async (trx) => {
    const o = await trx.updateTable('organisations').set({ kind: body.kind, recognised_charity: body.recognisedCharity, regions_served: [...new Set(body.regionsServed)] }).where('id', '=', organisationId).where('kind', '<>', 'department').returningAll().executeTakeFirst();
    if (!o) throw new AppError('NOT_FOUND', 'organisation not found (or a department)');
    await appendAudit(trx, { actorId: actor?.userId ?? null, role: actor?.role ?? 'operator', action: 'organisation.charity_profile', objectType: 'organisation', objectId: organisationId, result: 'ok', requestId: actor?.requestId ?? null });
    return presentOrg(o);
  });
}

const NO_USE: ReferralUse = { open: 0, delivered: 0, deliveredFen: 0 };

/**
 * How the projects' referrals count against capacity and budget (`projectBudget`): open referrals
 * (proposed, accepted), delivered ones and their delivered amounts; declined ones count nothing.
 */
export async function referralUse(db: Kysely<Database>, projectIds: readonly string[]): Promise<Map<string, ReferralUse>> {
  if (projectIds.length === 0) return new Map();
  const rows = await db.selectFrom('charity_referrals').select('project_id')
    .select(sql<number>`(count(*) FILTER (WHERE status IN ('proposed', 'accepted')))::int`.as('open'))
    .select(sql<number>`(count(*) FILTER (WHERE status = 'delivered'))::int`.as('delivered'))
    .select(sql<number>`(coalesce(sum(amount_fen) FILTER (WHERE status = 'delivered'), 0))::bigint`.as('delivered_fen'))
    .where('project_id', 'in', [...projectIds]).where('status', 'in', [...LIVE_REFERRAL]).groupBy('project_id').execute();
  return new Map(rows.map((r) => [r.project_id, { open: r.open, delivered: r.delivered, deliveredFen: r.delivered_fen }]));
}

async function present(db: Kysely<Database>, rows: ProjectRow[]): Promise<Project[]> {
  if (rows.length === 0) return [];
  const use = await referralUse(db, rows.map((r) => r.id));
  const orgs = await db.selectFrom('organisations').select(['id', 'name']).where('id', 'in', [...new Set(rows.map((r) => r.organisation_id))]).execute();
  const on = new Map(orgs.map((o) => [o.id, o.name]));
  return rows.map((p) => {
    const b = projectBudget({ capacity: p.capacity, budgetFen: p.budget_fen, costPerBeneficiaryFen: p.cost_per_beneficiary_fen }, use.get(p.id) ?? NO_USE);
    return {
      id: p.id, organisationId: p.organisation_id, organisationName: on.get(p.organisation_id) ?? '', title: p.title, description: p.description, brand: p.brand,
      categories: p.categories, eligibility: p.eligibility as z.infer<typeof EligibilitySchema>, capacity: p.capacity, budgetFen: p.budget_fen,
      costPerBeneficiaryFen: p.cost_per_beneficiary_fen, places: b.placesTaken + b.placesLeft, placesTaken: b.placesTaken, placesLeft: b.placesLeft,
      budgetReservedFen: b.budgetReservedFen, budgetUsedFen: b.budgetUsedFen, budgetRemainingFen: b.budgetRemainingFen,
      startsOn: p.starts_on, endsOn: p.ends_on, status: p.status, statusReason: p.status_reason, createdAt: iso(p.created_at),
    };
  });
}

/**
 * Projects the actor may see: charity staff those of their organisation; a consortium
 * coordinator the non-draft projects whose region overlaps their county.
 */
function visible(db: Kysely<Database>, actor: Actor) {
  let q = db.selectFrom('charity_projects');
  if (hasPermission(actor, 'charity.manage')) q = q.where('organisation_id', '=', orgOf(actor));
  else if (hasPermission(actor, 'charity.coordinate')) {
    q = q.where('status', '<>', 'draft').where((eb) => eb.or([eb('region_code', 'like', `${actor.scopeRegion}%`), eb(sql.lit(actor.scopeRegion), 'like', sql<string>`region_code || '%'`)]));
  } else throw new AppError('FORBIDDEN', 'you do not have permission for this action');
  return q;
}

export async function listProjects(ctx: AppContext, actor: Actor, status?: ProjectStatus): Promise<Project[]> {
  let q = visible(ctx.db, actor);
  if (status) q = q.where('status', '=', status);
  const rows = await q.selectAll().orderBy('created_at', 'desc').limit(200).execute();
  return present(ctx.db, rows);
}

export async function getProject(ctx: AppContext, actor: Actor, id: string): Promise<Project> {
  const row = await visible(ctx.db, actor).selectAll().where('id', '=', id).executeTakeFirst();
  if (!row) throw projectNotFound();
  return (await present(ctx.db, [row]))[0]!;
}

async function validate(ctx: AppContext, db: Kysely<Database>, orgId: string, p: z.infer<typeof ProjectCreateSchema>): Promise<void> {
  const org = await db.selectFrom('organisations').select(['kind', 'regions_served', 'region_code']).where('id', '=', orgId).executeTakeFirstOrThrow();
  const issues = checkProject({ ...p, eligibility: p.eligibility }, { kind: org.kind, regionsServed: org.regions_served, regionCode: org.region_code }, (c) => ctx.regions.get(c) !== undefined);
  if (issues.length > 0) throw invalid(issues);
}

export async function createProject(ctx: AppContext, actor: Actor, body: z.infer<typeof ProjectCreateSchema>): Promise<Project> {
  requirePermission(actor, 'charity.manage');
  const orgId = orgOf(actor);
  checkFreeText('description', body.description);
  return ctx.db.transaction().execute(async (trx) => {
    await validate(ctx, trx, orgId, body);
    const row = await trx.insertInto('charity_projects').values({
      id: newId(), organisation_id: orgId, title: body.title, description: body.description, brand: body.brand, categories: body.categories,
      eligibility: JSON.stringify(body.eligibility), region_code: body.eligibility.regionCode, capacity: body.capacity, budget_fen: body.budgetFen,
      cost_per_beneficiary_fen: body.costPerBeneficiaryFen, starts_on: body.startsOn, ends_on: body.endsOn, status_reason: null, approved_by: null, created_by: actor.userId,
    }).returningAll().executeTakeFirstOrThrow();
    await appendAudit(trx, { actorId: actor.userId, role: actor.role, action: 'project.create', objectType: 'project', objectId: row.id, result: 'ok', requestId: actor.requestId });
    return (await present(trx, [row]))[0]!;
  });
}

/** Edits a draft (a returned project is a draft again). */
export async function updateProject(ctx: AppContext, actor: Actor, id: string, body: z.infer<typeof ProjectUpdateSchema>): Promise<Project> {
  requirePermission(actor, 'charity.manage');
  const orgId = orgOf(actor);
  checkFreeText('description', body.description);
  return ctx.db.transaction().execute(async (trx) => {
    const old = await trx.selectFrom('charity_projects').selectAll().where('id', '=', id).where('organisation_id', '=', orgId).forUpdate().executeTakeFirst();
    if (!old) throw projectNotFound();
    if (old.status !== 'draft') throw invalid([{ field: 'status', message: `a ${old.status} project cannot be edited (only a draft)` }]);
    const merged = {
      title: body.title ?? old.title, description: body.description ?? old.description, brand: body.brand === undefined ? old.brand : body.brand,
      categories: body.categories ?? (old.categories as z.infer<typeof ProjectCreateSchema>['categories']), eligibility: body.eligibility ?? (old.eligibility as z.infer<typeof EligibilitySchema>),
      capacity: body.capacity ?? old.capacity, budgetFen: body.budgetFen ?? old.budget_fen, costPerBeneficiaryFen: body.costPerBeneficiaryFen ?? old.cost_per_beneficiary_fen,
      startsOn: body.startsOn ?? old.starts_on, endsOn: body.endsOn ?? old.ends_on,
    };
    await validate(ctx, trx, orgId, merged);
    const row = await trx.updateTable('charity_projects').set({
      title: merged.title, description: merged.description, brand: merged.brand, categories: merged.categories, eligibility: JSON.stringify(merged.eligibility),
      region_code: merged.eligibility.regionCode, capacity: merged.capacity, budget_fen: merged.budgetFen, cost_per_beneficiary_fen: merged.costPerBeneficiaryFen,
      starts_on: merged.startsOn, ends_on: merged.endsOn, updated_at: new Date(),
    }).where('id', '=', id).returningAll().executeTakeFirstOrThrow();
    await appendAudit(trx, { actorId: actor.userId, role: actor.role, action: 'project.update', objectType: 'project', objectId: id, result: 'ok', requestId: actor.requestId });
    return (await present(trx, [row]))[0]!;
  });
}

/** A lifecycle step: the charity submits, publishes, closes; the consortium approves or returns. */
export async function actOnProject(ctx: AppContext, actor: Actor, id: string, body: z.infer<typeof ProjectActionSchema>): Promise<Project> {
  const by: LifecycleRole = hasPermission(actor, 'charity.manage') ? 'charity' : hasPermission(actor, 'charity.coordinate') ? 'consortium' : (() => {
    throw new AppError('FORBIDDEN', 'you do not have permission for this action');
  })();
  checkFreeText('reason', body.reason);
  return ctx.db.transaction().execute(async (trx) => {
    const old = await visible(trx, actor).selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
    if (!old) throw projectNotFound();
    const t = transitionProject(old.status, body.type, by, body.reason);
    if (!t.ok) {
      const [field, ...rest] = t.error.split(': ');
      throw invalid([{ field: field!, message: rest.join(': ') }]);
    }
    const row = await trx.updateTable('charity_projects').set({
      status: t.status, status_reason: body.reason ?? null, updated_at: new Date(), ...(body.type === 'approve' && { approved_by: actor.userId }),
    }).where('id', '=', id).returningAll().executeTakeFirstOrThrow();
    await appendAudit(trx, { actorId: actor.userId, role: actor.role, action: `project.${body.type}`, objectType: 'project', objectId: id, purpose: body.reason ?? null, result: 'ok', requestId: actor.requestId });
    return (await present(trx, [row]))[0]!;
  });
}

/**
 * Pushing a published project: the open needs of the coordinator's county in the project's
 * categories, each eligible or not, with the criteria that fail; eligible ones first, by priority.
 */
export async function projectCandidates(ctx: AppContext, actor: Actor, id: string): Promise<z.infer<typeof CandidateSchema>[]> {
  requirePermission(actor, 'charity.coordinate');
  const p = await visible(ctx.db, actor).selectAll().where('id', '=', id).executeTakeFirst();
  if (!p) throw projectNotFound();
  if (p.status !== 'published') throw invalid([{ field: 'status', message: `only a published project can be pushed (this one is ${p.status})` }]);
  const today = ctx.today();
  // Needs of households that live in the area now (ADR 0007: scope follows the household).
  const needs = await ctx.db.selectFrom('needs').selectAll().where('household_id', 'in', (eb) => eb.selectFrom('households').select('id').where('region_code', 'like', `${actor.scopeRegion}%`)).where('status', '=', 'open').where('category', 'in', p.categories).orderBy('opened_on').orderBy('id').limit(2000).execute();
  const hs = new Map((await loadHouseholds(ctx.db, today, { ids: [...new Set(needs.map((n) => n.household_id))] })).map((h) => [h.id, h]));
  const e = p.eligibility as Eligibility;
  const out = needs.map((n) => {
    const h = hs.get(n.household_id)!;
    const failed = failedCriteria(e, h.profile);
    const waiting = Math.max(0, Math.round((Date.parse(today) - Date.parse(n.opened_on)) / 86_400_000));
    const priority = needPriority(n.severity, h.profile.riskLevel, waiting);
    const reasons = failed.length === 0
      ? [{ zh: `符合全部条件；需求 ${n.category} 严重程度 ${n.severity}，优先级 ${priority}`, en: `meets every criterion; ${n.category} need of severity ${n.severity}, priority ${priority}` }]
      : failed.map((c) => CRITERION_TEXT[c]);
    return { needId: n.id, householdId: n.household_id, category: n.category, severity: n.severity, priority, eligible: failed.length === 0, failed, reasons };
  });
  await ctx.db.transaction().execute((trx) =>
    appendAudit(trx, { actorId: actor.userId, role: actor.role, action: 'project.push', objectType: 'project', objectId: id, result: 'ok', requestId: actor.requestId }));
  return out.sort((a, b) => Number(b.eligible) - Number(a.eligible) || b.priority - a.priority);
}
