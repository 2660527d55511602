/**
 * Referrals: a match proposed to the charity. The charity (staff of that organisation) sees the
 * need and, masked, only what the data-sharing agreement and the household's consent allow (the
 * shared view); it accepts or declines with a reason, and records the delivery (date, amount,
 * items, volunteer hours), which marks the need met and writes the household's benefit ledger record
 * (src/app/ledger/charity-delivery.ts) in the same transaction. A decline reopens the need.
 */
import { sql, type Selectable } from 'kysely';
import type { z } from 'zod';
import type { DeliverySchema, ReferralDecisionSchema, ReferralSchema } from '../../contracts/charity.js';
import type { CharityReferralsTable } from '../../db/schema.js';
import type { AppContext } from '../context.js';
import { AppError, invalid } from '../errors.js';
import { appendAudit } from '../audit/audit.js';
import { hasPermission, requirePermission, type Actor } from '../auth/actor.js';
import { sharedViewOrNull } from '../access/sharing.js';
import { recordCharityDeliveryInLedger } from '../ledger/charity-delivery.js';
import { checkFreeText } from './needs.js';

type Referral = z.infer<typeof ReferralSchema>;
type Row = Selectable<CharityReferralsTable>;
const iso = (d: Date | string): string => (d instanceof Date ? d.toISOString() : d);
const notFound = (): AppError => new AppError('NOT_FOUND', 'referral not found');

export function presentReferral(r: Row, extra: { projectTitle: string; severity: number }): Omit<Referral, 'household'> {
  return {
    id: r.id, needId: r.need_id, householdId: r.household_id, projectId: r.project_id, projectTitle: extra.projectTitle, organisationId: r.organisation_id,
    category: r.category, severity: extra.severity, status: r.status, explanation: r.explanation as Referral['explanation'], decisionReason: r.decision_reason,
    deliveredOn: r.delivered_on, amountFen: r.amount_fen, items: r.items, volunteerHours: r.volunteer_hours, createdAt: iso(r.created_at),
  };
}

async function withHousehold(ctx: AppContext, actor: Actor, rows: Row[]): Promise<Referral[]> {
  if (rows.length === 0) return [];
  const titles = new Map((await ctx.db.selectFrom('charity_projects').select(['id', 'title']).where('id', 'in', [...new Set(rows.map((r) => r.project_id))]).execute()).map((p) => [p.id, p.title]));
  const sev = new Map((await ctx.db.selectFrom('needs').select(['id', 'severity']).where('id', 'in', rows.map((r) => r.need_id)).execute()).map((n) => [n.id, n.severity]));
  const out: Referral[] = [];
  for (const r of rows) {
    // Charity staff see the household through sharing only; the coordinator sees ids and the need.
    const household = hasPermission(actor, 'charity.manage') ? await sharedViewOrNull(ctx, actor, r.household_id) : null;
    out.push({ ...presentReferral(r, { projectTitle: titles.get(r.project_id) ?? '', severity: sev.get(r.need_id) ?? 0 }), household });
  }
  return out;
}

/** Charity staff: the referrals to their organisation; a coordinator: those of households in the county. */
export async function listReferrals(ctx: AppContext, actor: Actor, status?: Row['status']): Promise<Referral[]> {
  let q = ctx.db.selectFrom('charity_referrals as r').innerJoin('households as h', 'h.id', 'r.household_id').selectAll('r').where('h.region_code', 'like', `${actor.scopeRegion}%`);
  if (hasPermission(actor, 'charity.manage')) q = q.where('r.organisation_id', '=', actor.organisationId ?? '00000000-0000-0000-0000-000000000000');
  else requirePermission(actor, 'charity.coordinate');
  if (status) q = q.where('r.status', '=', status);
  const rows = await q.orderBy('r.created_at', 'desc').limit(200).execute();
  const out = await withHousehold(ctx, actor, rows);
  await ctx.db.transaction().execute((trx) => appendAudit(trx, { actorId: actor.userId, role: actor.role, action: 'referral.list', objectType: 'referral', result: 'ok', requestId: actor.requestId }));
  return out;
}

/** A referral to the actor's organisation, of a household in their area; otherwise not found. */
async function ownReferral(ctx: AppContext, actor: Actor, id: string): Promise<Row> {
  const r = await ctx.db.selectFrom('charity_referrals as r').innerJoin('households as h', 'h.id', 'r.household_id').selectAll('r')
    .where('r.id', '=', id).where('r.organisation_id', '=', actor.organisationId ?? '00000000-0000-0000-0000-000000000000').where('h.region_code', 'like', `${actor.scopeRegion}%`).executeTakeFirst();
  if (!r) throw notFound();
  return r;
}

export async function decideReferral(ctx: AppContext, actor: Actor, id: string, body: z.infer<typeof ReferralDecisionSchema>): Promise<Referral> {
  requirePermission(actor, 'charity.manage');
  checkFreeText('reason', body.reason);
  const own = await ownReferral(ctx, actor, id);
  const row = await ctx.db.transaction().execute(async (trx) => {
    const r = await trx.selectFrom('charity_referrals').selectAll().where('id', '=', own.id).forUpdate().executeTakeFirstOrThrow();
    if (r.status !== 'proposed') throw invalid([{ field: 'decision', message: `the referral is already ${r.status}` }]);
    const status = body.decision === 'accept' ? 'accepted' : 'declined';
    const u = await trx.updateTable('charity_referrals').set({ status, decision_reason: body.reason, decided_by: actor.userId, decided_at: new Date() }).where('id', '=', id).returningAll().executeTakeFirstOrThrow();
    // A declined referral gives the need back to the next run.
    if (status === 'declined') await trx.updateTable('needs').set({ status: 'open', updated_at: new Date(), version: sql<number>`version + 1` }).where('id', '=', r.need_id).where('status', '=', 'planned').execute();
    await appendAudit(trx, { actorId: actor.userId, role: actor.role, action: `referral.${body.decision}`, objectType: 'referral', objectId: id, purpose: body.reason, result: 'ok', requestId: actor.requestId });
    return u;
  });
  return (await withHousehold(ctx, actor, [row]))[0]!;
}

export async function recordDelivery(ctx: AppContext, actor: Actor, id: string, body: z.infer<typeof DeliverySchema>): Promise<Referral> {
  requirePermission(actor, 'charity.manage');
  checkFreeText('items', body.items);
  if (body.deliveredOn > ctx.today()) throw invalid([{ field: 'deliveredOn', message: 'is in the future' }]);
  const own = await ownReferral(ctx, actor, id);
  const row = await ctx.db.transaction().execute(async (trx) => {
    const r = await trx.selectFrom('charity_referrals').selectAll().where('id', '=', own.id).forUpdate().executeTakeFirstOrThrow();
    if (r.status !== 'accepted') throw invalid([{ field: 'deliveredOn', message: `a delivery is recorded on an accepted referral (this one is ${r.status})` }]);
    const p = await trx.selectFrom('charity_projects').select(['cost_per_beneficiary_fen', 'starts_on']).where('id', '=', r.project_id).executeTakeFirstOrThrow();
    if (body.amountFen > p.cost_per_beneficiary_fen) throw invalid([{ field: 'amountFen', message: 'is more than the project’s cost per beneficiary' }]);
    if (body.deliveredOn < p.starts_on) throw invalid([{ field: 'deliveredOn', message: 'is before the project starts' }]);
    const u = await trx.updateTable('charity_referrals').set({ status: 'delivered', delivered_on: body.deliveredOn, amount_fen: body.amountFen, items: body.items, volunteer_hours: body.volunteerHours })
      .where('id', '=', id).returningAll().executeTakeFirstOrThrow();
    await trx.updateTable('needs').set({ status: 'met', status_reason: 'delivered by a charity referral', updated_at: new Date(), version: sql<number>`version + 1` }).where('id', '=', r.need_id).execute();
    // The delivery enters the household's benefit ledger in the same transaction.
    const ledger = await recordCharityDeliveryInLedger(trx, { id: r.id, householdId: r.household_id, organisationId: r.organisation_id, category: r.category }, body);
    await appendAudit(trx, { actorId: actor.userId, role: actor.role, action: 'referral.deliver', objectType: 'referral', objectId: id, purpose: `ledger entry ${ledger.entryId}`, result: 'ok', requestId: actor.requestId });
    return u;
  });
  return (await withHousehold(ctx, actor, [row]))[0]!;
}
