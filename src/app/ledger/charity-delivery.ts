/**
 * A charity delivery recorded in the platform enters the household's benefit ledger (一户一条救助链):
 * called by `recordDelivery` inside its transaction, so the referral, the need and the ledger record
 * change together or not at all. The record (src/core/ledger/charity.ts): source `zhongfu-charity`,
 * record id `referral-<id>` (unique with the source: a delivery enters once), its own import batch,
 * linked exactly to the household's head (living on the delivery date; else the first living
 * member; else the head), programme `charity_project`, the organisation as provider. The recipient's
 * name and ID number are copied into the record like an imported one's; they are never logged.
 */
import { sql, type Kysely } from 'kysely';
import type { NeedCategory as CharityNeedCategory } from '../../core/charity/index.js';
import { charityDeliveryRecord, PLATFORM_CHARITY_SOURCE } from '../../core/ledger/index.js';
import type { Database } from '../../db/schema.js';
import { AppError } from '../errors.js';
import { newId } from '../new-id.js';

export interface CharityDeliveryInLedger {
  entryId: string;
  recordId: string;
}

/**
 * Writes the ledger record of a delivered referral (and its batch) in `trx`. Throws CONFLICT when
 * the household has no registered member or the record is already in the ledger.
 */
export async function recordCharityDeliveryInLedger(
  trx: Kysely<Database>,
  referral: { id: string; householdId: string; organisationId: string; category: string },
  delivery: { deliveredOn: string; amountFen: number; items: string; inKind?: boolean | undefined },
): Promise<CharityDeliveryInLedger> {
  const org = await trx.selectFrom('organisations').select(['id', 'credit_code', 'region_code']).where('id', '=', referral.organisationId).executeTakeFirstOrThrow();
  const recipient = await trx.selectFrom('members').select(['id', 'id_number', 'name']).where('household_id', '=', referral.householdId)
    .orderBy(sql`CASE WHEN deceased_on IS NULL OR deceased_on >= ${delivery.deliveredOn} THEN 0 ELSE 1 END`)
    .orderBy(sql`CASE WHEN relation = 'head' THEN 0 ELSE 1 END`)
    .orderBy('position').orderBy('id').limit(1).executeTakeFirst();
  // Not reachable through the API (a household has at least one member and members are never deleted).
  if (!recipient) throw new AppError('CONFLICT', 'the household has no registered member to record the delivery against in the benefit ledger');
  const rec = charityDeliveryRecord({ id: referral.id, category: referral.category as CharityNeedCategory }, delivery, { id: org.id, creditCode: org.credit_code, regionCode: org.region_code });
  const batchId = newId();
  await trx.insertInto('import_batches').values({ id: batchId, source_dept: PLATFORM_CHARITY_SOURCE, kind: 'charity_delivery', row_count: 1, note: null }).execute();
  const entryId = newId();
  const inserted = await trx.insertInto('ledger_entries').values({
    id: entryId, source_dept: rec.sourceDept, record_id: rec.recordId, batch_id: batchId, household_id: referral.householdId, member_id: recipient.id,
    link_status: 'linked', link_method: 'exact_id', link_probability: 1, link_explanation: null, id_number: recipient.id_number, name: recipient.name,
    programme: rec.programme, need_category: rec.needCategory, provider: rec.provider, provider_region: rec.providerRegion, amount_fen: rec.amountFen, in_kind: rec.inKind,
    basis_fen: null, period_start: rec.periodStart, period_end: rec.periodEnd,
  }).onConflict((oc) => oc.columns(['source_dept', 'record_id']).doNothing()).returning('id').executeTakeFirst();
  if (!inserted) throw new AppError('CONFLICT', 'the delivery of this referral is already in the benefit ledger');
  return { entryId, recordId: rec.recordId };
}
