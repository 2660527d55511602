/**
 * Races, on PGlite and PostgreSQL: things driven in parallel (many requests at once through
 * app.inject, two matching runs at once) must end in 409 / 412 or a kept invariant, never a 500,
 * a lost update or a broken count. PGlite has one connection and runs one transaction at a time,
 * so some of these races can only happen on PostgreSQL; every test runs on both.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { sql } from 'kysely';
import type { Platform } from '../app/setup/open-platform.js';
import { createUser } from '../app/auth/users.js';
import { recordVisit } from '../app/monitoring/alerts.js';
import { makeCreditCode, makeResidentId } from '../core/ids/index.js';
import { TEST_DB_KINDS } from '../../test/support/databases.js';
import { insertHouseholdWithNeed, insertNeed, insertProject, insertReferral } from '../../test/support/charity-fixtures.js';
import {
  CITY_X, COUNTY_X, newPerson, openWorldServer, PASSWORD, send, signInAs, uniqueName, VILLAGE_A, type SecClient, type World, type WorldServer,
} from '../../test/support/security-world.js';

const statuses = (rs: LightMyRequestResponse[]): Record<number, number> => {
  const out: Record<number, number> = {};
  for (const r of rs) out[r.statusCode] = (out[r.statusCode] ?? 0) + 1;
  return out;
};

describe.each(TEST_DB_KINDS)('races on %s', (kind) => {
  let p: Platform;
  let app: FastifyInstance;
  let world: World;

  let server: WorldServer;
  beforeAll(async () => {
    server = await openWorldServer(kind);
    ({ p, app, world } = server);
  });
  afterAll(() => server.close());

  it('two counties matched at once never promise more places of a city-wide project than it has', async () => {
    // A second county of city X, and one of its villages.
    const countyZ = p.ctx.regions.children(CITY_X).find((r) => r.level === 'county' && r.code !== COUNTY_X)!.code;
    const villageOf = (county: string): string => {
      let r = p.ctx.regions.children(county)[0]!;
      while (r.level !== 'village') r = p.ctx.regions.children(r.code)[0]!;
      return r.code;
    };
    const villageZ = villageOf(countyZ);
    const coordX = await signInAs(app, p.ctx, 'consortium_coordinator', COUNTY_X);
    const coordZ = await signInAs(app, p.ctx, 'consortium_coordinator', countyZ);
    for (let trial = 0; trial < 3; trial++) {
      await p.ctx.db.updateTable('charity_projects').set({ status: 'closed' }).where('status', '=', 'published').execute();
      await p.ctx.db.updateTable('needs').set({ status: 'closed' }).where('status', '=', 'open').execute();
      // One published project for the whole city: 3 places (capacity 3, budget for 3).
      const projectId = await insertProject(p.ctx, world.orgs.O1, 'published', CITY_X);
      for (let i = 0; i < 4; i++) {
        await insertHouseholdWithNeed(p.ctx, VILLAGE_A);
        await insertHouseholdWithNeed(p.ctx, villageZ);
      }
      const rs = await Promise.all([
        coordX.request('POST', '/api/v1/charity/matching-runs', { countyCode: COUNTY_X }),
        coordZ.request('POST', '/api/v1/charity/matching-runs', { countyCode: countyZ }),
      ]);
      for (const r of rs) expect(r.statusCode, r.body).toBe(201);
      const promised = rs.reduce((s, r) => s + r.json<{ results: { projectId: string | null }[] }>().results.filter((x) => x.projectId === projectId).length, 0);
      const live = await p.ctx.db.selectFrom('charity_referrals').select((eb) => eb.fn.countAll<number>().as('n')).where('project_id', '=', projectId).where('status', 'in', ['proposed', 'accepted']).executeTakeFirstOrThrow();
      expect(live.n, `trial ${trial}`).toBeLessThanOrEqual(3);
      expect(promised, `trial ${trial}`).toBe(live.n);
      expect(promised, `trial ${trial}: both runs together fill the project`).toBe(3);
    }
  });

  it('parallel wrong passwords lock the account: the right one afterwards is refused', async () => {
    const username = uniqueName('race-login');
    await createUser(p.ctx, null, { username, displayName: username, role: 'township_worker', scopeRegion: '330106002', organisationId: null, password: PASSWORD });
    const wrong = await Promise.all(Array.from({ length: 12 }, () => send(app, 'POST', '/api/v1/auth/login', { username, password: 'not the password at all' })));
    expect(statuses(wrong)).toEqual({ 401: 12 });
    const right = await send(app, 'POST', '/api/v1/auth/login', { username, password: PASSWORD });
    expect(right.statusCode, right.body).toBe(401);
    const u = await p.ctx.db.selectFrom('users').select(['id', 'locked_until']).where('username', '=', username).executeTakeFirstOrThrow();
    expect(u.locked_until).not.toBeNull();
    // Counted one at a time: the fifth failure locks, and the attempts after it meet the lock
    // (they are refused without counting), so exactly five failures are on record.
    const n = await p.ctx.db.selectFrom('login_failures').select((eb) => eb.fn.countAll<number>().as('n')).where('user_id', '=', u.id).executeTakeFirstOrThrow();
    expect(n.n).toBe(5);
  });

  it('parallel creates of the same thing: one 201, the rest 409 (or the specific 400), never 500', async () => {
    // Organisations with one credit code.
    const code = makeCreditCode('91', COUNTY_X, String(10_000_000 + (Date.now() % 89_999_999)).slice(-8));
    const orgs = await Promise.all(Array.from({ length: 20 }, () => world.secAdmin.request('POST', '/api/v1/organisations', { name: uniqueName('机构'), kind: 'charity', regionCode: COUNTY_X, creditCode: code })));
    expect(statuses(orgs)).toEqual({ 201: 1, 409: 19 });
    for (const r of orgs.filter((x) => x.statusCode === 409)) {
      expect(r.json<{ error: { code: string; message: string } }>().error.code).toBe('CONFLICT');
      expect(r.body).not.toContain(code);
    }

    // Accounts with one username.
    const sysAdmin = await signInAs(app, p.ctx, 'system_admin');
    const username = uniqueName('race-user');
    const users = await Promise.all(Array.from({ length: 20 }, () => sysAdmin.request('POST', '/api/v1/users', { username, displayName: 'race' })));
    expect(statuses(users)).toEqual({ 201: 1, 409: 19 });

    // Households with the same person.
    const person = newPerson();
    const body = { regionCode: VILLAGE_A, hasAbleSupporter: false, address: null, members: [{ name: person.name, idNumber: person.idNumber, relation: 'head' }] };
    const hs = await Promise.all(Array.from({ length: 20 }, () => world.officer.request('POST', '/api/v1/households', body)));
    expect(hs.filter((r) => r.statusCode === 201)).toHaveLength(1);
    for (const r of hs.filter((x) => x.statusCode !== 201)) {
      expect([400, 409], r.body).toContain(r.statusCode);
      expect(r.body).not.toContain(person.idNumber);
    }

    // The first version of a plan, written by many at once.
    const { id: hid } = await world.createHousehold(VILLAGE_A, 1);
    const plans = await Promise.all(Array.from({ length: 20 }, (_, i) => world.officer.request('PUT', `/api/v1/households/${hid}/plan`, { note: `n${i}` })));
    // Without If-Match each applies, one after another, on the latest version: 20 versions, none lost.
    expect(statuses(plans)).toEqual({ 200: 20 });
    const versions = await p.ctx.db.selectFrom('support_plan_versions').select('version').where('household_id', '=', hid).orderBy('version').execute();
    expect(versions.map((v) => v.version)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
  });

  it('parallel member adds get distinct positions', async () => {
    const { id: hid } = await world.createHousehold(VILLAGE_A, 1);
    const rs = await Promise.all(Array.from({ length: 20 }, (_, i) => world.officer.request('POST', `/api/v1/households/${hid}/members`, {
      name: '测试成员', idNumber: makeResidentId(COUNTY_X, `2001-01-${String(i + 1).padStart(2, '0')}`, 700 + (Date.now() % 90)), relation: 'child',
    })));
    expect(statuses(rs), rs.find((r) => r.statusCode !== 201)?.body).toEqual({ 201: 20 });
    const positions = (await p.ctx.db.selectFrom('members').select('position').where('household_id', '=', hid).execute()).map((m) => m.position);
    expect(positions).toHaveLength(21);
    expect(new Set(positions).size).toBe(21);
  });

  describe('optimistic concurrency (ETag / If-Match)', () => {
    let officer: SecClient;
    beforeAll(() => {
      officer = world.officer;
    });
    const withIfMatch = (c: SecClient, method: 'PATCH' | 'PUT', url: string, payload: unknown, etag: string): Promise<LightMyRequestResponse> =>
      c.request(method, url, payload, { headers: { 'if-match': etag } });

    it('household: GET gives an ETag; a stale If-Match is 412; of 20 writes from one read, one wins', async () => {
      const { id: hid } = await world.createHousehold(VILLAGE_A, 1);
      const g = await officer.request('GET', `/api/v1/households/${hid}`);
      const etag = g.headers.etag as string;
      expect(etag).toMatch(/^"\d+"$/);
      expect(g.json<{ version: number }>().version).toBe(Number(etag.slice(1, -1)));
      const rs = await Promise.all(Array.from({ length: 20 }, (_, i) => withIfMatch(officer, 'PATCH', `/api/v1/households/${hid}`, { address: `地址 ${i}` }, etag)));
      expect(statuses(rs)).toEqual({ 200: 1, 412: 19 });
      expect(rs.find((r) => r.statusCode === 412)!.json<{ error: { code: string } }>().error.code).toBe('PRECONDITION_FAILED');
      const winner = rs.find((r) => r.statusCode === 200)!;
      expect(winner.headers.etag).not.toBe(etag);
      // The stale tag stays stale; the new one works; no If-Match still works (and bumps the version).
      expect((await withIfMatch(officer, 'PATCH', `/api/v1/households/${hid}`, { address: 'x' }, etag)).statusCode).toBe(412);
      const ok = await withIfMatch(officer, 'PATCH', `/api/v1/households/${hid}`, { address: 'y' }, winner.headers.etag as string);
      expect(ok.statusCode, ok.body).toBe(200);
      const plain = await officer.request('PATCH', `/api/v1/households/${hid}`, { address: 'z' });
      expect(plain.statusCode).toBe(200);
      expect(plain.json<{ version: number }>().version).toBe(ok.json<{ version: number }>().version + 1);
      // A member edit checks the household's tag too.
      const m = g.json<{ members: { id: string }[] }>().members[0]!.id;
      expect((await withIfMatch(officer, 'PATCH', `/api/v1/households/${hid}/members/${m}`, { schooling: 'primary' }, etag)).statusCode).toBe(412);
    });

    it('plan: a stale If-Match is 412; of 20 writes from one read, one wins', async () => {
      const { id: hid } = await world.createHousehold(VILLAGE_A, 1);
      const g = await officer.request('GET', `/api/v1/households/${hid}/plan`);
      const etag = g.headers.etag as string;
      expect(etag).toBe('"0"');
      const rs = await Promise.all(Array.from({ length: 20 }, (_, i) => withIfMatch(officer, 'PUT', `/api/v1/households/${hid}/plan`, { note: `n${i}`, reviewOn: '2027-01-01' }, etag)));
      expect(statuses(rs)).toEqual({ 200: 1, 412: 19 });
      const v = await p.ctx.db.selectFrom('support_plan_versions').select('version').where('household_id', '=', hid).execute();
      expect(v).toHaveLength(1);
      const again = await withIfMatch(officer, 'PUT', `/api/v1/households/${hid}/plan`, { reviewOn: '2027-02-01' }, '"1"');
      expect(again.statusCode, again.body).toBe(200);
      expect(again.headers.etag).toBe('"2"');
    });

    it('need: a stale If-Match is 412; of 20 writes from one read, one wins', async () => {
      const { id: hid } = await world.createHousehold(VILLAGE_A, 1);
      const needId = await insertNeed(p.ctx, hid);
      const list = await officer.request('GET', `/api/v1/households/${hid}/needs`);
      const need = list.json<{ items: { id: string; version: number }[] }>().items.find((n) => n.id === needId)!;
      const etag = `"${need.version}"`;
      const rs = await Promise.all(Array.from({ length: 20 }, (_, i) => withIfMatch(officer, 'PATCH', `/api/v1/households/${hid}/needs/${needId}`, { severity: (i % 3) + 1, reason: `r${i}` }, etag)));
      expect(statuses(rs)).toEqual({ 200: 1, 412: 19 });
      expect(rs.find((r) => r.statusCode === 200)!.headers.etag).toBe(`"${need.version + 1}"`);
    });
  });

  it('parallel need derivations of one household and parallel referral decisions: no 500, one decision wins', async () => {
    const { id: hid } = await world.createHousehold(VILLAGE_A, 3);
    await recordVisit(p.ctx, world.officer.actor(), hid, { visitedOn: '2026-11-20', findings: ['unsafe_housing'] });
    const ds = await Promise.all(Array.from({ length: 10 }, () => world.officer.request('POST', `/api/v1/households/${hid}/needs/derive`)));
    expect(statuses(ds)).toEqual({ 200: 10 });
    const dup = await sql<{ n: number }>`SELECT count(*)::int AS n FROM (SELECT category FROM needs WHERE household_id = ${hid} AND source = 'derived' GROUP BY 1 HAVING count(*) > 1) d`.execute(p.ctx.db);
    expect(dup.rows[0]!.n).toBe(0);
    // The visit's finding gives the household a derived need: the derivations did race on inserting it.
    expect(ds[0]!.json<{ items: { source: string }[] }>().items.filter((n) => n.source === 'derived').length).toBeGreaterThan(0);

    const charity = await signInAs(app, p.ctx, 'charity_staff', COUNTY_X, world.orgs.O1);
    const referralId = await insertReferral(p.ctx, world.orgs.O1, VILLAGE_A, 'proposed');
    const rs = await Promise.all(Array.from({ length: 10 }, (_, i) => charity.request('POST', `/api/v1/charity/referrals/${referralId}/decision`, { decision: i % 2 ? 'accept' : 'decline', reason: `理由 ${i}` })));
    expect(statuses(rs)).toEqual({ 200: 1, 400: 9 });
    const won = rs.find((r) => r.statusCode === 200)!.json<{ status: string }>().status;
    const r = await p.ctx.db.selectFrom('charity_referrals as r').innerJoin('needs as n', 'n.id', 'r.need_id').select(['r.status', 'n.status as need_status']).where('r.id', '=', referralId).executeTakeFirstOrThrow();
    expect(r.status).toBe(won);
    expect(r.need_status).toBe(won === 'declined' ? 'open' : 'planned');
  });

  it('the position index holds: no household has two members at one position', async () => {
    const r = await sql<{ n: number }>`SELECT count(*)::int AS n FROM (SELECT household_id, position FROM members GROUP BY 1, 2 HAVING count(*) > 1) d`.execute(p.ctx.db);
    expect(r.rows[0]!.n).toBe(0);
  });
});
