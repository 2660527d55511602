/**
 * Organisations, data-sharing agreements, household consent, and what a receiving organisation
 * (charity or department) may read: only households with an active agreement AND an active
 * consent, only the agreed fields, masked (PIPL arts. 13, 23, 29).
 */
import { sql, type Kysely } from 'kysely';
import type { z } from 'zod';
import type {
  AgreementCreateSchema, AgreementSchema, ConsentCreateSchema, ConsentSchema, OrganisationCreateSchema, OrganisationSchema, SharedHouseholdView,
} from '../../contracts/security.js';
import { fullYears } from '../../core/dates/dates.js';
import { maskName, maskPhone } from '../../core/security/index.js';
import { parseCreditCode } from '../../core/ids/index.js';
import type { AgreementRow, ConsentRow, Database } from '../../db/schema.js';
import type { AppContext } from '../context.js';
import { AppError, invalid } from '../errors.js';
import { newId } from '../new-id.js';
import { appendAudit, appendAuditAlone } from '../audit/audit.js';
import { requirePermission, type Actor } from '../auth/actor.js';
import { regionPath } from '../households/present.js';

type Organisation = z.infer<typeof OrganisationSchema>;
type Agreement = z.infer<typeof AgreementSchema>;
type Consent = z.infer<typeof ConsentSchema>;
const iso = (d: Date | string | null): string | null => (d == null ? null : d instanceof Date ? d.toISOString() : d);

export async function listOrganisations(ctx: AppContext): Promise<Organisation[]> {
  const rows = await ctx.db.selectFrom('organisations').selectAll().orderBy('name').execute();
  return rows.map((o) => ({ id: o.id, name: o.name, kind: o.kind as Organisation['kind'], creditCode: o.credit_code, regionCode: o.region_code, createdAt: iso(o.created_at)! }));
}

export async function createOrganisation(ctx: AppContext, actor: Actor | null, input: z.infer<typeof OrganisationCreateSchema>): Promise<Organisation> {
  if (actor) requirePermission(actor, 'access.manage');
  if (!ctx.regions.get(input.regionCode)) throw invalid([{ field: 'regionCode', message: 'unknown region code' }]);
  const code = input.creditCode?.toUpperCase() ?? null;
  if (code) {
    const parsed = parseCreditCode(code);
    if (!parsed.ok) throw invalid([{ field: 'creditCode', message: parsed.message }]);
    const taken = await ctx.db.selectFrom('organisations').select('id').where('credit_code', '=', code).executeTakeFirst();
    if (taken) throw new AppError('CONFLICT', 'creditCode: an organisation with this code is already registered', 'creditCode');
  }
  const id = newId();
  const row = await ctx.db.transaction().execute(async (trx) => {
    const r = await trx.insertInto('organisations').values({ id, name: input.name, kind: input.kind, credit_code: code, region_code: input.regionCode }).returningAll().executeTakeFirstOrThrow();
    await appendAudit(trx, { actorId: actor?.userId ?? null, role: actor?.role ?? 'operator', action: 'organisation.create', objectType: 'organisation', objectId: id, result: 'ok', requestId: actor?.requestId ?? null });
    return r;
  });
  return { id: row.id, name: row.name, kind: row.kind as Organisation['kind'], creditCode: row.credit_code, regionCode: row.region_code, createdAt: iso(row.created_at)! };
}

function presentAgreement(a: AgreementRow, today: string): Agreement {
  return {
    id: a.id, organisationId: a.organisation_id, purpose: a.purpose, allowedFields: a.allowed_fields as Agreement['allowedFields'],
    regionCode: a.region_code, validFrom: a.valid_from, validUntil: a.valid_until, revokedAt: iso(a.revoked_at),
    active: a.revoked_at == null && a.valid_from <= today && today <= a.valid_until,
  };
}

export async function listAgreements(ctx: AppContext, actor: Actor): Promise<Agreement[]> {
  requirePermission(actor, 'access.manage');
  const rows = await ctx.db.selectFrom('sharing_agreements').selectAll().orderBy('created_at', 'desc').execute();
  return rows.map((a) => presentAgreement(a, ctx.today()));
}

export async function createAgreement(ctx: AppContext, actor: Actor | null, input: z.infer<typeof AgreementCreateSchema>): Promise<Agreement> {
  if (actor) requirePermission(actor, 'access.manage');
  const issues = [];
  if (!ctx.regions.get(input.regionCode)) issues.push({ field: 'regionCode', message: 'unknown region code' });
  if (input.validUntil < input.validFrom) issues.push({ field: 'validUntil', message: 'ends before it starts' });
  const org = await ctx.db.selectFrom('organisations').select(['id', 'region_code']).where('id', '=', input.organisationId).executeTakeFirst();
  if (!org) issues.push({ field: 'organisationId', message: 'unknown organisation' });
  if (issues.length > 0) throw invalid(issues);
  const id = newId();
  const row = await ctx.db.transaction().execute(async (trx) => {
    const r = await trx
      .insertInto('sharing_agreements')
      .values({ id, organisation_id: input.organisationId, purpose: input.purpose, allowed_fields: input.allowedFields, region_code: input.regionCode, valid_from: input.validFrom, valid_until: input.validUntil, created_by: actor?.userId ?? null })
      .returningAll()
      .executeTakeFirstOrThrow();
    await appendAudit(trx, { actorId: actor?.userId ?? null, role: actor?.role ?? 'operator', action: 'agreement.create', objectType: 'agreement', objectId: id, result: 'ok', requestId: actor?.requestId ?? null });
    return r;
  });
  return presentAgreement(row, ctx.today());
}

export async function revokeAgreement(ctx: AppContext, actor: Actor, id: string): Promise<Agreement> {
  requirePermission(actor, 'access.manage');
  return ctx.db.transaction().execute(async (trx) => {
    const r = await trx.updateTable('sharing_agreements').set({ revoked_at: new Date() }).where('id', '=', id).where('revoked_at', 'is', null).returningAll().executeTakeFirst();
    if (!r) throw new AppError('NOT_FOUND', 'agreement not found or already revoked');
    await appendAudit(trx, { actorId: actor.userId, role: actor.role, action: 'agreement.revoke', objectType: 'agreement', objectId: id, result: 'ok', requestId: actor.requestId });
    return presentAgreement(r, ctx.today());
  });
}

function presentConsent(c: ConsentRow): Consent {
  return { id: c.id, householdId: c.household_id, organisationId: c.organisation_id, purpose: c.purpose, givenOn: c.given_on, method: c.method, withdrawnOn: c.withdrawn_on };
}

/** The household's region if it is in the actor's scope; otherwise the same 404 as a missing one. */
async function scopedRegion(db: Kysely<Database>, actor: Actor, householdId: string): Promise<string> {
  const r = await db.selectFrom('households').select('region_code').where('id', '=', householdId).where('region_code', 'like', `${actor.scopeRegion}%`).executeTakeFirst();
  if (!r) throw new AppError('HOUSEHOLD_NOT_FOUND', 'household not found');
  return r.region_code;
}

export async function listConsents(ctx: AppContext, actor: Actor, householdId: string): Promise<Consent[]> {
  requirePermission(actor, 'consent.write');
  await scopedRegion(ctx.db, actor, householdId);
  const rows = await ctx.db.selectFrom('consents').selectAll().where('household_id', '=', householdId).orderBy('created_at', 'desc').execute();
  return rows.map(presentConsent);
}

export async function recordConsent(ctx: AppContext, actor: Actor, householdId: string, input: z.infer<typeof ConsentCreateSchema>): Promise<Consent> {
  requirePermission(actor, 'consent.write');
  await scopedRegion(ctx.db, actor, householdId);
  const org = await ctx.db.selectFrom('organisations').select('id').where('id', '=', input.organisationId).executeTakeFirst();
  if (!org) throw invalid([{ field: 'organisationId', message: 'unknown organisation' }]);
  if (input.givenOn > ctx.today()) throw invalid([{ field: 'givenOn', message: 'is in the future' }]);
  const id = newId();
  return ctx.db.transaction().execute(async (trx) => {
    const r = await trx
      .insertInto('consents')
      .values({ id, household_id: householdId, organisation_id: input.organisationId, purpose: input.purpose, given_on: input.givenOn, method: input.method, recorded_by: actor.userId })
      .returningAll()
      .executeTakeFirstOrThrow();
    await appendAudit(trx, { actorId: actor.userId, role: actor.role, action: 'consent.record', objectType: 'household', objectId: householdId, result: 'ok', requestId: actor.requestId });
    return presentConsent(r);
  });
}

export async function withdrawConsent(ctx: AppContext, actor: Actor, householdId: string, consentId: string, withdrawnOn: string): Promise<Consent> {
  requirePermission(actor, 'consent.write');
  await scopedRegion(ctx.db, actor, householdId);
  // A withdrawal takes effect from a day that has come (today at the latest: a future date would
  // leave sharing on until then) and never before the consent was given.
  if (withdrawnOn > ctx.today()) throw invalid([{ field: 'withdrawnOn', message: 'is in the future: a withdrawal takes effect today at the latest' }]);
  return ctx.db.transaction().execute(async (trx) => {
    const c = await trx.selectFrom('consents').select('given_on').where('id', '=', consentId).where('household_id', '=', householdId).where('withdrawn_on', 'is', null).forUpdate().executeTakeFirst();
    if (c && withdrawnOn < c.given_on) throw invalid([{ field: 'withdrawnOn', message: `is before the consent was given (${c.given_on})` }]);
    const r = await trx
      .updateTable('consents')
      .set({ withdrawn_on: withdrawnOn })
      .where('id', '=', consentId)
      .where('household_id', '=', householdId)
      .where('withdrawn_on', 'is', null)
      .returningAll()
      .executeTakeFirst();
    if (!r) throw new AppError('NOT_FOUND', 'consent not found or already withdrawn');
    await appendAudit(trx, { actorId: actor.userId, role: actor.role, action: 'consent.withdraw', objectType: 'household', objectId: householdId, result: 'ok', requestId: actor.requestId });
    return presentConsent(r);
  });
}

/** Households shared with the actor's organisation today: active agreement covering the village and active consent. */
function sharedQuery(db: Kysely<Database>, actor: Actor, today: string) {
  return db
    .selectFrom('households as h')
    .innerJoin('consents as c', (j) => j.onRef('c.household_id', '=', 'h.id').on('c.organisation_id', '=', actor.organisationId ?? '00000000-0000-0000-0000-000000000000'))
    .innerJoin('sharing_agreements as a', (j) =>
      j.onRef('a.organisation_id', '=', 'c.organisation_id').on(sql<boolean>`h.region_code LIKE a.region_code || '%'`),
    )
    .where('h.region_code', 'like', `${actor.scopeRegion}%`)
    .where('c.given_on', '<=', today)
    .where((eb) => eb.or([eb('c.withdrawn_on', 'is', null), eb('c.withdrawn_on', '>', today)]))
    .where('a.revoked_at', 'is', null)
    .where('a.valid_from', '<=', today)
    .where('a.valid_until', '>=', today);
}

async function presentShared(ctx: AppContext, householdId: string, rows: { allowed_fields: string[]; c_purpose: string; a_purpose: string }[]): Promise<SharedHouseholdView> {
  const fields = new Set(rows.flatMap((r) => r.allowed_fields));
  const h = await ctx.db.selectFrom('households').select('region_code').where('id', '=', householdId).executeTakeFirstOrThrow();
  const members = await ctx.db.selectFrom('members').select(['name', 'sex', 'birth_date', 'disability_grade', 'serious_illness', 'phone', 'deceased_on']).where('household_id', '=', householdId).orderBy('position').execute();
  const status = fields.has('category') ? await ctx.db.selectFrom('household_status').select('category').where('household_id', '=', householdId).executeTakeFirst() : undefined;
  const path = regionPath(ctx, h.region_code);
  const basic = fields.has('members_basic');
  return {
    id: householdId,
    // Without the village field, the path stops at the township.
    regionPath: fields.has('region_village') ? path : path.filter((r) => r.level !== 'village'),
    category: (status?.category ?? null) as SharedHouseholdView['category'],
    members: members
      .filter((m) => m.deceased_on == null)
      .map((m) => ({
        maskedName: maskName(m.name),
        sex: basic ? m.sex : null,
        age: basic ? fullYears(m.birth_date, ctx.today()) : null,
        disabilityGrade: fields.has('disability') ? m.disability_grade : null,
        seriousIllness: fields.has('serious_illness') ? m.serious_illness : null,
        maskedPhone: fields.has('phone') && m.phone ? maskPhone(m.phone) : null,
      })),
    consentPurpose: rows[0]!.c_purpose,
    agreementPurpose: rows[0]!.a_purpose,
  };
}

export async function listSharedHouseholds(ctx: AppContext, actor: Actor): Promise<SharedHouseholdView[]> {
  requirePermission(actor, 'household.read_shared');
  const rows = await sharedQuery(ctx.db, actor, ctx.today()).select(['h.id', 'a.allowed_fields', 'c.purpose as c_purpose', 'a.purpose as a_purpose']).orderBy('h.id').limit(200).execute();
  const byId = new Map<string, typeof rows>();
  for (const r of rows) byId.set(r.id, [...(byId.get(r.id) ?? []), r]);
  const out: SharedHouseholdView[] = [];
  await ctx.db.transaction().execute(async (trx) => {
    await appendAudit(trx, { actorId: actor.userId, role: actor.role, action: 'shared.list', objectType: 'household', result: 'ok', requestId: actor.requestId });
  });
  for (const [id, rs] of byId) out.push(await presentShared(ctx, id, rs));
  return out;
}

/**
 * One shared household. No active agreement and consent: 403 when the organisation had a consent
 * for it before (it knows the household exists), otherwise the same 404 as a missing household.
 */
export async function getSharedHousehold(ctx: AppContext, actor: Actor, householdId: string): Promise<SharedHouseholdView> {
  requirePermission(actor, 'household.read_shared');
  const rows = await sharedQuery(ctx.db, actor, ctx.today()).select(['h.id', 'a.allowed_fields', 'c.purpose as c_purpose', 'a.purpose as a_purpose']).where('h.id', '=', householdId).execute();
  if (rows.length === 0) {
    // Only a household in the user's own area that the organisation once had consent for is "known".
    const known = await ctx.db
      .selectFrom('consents as c')
      .innerJoin('households as h', 'h.id', 'c.household_id')
      .select('c.id')
      .where('c.household_id', '=', householdId)
      .where('c.organisation_id', '=', actor.organisationId ?? '00000000-0000-0000-0000-000000000000')
      .where('h.region_code', 'like', `${actor.scopeRegion}%`)
      .executeTakeFirst();
    await appendAuditAlone(ctx.db, { actorId: actor.userId, role: actor.role, action: 'shared.read', objectType: 'household', objectId: householdId, result: 'denied', requestId: actor.requestId });
    if (known) throw new AppError('CONSENT_REQUIRED', 'the data-sharing agreement or the household’s consent is no longer active');
    throw new AppError('HOUSEHOLD_NOT_FOUND', 'household not found');
  }
  const view = await presentShared(ctx, householdId, rows);
  await appendAuditAlone(ctx.db, { actorId: actor.userId, role: actor.role, action: 'shared.read', objectType: 'household', objectId: householdId, result: 'ok', requestId: actor.requestId });
  return view;
}

/**
 * What an organisation may see of one household right now (agreement + consent, masked), or null.
 * For views built on top of sharing (charity referrals); the caller writes the audit row.
 */
export async function sharedViewOrNull(ctx: AppContext, actor: Actor, householdId: string): Promise<SharedHouseholdView | null> {
  const rows = await sharedQuery(ctx.db, actor, ctx.today()).select(['h.id', 'a.allowed_fields', 'c.purpose as c_purpose', 'a.purpose as a_purpose']).where('h.id', '=', householdId).execute();
  return rows.length === 0 ? null : presentShared(ctx, householdId, rows);
}
