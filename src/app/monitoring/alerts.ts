/**
 * Handling monitoring alerts: the worker's inbox, actions through the alert state machine, home
 * visits, a household's risk history, and the county overview. Alerts live under their household:
 * the household's region scope decides who sees and handles them (out of scope = not found).
 */
import { sql } from 'kysely';
import type { z } from 'zod';
import type { AlertActionSchema, AlertListQuerySchema, AlertListSchema, AlertView, HouseholdMonitoringSchema, MonitoringOverviewSchema, VisitCreateSchema } from '../../contracts/monitoring.js';
import { transition, type Alert, type AlertAction } from '../../core/risk/alert-machine.js';
import { deprivedDimensions } from '../../core/risk/six-dimensions.js';
import { MOBILE_PATTERN, RESIDENT_ID_PATTERN } from '../../core/security/index.js';
import type { AlertsTable, Database } from '../../db/schema.js';
import type { Kysely, Selectable } from 'kysely';
import type { AppContext } from '../context.js';
import { AppError, invalid } from '../errors.js';
import { newId } from '../new-id.js';
import { appendAudit, appendAuditAlone } from '../audit/audit.js';
import { requirePermission, type Actor } from '../auth/actor.js';

type AlertRow = Selectable<AlertsTable>;
const notFound = (): AppError => new AppError('HOUSEHOLD_NOT_FOUND', 'household not found');
const iso = (d: Date | string): string => (d instanceof Date ? d.toISOString() : d);

/** An alert shown with its household's current village (`region`), not the one it was raised in. */
function present(ctx: AppContext, a: AlertRow, today: string, region: string): AlertView {
  const open = a.status === 'new' || a.status === 'assigned' || a.status === 'visiting';
  return {
    id: a.id, householdId: a.household_id, regionCode: region,
    villageName: ctx.regions.get(region)?.name ?? region,
    townshipName: ctx.regions.get(region.slice(0, 9))?.name ?? '',
    cause: a.cause, level: a.level, status: a.status, assigneeId: a.assignee_id, raisedOn: a.raised_on, dueOn: a.due_on,
    overdue: open && a.due_on < today, escalated: a.escalated, outcome: a.outcome, closingReason: a.closing_reason,
    reasons: (a.reasons ?? {}) as Record<string, unknown>,
  };
}

/** The actor's alerts: in scope, filtered, overdue first, then by level and due date. */
export async function listAlerts(ctx: AppContext, actor: Actor, q: z.infer<typeof AlertListQuerySchema>): Promise<z.infer<typeof AlertListSchema>> {
  requirePermission(actor, 'household.read');
  const region = q.region && q.region.startsWith(actor.scopeRegion) ? q.region : actor.scopeRegion;
  if (q.region && !q.region.startsWith(actor.scopeRegion) && !actor.scopeRegion.startsWith(q.region)) return { items: [], total: 0, page: q.page, pageSize: q.pageSize };
  const today = ctx.today();
  return ctx.db.transaction().execute(async (trx) => {
    // Scope follows the household: its current village, never the one the alert was raised in (ADR 0007).
    let base = trx.selectFrom('alerts as a').innerJoin('households as h', 'h.id', 'a.household_id').where('h.region_code', 'like', `${region}%`);
    if (q.level) base = base.where('a.level', '=', q.level);
    if (q.status === 'open') base = base.where('a.status', 'in', ['new', 'assigned', 'visiting']);
    else if (q.status) base = base.where('a.status', '=', q.status);
    if (q.overdue === 'true') base = base.where('a.status', 'in', ['new', 'assigned', 'visiting']).where('a.due_on', '<', today);
    const total = (await base.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirst())?.n ?? 0;
    const rows = await base
      .selectAll('a')
      .select('h.region_code as household_region')
      .orderBy(sql`CASE WHEN a.status IN ('new','assigned','visiting') AND a.due_on < ${today} THEN 0 ELSE 1 END`)
      .orderBy(sql`array_position(ARRAY['red','orange','yellow'], a.level)`)
      .orderBy('a.due_on')
      .orderBy('a.id')
      .limit(q.pageSize)
      .offset((q.page - 1) * q.pageSize)
      .execute();
    await appendAudit(trx, { actorId: actor.userId, role: actor.role, action: 'alert.list', objectType: 'alert', purpose: `region=${region};level=${q.level ?? '*'};status=${q.status ?? '*'}`, result: 'ok', requestId: actor.requestId });
    return { items: rows.map((a) => present(ctx, a, today, a.household_region)), total, page: q.page, pageSize: q.pageSize };
  });
}

/** The household's current village when it is in the actor's scope; undefined otherwise. */
async function householdInScope(db: Kysely<Database>, actor: Actor, householdId: string): Promise<string | undefined> {
  const r = await db.selectFrom('households').select('region_code').where('id', '=', householdId).where('region_code', 'like', `${actor.scopeRegion}%`).executeTakeFirst();
  return r?.region_code;
}

async function refuse(ctx: AppContext, actor: Actor, action: string, householdId: string): Promise<never> {
  await appendAuditAlone(ctx.db, { actorId: actor.userId, role: actor.role, action, objectType: 'household', objectId: householdId, result: 'denied', requestId: actor.requestId });
  throw notFound();
}

/** A household's risk history, its alerts with their events, and its visits. */
export async function householdMonitoring(ctx: AppContext, actor: Actor, householdId: string): Promise<z.infer<typeof HouseholdMonitoringSchema>> {
  requirePermission(actor, 'household.read');
  const out = await ctx.db.transaction().execute(async (trx) => {
    const region = await householdInScope(trx, actor, householdId);
    if (region === undefined) return undefined;
    const [snaps, alerts, visits, through] = await Promise.all([
      trx.selectFrom('risk_snapshots').select(['as_of', 'score', 'level', 'mask', 'category', 'population', 'population_reasons']).where('household_id', '=', householdId).orderBy('as_of').execute(),
      trx.selectFrom('alerts').selectAll().where('household_id', '=', householdId).orderBy('raised_on', 'desc').execute(),
      trx.selectFrom('visits').selectAll().where('household_id', '=', householdId).orderBy('visited_on', 'desc').execute(),
      // The last finished run that covered the household: snapshots are stored on change, so the
      // latest one holds until this date.
      sql<{ as_of: string | null }>`SELECT max(r.as_of) AS as_of FROM monitoring_runs r JOIN households h ON h.region_code LIKE r.region_code || '%'
        WHERE h.id = ${householdId} AND r.finished_at IS NOT NULL`.execute(trx),
    ]);
    const events = alerts.length === 0 ? [] : await trx.selectFrom('alert_events').selectAll().where('alert_id', 'in', alerts.map((a) => a.id)).orderBy('at').execute();
    await appendAudit(trx, { actorId: actor.userId, role: actor.role, action: 'household.read_monitoring', objectType: 'household', objectId: householdId, result: 'ok', requestId: actor.requestId });
    const today = ctx.today();
    return {
      history: snaps.map((s) => ({
        asOf: s.as_of, score: s.score, level: s.level, dimensions: deprivedDimensions(s.mask), category: s.category, population: s.population, populationReasons: s.population_reasons,
      })),
      monitoredThrough: through.rows[0]?.as_of ?? null,
      alerts: alerts.map((a) => ({
        ...present(ctx, a, today, region),
        events: events.filter((e) => e.alert_id === a.id).map((e) => ({ action: e.action, actorId: e.actor_id, at: iso(e.at), detail: e.detail })),
      })),
      visits: visits.map((v) => ({ id: v.id, householdId: v.household_id, alertId: v.alert_id, workerId: v.worker_id, visitedOn: v.visited_on, findings: v.findings, notes: v.notes })),
    };
  });
  return out ?? refuse(ctx, actor, 'household.read_monitoring', householdId);
}

const toMachine = (a: AlertRow): Alert => ({
  id: a.id, householdId: a.household_id, cause: a.cause, level: a.level, status: a.status, assigneeId: a.assignee_id,
  raisedOn: a.raised_on, dueOn: a.due_on, escalated: a.escalated, outcome: a.outcome, closingReason: a.closing_reason,
});

/** Applies an action to an alert of a household in scope; an action the status does not allow is a 400. */
export async function actOnAlert(ctx: AppContext, actor: Actor, householdId: string, alertId: string, body: z.infer<typeof AlertActionSchema>): Promise<AlertView> {
  requirePermission(actor, 'household.write');
  const view = await ctx.db.transaction().execute(async (trx) => {
    const region = await householdInScope(trx, actor, householdId);
    if (region === undefined) return undefined;
    const row = await trx.selectFrom('alerts').selectAll().where('id', '=', alertId).where('household_id', '=', householdId).forUpdate().executeTakeFirst();
    if (!row) throw new AppError('NOT_FOUND', 'alert not found for this household');
    let action: AlertAction;
    if (body.type === 'assign') {
      const assignee = body.assigneeId ?? actor.userId;
      if (assignee !== actor.userId) {
        const u = await trx.selectFrom('users').select(['scope_region', 'role']).where('id', '=', assignee).executeTakeFirst();
        // The assignee must be a worker or officer whose area covers the household.
        if (!u || !region.startsWith(u.scope_region) || !['township_worker', 'county_officer', 'city_officer', 'province_officer'].includes(u.role)) {
          throw invalid([{ field: 'assigneeId', message: 'is not a worker whose area covers this household' }]);
        }
      }
      action = { type: 'assign', assigneeId: assignee };
    } else action = body;
    const r = transition(toMachine(row), action);
    if (!r.ok) {
      const field = r.error.startsWith('reason:') ? 'reason' : 'type';
      throw invalid([{ field, message: r.error.replace(/^reason: /, '') }]);
    }
    const a = r.alert;
    const updated = await trx
      .updateTable('alerts')
      .set({ status: a.status, assignee_id: a.assigneeId, outcome: a.outcome, closing_reason: a.closingReason, escalated: a.escalated, updated_at: new Date() })
      .where('id', '=', alertId)
      .returningAll()
      .executeTakeFirstOrThrow();
    await trx.insertInto('alert_events').values({ id: newId(), alert_id: alertId, action: body.type, actor_id: actor.userId, detail: body.type === 'resolve' ? body.outcome : body.type === 'dismiss' ? body.reason : null }).execute();
    await appendAudit(trx, { actorId: actor.userId, role: actor.role, action: `alert.${body.type}`, objectType: 'alert', objectId: alertId, result: 'ok', requestId: actor.requestId });
    return present(ctx, updated, ctx.today(), region);
  });
  return view ?? refuse(ctx, actor, `alert.${body.type}`, householdId);
}

/** Records a home visit (it feeds the visits dimension of the next run); a visit for an open alert moves it to visiting. */
export async function recordVisit(ctx: AppContext, actor: Actor, householdId: string, body: z.infer<typeof VisitCreateSchema>): Promise<z.infer<typeof HouseholdMonitoringSchema>['visits'][number]> {
  requirePermission(actor, 'household.write');
  if (body.visitedOn > ctx.today()) throw invalid([{ field: 'visitedOn', message: 'is in the future' }]);
  if (body.notes && (new RegExp(RESIDENT_ID_PATTERN.source).test(body.notes) || new RegExp(MOBILE_PATTERN.source).test(body.notes))) {
    throw invalid([{ field: 'notes', message: 'must not contain an ID number or a phone number' }]);
  }
  if (body.findings.includes('none') && body.findings.length > 1) throw invalid([{ field: 'findings', message: '"none" cannot be ticked with other findings' }]);
  const out = await ctx.db.transaction().execute(async (trx) => {
    if (!(await householdInScope(trx, actor, householdId))) return undefined;
    if (body.alertId) {
      const a = await trx.selectFrom('alerts').selectAll().where('id', '=', body.alertId).where('household_id', '=', householdId).forUpdate().executeTakeFirst();
      if (!a) throw invalid([{ field: 'alertId', message: 'is not an alert of this household' }]);
      if (a.status === 'resolved' || a.status === 'dismissed') throw invalid([{ field: 'alertId', message: `the alert is ${a.status}: a visit cannot be recorded on a closed alert` }]);
      let m = toMachine(a);
      if (m.status === 'new') m = { ...m, status: 'assigned', assigneeId: actor.userId };
      if (m.status === 'assigned') {
        const r = transition(m, { type: 'start_visit' });
        if (r.ok) m = r.alert;
      }
      await trx.updateTable('alerts').set({ status: m.status, assignee_id: m.assigneeId, updated_at: new Date() }).where('id', '=', a.id).execute();
      await trx.insertInto('alert_events').values({ id: newId(), alert_id: a.id, action: 'visit', actor_id: actor.userId, detail: body.findings.join(',') }).execute();
    }
    const v = await trx
      .insertInto('visits')
      .values({ id: newId(), household_id: householdId, alert_id: body.alertId ?? null, worker_id: actor.userId, visited_on: body.visitedOn, findings: body.findings, notes: body.notes ?? null })
      .returningAll()
      .executeTakeFirstOrThrow();
    await appendAudit(trx, { actorId: actor.userId, role: actor.role, action: 'household.visit', objectType: 'household', objectId: householdId, result: 'ok', requestId: actor.requestId });
    return { id: v.id, householdId: v.household_id, alertId: v.alert_id, workerId: v.worker_id, visitedOn: v.visited_on, findings: v.findings, notes: v.notes };
  });
  return out ?? refuse(ctx, actor, 'household.visit', householdId);
}

/** Open alerts by level and overdue counts per area one level below the region, with M0 of the latest run. */
export async function monitoringOverview(ctx: AppContext, actor: Actor, region?: string): Promise<z.infer<typeof MonitoringOverviewSchema>> {
  requirePermission(actor, 'household.read');
  const r = region && region.startsWith(actor.scopeRegion) ? region : actor.scopeRegion;
  const node = ctx.regions.get(r);
  if (!node) throw invalid([{ field: 'region', message: 'unknown region code' }]);
  const children = node.level === 'village' ? [node] : ctx.regions.children(r);
  const len = children[0]?.code.length ?? r.length;
  const today = ctx.today();
  // Open alerts counted where their households live now (ADR 0007).
  const counts = await ctx.db
    .selectFrom('alerts as a')
    .innerJoin('households as h', 'h.id', 'a.household_id')
    .select(sql<string>`substr(h.region_code, 1, ${sql.lit(len)})`.as('code'))
    .select((eb) => [
      eb.fn.count<number>(sql`CASE WHEN a.level = 'red' THEN 1 END`).as('red'),
      eb.fn.count<number>(sql`CASE WHEN a.level = 'orange' THEN 1 END`).as('orange'),
      eb.fn.count<number>(sql`CASE WHEN a.level = 'yellow' THEN 1 END`).as('yellow'),
      eb.fn.count<number>(sql`CASE WHEN a.due_on < ${today} THEN 1 END`).as('overdue'),
    ])
    .where('h.region_code', 'like', `${r}%`)
    .where('a.status', 'in', ['new', 'assigned', 'visiting'])
    .groupBy(sql`substr(h.region_code, 1, ${sql.lit(len)})`)
    .execute();
  // The latest finished run that covered the whole of the region (a run of another county, or of
  // a part of this one, says nothing about its totals), and its totals within the region only.
  const run = await ctx.db.selectFrom('monitoring_runs').selectAll().where('finished_at', 'is not', null).where('households', '>', 0)
    .where(sql<boolean>`${r} LIKE region_code || '%'`).orderBy('finished_at', 'desc').limit(1).executeTakeFirst();
  const idx = run ? await ctx.db.selectFrom('region_indices').selectAll().where('run_id', '=', run.id).where('region_code', 'in', [...new Set([r, ...children.map((c) => c.code)])]).execute() : [];
  const totals = run ? await runTotalsWithin(ctx, run, r, idx.find((x) => x.region_code === r)) : null;
  const byCode = new Map(counts.map((c) => [c.code, c]));
  const idxBy = new Map(idx.map((x) => [x.region_code, x]));
  return {
    region: r,
    latestRun: run && totals ? { id: run.id, asOf: run.as_of, ...totals } : null,
    areas: children.map((c) => {
      const k = byCode.get(c.code);
      const x = idxBy.get(c.code);
      return {
        code: c.code, name: c.name, red: k?.red ?? 0, orange: k?.orange ?? 0, yellow: k?.yellow ?? 0, overdue: k?.overdue ?? 0,
        households: x?.households ?? null, H: x?.h ?? null, M0: x?.m0 ?? null, enrolled: x?.enrolled ?? null, suspected: x?.suspected ?? null,
      };
    }),
  };
}

/**
 * A run's households and households at risk within a region: from the region's indices (kept for
 * the province, cities, counties and townships: at risk = H × households), or for a village, from
 * its households' latest states on the run's date.
 */
async function runTotalsWithin(ctx: AppContext, run: { region_code: string; as_of: string; households: number; at_risk: number }, region: string, index: { households: number; h: number } | undefined): Promise<{ households: number; atRisk: number }> {
  if (region === run.region_code) return { households: run.households, atRisk: run.at_risk };
  if (index) return { households: index.households, atRisk: Math.round(index.h * index.households) };
  const r = await sql<{ households: number; at_risk: number }>`
    SELECT count(*)::int AS households, count(*) FILTER (WHERE s.level <> 'green')::int AS at_risk
    FROM households h
    JOIN LATERAL (SELECT level FROM risk_snapshots x WHERE x.household_id = h.id AND x.as_of <= ${run.as_of}::date ORDER BY x.as_of DESC LIMIT 1) s ON true
    WHERE h.region_code LIKE ${`${region}%`}`.execute(ctx.db);
  return { households: r.rows[0]?.households ?? 0, atRisk: r.rows[0]?.at_risk ?? 0 };
}
