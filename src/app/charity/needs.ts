/**
 * Household needs (the portrait, 精准画像): derived on demand from the household's data, kept
 * with the statuses and the needs workers made; a worker adds, edits or closes a need with a reason.
 */
import { sql, type Kysely, type Selectable } from 'kysely';
import type { z } from 'zod';
import type { DeriveResultSchema, NeedBoardQuerySchema, NeedCreateSchema, NeedSchema, NeedUpdateSchema } from '../../contracts/charity.js';
import { dayNumber } from '../../core/dates/dates.js';
import { deriveNeeds, type Evidence } from '../../core/charity/index.js';
import { MOBILE_PATTERN, RESIDENT_ID_PATTERN } from '../../core/security/index.js';
import type { Database, NeedsTable } from '../../db/schema.js';
import type { AppContext } from '../context.js';
import { AppError, invalid, staleVersion } from '../errors.js';
import { newId } from '../new-id.js';
import { appendAudit, appendAuditAlone } from '../audit/audit.js';
import { requirePermission, type Actor } from '../auth/actor.js';
import { loadHouseholds } from './profiles.js';

type Need = z.infer<typeof NeedSchema>;
type NeedRow = Selectable<NeedsTable>;

/** A need shown with its household's current village (`region`), not the one it was opened in (ADR 0007). */
export function presentNeed(n: NeedRow, today: string, region: string): Need {
  return {
    id: n.id, householdId: n.household_id, regionCode: region, category: n.category as Need['category'], severity: n.severity, source: n.source,
    evidence: n.evidence as Evidence[], status: n.status, statusReason: n.status_reason, openedOn: n.opened_on,
    waitingDays: Math.max(0, dayNumber(today) - dayNumber(n.opened_on)),
    version: n.version,
  };
}

/** JSON with sorted keys: jsonb does not keep key order. */
function canonical(v: unknown): string {
  return JSON.stringify(v, (_k, x: unknown) => (x && typeof x === 'object' && !Array.isArray(x) ? Object.fromEntries(Object.entries(x).sort(([a], [b]) => a.localeCompare(b))) : x));
}

/** Text a worker types must not carry an ID number or a phone number. */
export function checkFreeText(field: string, value: string | undefined | null): void {
  // A lone surrogate cannot be stored in jsonb (evidence, plan tasks).
  if (value && /\p{Cs}/u.test(value)) throw invalid([{ field, message: 'is not valid Unicode text' }]);
  if (value && (new RegExp(RESIDENT_ID_PATTERN.source).test(value) || new RegExp(MOBILE_PATTERN.source).test(value))) {
    throw invalid([{ field, message: 'must not contain an ID number or a phone number' }]);
  }
}

/**
 * Re-derives the needs of the households (inside the caller's transaction). Derived needs are one
 * per category: a new one is opened; an open one takes the new severity and evidence unless a
 * worker edited it; one no longer indicated and still open (not edited) is closed with a reason.
 * Planned, met and closed needs, and the needs workers made, are kept as they are. A need changed
 * since it was read here (a worker's edit or a matching run committed meanwhile: another version)
 * is left as that change made it.
 */
export async function rederive(trx: Kysely<Database>, today: string, userId: string | null, where: { ids: readonly string[] } | { regionPrefix: string }): Promise<z.infer<typeof DeriveResultSchema>> {
  const hs = await loadHouseholds(trx, today, where);
  const out = { households: hs.length, created: 0, updated: 0, closed: 0 };
  if (hs.length === 0) return out;
  const existing = await trx.selectFrom('needs').selectAll().where('household_id', 'in', hs.map((h) => h.id)).where('source', '=', 'derived').execute();
  const byKey = new Map(existing.map((n) => [`${n.household_id}/${n.category}`, n]));
  const inserts: NeedRow[] = [];
  for (const h of hs) {
    const derived = deriveNeeds(h.facts);
    const seen = new Set<string>();
    for (const d of derived) {
      seen.add(d.category);
      const old = byKey.get(`${h.id}/${d.category}`);
      if (!old) {
        inserts.push({ id: newId(), household_id: h.id, region_code: h.regionCode, category: d.category, severity: d.severity, source: 'derived', evidence: d.evidence, status: 'open', status_reason: null, edited_by_worker: false, opened_on: today, created_by: userId, created_at: new Date(), updated_at: new Date(), version: 1 });
      } else if (old.status === 'open' && !old.edited_by_worker && (old.severity !== d.severity || canonical(old.evidence) !== canonical(d.evidence))) {
        await trx.updateTable('needs').set({ severity: d.severity, evidence: JSON.stringify(d.evidence), updated_at: new Date(), version: sql<number>`version + 1` }).where('id', '=', old.id).where('version', '=', old.version).execute();
        out.updated++;
      } else if (old.status === 'closed' && old.status_reason === 'no longer indicated by the household data') {
        // Indicated again: reopen, waiting from today.
        await trx.updateTable('needs').set({ status: 'open', status_reason: null, severity: d.severity, evidence: JSON.stringify(d.evidence), opened_on: today, updated_at: new Date(), version: sql<number>`version + 1` }).where('id', '=', old.id).where('version', '=', old.version).execute();
        out.updated++;
      }
    }
    for (const old of existing) {
      if (old.household_id === h.id && !seen.has(old.category) && old.status === 'open' && !old.edited_by_worker) {
        await trx.updateTable('needs').set({ status: 'closed', status_reason: 'no longer indicated by the household data', updated_at: new Date(), version: sql<number>`version + 1` }).where('id', '=', old.id).where('version', '=', old.version).execute();
        out.closed++;
      }
    }
  }
  for (let i = 0; i < inserts.length; i += 500) {
    await trx.insertInto('needs').values(inserts.slice(i, i + 500).map((n) => ({ ...n, evidence: JSON.stringify(n.evidence) }))).execute();
  }
  out.created = inserts.length;
  return out;
}

/** The household's current village when it is in the actor's scope; undefined otherwise. */
async function inScope(db: Kysely<Database>, actor: Actor, householdId: string): Promise<string | undefined> {
  return (await db.selectFrom('households').select('region_code').where('id', '=', householdId).where('region_code', 'like', `${actor.scopeRegion}%`).executeTakeFirst())?.region_code;
}

async function refuse(ctx: AppContext, actor: Actor, action: string, householdId: string): Promise<never> {
  await appendAuditAlone(ctx.db, { actorId: actor.userId, role: actor.role, action, objectType: 'household', objectId: householdId, result: 'denied', requestId: actor.requestId });
  throw new AppError('HOUSEHOLD_NOT_FOUND', 'household not found');
}

/** A household's needs (portrait), newest first within status. */
export async function listHouseholdNeeds(ctx: AppContext, actor: Actor, householdId: string): Promise<Need[]> {
  requirePermission(actor, 'household.read');
  const out = await ctx.db.transaction().execute(async (trx) => {
    const region = await inScope(trx, actor, householdId);
    if (region === undefined) return undefined;
    const rows = await trx.selectFrom('needs').selectAll().where('household_id', '=', householdId).orderBy('category').orderBy('created_at').execute();
    await appendAudit(trx, { actorId: actor.userId, role: actor.role, action: 'needs.read', objectType: 'household', objectId: householdId, result: 'ok', requestId: actor.requestId });
    return rows.map((n) => presentNeed(n, ctx.today(), region));
  });
  return out ?? refuse(ctx, actor, 'needs.read', householdId);
}

/** Re-derives one household's needs. */
export async function deriveHouseholdNeeds(ctx: AppContext, actor: Actor, householdId: string): Promise<Need[]> {
  requirePermission(actor, 'needs.write');
  const out = await ctx.db.transaction().execute(async (trx) => {
    const region = await inScope(trx, actor, householdId);
    if (region === undefined) return undefined;
    // One derivation of a household at a time (two at once would both insert its new needs).
    await trx.selectFrom('households').select('id').where('id', '=', householdId).forNoKeyUpdate().execute();
    await rederive(trx, ctx.today(), actor.userId, { ids: [householdId] });
    await appendAudit(trx, { actorId: actor.userId, role: actor.role, action: 'needs.derive', objectType: 'household', objectId: householdId, result: 'ok', requestId: actor.requestId });
    const rows = await trx.selectFrom('needs').selectAll().where('household_id', '=', householdId).orderBy('category').orderBy('created_at').execute();
    return rows.map((n) => presentNeed(n, ctx.today(), region));
  });
  return out ?? refuse(ctx, actor, 'needs.derive', householdId);
}

/** Re-derives the needs of every household in the coordinator's county. */
export async function deriveCountyNeeds(ctx: AppContext, actor: Actor): Promise<z.infer<typeof DeriveResultSchema>> {
  requirePermission(actor, 'charity.coordinate');
  return ctx.db.transaction().execute(async (trx) => {
    const r = await rederive(trx, ctx.today(), actor.userId, { regionPrefix: actor.scopeRegion });
    await appendAudit(trx, { actorId: actor.userId, role: actor.role, action: 'needs.derive_county', objectType: 'region', objectId: actor.scopeRegion, result: 'ok', requestId: actor.requestId });
    return r;
  });
}

/** A worker adds a need the data does not show (a visit finding). */
export async function addNeed(ctx: AppContext, actor: Actor, householdId: string, body: z.infer<typeof NeedCreateSchema>): Promise<Need> {
  requirePermission(actor, 'needs.write');
  checkFreeText('finding', body.finding);
  const out = await ctx.db.transaction().execute(async (trx) => {
    const h = await trx.selectFrom('households').select('region_code').where('id', '=', householdId).where('region_code', 'like', `${actor.scopeRegion}%`).executeTakeFirst();
    if (!h) return undefined;
    const today = ctx.today();
    const evidence: Evidence[] = [{ rule: 'worker', values: { finding: body.finding }, text: { zh: `社工记录：${body.finding}`, en: `recorded by a worker: ${body.finding}` } }];
    const row = await trx.insertInto('needs').values({
      id: newId(), household_id: householdId, region_code: h.region_code, category: body.category, severity: body.severity, source: 'worker', evidence: JSON.stringify(evidence),
      status: 'open', edited_by_worker: true, opened_on: today, created_by: actor.userId, status_reason: null,
    }).returningAll().executeTakeFirstOrThrow();
    await appendAudit(trx, { actorId: actor.userId, role: actor.role, action: 'need.add', objectType: 'household', objectId: householdId, result: 'ok', requestId: actor.requestId });
    return presentNeed(row, today, h.region_code);
  });
  return out ?? refuse(ctx, actor, 'need.add', householdId);
}

/**
 * A worker changes a need's severity, or closes (or reopens) it, with a reason. With `ifMatch`
 * (the need's version the worker read) a need changed since is refused (412).
 */
export async function updateNeed(ctx: AppContext, actor: Actor, householdId: string, needId: string, body: z.infer<typeof NeedUpdateSchema>, ifMatch?: number): Promise<Need> {
  requirePermission(actor, 'needs.write');
  checkFreeText('reason', body.reason);
  if (body.severity === undefined && body.status === undefined) throw invalid([{ field: 'severity', message: 'change the severity or the status' }]);
  const out = await ctx.db.transaction().execute(async (trx) => {
    const region = await inScope(trx, actor, householdId);
    if (region === undefined) return undefined;
    const n = await trx.selectFrom('needs').selectAll().where('id', '=', needId).where('household_id', '=', householdId).forUpdate().executeTakeFirst();
    if (!n) throw new AppError('NOT_FOUND', 'need not found for this household');
    if (ifMatch !== undefined && n.version !== ifMatch) throw staleVersion();
    if (n.status === 'planned' || n.status === 'met') throw invalid([{ field: 'status', message: `the need is ${n.status}: it follows its referral` }]);
    const row = await trx.updateTable('needs').set({
      severity: body.severity ?? n.severity, status: body.status ?? n.status, status_reason: body.reason, edited_by_worker: true, updated_at: new Date(), version: n.version + 1,
    }).where('id', '=', needId).returningAll().executeTakeFirstOrThrow();
    await appendAudit(trx, { actorId: actor.userId, role: actor.role, action: 'need.update', objectType: 'household', objectId: householdId, result: 'ok', requestId: actor.requestId });
    return presentNeed(row, ctx.today(), region);
  });
  return out ?? refuse(ctx, actor, 'need.update', householdId);
}

/** The consortium's needs board: needs of the county, most severe and longest waiting first. */
export async function needsBoard(ctx: AppContext, actor: Actor, q: z.infer<typeof NeedBoardQuerySchema>): Promise<{ items: Need[]; counts: Record<string, number> }> {
  requirePermission(actor, 'charity.coordinate');
  return ctx.db.transaction().execute(async (trx) => {
    // Scope follows the household: its current village, never the one the need was opened in (ADR 0007).
    let base = trx.selectFrom('needs as n').innerJoin('households as h', 'h.id', 'n.household_id').where('h.region_code', 'like', `${actor.scopeRegion}%`);
    if (q.category) base = base.where('n.category', '=', q.category);
    const counts = await base.select(['n.status']).select((eb) => eb.fn.countAll<number>().as('n')).groupBy('n.status').execute();
    if (q.status) base = base.where('n.status', '=', q.status);
    const rows = await base.selectAll('n').select('h.region_code as household_region').orderBy('n.severity', 'desc').orderBy('n.opened_on').orderBy('n.id').limit(200).execute();
    await appendAudit(trx, { actorId: actor.userId, role: actor.role, action: 'needs.board', objectType: 'region', objectId: actor.scopeRegion, result: 'ok', requestId: actor.requestId });
    return { items: rows.map((n) => presentNeed(n, ctx.today(), n.household_region)), counts: Object.fromEntries(counts.map((c) => [c.status, c.n])) };
  });
}
