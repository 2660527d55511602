/** Classify one household now (or on a given date) and keep the result in its history. */
import { classifyHousehold as classify } from '../../core/means-test/index.js';
import { parametersAt } from '../../core/policy/parameters.js';
import type { ClassificationView } from '../../contracts/households.js';
import { ClassificationRepository } from '../../db/repositories/classification.repository.js';
import { HouseholdRepository, toCoreHousehold } from '../../db/repositories/household.repository.js';
import type { AppContext } from '../context.js';
import { AppError, invalid } from '../errors.js';
import { newId } from '../new-id.js';
import { presentClassification } from './present-classification.js';
import { appendAudit, appendAuditAlone } from '../audit/audit.js';
import { requirePermission, type Actor } from '../auth/actor.js';

export async function classifyHousehold(ctx: AppContext, actor: Actor, householdId: string, asOf?: string): Promise<ClassificationView> {
  requirePermission(actor, 'household.classify');
  const date = asOf ?? ctx.today();
  // A classification is of a day that has come: a future date would become the current status.
  if (date > ctx.today()) throw invalid([{ field: 'asOf', message: 'is in the future: classify as of today or an earlier date' }]);
  const view = await ctx.db.transaction().execute(async (trx) => {
    const agg = await new HouseholdRepository(trx).findById(householdId, actor.scopeRegion);
    if (!agg) return undefined;
    let params;
    try {
      params = parametersAt(ctx.policy, agg.household.region_code, date);
    } catch {
      throw new AppError('POLICY_NOT_IN_FORCE', `no policy parameters were in force on ${date}`, 'asOf');
    }
    const result = classify(toCoreHousehold(agg), params, date);
    const row = await new ClassificationRepository(trx).insert({
      id: newId(),
      household_id: householdId,
      run_id: null,
      as_of: date,
      category: result.category,
      flags: result.flags,
      payment_fen: result.paymentFen,
      per_capita_income_fen: result.perCapitaMonthlyIncomeFen,
      policy_version: result.parameterVersion,
      facts: result.facts,
    });
    await appendAudit(trx, { actorId: actor.userId, role: actor.role, action: 'household.classify', objectType: 'household', objectId: householdId, purpose: `as of ${date}`, result: 'ok', requestId: actor.requestId });
    return presentClassification(ctx, row, agg.household.region_code);
  });
  if (view) return view;
  await appendAuditAlone(ctx.db, { actorId: actor.userId, role: actor.role, action: 'household.classify', objectType: 'household', objectId: householdId, result: 'denied', requestId: actor.requestId });
  throw new AppError('HOUSEHOLD_NOT_FOUND', 'household not found');
}

export async function classificationHistory(ctx: AppContext, actor: Actor, householdId: string): Promise<ClassificationView[]> {
  requirePermission(actor, 'household.read');
  const rows = await ctx.db.transaction().execute(async (trx) => {
    const regionCode = await new HouseholdRepository(trx).regionOf(householdId, actor.scopeRegion);
    if (regionCode === undefined) return undefined;
    await appendAudit(trx, { actorId: actor.userId, role: actor.role, action: 'household.read_classifications', objectType: 'household', objectId: householdId, result: 'ok', requestId: actor.requestId });
    return { regionCode, rows: await new ClassificationRepository(trx).history(householdId) };
  });
  if (!rows) {
    await appendAuditAlone(ctx.db, { actorId: actor.userId, role: actor.role, action: 'household.read_classifications', objectType: 'household', objectId: householdId, result: 'denied', requestId: actor.requestId });
    throw new AppError('HOUSEHOLD_NOT_FOUND', 'household not found');
  }
  return Promise.all(rows.rows.map((r) => presentClassification(ctx, r, rows.regionCode)));
}
