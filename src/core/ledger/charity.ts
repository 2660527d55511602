/**
 * Charity help delivered through the platform (a charity referral marked delivered) as a record of
 * the benefit ledger, so that the household's ledger (一户一条救助链) and the duplicate-assistance
 * rules see it next to the imported government and charity records.
 *
 * - source: `zhongfu-charity` (the platform's charity side); no import may use that source;
 * - record id: `referral-<referral id>`: unique with the source, so a delivery enters the ledger
 *   once;
 * - programme `charity_project`; the need category mapped from the charity need category by
 *   `LEDGER_NEED_OF_CHARITY_NEED`;
 * - provider: the organisation as a provider code (`charityProviderCode`), provider region: the
 *   organisation's region;
 * - amount: the delivered amount, in kind when the delivery is goods (see `isInKindDelivery`);
 * - period: the delivery date (one day).
 *
 * Pure: the caller passes the referral, the organisation and the recipient.
 */
import type { NeedCategory as CharityNeedCategory } from '../charity/model.js';
import type { NeedCategory } from './model.js';
import type { LedgerRow } from './import-rows.js';

/** `source_dept` of the ledger records the platform writes itself when a charity delivers a referral. */
export const PLATFORM_CHARITY_SOURCE = 'zhongfu-charity';
const RECORD_PREFIX = 'referral-';

/** The ledger record id of a referral's delivery. */
export const charityDeliveryRecordId = (referralId: string): string => `${RECORD_PREFIX}${referralId}`;

/** The referral id of a platform charity record id, or null for any other record id. */
export const referralIdOfRecord = (recordId: string): string | null => (recordId.startsWith(RECORD_PREFIX) ? recordId.slice(RECORD_PREFIX.length) : null);

/**
 * The ledger's need category for each charity need category. The ledger's categories are the lines
 * of government assistance (so that `over_cap` can compare government and charity help for the
 * same need); a charity need with a government counterpart maps to it, the others to
 * `daily_living` (help with daily life, which no government programme pays: only charity-to-charity
 * `multi_provider` applies there).
 */
export const LEDGER_NEED_OF_CHARITY_NEED: Readonly<Record<CharityNeedCategory, NeedCategory>> = {
  /** Subsistence: what dibao and extreme-poverty support pay for. */
  basic_living: 'basic_living',
  /** Income support tops up living income: the same need as basic living assistance. */
  income: 'basic_living',
  /** Medical bills: medical assistance (医疗救助). */
  medical: 'medical',
  /** School costs: education assistance (教育救助). */
  education: 'education',
  /** Repairs, rent: housing assistance (住房救助). */
  housing: 'housing',
  /** Employment help: employment assistance (就业救助). */
  employment: 'employment',
  /** Care of the elderly or disabled at home: a service, not a medical bill. */
  care: 'daily_living',
  /** Psychological support (心理关爱): a social service, not medical assistance. */
  mental_care: 'daily_living',
  /** Company, community activities for people living alone. */
  social_integration: 'daily_living',
};

/**
 * The provider code of a charity organisation in the ledger. Ledger providers are codes
 * (lower-case letters, digits, `_`, `-`, like the sources of imported files); an organisation's
 * legal identity is its unified social credit code (统一社会信用代码), so that is its code,
 * lower-cased — a charity sending its own delivery file can name itself the same way
 * (`provider`). An organisation registered without one is `org-<organisation id>`.
 */
export function charityProviderCode(org: { id: string; creditCode: string | null }): string {
  return org.creditCode ? org.creditCode.toLowerCase() : `org-${org.id}`;
}

/**
 * Whether a delivery is help in kind: the charity says so (`inKind`), or else it named the goods
 * (`items`), in which case the amount is their value. Without items it is cash (or a service).
 */
export function isInKindDelivery(d: { items: string; inKind?: boolean | undefined }): boolean {
  return d.inKind ?? d.items.trim() !== '';
}

/** A delivered referral, as the ledger records it: an imported row's ledger columns (no person, no basis) and its source. */
export type CharityLedgerRecord = Omit<LedgerRow, 'row' | 'idNumber' | 'name' | 'basisFen'> & { sourceDept: string };

export function charityDeliveryRecord(
  referral: { id: string; category: CharityNeedCategory },
  delivery: { deliveredOn: string; amountFen: number; items: string; inKind?: boolean | undefined },
  org: { id: string; creditCode: string | null; regionCode: string },
): CharityLedgerRecord {
  return {
    sourceDept: PLATFORM_CHARITY_SOURCE,
    recordId: charityDeliveryRecordId(referral.id),
    programme: 'charity_project',
    needCategory: LEDGER_NEED_OF_CHARITY_NEED[referral.category],
    provider: charityProviderCode(org),
    providerRegion: org.regionCode,
    amountFen: delivery.amountFen,
    inKind: isInKindDelivery(delivery),
    periodStart: delivery.deliveredOn,
    periodEnd: delivery.deliveredOn,
  };
}
