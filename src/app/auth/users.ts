/**
 * Accounts under separation of duties (三员分立): the system administrator creates and disables
 * accounts; the security administrator assigns roles, scopes and organisations; nobody changes
 * their own role. Changes apply on the user's next request (roles are read per request).
 */
import type { Me, UserView } from '../../contracts/security.js';
import { ROLE_SPECS, toRole, type Role } from '../../core/security/index.js';
import type { UserRow } from '../../db/schema.js';
import type { AppContext } from '../context.js';
import { AppError, invalid } from '../errors.js';
import { newId } from '../new-id.js';
import { appendAudit } from '../audit/audit.js';
import { requirePermission, type Actor } from './actor.js';
import { generatePassword, hashPassword } from './passwords.js';

const iso = (d: Date | string): string => (d instanceof Date ? d.toISOString() : d);

export function presentUser(u: UserRow, now = new Date()): UserView {
  return {
    id: u.id,
    username: u.username,
    displayName: u.display_name,
    role: toRole(u.role),
    scopeRegion: u.scope_region,
    organisationId: u.organisation_id,
    disabled: u.disabled,
    locked: u.locked_until != null && new Date(u.locked_until) > now,
    totpEnabled: u.totp_secret != null,
    createdAt: iso(u.created_at),
  };
}

export async function me(ctx: AppContext, actor: Actor): Promise<Me> {
  const u = await ctx.db.selectFrom('users').selectAll().where('id', '=', actor.userId).executeTakeFirstOrThrow();
  const org = u.organisation_id ? await ctx.db.selectFrom('organisations').select('name').where('id', '=', u.organisation_id).executeTakeFirst() : undefined;
  return {
    id: u.id,
    username: u.username,
    displayName: u.display_name,
    role: actor.role,
    roleLabel: ROLE_SPECS[actor.role].label,
    scopeRegion: u.scope_region,
    scopeName: ctx.regions.get(u.scope_region)?.name ?? u.scope_region,
    organisationId: u.organisation_id,
    organisationName: org?.name ?? null,
    permissions: [...ROLE_SPECS[actor.role].permissions],
    totpEnabled: u.totp_secret != null,
  };
}

export async function listUsers(ctx: AppContext, actor: Actor): Promise<UserView[]> {
  if (!ROLE_SPECS[actor.role].permissions.some((p) => p === 'user.manage' || p === 'access.manage')) requirePermission(actor, 'user.manage');
  const rows = await ctx.db.selectFrom('users').selectAll().orderBy('username').execute();
  return rows.map((u) => presentUser(u));
}

/** Checks a role assignment: scope level allowed for the role, organisation when the role needs one. */
async function checkAssignment(ctx: AppContext, role: Role, scopeRegion: string, organisationId: string | null): Promise<void> {
  const spec = ROLE_SPECS[role];
  const region = ctx.regions.get(scopeRegion);
  if (!region) throw invalid([{ field: 'scopeRegion', message: 'unknown region code' }]);
  if (!spec.scopeLevels.includes(region.level)) {
    throw invalid([{ field: 'scopeRegion', message: `a ${role} is scoped to a ${spec.scopeLevels.join(' or ')}, not a ${region.level}` }]);
  }
  if (spec.needsOrganisation) {
    if (!organisationId) throw invalid([{ field: 'organisationId', message: `a ${role} belongs to an organisation` }]);
    const org = await ctx.db.selectFrom('organisations').select('id').where('id', '=', organisationId).executeTakeFirst();
    if (!org) throw invalid([{ field: 'organisationId', message: 'unknown organisation' }]);
  } else if (organisationId) {
    throw invalid([{ field: 'organisationId', message: `a ${role} does not belong to an organisation` }]);
  }
}

/**
 * Creates an account. Through the API the system administrator creates it without a role; the
 * operator's CLI (`zhongfu users add`, no actor) may give the role at once, for the first administrators.
 */
export async function createUser(
  ctx: AppContext,
  actor: Actor | null,
  input: { username: string; displayName: string; role?: Role; scopeRegion?: string; organisationId?: string | null; password?: string },
): Promise<{ user: UserView; initialPassword: string }> {
  if (actor) requirePermission(actor, 'user.manage');
  const role: Role = actor ? 'unassigned' : (input.role ?? 'unassigned');
  const scopeRegion = actor ? '33' : (input.scopeRegion ?? '33');
  const organisationId = actor ? null : (input.organisationId ?? null);
  if (!actor) await checkAssignment(ctx, role, scopeRegion, organisationId);
  const existing = await ctx.db.selectFrom('users').select('id').where('username', '=', input.username).executeTakeFirst();
  if (existing) throw new AppError('CONFLICT', 'username: is already taken', 'username');
  const password = input.password ?? generatePassword();
  const id = newId();
  const hash = await hashPassword(password);
  const row = await ctx.db.transaction().execute(async (trx) => {
    const r = await trx
      .insertInto('users')
      .values({ id, username: input.username, display_name: input.displayName, password_hash: hash, role, scope_region: scopeRegion, organisation_id: organisationId, disabled: false })
      .returningAll()
      .executeTakeFirstOrThrow();
    await appendAudit(trx, { actorId: actor?.userId ?? null, role: actor?.role ?? 'operator', action: 'user.create', objectType: 'user', objectId: id, result: 'ok', requestId: actor?.requestId ?? null });
    return r;
  });
  return { user: presentUser(row), initialPassword: password };
}

export async function setUserDisabled(ctx: AppContext, actor: Actor, userId: string, disabled: boolean): Promise<UserView> {
  requirePermission(actor, 'user.manage');
  if (userId === actor.userId) throw new AppError('FORBIDDEN', 'you cannot disable your own account');
  return ctx.db.transaction().execute(async (trx) => {
    const r = await trx.updateTable('users').set({ disabled, updated_at: new Date() }).where('id', '=', userId).returningAll().executeTakeFirst();
    if (!r) throw new AppError('USER_NOT_FOUND', 'user not found');
    if (disabled) await trx.deleteFrom('sessions').where('user_id', '=', userId).execute();
    await appendAudit(trx, { actorId: actor.userId, role: actor.role, action: disabled ? 'user.disable' : 'user.enable', objectType: 'user', objectId: userId, result: 'ok', requestId: actor.requestId });
    return presentUser(r);
  });
}

export async function assignRole(ctx: AppContext, actor: Actor, userId: string, input: { role: Role; scopeRegion: string; organisationId?: string | null | undefined }): Promise<UserView> {
  requirePermission(actor, 'access.manage');
  if (userId === actor.userId) throw new AppError('FORBIDDEN', 'you cannot change your own role');
  await checkAssignment(ctx, input.role, input.scopeRegion, input.organisationId ?? null);
  return ctx.db.transaction().execute(async (trx) => {
    const r = await trx
      .updateTable('users')
      .set({ role: input.role, scope_region: input.scopeRegion, organisation_id: input.organisationId ?? null, updated_at: new Date() })
      .where('id', '=', userId)
      .returningAll()
      .executeTakeFirst();
    if (!r) throw new AppError('USER_NOT_FOUND', 'user not found');
    await appendAudit(trx, { actorId: actor.userId, role: actor.role, action: 'user.assign_role', objectType: 'user', objectId: userId, purpose: `${input.role}@${input.scopeRegion}`, result: 'ok', requestId: actor.requestId });
    return presentUser(r);
  });
}
