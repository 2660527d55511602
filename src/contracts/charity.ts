/** Charity projects, household needs (portrait), matching runs, referrals, plans. Browser-safe. */
import { z } from 'zod';
import { FenSchema, IsoDateSchema, RegionCodeSchema, UuidSchema } from './common.js';
import { SharedHouseholdSchema } from './security.js';

export const NEED_CATEGORIES = ['basic_living', 'income', 'medical', 'education', 'housing', 'care', 'employment', 'mental_care', 'social_integration'] as const;
export const PROJECT_STATUSES = ['draft', 'submitted', 'approved', 'published', 'closed'] as const;
export const NEED_STATUSES = ['open', 'planned', 'met', 'closed'] as const;
export const REFERRAL_STATUSES = ['proposed', 'accepted', 'declined', 'delivered'] as const;
const HOUSEHOLD_CATEGORIES = ['none', 'extreme_poverty', 'dibao', 'marginal', 'rigid_expenditure', 'income_uplift'] as const;
const text = (max: number) => z.string().trim().min(1).max(max);
const Bilingual = z.object({ zh: z.string(), en: z.string() });

export const EligibilitySchema = z.object({
  householdCategories: z.array(z.enum(HOUSEHOLD_CATEGORIES)).max(6).default([]),
  minAge: z.number().int().min(0).max(120).nullable().default(null),
  maxAge: z.number().int().min(0).max(120).nullable().default(null),
  disability: z.boolean().default(false),
  illness: z.boolean().default(false),
  regionCode: RegionCodeSchema,
  minRiskLevel: z.enum(['green', 'yellow', 'orange', 'red']).nullable().default(null),
});

export const ProjectCreateSchema = z.object({
  title: text(100),
  description: z.string().trim().max(2000).default(''),
  brand: z.string().trim().max(100).nullable().default(null),
  categories: z.array(z.enum(NEED_CATEGORIES)).min(1, 'name at least one need category').max(9),
  eligibility: EligibilitySchema,
  capacity: z.number().int().min(1, 'must be at least 1').max(1_000_000),
  budgetFen: FenSchema,
  costPerBeneficiaryFen: FenSchema,
  startsOn: IsoDateSchema,
  endsOn: IsoDateSchema,
});
/** No defaults in a patch (zod 4 fills them in under `.partial()`): a title edit must not empty the description or the brand. */
export const ProjectUpdateSchema = ProjectCreateSchema.extend({ description: ProjectCreateSchema.shape.description.unwrap(), brand: ProjectCreateSchema.shape.brand.unwrap() }).partial();
export const ProjectSchema = z.object({
  id: UuidSchema,
  organisationId: UuidSchema,
  organisationName: z.string(),
  title: z.string(),
  description: z.string(),
  brand: z.string().nullable(),
  categories: z.array(z.string()),
  eligibility: EligibilitySchema,
  capacity: z.number().int(),
  budgetFen: z.number().int(),
  costPerBeneficiaryFen: z.number().int(),
  /** Beneficiaries the project can have in all: placesTaken + placesLeft (= min(capacity, ⌊budget / cost⌋) until a delivery comes in below the cost). */
  places: z.number().int(),
  /** Places taken by live referrals (proposed, accepted, delivered). */
  placesTaken: z.number().int(),
  /** More beneficiaries the next matching run may propose: min(capacity − placesTaken, ⌊budgetRemainingFen / cost⌋). */
  placesLeft: z.number().int(),
  /** Reserved by open referrals (proposed, accepted): their number × the cost per beneficiary. */
  budgetReservedFen: z.number().int(),
  /** Used by delivered referrals: the sum of their delivered amounts. */
  budgetUsedFen: z.number().int(),
  /** budgetFen − reserved − used. */
  budgetRemainingFen: z.number().int(),
  startsOn: z.string(),
  endsOn: z.string(),
  status: z.enum(PROJECT_STATUSES),
  statusReason: z.string().nullable(),
  createdAt: z.string(),
});
export const ProjectActionSchema = z.object({ type: z.enum(['submit', 'approve', 'return', 'publish', 'close']), reason: z.string().trim().min(1).max(200).optional() });

export const CharityProfileSchema = z.object({
  id: UuidSchema, name: z.string(), kind: z.string(), creditCode: z.string().nullable(), regionCode: z.string(),
  recognisedCharity: z.boolean(), regionsServed: z.array(z.string()),
});
export const CharityProfileUpdateSchema = z.object({
  kind: z.enum(['foundation', 'social_organisation', 'enterprise', 'charity_trust', 'charity']),
  recognisedCharity: z.boolean(),
  regionsServed: z.array(RegionCodeSchema).max(100),
});

export const EvidenceSchema = z.object({ rule: z.string(), values: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])), text: Bilingual });
export const NeedSchema = z.object({
  id: UuidSchema,
  householdId: UuidSchema,
  regionCode: z.string(),
  category: z.enum(NEED_CATEGORIES),
  severity: z.number().int().min(1).max(3),
  source: z.enum(['derived', 'worker']),
  evidence: z.array(EvidenceSchema),
  status: z.enum(NEED_STATUSES),
  statusReason: z.string().nullable(),
  openedOn: z.string(),
  waitingDays: z.number().int(),
  /** Bumped by every change of the need; send it in `If-Match` when changing it. */
  version: z.number().int(),
});
export const NeedCreateSchema = z.object({ category: z.enum(NEED_CATEGORIES), severity: z.number().int().min(1).max(3), finding: text(200) });
export const NeedUpdateSchema = z.object({
  severity: z.number().int().min(1).max(3).optional(),
  status: z.enum(['open', 'closed']).optional(),
  reason: text(200),
});
export const DeriveResultSchema = z.object({ households: z.number().int(), created: z.number().int(), updated: z.number().int(), closed: z.number().int() });
export const NeedBoardQuerySchema = z.object({ status: z.enum(NEED_STATUSES).optional(), category: z.enum(NEED_CATEGORIES).optional() });

export const ExplanationSchema = z.object({
  matched: z.boolean(),
  projectId: UuidSchema.nullable(),
  reason: z.string(),
  text: Bilingual,
  failed: z.array(z.object({ projectId: UuidSchema, title: z.string(), criteria: z.array(z.string()) })).default([]),
});
export const MatchingRunCreateSchema = z.object({ countyCode: z.string().regex(/^\d{6}$/, 'must be a 6-digit county code').optional() });
export const MatchingRunSchema = z.object({
  id: UuidSchema,
  countyCode: z.string(),
  asOf: z.string(),
  policyVersion: z.string(),
  mountainUplift: z.number(),
  status: z.string(),
  optimalityGap: z.number(),
  objective: z.number(),
  greedyObjective: z.number(),
  needs: z.number().int(),
  projects: z.number().int(),
  eligiblePairs: z.number().int(),
  matched: z.number().int(),
  greedyMatched: z.number().int(),
  ms: z.number(),
  createdAt: z.string(),
  projectUse: z.array(z.object({ projectId: z.string(), title: z.string(), places: z.number(), used: z.number(), limitedBy: z.string(), marginalValue: z.number() })),
});
export const MatchingRunDetailSchema = MatchingRunSchema.extend({
  results: z.array(z.object({ needId: UuidSchema, householdId: UuidSchema, category: z.string(), severity: z.number(), priority: z.number(), adjustedPriority: z.number(), projectId: UuidSchema.nullable(), explanation: ExplanationSchema })),
});

export const ReferralSchema = z.object({
  id: UuidSchema,
  needId: UuidSchema,
  householdId: UuidSchema,
  projectId: UuidSchema,
  projectTitle: z.string(),
  organisationId: UuidSchema,
  category: z.string(),
  severity: z.number().int(),
  status: z.enum(REFERRAL_STATUSES),
  explanation: Bilingual,
  decisionReason: z.string().nullable(),
  deliveredOn: z.string().nullable(),
  amountFen: z.number().int().nullable(),
  items: z.string().nullable(),
  volunteerHours: z.number().nullable(),
  createdAt: z.string(),
  /** What the agreement and the household's consent allow the charity to see (masked); null without both. */
  household: SharedHouseholdSchema.nullable(),
});
export const ReferralDecisionSchema = z.object({ decision: z.enum(['accept', 'decline']), reason: text(200) });
export const DeliverySchema = z.object({
  deliveredOn: IsoDateSchema,
  amountFen: FenSchema,
  items: z.string().trim().max(500).default(''),
  volunteerHours: z.number().min(0).max(10_000).default(0),
  /**
   * Whether amountFen is the value of goods (in kind) rather than cash, for the benefit ledger.
   * Default: in kind when items are named, cash otherwise.
   */
  inKind: z.boolean().optional(),
});

export const CandidateSchema = z.object({
  needId: UuidSchema, householdId: UuidSchema, category: z.string(), severity: z.number().int(), priority: z.number().int(),
  eligible: z.boolean(), failed: z.array(z.string()), reasons: z.array(Bilingual),
});

export const PlanTaskSchema = z.object({
  id: z.string().max(40),
  department: text(50),
  task: text(200),
  dueOn: IsoDateSchema,
  status: z.enum(['todo', 'doing', 'done']),
});
export const PlanUpdateSchema = z.object({
  ownerId: UuidSchema.nullable().optional(),
  reviewOn: IsoDateSchema.nullable().optional(),
  tasks: z.array(PlanTaskSchema).max(50).optional(),
  note: z.string().trim().max(200).optional(),
});
export const PlanSchema = z.object({
  householdId: UuidSchema,
  version: z.number().int(),
  ownerId: UuidSchema.nullable(),
  reviewOn: z.string().nullable(),
  entitlements: z.array(z.object({ kind: z.string(), text: Bilingual, monthlyFen: z.number().int().nullable() })),
  tasks: z.array(PlanTaskSchema),
  referrals: z.array(ReferralSchema.omit({ household: true }).extend({ organisationName: z.string() })),
  needs: z.array(NeedSchema),
  versions: z.array(z.object({ version: z.number().int(), changedAt: z.string(), changedBy: z.string().nullable(), note: z.string().nullable() })),
});
