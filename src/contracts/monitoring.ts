/** API schemas of dynamic monitoring: alerts, their handling, home visits, risk history, overview. */
import { z } from 'zod';
import { IsoDateSchema, PageQuerySchema, UuidSchema } from './common.js';

export const ALERT_STATUSES = ['new', 'assigned', 'visiting', 'resolved', 'dismissed'] as const;
export const ALERT_LEVELS = ['red', 'orange', 'yellow'] as const;
export const RISK_LEVELS = ['green', 'yellow', 'orange', 'red'] as const;
export const RESOLUTION_OUTCOMES = ['enrolled', 'referred', 'no_need', 'moved_away'] as const;
/** The home visit's findings checklist. */
export const VISIT_FINDINGS = ['none', 'unsafe_housing', 'illness_untreated', 'elderly_uncared', 'child_out_of_school', 'no_income', 'debt', 'mental_distress', 'other'] as const;

export const AlertSchema = z.object({
  id: UuidSchema,
  householdId: UuidSchema,
  regionCode: z.string(),
  villageName: z.string(),
  townshipName: z.string(),
  cause: z.string(),
  level: z.enum(ALERT_LEVELS),
  status: z.enum(ALERT_STATUSES),
  assigneeId: UuidSchema.nullable(),
  raisedOn: z.string(),
  dueOn: z.string(),
  overdue: z.boolean(),
  escalated: z.boolean(),
  outcome: z.enum(RESOLUTION_OUTCOMES).nullable(),
  closingReason: z.string().nullable(),
  reasons: z.record(z.string(), z.unknown()),
});
export type AlertView = z.infer<typeof AlertSchema>;

export const AlertListQuerySchema = PageQuerySchema.extend({
  level: z.enum(ALERT_LEVELS).optional(),
  /** `open` = new, assigned or visiting. */
  status: z.enum([...ALERT_STATUSES, 'open']).optional(),
  overdue: z.enum(['true', 'false']).optional(),
  region: z.string().regex(/^\d{2,12}$/).optional(),
});
export const AlertListSchema = z.object({ items: z.array(AlertSchema), total: z.number().int(), page: z.number().int(), pageSize: z.number().int() });

export const AlertActionSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('assign'), assigneeId: UuidSchema.optional() }),
  z.object({ type: z.literal('start_visit') }),
  z.object({ type: z.literal('resolve'), outcome: z.enum(RESOLUTION_OUTCOMES) }),
  z.object({ type: z.literal('dismiss'), reason: z.string().trim().min(2, 'a dismissal needs a reason').max(200) }),
]);

export const VisitCreateSchema = z.object({
  visitedOn: IsoDateSchema,
  findings: z.array(z.enum(VISIT_FINDINGS)).min(1, 'tick at least one finding (or none)').max(9),
  notes: z.string().trim().max(500).optional(),
  /** The alert this visit answers, if any: its status moves to visiting. */
  alertId: UuidSchema.optional(),
});
export const VisitSchema = z.object({
  id: UuidSchema,
  householdId: UuidSchema,
  alertId: UuidSchema.nullable(),
  workerId: UuidSchema.nullable(),
  visitedOn: z.string(),
  findings: z.array(z.string()),
  notes: z.string().nullable(),
});

export const HouseholdMonitoringSchema = z.object({
  /** The household's stored states, one per change (a state holds until the next one). */
  history: z.array(z.object({
    asOf: z.string(), score: z.number(), level: z.enum(RISK_LEVELS), dimensions: z.array(z.string()), category: z.string().nullable(),
    /** enrolled, suspected (疑似) or general, and why suspected. */
    population: z.enum(['enrolled', 'suspected', 'general']), populationReasons: z.array(z.string()),
  })),
  /** The date of the last finished monitoring run that covered the household. */
  monitoredThrough: z.string().nullable(),
  alerts: z.array(AlertSchema.extend({ events: z.array(z.object({ action: z.string(), actorId: UuidSchema.nullable(), at: z.string(), detail: z.string().nullable() })) })),
  visits: z.array(VisitSchema),
});

export const MonitoringOverviewSchema = z.object({
  region: z.string(),
  latestRun: z.object({ id: UuidSchema, asOf: z.string(), households: z.number().int(), atRisk: z.number().int() }).nullable(),
  areas: z.array(z.object({
    code: z.string(), name: z.string(), red: z.number().int(), orange: z.number().int(), yellow: z.number().int(), overdue: z.number().int(),
    households: z.number().int().nullable(), H: z.number().nullable(), M0: z.number().nullable(),
    /** Households enrolled in assistance and suspected (疑似) ones in the latest run. */
    enrolled: z.number().int().nullable(), suspected: z.number().int().nullable(),
  })),
});

export const FEED_SOURCE_PATTERN = /^[a-z][a-z0-9_]{1,31}$/;
export const FeedRequestSchema = z.object({
  /**
   * The department's code (emergency, health, public_security, civil_affairs …) when civil-affairs
   * staff relay a department's file. A department's own feed is kept under its organisation: a
   * source given here is not used.
   */
  source: z.string().regex(FEED_SOURCE_PATTERN).optional(),
  /** Event rows: {recordId, kind, idNumber, occurredOn, disabilityGrade?}; checked row by row by the server. */
  rows: z.array(z.unknown()).min(1).max(10_000),
});
export const FeedResultSchema = z.object({
  /** The source the records are kept under. */
  source: z.string(),
  batchId: UuidSchema.nullable(), rows: z.number().int(),
  /** New records (a record id this source had not sent before), received and recorded whether or not they name a registered person. */
  received: z.number().int(),
  alreadyApplied: z.number().int(),
  /** Of the received: applied to a member in your area, of those unchanged, and not applied. Null for a department: they would tell who is registered. */
  applied: z.number().int().nullable(), unchanged: z.number().int().nullable(), notApplied: z.number().int().nullable(),
});
