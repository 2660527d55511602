/**
 * Sessions and their end: sign-in answers that tell nothing, lock-out, CSRF, the cookie, logout,
 * idle and absolute timeouts, and changes by the administrators (disable, role) and by the
 * household (consent withdrawn, agreement revoked) that take effect on the very next request.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { buildServer } from '../../src/server/app.js';
import type { Platform } from '../../src/app/setup/open-platform.js';
import { createUser } from '../../src/app/auth/users.js';
import { openTestPlatform, TEST_DB_KINDS } from '../support/databases.js';
import {
  COUNTY_X, COUNTY_Y, PASSWORD, PROVINCE, VILLAGE_A, buildWorld, countRows, logIn, newPerson, send, signInAs, stateFingerprint, uniqueName,
  type SecClient, type World,
} from '../support/security-world.js';

const errorOf = (r: LightMyRequestResponse): { code: string; message: string } => r.json<{ error: { code: string; message: string } }>().error;

describe.each(TEST_DB_KINDS)('sessions on %s', (kind) => {
  let p: Platform;
  let app: FastifyInstance;
  let world: World;
  let sysAdmin: SecClient;
  let secAdmin: SecClient;
  let officer: SecClient;

  beforeAll(async () => {
    p = await openTestPlatform(kind);
    app = await buildServer(p.ctx, { webDist: '/nonexistent', rateLimit: false, loginRateLimit: false });
    world = await buildWorld(app, p.ctx);
    sysAdmin = await signInAs(app, p.ctx, 'system_admin', PROVINCE);
    secAdmin = world.secAdmin;
    officer = await signInAs(app, p.ctx, 'county_officer', COUNTY_X);
  });
  afterAll(async () => {
    await app.close();
    await p.close();
  });

  const newAccount = async (role: 'county_officer' | 'unassigned' = 'county_officer'): Promise<string> => {
    const username = uniqueName('acct');
    await createUser(p.ctx, null, { username, displayName: username, role, scopeRegion: COUNTY_X, password: PASSWORD });
    return username;
  };
  const login = (username: string, password: string, cookie?: string): Promise<LightMyRequestResponse> =>
    app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username, password }, ...(cookie && { cookies: { zf_session: cookie } }) });

  it('answers an unknown user, a wrong password, a locked and a disabled account alike', async () => {
    const known = await newAccount();
    const unknown = await login('no-such-user', 'whatever password');
    const wrong = await login(known, 'wrong password');
    expect(unknown.statusCode).toBe(401);
    expect({ status: wrong.statusCode, body: wrong.body }).toEqual({ status: unknown.statusCode, body: unknown.body });
    expect(errorOf(unknown).code).toBe('AUTH_FAILED');
    for (const r of [unknown, wrong]) expect(r.headers['set-cookie']).toBeUndefined();
    const disabled = await newAccount();
    const d = (await p.ctx.db.selectFrom('users').select('id').where('username', '=', disabled).executeTakeFirstOrThrow()).id;
    expect((await sysAdmin.request('POST', `/api/v1/users/${d}/disable`)).statusCode).toBe(200);
    const r = await login(disabled, PASSWORD);
    expect({ status: r.statusCode, body: r.body }).toEqual({ status: unknown.statusCode, body: unknown.body });
    // A locked account (lock set directly here; the lock-out itself is tested below), right password.
    const locked = await newAccount();
    await p.ctx.db.updateTable('users').set({ locked_until: new Date(Date.now() + 15 * 60_000) }).where('username', '=', locked).execute();
    const l = await login(locked, PASSWORD);
    expect({ status: l.statusCode, body: l.body }).toEqual({ status: unknown.statusCode, body: unknown.body });
    expect(l.headers['set-cookie']).toBeUndefined();
  });

  it('locks an account after 5 failures in 15 minutes; the right password is then refused alike', async () => {
    const almost = await newAccount();
    for (let i = 0; i < 4; i++) expect((await login(almost, `wrong ${i}`)).statusCode).toBe(401);
    expect((await login(almost, PASSWORD)).statusCode).toBe(200);

    const victim = await newAccount();
    const answers: LightMyRequestResponse[] = [];
    for (let i = 0; i < 5; i++) answers.push(await login(victim, `wrong ${i}`));
    const right = await login(victim, PASSWORD);
    const unknown = await login('no-such-user', 'whatever password');
    for (const r of [...answers, right]) expect({ status: r.statusCode, body: r.body }).toEqual({ status: unknown.statusCode, body: unknown.body });
    expect(right.headers['set-cookie']).toBeUndefined();
    const row = await p.ctx.db.selectFrom('users').select(['id', 'locked_until']).where('username', '=', victim).executeTakeFirstOrThrow();
    expect(row.locked_until).not.toBeNull();
    const lockedMinutes = (new Date(row.locked_until!).getTime() - Date.now()) / 60_000;
    expect(lockedMinutes).toBeGreaterThan(14);
    expect(lockedMinutes).toBeLessThanOrEqual(15);
    const users = (await sysAdmin.request('GET', '/api/v1/users')).json<{ items: { id: string; locked: boolean }[] }>().items;
    expect(users.find((u) => u.id === row.id)?.locked).toBe(true);
  });

  it('records a refused sign-in of a known account in the audit trail', async () => {
    const username = await newAccount();
    const id = (await p.ctx.db.selectFrom('users').select('id').where('username', '=', username).executeTakeFirstOrThrow()).id;
    expect((await login(username, 'wrong password')).statusCode).toBe(401);
    const rows = await p.ctx.db.selectFrom('audit_log').select(['action', 'result']).where('object_id', '=', id).where('action', '=', 'auth.login').execute();
    expect(rows).toEqual([{ action: 'auth.login', result: 'denied' }]);
  });

  it('refuses a state-changing request without the right x-csrf-token (403 CSRF_FAILED) and writes nothing', async () => {
    const hid = world.households.HA;
    const person = newPerson(COUNTY_X);
    const writes: [SecClient, 'POST' | 'PATCH' | 'PUT', string, unknown][] = [
      [officer, 'POST', '/api/v1/households', { regionCode: VILLAGE_A, members: [{ name: person.name, idNumber: person.idNumber, relation: 'head' }] }],
      [officer, 'PATCH', `/api/v1/households/${hid}`, { address: 'csrf' }],
      [officer, 'POST', `/api/v1/households/${hid}/classify`, {}],
      [officer, 'POST', `/api/v1/households/${hid}/consents`, { organisationId: world.orgs.O3, purpose: '帮扶对接', givenOn: '2026-11-01', method: 'written' }],
      [sysAdmin, 'POST', '/api/v1/users', { username: 'csrf-victim', displayName: 'x' }],
      [secAdmin, 'POST', '/api/v1/organisations', { name: 'csrf org', kind: 'charity', regionCode: COUNTY_X }],
      [officer, 'POST', '/api/v1/auth/logout', undefined],
    ];
    const before = await stateFingerprint(p.ctx);
    const sessions = await countRows(p.ctx, 'sessions');
    for (const [client, method, url, body] of writes) {
      for (const csrf of [null, 'wrong-token', sysAdmin === client ? officer.csrf : sysAdmin.csrf, '']) {
        const r = await client.request(method, url, body, { csrf });
        expect(r.statusCode, `${method} ${url} csrf=${String(csrf)}`).toBe(403);
        expect(errorOf(r).code).toBe('CSRF_FAILED');
        expect(Object.keys(r.json<object>())).toEqual(['error']);
      }
    }
    expect(await stateFingerprint(p.ctx)).toBe(before);
    expect(await countRows(p.ctx, 'sessions')).toBe(sessions);
    // Reads need no token; no session at all is 401 before CSRF is looked at.
    expect((await officer.request('GET', `/api/v1/households/${hid}`, undefined, { csrf: null })).statusCode).toBe(200);
    const anon = await send(app, 'POST', '/api/v1/households', {});
    expect([anon.statusCode, errorOf(anon).code]).toEqual([401, 'UNAUTHENTICATED']);
  });

  it('sets the session cookie HttpOnly, SameSite=Strict, Path=/, and issues a new one at each sign-in', async () => {
    const username = await newAccount();
    const first = await logIn(app, username);
    const header = ([] as string[]).concat(first.response.headers['set-cookie'] ?? []).find((h) => h.startsWith('zf_session='))!;
    expect(header).toBeDefined();
    expect(header).toMatch(/;\s*HttpOnly/i);
    expect(header).toMatch(/;\s*SameSite=Strict/i);
    expect(header).toMatch(/;\s*Path=\/(;|$)/);
    expect(header).not.toMatch(/;\s*Domain=/i);
    expect(first.cookie).toMatch(/^[A-Za-z0-9_-]{43,}$/);
    expect(first.response.headers['cache-control']).toBe('no-store');
    // Signing in again with the old cookie: a new session, and the old one is gone (no fixation).
    const again = await login(username, PASSWORD, first.cookie);
    expect(again.statusCode).toBe(200);
    const second = again.cookies.find((c) => c.name === 'zf_session')!.value;
    expect(second).not.toBe(first.cookie);
    expect((await send(app, 'GET', '/api/v1/auth/me', undefined, { cookie: first.cookie, csrf: first.csrf })).statusCode).toBe(401);
    expect((await send(app, 'GET', '/api/v1/auth/me', undefined, { cookie: second, csrf: '' })).statusCode).toBe(200);
  });

  it('ends the session at logout', async () => {
    const c = await signInAs(app, p.ctx, 'auditor', COUNTY_X);
    expect((await c.request('GET', '/api/v1/auth/me')).statusCode).toBe(200);
    const out = await c.request('POST', '/api/v1/auth/logout');
    expect(out.statusCode).toBe(204);
    const cleared = ([] as string[]).concat(out.headers['set-cookie'] ?? []).find((h) => h.startsWith('zf_session='));
    expect(cleared).toMatch(/zf_session=;|Max-Age=0|Expires=Thu, 01 Jan 1970/i);
    const after = await c.request('GET', '/api/v1/auth/me');
    expect([after.statusCode, errorOf(after).code]).toEqual([401, 'UNAUTHENTICATED']);
    expect((await c.request('GET', '/api/v1/households')).statusCode).toBe(401);
  });

  it('ends a session idle for more than 30 minutes, and one past its absolute lifetime', async () => {
    const idle = await signInAs(app, p.ctx, 'auditor', COUNTY_X);
    const old = await signInAs(app, p.ctx, 'auditor', COUNTY_X);
    await p.ctx.db.updateTable('sessions').set({ last_seen_at: new Date(Date.now() - 31 * 60_000) }).where('user_id', '=', idle.userId).execute();
    await p.ctx.db.updateTable('sessions').set({ expires_at: new Date(Date.now() - 1_000) }).where('user_id', '=', old.userId).execute();
    for (const c of [idle, old]) expect((await c.request('GET', '/api/v1/auth/me')).statusCode).toBe(401);
  });

  it('makes a disabled user’s next request 401, and lets the account sign in again once enabled', async () => {
    const target = await signInAs(app, p.ctx, 'county_officer', COUNTY_X);
    expect((await target.request('GET', '/api/v1/households')).statusCode).toBe(200);
    expect((await sysAdmin.request('POST', `/api/v1/users/${target.userId}/disable`)).statusCode).toBe(200);
    const next = await target.request('GET', '/api/v1/households');
    expect([next.statusCode, errorOf(next).code]).toEqual([401, 'UNAUTHENTICATED']);
    expect((await target.request('PATCH', `/api/v1/households/${world.households.HA}`, { address: 'disabled' })).statusCode).toBe(401);
    expect((await login(target.username, PASSWORD)).statusCode).toBe(401);
    expect((await sysAdmin.request('POST', `/api/v1/users/${target.userId}/enable`)).statusCode).toBe(200);
    expect((await login(target.username, PASSWORD)).statusCode).toBe(200);
  });

  it('applies a role or scope change on the next request', async () => {
    const target = await signInAs(app, p.ctx, 'county_officer', COUNTY_X);
    const list = async (): Promise<string[]> => (await target.request('GET', '/api/v1/households?pageSize=200')).json<{ items: { id: string }[] }>().items.map((i) => i.id);
    expect(await list()).toContain(world.households.HA);
    // Scope: now county Y.
    expect((await secAdmin.request('PUT', `/api/v1/users/${target.userId}/role`, { role: 'county_officer', scopeRegion: COUNTY_Y })).statusCode).toBe(200);
    const inY = await list();
    expect(inY).toContain(world.households.HY);
    expect(inY).not.toContain(world.households.HA);
    expect((await target.request('GET', `/api/v1/households/${world.households.HA}`)).statusCode).toBe(404);
    // Role: now charity staff of O1 in county X.
    expect((await secAdmin.request('PUT', `/api/v1/users/${target.userId}/role`, { role: 'charity_staff', scopeRegion: COUNTY_X, organisationId: world.orgs.O1 })).statusCode).toBe(200);
    const r = await target.request('GET', '/api/v1/households');
    expect([r.statusCode, errorOf(r).code]).toEqual([403, 'FORBIDDEN']);
    expect((await target.request('GET', '/api/v1/shared/households')).statusCode).toBe(200);
    expect((await target.request('GET', '/api/v1/auth/me')).json<{ user: { role: string; permissions: string[] } }>().user).toMatchObject({ role: 'charity_staff', permissions: ['household.read_shared', 'charity.manage'] });
  });

  it('lets a charity read a shared household until the consent is withdrawn, and a department until the agreement is revoked', async () => {
    const charity = await signInAs(app, p.ctx, 'charity_staff', COUNTY_X, world.orgs.O1);
    const dept = await signInAs(app, p.ctx, 'department_liaison', COUNTY_X, world.orgs.D1);
    const hid = world.households.HA;
    const shared = (c: SecClient): Promise<LightMyRequestResponse> => c.request('GET', `/api/v1/shared/households/${hid}`);
    const listed = async (c: SecClient): Promise<string[]> => (await c.request('GET', '/api/v1/shared/households')).json<{ items: { id: string }[] }>().items.map((i) => i.id);
    expect((await shared(charity)).statusCode).toBe(200);
    expect((await shared(dept)).statusCode).toBe(200);

    const consents = (await officer.request('GET', `/api/v1/households/${hid}/consents`)).json<{ items: { id: string; organisationId: string; withdrawnOn: string | null }[] }>().items;
    const consent = consents.find((c) => c.organisationId === world.orgs.O1 && c.withdrawnOn === null)!;
    expect((await officer.request('POST', `/api/v1/households/${hid}/consents/${consent.id}/withdraw`, { withdrawnOn: '2026-11-29' })).statusCode).toBe(200);
    const afterWithdraw = await shared(charity);
    expect([afterWithdraw.statusCode, errorOf(afterWithdraw).code]).toEqual([403, 'CONSENT_REQUIRED']);
    expect(await listed(charity)).not.toContain(hid);
    expect((await shared(dept)).statusCode).toBe(200);

    const agreements = (await secAdmin.request('GET', '/api/v1/agreements')).json<{ items: { id: string; organisationId: string; active: boolean }[] }>().items;
    const agreement = agreements.find((a) => a.organisationId === world.orgs.D1 && a.active)!;
    expect((await secAdmin.request('POST', `/api/v1/agreements/${agreement.id}/revoke`)).statusCode).toBe(200);
    const afterRevoke = await shared(dept);
    expect([afterRevoke.statusCode, errorOf(afterRevoke).code]).toEqual([403, 'CONSENT_REQUIRED']);
    expect(await listed(dept)).toEqual([]);
  });
});
