/**
 * The benefit ledger (一户一条救助链): every receipt of help by a person of a household — government
 * programmes and charity help — with its provider, programme, need category, amount (fen, or the
 * value of goods in kind), period and source record.
 */

/** Government programmes and charity help. */
export const PROGRAMMES = {
  dibao: { sector: 'government', need: 'basic_living', label: '最低生活保障' },
  extreme_poverty: { sector: 'government', need: 'basic_living', label: '特困人员供养' },
  temporary: { sector: 'government', need: 'temporary', label: '临时救助' },
  medical: { sector: 'government', need: 'medical', label: '医疗救助' },
  education: { sector: 'government', need: 'education', label: '教育救助' },
  housing: { sector: 'government', need: 'housing', label: '住房救助' },
  employment: { sector: 'government', need: 'employment', label: '就业救助' },
  charity_project: { sector: 'charity', need: null, label: '慈善项目帮扶' },
  charity_gift: { sector: 'charity', need: null, label: '慈善捐赠（实物）' },
} as const;
export type Programme = keyof typeof PROGRAMMES;
export const PROGRAMME_NAMES = Object.keys(PROGRAMMES) as Programme[];
export const NEED_CATEGORIES = ['basic_living', 'temporary', 'medical', 'education', 'housing', 'employment', 'daily_living'] as const;
export type NeedCategory = (typeof NEED_CATEGORIES)[number];
export type Sector = 'government' | 'charity';
/** Programmes that pay basic living assistance (counted for "dibao in two places"). */
export const BASIC_LIVING_PROGRAMMES: readonly Programme[] = ['dibao', 'extreme_poverty'];

export const sectorOf = (p: Programme): Sector => PROGRAMMES[p].sector;

/** How a ledger record was tied to a registry member. */
export interface LinkEvidence {
  method: 'exact_id' | 'probabilistic';
  /** Match probability (1 for an exact ID number). */
  probability: number;
  /** Per field: the comparison level and its part of the match weight (probabilistic links). */
  fields: { field: string; levelName: string; weight: number }[];
}

/** One ledger record as the detector reads it. */
export interface LedgerEntry {
  id: string;
  householdId: string;
  personId: string | null;
  /** The provider: a department code (civil_affairs, healthcare_security …) or a charity organisation. */
  provider: string;
  /** The county (6-digit code) whose office paid, for government help. */
  providerRegion: string;
  programme: Programme;
  needCategory: NeedCategory;
  /** Cash in fen, or the value of goods in kind in fen. */
  amountFen: number;
  inKind: boolean;
  periodStart: string;
  periodEnd: string;
  /** The cost of the need the help pays for (a hospital bill after insurance, a school fee), when the source gives it. */
  basisFen: number | null;
  link: LinkEvidence | null;
}
