/**
 * Login, server-side sessions and their timeouts, throttling, and the TOTP second factor
 * (OWASP ASVS 5.0 V6/V7). The session id is 256 bits from the CSPRNG; only its SHA-256 is stored.
 */
import { createHash, randomBytes } from 'node:crypto';
import { base32Decode, base32Encode, toRole, verifyTotp } from '../../core/security/index.js';
import type { UserRow } from '../../db/schema.js';
import type { AppContext } from '../context.js';
import { AppError } from '../errors.js';
import { appendAudit } from '../audit/audit.js';
import type { Actor } from './actor.js';
import { dummyHash, verifyPassword } from './passwords.js';

export interface SessionPolicy {
  idleMinutes: number;
  absoluteHours: number;
  maxFailures: number;
  failureWindowMinutes: number;
  lockMinutes: number;
}

export const DEFAULT_SESSION_POLICY: SessionPolicy = { idleMinutes: 30, absoluteHours: 12, maxFailures: 5, failureWindowMinutes: 15, lockMinutes: 15 };

const sha256 = (s: string): string => createHash('sha256').update(s).digest('hex');
const AUTH_FAILED = (): AppError => new AppError('AUTH_FAILED', 'username or password is incorrect');

export interface LoginResult {
  token: string;
  csrfToken: string;
  actor: Actor;
}

function actorOf(u: UserRow, requestId: string | null): Actor {
  return {
    userId: u.id,
    username: u.username,
    displayName: u.display_name,
    role: toRole(u.role),
    scopeRegion: u.scope_region,
    organisationId: u.organisation_id,
    requestId,
  };
}

/**
 * Checks the password (and the TOTP code when the account has one) and opens a new session.
 * Unknown user, wrong password and locked account give the same answer.
 */
export async function login(
  ctx: AppContext,
  input: { username: string; password: string; totp?: string | undefined },
  requestId: string | null,
  policy: SessionPolicy = DEFAULT_SESSION_POLICY,
  now = new Date(),
): Promise<LoginResult> {
  const user = await ctx.db.selectFrom('users').selectAll().where('username', '=', input.username).executeTakeFirst();
  if (!user) {
    await verifyPassword(await dummyHash(), input.password);
    await ctx.db.transaction().execute((trx) => appendAudit(trx, { actorId: null, role: null, action: 'auth.login', objectType: 'user', result: 'denied', requestId }));
    throw AUTH_FAILED();
  }
  // The slow hash check runs outside any transaction; everything it leads to is decided below,
  // on the users row locked for this sign-in.
  const passwordMatches = await verifyPassword(user.password_hash, input.password);
  const windowStart = new Date(now.getTime() - policy.failureWindowMinutes * 60_000);

  type Outcome = { ok: LoginResult } | { refused: AppError };
  const outcome: Outcome = await ctx.db.transaction().execute(async (trx): Promise<Outcome> => {
    // Sign-ins of one account run one at a time (the row lock): the lock-out is read from the
    // committed state, each failure is counted after the ones before it, and a right password
    // arriving after the failures that locked the account meets the lock (docs/security.md).
    // (NO KEY: rows that merely reference the user, e.g. its other writes, are not held up.)
    const u = await trx.selectFrom('users').selectAll().where('id', '=', user.id).forNoKeyUpdate().executeTakeFirstOrThrow();
    // A password changed since it was read is checked against the old hash: not good enough.
    const passwordOk = passwordMatches && u.password_hash === user.password_hash;
    const locked = u.locked_until != null && new Date(u.locked_until) > now;
    let totpStep: number | null = null;
    let secondFactorMissing = false;
    if (passwordOk && !locked && u.totp_secret) {
      if (!input.totp) secondFactorMissing = true;
      else totpStep = verifyTotp(base32Decode(u.totp_secret), input.totp, now.getTime() / 1000, u.totp_last_step);
    }
    const ok = passwordOk && !locked && !u.disabled && !secondFactorMissing && (u.totp_secret == null || totpStep !== null);

    if (!ok) {
      // The failure, the lock and the audit row are committed before the refusal is thrown.
      if (!secondFactorMissing && !locked) {
        await trx.insertInto('login_failures').values({ user_id: u.id, at: now }).execute();
        const failures = (await trx.selectFrom('login_failures').select((eb) => eb.fn.countAll<number>().as('n')).where('user_id', '=', u.id).where('at', '>', windowStart).executeTakeFirst())?.n ?? 0;
        if (failures >= policy.maxFailures) {
          await trx.updateTable('users').set({ locked_until: new Date(now.getTime() + policy.lockMinutes * 60_000) }).where('id', '=', u.id).execute();
        }
      }
      await appendAudit(trx, {
        actorId: u.id, role: u.role, action: 'auth.login', objectType: 'user', objectId: u.id,
        purpose: secondFactorMissing ? 'second factor required' : locked ? 'account locked' : null, result: 'denied', requestId,
      }, now);
      return { refused: secondFactorMissing ? new AppError('SECOND_FACTOR_REQUIRED', 'enter the 6-digit code from your authenticator app') : AUTH_FAILED() };
    }

    await trx.deleteFrom('login_failures').where('user_id', '=', u.id).execute();
    if (totpStep !== null) await trx.updateTable('users').set({ totp_last_step: totpStep }).where('id', '=', u.id).execute();
    const token = randomBytes(32).toString('base64url');
    const csrfToken = randomBytes(32).toString('base64url');
    await trx
      .insertInto('sessions')
      .values({
        id_hash: sha256(token), user_id: u.id, csrf_token: csrfToken, second_factor_done: u.totp_secret != null,
        created_at: now, last_seen_at: now, expires_at: new Date(now.getTime() + policy.absoluteHours * 3_600_000),
      })
      .execute();
    await appendAudit(trx, { actorId: u.id, role: u.role, action: 'auth.login', objectType: 'user', objectId: u.id, result: 'ok', requestId }, now);
    return { ok: { token, csrfToken, actor: actorOf(u, requestId) } };
  });
  if ('refused' in outcome) throw outcome.refused;
  return outcome.ok;
}

/**
 * Resolves a session token to its actor, or null when it is unknown, idle too long, past its
 * absolute lifetime, or its user is disabled. Role and scope are read fresh on every request.
 */
export async function resolveSession(
  ctx: AppContext,
  token: string,
  requestId: string | null,
  policy: SessionPolicy = DEFAULT_SESSION_POLICY,
  now = new Date(),
): Promise<{ actor: Actor; csrfToken: string } | null> {
  const idHash = sha256(token);
  const row = await ctx.db
    .selectFrom('sessions as s')
    .innerJoin('users as u', 'u.id', 's.user_id')
    .selectAll('u')
    .select(['s.csrf_token', 's.last_seen_at', 's.expires_at'])
    .where('s.id_hash', '=', idHash)
    .executeTakeFirst();
  if (!row) return null;
  const idleLimit = new Date(new Date(row.last_seen_at).getTime() + policy.idleMinutes * 60_000);
  if (row.disabled || new Date(row.expires_at) <= now || idleLimit <= now) {
    await ctx.db.deleteFrom('sessions').where('id_hash', '=', idHash).execute();
    return null;
  }
  // Touch at most once a minute: the idle clock needs no finer grain, the database no extra writes.
  if (now.getTime() - new Date(row.last_seen_at).getTime() > 60_000) {
    await ctx.db.updateTable('sessions').set({ last_seen_at: now }).where('id_hash', '=', idHash).execute();
  }
  return { actor: actorOf(row, requestId), csrfToken: row.csrf_token };
}

export async function logout(ctx: AppContext, token: string, actor: Actor): Promise<void> {
  await ctx.db.transaction().execute(async (trx) => {
    await trx.deleteFrom('sessions').where('id_hash', '=', sha256(token)).execute();
    await appendAudit(trx, { actorId: actor.userId, role: actor.role, action: 'auth.logout', objectType: 'user', objectId: actor.userId, result: 'ok', requestId: actor.requestId });
  });
}

/** Starts TOTP enrolment: a new secret, not active until a code from it is confirmed. */
export function newTotpSecret(): string {
  return base32Encode(randomBytes(20));
}

/** Confirms enrolment with a code from the new secret, then makes the second factor required. */
export async function enableTotp(ctx: AppContext, actor: Actor, secret: string, code: string, currentCode: string | undefined, now = new Date()): Promise<void> {
  await ctx.db.transaction().execute(async (trx) => {
    // The users row is locked (as at sign-in): enrolments of one account are decided one at a time,
    // each on the factor the one before left, so two at once cannot both pass the check below.
    const user = await trx.selectFrom('users').select(['totp_secret', 'totp_last_step']).where('id', '=', actor.userId).forNoKeyUpdate().executeTakeFirstOrThrow();
    // Replacing a second factor needs the current one: a stolen session alone cannot swap it.
    if (user.totp_secret) {
      const ok = currentCode !== undefined && verifyTotp(base32Decode(user.totp_secret), currentCode, now.getTime() / 1000, user.totp_last_step) !== null;
      if (!ok) throw new AppError('VALIDATION_FAILED', 'currentCode: enter a code from your current authenticator to replace it', 'currentCode');
    }
    let bytes: Uint8Array;
    try {
      bytes = base32Decode(secret);
    } catch {
      throw new AppError('VALIDATION_FAILED', 'secret: not a base32 secret', 'secret');
    }
    const step = verifyTotp(bytes, code, now.getTime() / 1000, null);
    if (step === null) throw new AppError('VALIDATION_FAILED', 'code: does not match the secret', 'code');
    await trx.updateTable('users').set({ totp_secret: secret, totp_last_step: step, updated_at: now }).where('id', '=', actor.userId).execute();
    await appendAudit(trx, { actorId: actor.userId, role: actor.role, action: 'auth.totp_enable', objectType: 'user', objectId: actor.userId, result: 'ok', requestId: actor.requestId });
  });
}
