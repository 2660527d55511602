/** Classify one household now (or on a given date) and keep the result in its history. */
import { classifyHousehold as classify } from '../../core/means-test/index.js';
import { parametersAt } from '../../core/policy/parameters.js';
import type { ClassificationView } from '../../contracts/households.js';
import { ClassificationRepository } from '../../db/repositories/classification.repository.js';
import { HouseholdRepository, toCoreHousehold } from '../../db/repositories/household.repository.js';
import type { AppContext } from '../context.js';
import { AppError } from '../errors.js';
import { newId } from '../new-id.js';
import { presentClassification } from './present-classification.js';

export async function classifyHousehold(ctx: AppContext, householdId: string, asOf?: string): Promise<ClassificationView> {
  const date = asOf ?? ctx.today();
  return ctx.db.transaction().execute(async (trx) => {
    const agg = await new HouseholdRepository(trx).findById(householdId);
    if (!agg) throw new AppError('HOUSEHOLD_NOT_FOUND', 'household not found');
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
    return presentClassification(ctx, row, agg.household.region_code);
  });
}

export async function classificationHistory(ctx: AppContext, householdId: string): Promise<ClassificationView[]> {
  const regionCode = await new HouseholdRepository(ctx.db).regionOf(householdId);
  if (regionCode === undefined) throw new AppError('HOUSEHOLD_NOT_FOUND', 'household not found');
  const rows = await new ClassificationRepository(ctx.db).history(householdId);
  return Promise.all(rows.map((r) => presentClassification(ctx, r, regionCode)));
}
