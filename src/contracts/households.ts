import { z } from 'zod';
import { FenSchema, IsoDateSchema, PageQuerySchema, RegionSchema, UuidSchema, VillageCodeSchema } from './common.js';

export const RELATIONS = ['head', 'spouse', 'child', 'parent', 'grandchild', 'grandparent', 'sibling', 'other'] as const;
export const LABOUR_CAPACITIES = ['full', 'partial', 'none'] as const;
export const SCHOOLING = ['none', 'preschool', 'primary', 'junior', 'senior', 'vocational', 'college'] as const;
export const INCOME_CATEGORIES = ['wages', 'business', 'property', 'transfer', 'deduction'] as const;
export const ASSET_KINDS = ['deposit', 'securities', 'insurance_cash_value', 'cash', 'vehicle', 'boat', 'commercial_property', 'residence'] as const;
export const EXPENDITURE_CATEGORIES = ['medical', 'education', 'rehabilitation', 'accident', 'other'] as const;
export const EMERGENCY_KINDS = ['fire', 'accident', 'sudden_illness', 'natural_disaster', 'death_of_earner'] as const;
export const CATEGORIES = ['none', 'extreme_poverty', 'dibao', 'marginal', 'rigid_expenditure', 'income_uplift'] as const;
export const TEMPORARY_FLAGS = ['emergency', 'sudden_expenditure'] as const;
export const SOURCE_DEPARTMENTS = [
  'civil_affairs', 'hrss', 'tax', 'market_regulation', 'healthcare_security', 'education', 'disabled_federation',
  'housing', 'public_security', 'natural_resources', 'bank', 'self_declared', 'home_visit',
] as const;

const SourceSchema = z.enum(SOURCE_DEPARTMENTS);

/** A member as written by a client; sex and birth date are derived from the ID number. */
export const MemberInputSchema = z.object({
  name: z.string().trim().min(1, 'is required').max(50, 'is too long'),
  idNumber: z.string().regex(/^\d{17}[\dXx]$/, 'must be an 18-character resident ID number'),
  relation: z.enum(RELATIONS),
  disabilityGrade: z.number().int().min(0).max(4).default(0),
  seriousIllness: z.boolean().default(false),
  labourCapacity: z.enum(LABOUR_CAPACITIES).default('full'),
  schooling: z.enum(SCHOOLING).default('none'),
  deceasedOn: IsoDateSchema.nullable().optional(),
  phone: z.string().regex(/^1[3-9]\d{9}$/, 'must be an 11-digit mainland mobile number').nullable().optional(),
});
export type MemberInput = z.infer<typeof MemberInputSchema>;
/**
 * A patch has no defaults: zod 4 fills a default in even under `.partial()`, so a field left out
 * would be reset (an edit of the schooling reset the disability grade, illness and labour capacity).
 */
export const MemberPatchSchema = MemberInputSchema.omit({ idNumber: true }).extend({
  disabilityGrade: MemberInputSchema.shape.disabilityGrade.unwrap(),
  seriousIllness: MemberInputSchema.shape.seriousIllness.unwrap(),
  labourCapacity: MemberInputSchema.shape.labourCapacity.unwrap(),
  schooling: MemberInputSchema.shape.schooling.unwrap(),
}).partial();
export type MemberPatch = z.infer<typeof MemberPatchSchema>;

/** A member as returned: name, ID number and phone are masked (张*, 330106********123X, 138****5678). */
export const MemberSchema = MemberInputSchema.extend({
  id: UuidSchema,
  name: z.string(),
  idNumber: z.string(),
  phone: z.string().nullable().optional(),
  sex: z.enum(['M', 'F']),
  birthDate: IsoDateSchema,
});
export type MemberView = z.infer<typeof MemberSchema>;

const period = {
  periodStart: IsoDateSchema,
  periodEnd: IsoDateSchema,
};
const provenance = {
  memberId: UuidSchema.nullable().optional(),
  sourceDept: SourceSchema,
};

export const IncomeInputSchema = z.object({
  ...provenance,
  category: z.enum(INCOME_CATEGORIES),
  subtype: z.string().regex(/^[a-z][a-z0-9_]{0,49}$/, 'must be a snake_case item name'),
  amountFen: FenSchema,
  ...period,
});
export const AssetInputSchema = z.object({
  ...provenance,
  kind: z.enum(ASSET_KINDS),
  valueFen: FenSchema,
  floorAreaM2: z.number().min(0).max(100_000).nullable().optional(),
  isDisabilityVehicle: z.boolean().optional(),
  asOf: IsoDateSchema,
});
export const ExpenditureInputSchema = z.object({
  ...provenance,
  category: z.enum(EXPENDITURE_CATEGORIES),
  amountFen: FenSchema,
  ...period,
});
export const EmergencyInputSchema = z.object({ kind: z.enum(EMERGENCY_KINDS), occurredOn: IsoDateSchema, sourceDept: SourceSchema });
export type IncomeInput = z.infer<typeof IncomeInputSchema>;
export type AssetInput = z.infer<typeof AssetInputSchema>;
export type ExpenditureInput = z.infer<typeof ExpenditureInputSchema>;
export type EmergencyInput = z.infer<typeof EmergencyInputSchema>;

// Stored records may come from any department's feed (a department code), not only the form's list.
// A department's or charity's own feed is kept under its organisation (`org_<hex>`): `sourceName`
// is then the organisation's name (null for a department code: the web labels it).
const recordMeta = { id: UuidSchema, batchId: UuidSchema.nullable(), createdAt: z.string(), sourceDept: z.string(), sourceName: z.string().nullable().optional() };
export const IncomeSchema = IncomeInputSchema.extend(recordMeta);
export const AssetSchema = AssetInputSchema.extend(recordMeta);
export const ExpenditureSchema = ExpenditureInputSchema.extend(recordMeta);
export const EmergencySchema = EmergencyInputSchema.extend(recordMeta);

export const HouseholdCreateSchema = z.object({
  regionCode: VillageCodeSchema,
  residenceRegionCode: VillageCodeSchema.nullable().optional(),
  address: z.string().max(200).nullable().optional(),
  hasAbleSupporter: z.boolean().default(false),
  members: z.array(MemberInputSchema).min(1, 'a household needs at least one member').max(30),
});
export type HouseholdCreate = z.infer<typeof HouseholdCreateSchema>;
/** No defaults in a patch (see MemberPatchSchema): an address edit must not reset hasAbleSupporter. */
export const HouseholdPatchSchema = HouseholdCreateSchema.omit({ members: true }).extend({ hasAbleSupporter: HouseholdCreateSchema.shape.hasAbleSupporter.unwrap() }).partial();
export type HouseholdPatch = z.infer<typeof HouseholdPatchSchema>;

export const ParameterRefSchema = z.object({
  name: z.string(),
  value: z.union([z.number(), z.boolean(), z.array(z.string()).readonly()]),
  regionCode: z.string(),
  effectiveFrom: z.string(),
});
export const TraceStepSchema = z.object({
  rule: z.string(),
  passed: z.boolean(),
  text: z.object({ zh: z.string(), en: z.string() }),
  values: z.record(z.string(), z.union([z.number(), z.boolean(), z.string()])),
  parameters: z.array(ParameterRefSchema),
});
export type TraceStepView = z.infer<typeof TraceStepSchema>;

export const ClassificationSchema = z.object({
  id: UuidSchema,
  householdId: UuidSchema,
  asOf: IsoDateSchema,
  category: z.enum(CATEGORIES),
  flags: z.array(z.enum(TEMPORARY_FLAGS)),
  paymentFen: z.number().int(),
  perCapitaMonthlyIncomeFen: z.number().int(),
  policyVersion: z.string(),
  runId: UuidSchema.nullable(),
  createdAt: z.string(),
  facts: z.record(z.string(), z.unknown()),
  trace: z.array(TraceStepSchema),
});
export type ClassificationView = z.infer<typeof ClassificationSchema>;
export const ClassifyRequestSchema = z.object({ asOf: IsoDateSchema.optional() });

export const HouseholdSchema = z.object({
  id: UuidSchema,
  regionCode: z.string(),
  regionPath: z.array(RegionSchema),
  residenceRegionCode: z.string().nullable(),
  address: z.string().nullable(),
  hasAbleSupporter: z.boolean(),
  createdAt: z.string(),
  updatedAt: z.string(),
  members: z.array(MemberSchema),
  incomes: z.array(IncomeSchema),
  assets: z.array(AssetSchema),
  expenditures: z.array(ExpenditureSchema),
  emergencies: z.array(EmergencySchema),
  latestClassification: ClassificationSchema.nullable(),
  /** Bumped by every change of the household, its members or records; also the `ETag` of GET. Send it back in `If-Match`. */
  version: z.number().int(),
});
export type HouseholdView = z.infer<typeof HouseholdSchema>;

export const HouseholdListQuerySchema = PageQuerySchema.extend({
  /** Any region code: the household's village must be inside it. */
  region: z.string().regex(/^\d{2,12}$/).optional(),
  category: z.enum(CATEGORIES).optional(),
});
export type HouseholdListQuery = z.infer<typeof HouseholdListQuerySchema>;

export const HouseholdListItemSchema = z.object({
  id: UuidSchema,
  regionCode: z.string(),
  villageName: z.string(),
  countyCode: z.string(),
  countyName: z.string(),
  isMountainCounty: z.boolean(),
  headName: z.string().nullable(),
  memberCount: z.number().int(),
  category: z.enum(CATEGORIES).nullable(),
  flags: z.array(z.enum(TEMPORARY_FLAGS)),
  paymentFen: z.number().int().nullable(),
  classifiedAsOf: z.string().nullable(),
});
export type HouseholdListItem = z.infer<typeof HouseholdListItemSchema>;
export const HouseholdListSchema = z.object({
  items: z.array(HouseholdListItemSchema),
  total: z.number().int(),
  page: z.number().int(),
  pageSize: z.number().int(),
});
export type HouseholdList = z.infer<typeof HouseholdListSchema>;

export const ClassificationHistorySchema = z.object({ items: z.array(ClassificationSchema) });

export const CategoryCountsSchema = z.object({
  region: z.string(),
  total: z.number().int(),
  byCategory: z.record(z.string(), z.number().int()),
});

/** One household for `zhongfu classify --input` (no database): members and records inline. */
export const OfflineHouseholdSchema = z.object({
  id: z.string().min(1).max(100),
  regionCode: VillageCodeSchema,
  hasAbleSupporter: z.boolean().default(false),
  members: z.array(MemberInputSchema.extend({ id: z.string().min(1).max(100).optional() })).min(1),
  incomes: z.array(IncomeInputSchema.omit({ memberId: true, sourceDept: true }).extend({ memberId: z.string().optional(), sourceDept: SourceSchema.default('self_declared') })).default([]),
  assets: z.array(AssetInputSchema.omit({ memberId: true, sourceDept: true }).extend({ memberId: z.string().optional(), sourceDept: SourceSchema.default('self_declared') })).default([]),
  expenditures: z.array(ExpenditureInputSchema.omit({ memberId: true, sourceDept: true }).extend({ memberId: z.string().optional(), sourceDept: SourceSchema.default('self_declared') })).default([]),
  emergencies: z.array(EmergencyInputSchema.omit({ sourceDept: true })).default([]),
});
export type OfflineHousehold = z.infer<typeof OfflineHouseholdSchema>;
export const OfflineClassifyInputSchema = z.object({
  asOf: IsoDateSchema.optional(),
  households: z.array(OfflineHouseholdSchema),
});
