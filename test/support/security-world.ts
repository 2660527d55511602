/**
 * Fixtures for the security tests (test/security): one user per role with a known scope, the
 * organisations, households, agreements and consents the authorization matrix, the leak scan and
 * the session tests run against, and a client that keeps its cookie, CSRF token and password.
 *
 * Geography: county X = 330106 西湖区 (city 3301 杭州). Village A = 330106002051 in township
 * 330106002; village B = 330106004053 in another township of X. County Y = 330302 鹿城区 in another
 * city (3303 温州), so that for every county- and city-scoped user Y is foreign.
 */
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify';
import { sql } from 'kysely';
import type { AppContext } from '../../src/app/context.js';
import type { Platform } from '../../src/app/setup/open-platform.js';
import { buildServer } from '../../src/server/app.js';
import { openTestPlatform, type TestDbKind } from './databases.js';
import type { Actor } from '../../src/app/auth/actor.js';
import { createUser } from '../../src/app/auth/users.js';
import { makeResidentId } from '../../src/core/ids/index.js';
import { ROLES, type Role } from '../../src/core/security/index.js';

export const PASSWORD = 'security tests: correct horse battery staple';

export const PROVINCE = '33';
export const CITY_X = '3301';
export const COUNTY_X = '330106';
export const TOWNSHIP_A = '330106002';
export const VILLAGE_A = '330106002051';
export const VILLAGE_A2 = '330106002052';
export const VILLAGE_B = '330106004053';
export const CITY_Y = '3303';
export const COUNTY_Y = '330302';
export const VILLAGE_Y = '330302006044';
/** A well-formed village code that names no village. */
export const UNKNOWN_VILLAGE = '330106002999';

export const TODAY = '2026-11-29';

/** The roles under test: every role of the platform (unassigned included). */
export const ALL_ROLES: readonly Role[] = ROLES;

/** Where each role's user is scoped: county roles to X, the township worker to A's township, city to X's city. */
export const ROLE_SCOPE: Record<Role, string> = {
  province_officer: PROVINCE,
  city_officer: CITY_X,
  county_officer: COUNTY_X,
  township_worker: TOWNSHIP_A,
  consortium_coordinator: COUNTY_X,
  department_liaison: COUNTY_X,
  charity_staff: COUNTY_X,
  auditor: COUNTY_X,
  system_admin: PROVINCE,
  security_admin: PROVINCE,
  audit_admin: PROVINCE,
  unassigned: COUNTY_X,
};

export type OrgKey = 'O1' | 'D1' | 'O2' | 'O3';
/** O1 (a charity) and D1 (a department) are the organisations of the users; O2 is the other organisation; O3 receives the consents and agreements the tests create and withdraw. */
export const ROLE_ORG: Partial<Record<Role, OrgKey>> = { charity_staff: 'O1', department_liaison: 'D1' };

export interface Person {
  name: string;
  idNumber: string;
  phone: string;
}

const SURNAMES = ['欧阳', '司马', '诸葛', '上官', '东方', '皇甫', '慕容', '令狐'];
const GIVEN = ['秀英', '建国', '淑芬', '志强', '桂兰', '德明', '玉珍', '海燕', '振华', '丽娟', '永福', '春梅'];
let personSeq = 0;

/** A new person with a valid resident ID number of the county, a mobile number and a four-character name. */
export function newPerson(county = COUNTY_X): Person {
  const n = ++personSeq;
  const birth = new Date(Date.UTC(1950, 0, 1) + n * 86_400_000 * 3).toISOString().slice(0, 10);
  return {
    name: SURNAMES[n % SURNAMES.length]! + GIVEN[Math.floor(n / SURNAMES.length) % GIVEN.length]!,
    idNumber: makeResidentId(county, birth, 100 + (n % 800)),
    phone: `139${String(10_000_000 + n).slice(-8)}`,
  };
}

export interface RequestOptions {
  /** The CSRF header: default the session's token; null sends none; a string sends that. */
  csrf?: string | null;
  headers?: Record<string, string>;
  /** A raw body (sent as application/json unless headers say otherwise). */
  rawBody?: string;
}

export interface SecClient {
  role: Role;
  username: string;
  password: string;
  userId: string;
  scope: string;
  organisationId: string | null;
  cookie: string;
  csrf: string;
  request(method: InjectOptions['method'], url: string, payload?: unknown, opts?: RequestOptions): Promise<LightMyRequestResponse>;
  /** The actor the use cases see (for setting up fixtures without going through HTTP). */
  actor(): Actor;
}

/** Sends one request, with a session cookie or none. */
export function send(
  app: FastifyInstance,
  method: InjectOptions['method'],
  url: string,
  payload?: unknown,
  session?: { cookie: string; csrf: string },
  opts: RequestOptions = {},
): Promise<LightMyRequestResponse> {
  const headers: Record<string, string> = { ...opts.headers };
  if (session && opts.csrf !== null) headers['x-csrf-token'] = opts.csrf ?? session.csrf;
  if (opts.rawBody !== undefined && !headers['content-type']) headers['content-type'] = 'application/json';
  return app.inject({
    method,
    url,
    headers,
    ...(session && { cookies: { zf_session: session.cookie } }),
    ...(opts.rawBody !== undefined ? { payload: opts.rawBody } : payload !== undefined ? { payload: payload as Record<string, unknown> } : {}),
  });
}

let userSeq = 0;
export const uniqueName = (prefix: string): string => `${prefix}-${(++userSeq).toString(36)}-${randomUUID().slice(0, 6)}`;

/** Signs in through the API with an existing username and password. */
export async function logIn(app: FastifyInstance, username: string, password = PASSWORD): Promise<{ cookie: string; csrf: string; response: LightMyRequestResponse }> {
  const r = await send(app, 'POST', '/api/v1/auth/login', { username, password });
  if (r.statusCode !== 200) throw new Error(`sign-in of ${username} failed: ${r.statusCode} ${r.body}`);
  const cookie = r.cookies.find((c) => c.name === 'zf_session')!;
  return { cookie: cookie.value, csrf: r.json<{ csrfToken: string }>().csrfToken, response: r };
}

/** Creates a user of the role and scope (as the operator's CLI does), signs in and returns its client. */
export async function signInAs(app: FastifyInstance, ctx: AppContext, role: Role, scope = ROLE_SCOPE[role], organisationId: string | null = null): Promise<SecClient> {
  const username = uniqueName(`sec-${role.replace(/_/g, '-')}`);
  const { user } = await createUser(ctx, null, { username, displayName: username, role, scopeRegion: scope, organisationId, password: PASSWORD });
  const s = await logIn(app, username);
  const client: SecClient = {
    role, username, password: PASSWORD, userId: user.id, scope, organisationId, cookie: s.cookie, csrf: s.csrf,
    request: (method, url, payload, opts) => send(app, method, url, payload, client, opts),
    actor: () => ({ userId: user.id, username, displayName: username, role, scopeRegion: scope, organisationId, requestId: null }),
  };
  return client;
}

export interface World {
  orgs: Record<OrgKey, string>;
  /** HA and HA2 in village A, HB in village B, HY in county Y: shared with O1 and D1. HO2 in village A: shared with O2 only. HZ in village A2: shared with nobody. */
  households: { HA: string; HA2: string; HB: string; HY: string; HO2: string; HZ: string };
  /** The head member of each household. */
  heads: Record<string, string>;
  /** Region (village code) of every household created through `createHousehold`. */
  regionOf: Map<string, string>;
  /** Households shared with each organisation (active agreement and consent). */
  sharedWith: Record<OrgKey, Set<string>>;
  people: Person[];
  /** A province officer and a security administrator for setting up more fixtures. */
  officer: SecClient;
  secAdmin: SecClient;
  createHousehold(village: string, members?: number): Promise<{ id: string; members: Person[]; headId: string }>;
}

export async function buildWorld(app: FastifyInstance, ctx: AppContext): Promise<World> {
  const officer = await signInAs(app, ctx, 'province_officer', PROVINCE);
  const secAdmin = await signInAs(app, ctx, 'security_admin', PROVINCE);
  const ok = (r: LightMyRequestResponse, what: string): LightMyRequestResponse => {
    if (r.statusCode >= 300) throw new Error(`fixture ${what} failed: ${r.statusCode} ${r.body}`);
    return r;
  };
  const org = async (name: string, kind: string, regionCode: string): Promise<string> =>
    ok(await secAdmin.request('POST', '/api/v1/organisations', { name, kind, regionCode }), 'organisation').json<{ id: string }>().id;
  const orgs: Record<OrgKey, string> = {
    O1: await org(uniqueName('慈善会'), 'charity', COUNTY_X),
    D1: await org(uniqueName('民政局'), 'department', COUNTY_X),
    O2: await org(uniqueName('基金会'), 'foundation', COUNTY_X),
    O3: await org(uniqueName('社工机构'), 'social_organisation', PROVINCE),
  };
  const people: Person[] = [];
  const heads: Record<string, string> = {};
  const regionOf = new Map<string, string>();
  const createHousehold = async (village: string, n = 2): Promise<{ id: string; members: Person[]; headId: string }> => {
    const ps = Array.from({ length: n }, () => newPerson(village.slice(0, 6)));
    people.push(...ps);
    const body = {
      regionCode: village, hasAbleSupporter: false, address: null,
      members: ps.map((p, i) => ({ name: p.name, idNumber: p.idNumber, phone: p.phone, relation: i === 0 ? 'head' : 'spouse' })),
    };
    const r = ok(await officer.request('POST', '/api/v1/households', body), 'household');
    const h = r.json<{ id: string; members: { id: string; relation: string }[] }>();
    const headId = h.members.find((m) => m.relation === 'head')!.id;
    heads[h.id] = headId;
    regionOf.set(h.id, village);
    return { id: h.id, members: ps, headId };
  };
  const households = {
    HA: (await createHousehold(VILLAGE_A)).id,
    HA2: (await createHousehold(VILLAGE_A2)).id,
    HB: (await createHousehold(VILLAGE_B)).id,
    HY: (await createHousehold(VILLAGE_Y)).id,
    HO2: (await createHousehold(VILLAGE_A)).id,
    HZ: (await createHousehold(VILLAGE_A2)).id,
  };
  const agreement = async (o: OrgKey): Promise<void> => {
    ok(await secAdmin.request('POST', '/api/v1/agreements', {
      organisationId: orgs[o], purpose: '困难群众帮扶', allowedFields: ['category', 'members_basic', 'disability', 'serious_illness', 'region_village', 'phone'],
      regionCode: PROVINCE, validFrom: '2026-01-01', validUntil: '2027-12-31',
    }), 'agreement');
  };
  const consent = async (hid: string, o: OrgKey): Promise<void> => {
    ok(await officer.request('POST', `/api/v1/households/${hid}/consents`, { organisationId: orgs[o], purpose: '帮扶对接', givenOn: '2026-11-01', method: 'written' }), 'consent');
  };
  const sharedWith: Record<OrgKey, Set<string>> = { O1: new Set(), D1: new Set(), O2: new Set(), O3: new Set() };
  for (const o of ['O1', 'D1', 'O2'] as const) await agreement(o);
  for (const o of ['O1', 'D1'] as const) {
    for (const hid of [households.HA, households.HA2, households.HB, households.HY]) {
      await consent(hid, o);
      sharedWith[o].add(hid);
    }
  }
  await consent(households.HO2, 'O2');
  sharedWith.O2.add(households.HO2);
  return { orgs, households, heads, regionOf, sharedWith, people, officer, secAdmin, createHousehold };
}

/** One signed-in client per role, scoped as ROLE_SCOPE says, org roles in their organisation. */
export async function clientsByRole(app: FastifyInstance, ctx: AppContext, world: World): Promise<Record<Role, SecClient>> {
  const out: Partial<Record<Role, SecClient>> = {};
  for (const role of ALL_ROLES) {
    const org = ROLE_ORG[role];
    out[role] = await signInAs(app, ctx, role, ROLE_SCOPE[role], org ? world.orgs[org] : null);
  }
  return out as Record<Role, SecClient>;
}

/** Everything a refused write must leave unchanged (records, accounts, organisations, agreements, consents), in one query. */
export async function stateFingerprint(ctx: AppContext): Promise<string> {
  const r = await sql<Record<string, unknown>>`
    SELECT
      (SELECT count(*)::int FROM households) AS households,
      (SELECT max(updated_at)::text FROM households) AS households_updated,
      (SELECT count(*)::int FROM members) AS members,
      (SELECT count(*)::int FROM income_records) AS incomes,
      (SELECT count(*)::int FROM asset_records) AS assets,
      (SELECT count(*)::int FROM expenditure_records) AS expenditures,
      (SELECT count(*)::int FROM emergency_events) AS emergencies,
      (SELECT count(*)::int FROM classification_results) AS classifications,
      (SELECT count(*)::int FROM consents) AS consents,
      (SELECT count(*)::int FROM consents WHERE withdrawn_on IS NOT NULL) AS consents_withdrawn,
      (SELECT count(*)::int FROM sharing_agreements) AS agreements,
      (SELECT count(*)::int FROM sharing_agreements WHERE revoked_at IS NOT NULL) AS agreements_revoked,
      (SELECT count(*)::int FROM organisations) AS organisations,
      (SELECT count(*)::int FROM users) AS users,
      (SELECT count(*)::int FROM users WHERE disabled) AS users_disabled,
      (SELECT count(*)::int FROM users WHERE totp_secret IS NOT NULL) AS users_totp,
      (SELECT max(updated_at)::text FROM users) AS users_updated,
      (SELECT count(*)::int FROM ledger_entries) AS ledger_entries,
      (SELECT count(*)::int FROM ledger_findings WHERE status <> 'open') AS findings_resolved,
      (SELECT max(updated_at)::text FROM ledger_findings) AS findings_updated,
      (SELECT count(*)::int FROM recovery_tasks) AS recovery_tasks`.execute(ctx.db);
  return JSON.stringify(r.rows[0]);
}

/** Counts rows of a table. */
export async function countRows(ctx: AppContext, table: 'households' | 'members' | 'users' | 'organisations' | 'sharing_agreements' | 'consents' | 'sessions'): Promise<number> {
  const r = await sql<{ n: number }>`SELECT count(*)::int AS n FROM ${sql.table(table)}`.execute(ctx.db);
  return r.rows[0]!.n;
}

/**
 * Opens a session straight in the database (no password hashing), for tests that need many
 * sessions: the token is what the cookie carries, the table keeps only its SHA-256.
 */
export async function openSessionDirect(ctx: AppContext, userId: string): Promise<{ cookie: string; csrf: string }> {
  const token = randomBytes(32).toString('base64url');
  const csrf = randomBytes(32).toString('base64url');
  const now = new Date();
  await ctx.db
    .insertInto('sessions')
    .values({ id_hash: createHash('sha256').update(token).digest('hex'), user_id: userId, csrf_token: csrf, second_factor_done: false, created_at: now, last_seen_at: now, expires_at: new Date(now.getTime() + 3_600_000) })
    .execute();
  return { cookie: token, csrf };
}

/** A fresh database of the kind, the server on it (no web app, no rate limits) and the world built through it. */
export interface WorldServer {
  p: Platform;
  app: FastifyInstance;
  world: World;
  close(): Promise<void>;
}

export async function openWorldServer(kind: TestDbKind): Promise<WorldServer> {
  const p = await openTestPlatform(kind);
  const app = await buildServer(p.ctx, { webDist: '/nonexistent', rateLimit: false, loginRateLimit: false });
  const world = await buildWorld(app, p.ctx);
  return {
    p,
    app,
    world,
    close: async () => {
      await app.close();
      await p.close();
    },
  };
}
