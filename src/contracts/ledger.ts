/** API schemas of the benefit ledger: import, a household's ledger, duplicate-assistance findings and their resolution. */
import { z } from 'zod';
import { FenSchema, PageQuerySchema, UuidSchema } from './common.js';

export const LEDGER_PROGRAMMES = ['dibao', 'extreme_poverty', 'temporary', 'medical', 'education', 'housing', 'employment', 'charity_project', 'charity_gift'] as const;
export const LEDGER_NEEDS = ['basic_living', 'temporary', 'medical', 'education', 'housing', 'employment', 'daily_living'] as const;
export const FINDING_KINDS = ['dibao_two_places', 'multi_provider', 'over_cap', 'after_death'] as const;
export const FINDING_STATUSES = ['open', 'confirmed', 'false_positive'] as const;
export const RECOVERY_STATUSES = ['open', 'in_progress', 'recovered', 'written_off'] as const;
export const LEDGER_SOURCE_PATTERN = /^[a-z][a-z0-9_-]{1,63}$/;

export const LedgerImportRequestSchema = z.object({
  /**
   * The sending department's code (civil_affairs, healthcare_security, education …) when
   * civil-affairs staff relay a department's file. A caller with an organisation (a department, a
   * charity) has its records kept under its organisation: a source given here is not used.
   */
  source: z.string().regex(LEDGER_SOURCE_PATTERN).optional(),
  /** Ledger rows {recordId, idNumber, name, programme, needCategory?, provider?, providerRegion?, amountFen | inKindValueFen, periodStart, periodEnd, basisFen?}; checked row by row by the server. */
  rows: z.array(z.unknown()).min(1).max(10_000),
});
export const LedgerImportResultSchema = z.object({
  /** The source the records are kept under (record ids are unique per source). */
  source: z.string(),
  batchId: UuidSchema.nullable(),
  rows: z.number().int(),
  alreadyImported: z.number().int(),
  linkedExact: z.number().int(),
  linkedProbabilistic: z.number().int(),
  unlinked: z.number().int(),
});

export const LinkEvidenceSchema = z.object({
  method: z.enum(['exact_id', 'probabilistic']),
  probability: z.number(),
  fields: z.array(z.object({ field: z.string(), levelName: z.string(), weight: z.number() })),
});

export const LedgerEntrySchema = z.object({
  id: UuidSchema,
  source: z.string(),
  /** The organisation's name when the source is an organisation's own import (`org_<hex>`); null for a department code (the web labels it). */
  sourceName: z.string().nullable().optional(),
  recordId: z.string(),
  householdId: UuidSchema.nullable(),
  memberId: UuidSchema.nullable(),
  /** As the source gave them, masked. */
  name: z.string(),
  idNumber: z.string(),
  programme: z.enum(LEDGER_PROGRAMMES),
  sector: z.enum(['government', 'charity']),
  needCategory: z.enum(LEDGER_NEEDS),
  provider: z.string(),
  /** The provider's name when the ledger knows it: the organisation of a charity delivery recorded in the platform (source zhongfu-charity), or of a provider code that is an organisation's (`org_<hex>`, the default provider of an organisation's own import). */
  providerName: z.string().nullable().optional(),
  providerRegion: z.string(),
  providerRegionName: z.string(),
  amountFen: FenSchema,
  inKind: z.boolean(),
  basisFen: FenSchema.nullable(),
  periodStart: z.string(),
  periodEnd: z.string(),
  link: LinkEvidenceSchema.nullable(),
});
export type LedgerEntryView = z.infer<typeof LedgerEntrySchema>;

export const HouseholdLedgerSchema = z.object({
  entries: z.array(LedgerEntrySchema),
  totals: z.object({ governmentFen: z.number().int(), charityFen: z.number().int() }),
  openFindings: z.number().int(),
});

export const RecoveryTaskSchema = z.object({
  id: UuidSchema, amountFen: FenSchema, department: z.string(), status: z.enum(RECOVERY_STATUSES), createdAt: z.string(),
});

export const FindingSchema = z.object({
  id: UuidSchema,
  kind: z.enum(FINDING_KINDS),
  status: z.enum(FINDING_STATUSES),
  householdId: UuidSchema,
  memberId: UuidSchema.nullable(),
  regionCode: z.string(),
  villageName: z.string(),
  needCategory: z.enum(LEDGER_NEEDS).nullable(),
  overlapStart: z.string(),
  overlapEnd: z.string(),
  overlapDays: z.number().int(),
  totalFen: z.number().int(),
  excessFen: z.number().int(),
  entryCount: z.number().int(),
  /** Lowest match probability among the records linked by probability (null: all exact). */
  minLinkProbability: z.number().nullable(),
  detail: z.record(z.string(), z.union([z.string(), z.number(), z.null()])),
  raisedOn: z.string(),
  reason: z.string().nullable(),
  resolvedAt: z.string().nullable(),
  recovery: RecoveryTaskSchema.nullable(),
});
export type FindingView = z.infer<typeof FindingSchema>;

export const FindingListQuerySchema = PageQuerySchema.extend({
  kind: z.enum(FINDING_KINDS).optional(),
  status: z.enum(FINDING_STATUSES).optional(),
});
export const FindingListSchema = z.object({ items: z.array(FindingSchema), total: z.number().int(), page: z.number().int(), pageSize: z.number().int() });

/** One finding for review: the records side by side and the registry member they were linked to (masked). */
export const FindingDetailSchema = FindingSchema.extend({
  entries: z.array(LedgerEntrySchema),
  member: z.object({ id: UuidSchema, name: z.string(), idNumber: z.string(), birthDate: z.string(), deceasedOn: z.string().nullable() }).nullable(),
});

export const FindingResolutionSchema = z.discriminatedUnion('outcome', [
  z.object({
    outcome: z.literal('confirmed'),
    recoveryAmountFen: FenSchema,
    /** The department responsible for recovering the money. */
    department: z.string().regex(LEDGER_SOURCE_PATTERN, 'must be a department code'),
    note: z.string().trim().max(200).optional(),
  }),
  z.object({ outcome: z.literal('false_positive'), reason: z.string().trim().min(4, 'a false positive needs a reason').max(200) }),
]);

export const LedgerCheckResultSchema = z.object({
  detected: z.number().int(),
  raised: z.number().int(),
  updated: z.number().int(),
  /** Findings already resolved with the same evidence (not raised again). */
  remembered: z.number().int(),
  byKind: z.record(z.string(), z.number().int()),
});
