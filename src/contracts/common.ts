/** Shared zod schemas of the API. Browser-safe: no Node imports, no core imports that touch I/O. */
import { z } from 'zod';

export const IsoDateSchema = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date in YYYY-MM-DD form')
  .refine((s) => {
    const [y, m, d] = s.split('-').map(Number) as [number, number, number];
    const t = new Date(Date.UTC(y, m - 1, d));
    return t.getUTCFullYear() === y && t.getUTCMonth() === m - 1 && t.getUTCDate() === d;
  }, 'is not a calendar date');

/** Money in integer fen (分); never a float. */
export const FenSchema = z.number().int('must be whole fen (integer)').min(0, 'must not be negative').max(1e13, 'is implausibly large');
export const UuidSchema = z.uuid();
/** A 12-digit village (community) code, GB/T 2260 + township and village digits. */
export const VillageCodeSchema = z.string().regex(/^\d{12}$/, 'must be a 12-digit village code');
export const RegionCodeSchema = z.string().regex(/^(\d{2}|\d{4}|\d{6}|\d{9}|\d{12})$/, 'must be a region code of 2, 4, 6, 9 or 12 digits');

export const ERROR_CODES = [
  'VALIDATION_FAILED',
  'HOUSEHOLD_NOT_FOUND',
  'MEMBER_NOT_FOUND',
  'PERSON_IN_OTHER_HOUSEHOLD',
  'POLICY_NOT_IN_FORCE',
  'UNAUTHENTICATED',
  'AUTH_FAILED',
  'SECOND_FACTOR_REQUIRED',
  'FORBIDDEN',
  'CSRF_FAILED',
  'CONSENT_REQUIRED',
  'USER_NOT_FOUND',
  'CONFLICT',
  /** A write sent `If-Match` with a version the record no longer has (someone changed it since). */
  'PRECONDITION_FAILED',
  'NOT_FOUND',
  'RATE_LIMITED',
  /** The database could not be reached or dropped the connection; nothing was changed, try again. */
  'UNAVAILABLE',
  'INTERNAL',
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

export const ErrorResponseSchema = z.object({
  error: z.object({
    code: z.enum(ERROR_CODES),
    message: z.string(),
    /** The field at fault, e.g. `members[1].idNumber`. */
    field: z.string().optional(),
    issues: z.array(z.object({ field: z.string(), message: z.string() })).optional(),
  }),
});
export type ErrorResponse = z.infer<typeof ErrorResponseSchema>;

export const PageQuerySchema = z.object({
  page: z.coerce.number().int().min(1).default(1),
  pageSize: z.coerce.number().int().min(1).max(200).default(20),
});

export const RegionSchema = z.object({
  code: z.string(),
  name: z.string(),
  level: z.enum(['province', 'city', 'county', 'township', 'village']),
  parentCode: z.string().nullable(),
  isMountainCounty: z.boolean(),
});
export type RegionView = z.infer<typeof RegionSchema>;
