/** A stored result → its API view, with the trace re-derived from the stored facts and policy version. */
import { classifyFacts, type HouseholdFacts } from '../../core/means-test/index.js';
import { parametersAt } from '../../core/policy/parameters.js';
import type { ClassificationView } from '../../contracts/households.js';
import type { ClassificationRow } from '../../db/schema.js';
import type { AppContext } from '../context.js';
import { policyBookFor } from './policy-versions.js';

export async function presentClassification(ctx: AppContext, row: ClassificationRow, regionCode: string): Promise<ClassificationView> {
  const facts = row.facts as HouseholdFacts;
  const book = await policyBookFor(ctx, row.policy_version);
  const explained = classifyFacts(facts, parametersAt(book, regionCode, row.as_of));
  return {
    id: row.id,
    householdId: row.household_id,
    asOf: row.as_of,
    category: row.category as ClassificationView['category'],
    flags: row.flags as ClassificationView['flags'],
    paymentFen: row.payment_fen,
    perCapitaMonthlyIncomeFen: row.per_capita_income_fen,
    policyVersion: row.policy_version,
    runId: row.run_id,
    createdAt: row.created_at instanceof Date ? row.created_at.toISOString() : String(row.created_at),
    facts: facts as unknown as Record<string, unknown>,
    trace: explained.trace,
  };
}
