/** API schemas of accounts, sessions, access, consent, sharing and the audit trail. */
import { z } from 'zod';
import { IsoDateSchema, RegionSchema, UuidSchema } from './common.js';
import { CATEGORIES } from './households.js';

export const ROLES = [
  'province_officer', 'city_officer', 'county_officer', 'township_worker', 'consortium_coordinator', 'department_liaison',
  'charity_staff', 'auditor', 'system_admin', 'security_admin', 'audit_admin', 'unassigned',
] as const;
export const PERMISSIONS = [
  'household.read', 'household.write', 'record.write', 'household.classify', 'household.unmask', 'household.read_shared',
  'consent.write', 'user.manage', 'access.manage', 'audit.read', 'run.classify', 'finding.read', 'finding.resolve',
  'charity.manage', 'charity.coordinate', 'needs.write',
] as const;

export const LoginSchema = z.object({
  username: z.string().min(1, 'is required').max(64),
  password: z.string().min(1, 'is required').max(128),
  totp: z.string().regex(/^\d{6}$/, 'must be 6 digits').optional(),
});
export const MeSchema = z.object({
  id: UuidSchema,
  username: z.string(),
  displayName: z.string(),
  role: z.enum(ROLES),
  roleLabel: z.string(),
  scopeRegion: z.string(),
  scopeName: z.string(),
  organisationId: UuidSchema.nullable(),
  organisationName: z.string().nullable(),
  permissions: z.array(z.enum(PERMISSIONS)),
  totpEnabled: z.boolean(),
});
export type Me = z.infer<typeof MeSchema>;
export const SessionSchema = z.object({ user: MeSchema, csrfToken: z.string() });
export const TotpSetupSchema = z.object({ secret: z.string(), otpauthUrl: z.string() });
export const TotpEnableSchema = z.object({
  secret: z.string().regex(/^[A-Z2-7]{16,64}$/, 'must be a base32 secret'),
  code: z.string().regex(/^\d{6}$/, 'must be 6 digits'),
  /** Required when the account already has a second factor: a code from the current one. */
  currentCode: z.string().regex(/^\d{6}$/, 'must be 6 digits').optional(),
});

export const REVEAL_REASONS = ['home_visit', 'benefit_payment', 'identity_check', 'legal_request', 'other'] as const;
export const RevealRequestSchema = z.object({
  reason: z.enum(REVEAL_REASONS),
  /** A short note; it is kept in the audit trail, so it must not contain personal data. */
  note: z.string().trim().max(100).optional(),
});
export const RevealResponseSchema = z.object({
  members: z.array(z.object({ id: UuidSchema, name: z.string(), idNumber: z.string(), phone: z.string().nullable() })),
});

export const UserSchema = z.object({
  id: UuidSchema,
  username: z.string(),
  displayName: z.string(),
  role: z.enum(ROLES),
  scopeRegion: z.string(),
  organisationId: UuidSchema.nullable(),
  disabled: z.boolean(),
  locked: z.boolean(),
  totpEnabled: z.boolean(),
  createdAt: z.string(),
});
export type UserView = z.infer<typeof UserSchema>;
export const UserCreateSchema = z.object({
  username: z.string().regex(/^[a-z][a-z0-9._-]{2,63}$/, 'must be 3-64 characters: lower-case letters, digits, . _ -'),
  displayName: z.string().trim().min(1, 'is required').max(50),
});
export const UserCreatedSchema = z.object({ user: UserSchema, initialPassword: z.string() });
export const RoleAssignSchema = z.object({
  role: z.enum(ROLES),
  scopeRegion: z.string().regex(/^(\d{2}|\d{4}|\d{6}|\d{9}|\d{12})$/, 'must be a region code'),
  organisationId: UuidSchema.nullable().optional(),
});

export const ORGANISATION_KINDS = ['charity', 'department', 'enterprise', 'social_organisation', 'charity_trust', 'foundation'] as const;
export const OrganisationCreateSchema = z.object({
  name: z.string().trim().min(1).max(100),
  kind: z.enum(ORGANISATION_KINDS),
  creditCode: z.string().regex(/^[0-9A-HJ-NPQRTUWXY]{2}\d{6}[0-9A-HJ-NPQRTUWXY]{10}$/i, 'must be an 18-character unified social credit code').nullable().optional(),
  regionCode: z.string().regex(/^(\d{2}|\d{4}|\d{6})$/, 'must be a province, city or county code'),
});
export const OrganisationSchema = OrganisationCreateSchema.extend({ id: UuidSchema, creditCode: z.string().nullable(), createdAt: z.string() });

/** Fields a receiving organisation may be allowed to see through an agreement. */
export const SHAREABLE_FIELDS = ['category', 'members_basic', 'disability', 'serious_illness', 'region_village', 'phone'] as const;
export const AgreementCreateSchema = z.object({
  organisationId: UuidSchema,
  purpose: z.string().trim().min(2).max(200),
  allowedFields: z.array(z.enum(SHAREABLE_FIELDS)).min(1),
  regionCode: z.string().regex(/^(\d{2}|\d{4}|\d{6})$/, 'must be a province, city or county code'),
  validFrom: IsoDateSchema,
  validUntil: IsoDateSchema,
});
export const AgreementSchema = AgreementCreateSchema.extend({ id: UuidSchema, revokedAt: z.string().nullable(), active: z.boolean() });

export const CONSENT_METHODS = ['written', 'electronic', 'verbal_witnessed'] as const;
export const ConsentCreateSchema = z.object({
  organisationId: UuidSchema,
  purpose: z.string().trim().min(2).max(200),
  givenOn: IsoDateSchema,
  method: z.enum(CONSENT_METHODS),
});
export const ConsentSchema = ConsentCreateSchema.extend({ id: UuidSchema, householdId: UuidSchema, withdrawnOn: z.string().nullable() });
export const ConsentWithdrawSchema = z.object({ withdrawnOn: IsoDateSchema });

/** What a charity or department sees of a household: only what the agreement allows, masked. */
export const SharedHouseholdSchema = z.object({
  id: UuidSchema,
  regionPath: z.array(RegionSchema),
  category: z.enum(CATEGORIES).nullable(),
  members: z.array(z.object({
    maskedName: z.string(),
    sex: z.enum(['M', 'F']).nullable(),
    age: z.number().int().nullable(),
    disabilityGrade: z.number().int().nullable(),
    seriousIllness: z.boolean().nullable(),
    maskedPhone: z.string().nullable(),
  })),
  consentPurpose: z.string(),
  agreementPurpose: z.string(),
});
export type SharedHouseholdView = z.infer<typeof SharedHouseholdSchema>;

export const AuditEntrySchema = z.object({
  seq: z.number().int(),
  at: z.string(),
  actorId: UuidSchema.nullable(),
  role: z.string().nullable(),
  action: z.string(),
  objectType: z.string(),
  objectId: z.string().nullable(),
  purpose: z.string().nullable(),
  result: z.enum(['ok', 'denied', 'error']),
  requestId: z.string().nullable(),
  hash: z.string(),
});
export const AuditListSchema = z.object({ items: z.array(AuditEntrySchema), total: z.number().int() });
export const AuditVerifySchema = z.object({ ok: z.boolean(), checked: z.number().int(), problems: z.array(z.object({ seq: z.number().int(), problem: z.string() })) });
