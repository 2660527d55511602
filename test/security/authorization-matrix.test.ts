/**
 * The authorization matrix: every API route × every role (and no session) × objects in and out of
 * the user's scope. Allowed (2xx) only where the matrix says the role may, on in-scope objects;
 * 401 without a session; 403 without the permission; and for an object outside the user's village,
 * township, county, city or organisation, exactly the answer (status and body) of an id that does
 * not exist. The route list comes from the server (OpenAPI and the router), so a new route that is
 * not in the matrix fails the test.
 */
import { routesFromTree } from '../support/routes.js';
import { makeResidentId } from '../../src/core/ids/resident-id.js';
import { randomBytes, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { buildServer } from '../../src/server/app.js';
import type { Platform } from '../../src/app/setup/open-platform.js';
import { createUser } from '../../src/app/auth/users.js';
import { createAgreement, recordConsent } from '../../src/app/access/sharing.js';
import { base32Decode, base32Encode, totp, type Role } from '../../src/core/security/index.js';
import { openTestPlatform, TEST_DB_KINDS } from '../support/databases.js';
import { insertNeed, insertProject, insertReferral, insertRun } from '../support/charity-fixtures.js';
import {
  ALL_ROLES, COUNTY_X, COUNTY_Y, CITY_Y, PASSWORD, PROVINCE, ROLE_ORG, ROLE_SCOPE, TOWNSHIP_A, UNKNOWN_VILLAGE, VILLAGE_A, VILLAGE_B, VILLAGE_Y,
  buildWorld, clientsByRole, countRows, newPerson, send, signInAs, stateFingerprint, uniqueName, type SecClient, type World,
} from '../support/security-world.js';

// Over 70 routes × 13 callers × objects, each refused write fingerprinted: more than the default minute.
vi.setConfig({ testTimeout: 300_000 });

type Who = Role | 'anonymous';
const WHO: readonly Who[] = [...ALL_ROLES, 'anonymous'];

/**
 * household: an id in the path; shared: the same through an organisation; region: a village code in
 * the body; person: a member of the household named by ID number in the body (a feed receives a
 * row about an unknown or foreign person alike: the same answer but for the batch id).
 */
type ObjectKind = 'household' | 'shared' | 'person' | 'region' | 'user' | 'agreement' | 'charity' | 'finding' | 'none';
type Obj = 'own' | 'sameCounty' | 'otherCounty' | 'otherOrg' | 'nonexistent' | 'existing' | 'none';
const OBJECTS: Record<ObjectKind, readonly Obj[]> = {
  household: ['nonexistent', 'own', 'sameCounty', 'otherCounty'],
  shared: ['nonexistent', 'own', 'sameCounty', 'otherCounty', 'otherOrg'],
  person: ['nonexistent', 'own', 'sameCounty', 'otherCounty'],
  region: ['nonexistent', 'own', 'sameCounty', 'otherCounty'],
  user: ['nonexistent', 'existing'],
  agreement: ['nonexistent', 'existing'],
  /** A project or referral: of the charity user's own organisation (O1), or of another (O2); both in county X. */
  charity: ['nonexistent', 'own', 'otherOrg'],
  /** A duplicate-assistance finding about the household (own, other village of the county, other county), or a missing one. */
  finding: ['nonexistent', 'own', 'sameCounty', 'otherCounty'],
  none: ['none'],
};

/** What a route is for, to check the separation of the three administrators. */
type Duty = 'self' | 'reference' | 'household' | 'sharing' | 'user.manage' | 'access.manage' | 'audit.read' | 'directory';

interface Env {
  app: FastifyInstance;
  p: Platform;
  world: World;
  clients: Record<Role, SecClient>;
}

interface Call {
  who: Who;
  obj: Obj;
  /** The household id of the object (household and shared kinds), a fresh random id when nonexistent. */
  hid: string;
  env: Env;
}

interface Prepared {
  url: string;
  body?: unknown;
  /** Send with this session instead of the role's own (routes that end or change the session). */
  session?: { cookie: string; csrf: string } | null;
}

interface RouteSpec {
  duty: Duty;
  /** The roles that get a 2xx on in-scope objects; 'anonymous' for public routes. */
  allow: readonly Who[];
  objects: ObjectKind;
  prepare(c: Call): Promise<Prepared> | Prepared;
}

const OFFICERS = ['province_officer', 'city_officer', 'county_officer', 'township_worker'] as const;
const READERS = [...OFFICERS, 'consortium_coordinator', 'auditor'] as const;
const CLASSIFIERS = [...OFFICERS, 'consortium_coordinator'] as const;
const RECORDERS = [...OFFICERS, 'department_liaison'] as const;
const SHARED_READERS = ['department_liaison', 'charity_staff'] as const;
const SIGNED_IN: readonly Role[] = ALL_ROLES;

const H = '/api/v1/households';
const period = { periodStart: '2026-01-01', periodEnd: '2026-06-30' };

const FINDING_READERS = ['province_officer', 'city_officer', 'county_officer', 'auditor'] as const;

/** A fresh open duplicate-assistance finding about the household (a random id when nonexistent). */
async function matrixFinding(env: Env, hid: string, obj: Obj): Promise<string> {
  const id = randomUUID();
  const region = env.world.regionOf.get(hid);
  if (obj !== 'nonexistent' && region) {
    await env.p.ctx.db.insertInto('ledger_findings').values({
      id, kind: 'multi_provider', group_key: `matrix:${id}`, evidence_key: `matrix:${id}`, household_id: hid, member_id: null, region_code: region, need_category: 'medical', entry_ids: [],
      overlap_start: '2026-10-01', overlap_end: '2026-10-31', overlap_days: 31, total_fen: 100_000, excess_fen: 50_000, detail: '{}', status: 'open', raised_on: '2026-11-29',
    }).execute();
  }
  return id;
}

/** A user of another role, for the routes whose object is an account. */
async function freshUser(env: Env): Promise<string> {
  const username = uniqueName('target');
  const { user } = await createUser(env.p.ctx, null, { username, displayName: username, role: 'auditor', scopeRegion: COUNTY_X, password: PASSWORD });
  return user.id;
}

/** A fresh session of the role (for routes that end or change the caller's own session or account). */
async function freshSession(env: Env, who: Who): Promise<{ cookie: string; csrf: string; username: string } | null> {
  if (who === 'anonymous') return null;
  const org = ROLE_ORG[who];
  const c = await signInAs(env.app, env.p.ctx, who, ROLE_SCOPE[who], org ? env.world.orgs[org] : null);
  return { cookie: c.cookie, csrf: c.csrf, username: c.username };
}

/**
 * The matrix. Keyed by `METHOD path` as the server names its routes; the test fails when the server
 * has a route that is missing here or when a route here does not exist.
 */
const MATRIX: Record<string, RouteSpec> = {
  'POST /api/v1/auth/login': {
    duty: 'self', allow: WHO, objects: 'none',
    async prepare({ who, env }) {
      if (who === 'anonymous') {
        const username = uniqueName('login');
        await createUser(env.p.ctx, null, { username, displayName: username, role: 'unassigned', scopeRegion: COUNTY_X, password: PASSWORD });
        return { url: '/api/v1/auth/login', body: { username, password: PASSWORD } };
      }
      const s = (await freshSession(env, who))!;
      return { url: '/api/v1/auth/login', body: { username: s.username, password: PASSWORD }, session: s };
    },
  },
  'POST /api/v1/auth/logout': {
    duty: 'self', allow: SIGNED_IN, objects: 'none',
    prepare: async ({ who, env }) => ({ url: '/api/v1/auth/logout', session: await freshSession(env, who) }),
  },
  'GET /api/v1/auth/me': { duty: 'self', allow: SIGNED_IN, objects: 'none', prepare: () => ({ url: '/api/v1/auth/me' }) },
  'POST /api/v1/auth/totp/setup': { duty: 'self', allow: SIGNED_IN, objects: 'none', prepare: () => ({ url: '/api/v1/auth/totp/setup' }) },
  'POST /api/v1/auth/totp/enable': {
    duty: 'self', allow: SIGNED_IN, objects: 'none',
    async prepare({ who, env }) {
      const secret = base32Encode(randomBytes(20));
      return { url: '/api/v1/auth/totp/enable', body: { secret, code: totp(base32Decode(secret), Date.now() / 1000) }, session: await freshSession(env, who) };
    },
  },

  'GET /api/v1/households': { duty: 'household', allow: READERS, objects: 'none', prepare: () => ({ url: `${H}?pageSize=200` }) },
  'POST /api/v1/households': {
    duty: 'household', allow: OFFICERS, objects: 'region',
    prepare({ obj }) {
      const village = { own: VILLAGE_A, sameCounty: VILLAGE_B, otherCounty: VILLAGE_Y }[obj as 'own'] ?? UNKNOWN_VILLAGE;
      const p = newPerson(village.slice(0, 6));
      return { url: H, body: { regionCode: village, hasAbleSupporter: false, members: [{ name: p.name, idNumber: p.idNumber, relation: 'head' }] } };
    },
  },
  'GET /api/v1/households/:id': { duty: 'household', allow: READERS, objects: 'household', prepare: ({ hid }) => ({ url: `${H}/${hid}` }) },
  'PATCH /api/v1/households/:id': {
    duty: 'household', allow: OFFICERS, objects: 'household',
    prepare: ({ hid }) => ({ url: `${H}/${hid}`, body: { address: uniqueName('西湖路') } }),
  },
  'POST /api/v1/households/:id/reveal': {
    duty: 'household', allow: OFFICERS, objects: 'household',
    prepare: ({ hid }) => ({ url: `${H}/${hid}/reveal`, body: { reason: 'home_visit', note: '入户核查' } }),
  },
  'POST /api/v1/households/:id/members': {
    duty: 'household', allow: OFFICERS, objects: 'household',
    prepare({ hid }) {
      const p = newPerson(COUNTY_X);
      return { url: `${H}/${hid}/members`, body: { name: p.name, idNumber: p.idNumber, relation: 'child' } };
    },
  },
  'PATCH /api/v1/households/:id/members/:memberId': {
    duty: 'household', allow: OFFICERS, objects: 'household',
    prepare: ({ hid, env }) => ({ url: `${H}/${hid}/members/${env.world.heads[hid] ?? randomUUID()}`, body: { disabilityGrade: 1 } }),
  },
  'POST /api/v1/households/:id/incomes': {
    duty: 'household', allow: RECORDERS, objects: 'household',
    prepare: ({ hid }) => ({ url: `${H}/${hid}/incomes`, body: { category: 'wages', subtype: 'salary', amountFen: 100_000, sourceDept: 'hrss', ...period } }),
  },
  'POST /api/v1/households/:id/assets': {
    duty: 'household', allow: RECORDERS, objects: 'household',
    prepare: ({ hid }) => ({ url: `${H}/${hid}/assets`, body: { kind: 'deposit', valueFen: 500_000, asOf: '2026-10-01', sourceDept: 'bank' } }),
  },
  'POST /api/v1/households/:id/expenditures': {
    duty: 'household', allow: RECORDERS, objects: 'household',
    prepare: ({ hid }) => ({ url: `${H}/${hid}/expenditures`, body: { category: 'medical', amountFen: 20_000, sourceDept: 'healthcare_security', ...period } }),
  },
  'POST /api/v1/households/:id/emergencies': {
    duty: 'household', allow: RECORDERS, objects: 'household',
    prepare: ({ hid }) => ({ url: `${H}/${hid}/emergencies`, body: { kind: 'fire', occurredOn: '2026-11-01', sourceDept: 'civil_affairs' } }),
  },
  'POST /api/v1/feeds/events': {
    // The person is named by ID number in the body: a member of the object household, or a valid number nobody has.
    duty: 'household', allow: RECORDERS, objects: 'person',
    async prepare({ hid, env }) {
      const m = await env.p.ctx.db.selectFrom('members').select('id_number').where('household_id', '=', hid).executeTakeFirst();
      const idNumber = m?.id_number ?? makeResidentId('330106', '1950-01-01', 998);
      return { url: '/api/v1/feeds/events', body: { source: 'civil_affairs', rows: [{ recordId: uniqueName('feed'), kind: 'referral', idNumber, occurredOn: '2026-11-01' }] } };
    },
  },
  'POST /api/v1/households/:id/classify': {
    duty: 'household', allow: CLASSIFIERS, objects: 'household',
    prepare: ({ hid }) => ({ url: `${H}/${hid}/classify`, body: {} }),
  },
  'GET /api/v1/households/:id/classifications': { duty: 'household', allow: READERS, objects: 'household', prepare: ({ hid }) => ({ url: `${H}/${hid}/classifications` }) },
  'GET /api/v1/regions': { duty: 'reference', allow: SIGNED_IN, objects: 'none', prepare: () => ({ url: `/api/v1/regions?parent=${COUNTY_X}` }) },
  'GET /api/v1/stats/categories': { duty: 'household', allow: READERS, objects: 'none', prepare: () => ({ url: '/api/v1/stats/categories' }) },
  'GET /api/v1/policy/parameters': { duty: 'reference', allow: SIGNED_IN, objects: 'none', prepare: () => ({ url: `/api/v1/policy/parameters?region=${COUNTY_X}` }) },

  'GET /api/v1/users': { duty: 'directory', allow: ['system_admin', 'security_admin'], objects: 'none', prepare: () => ({ url: '/api/v1/users' }) },
  'POST /api/v1/users': {
    duty: 'user.manage', allow: ['system_admin'], objects: 'none',
    prepare: () => ({ url: '/api/v1/users', body: { username: uniqueName('new').toLowerCase(), displayName: '新用户' } }),
  },
  'POST /api/v1/users/:id/disable': {
    duty: 'user.manage', allow: ['system_admin'], objects: 'user',
    prepare: async ({ obj, env }) => ({ url: `/api/v1/users/${obj === 'existing' ? await freshUser(env) : randomUUID()}/disable` }),
  },
  'POST /api/v1/users/:id/enable': {
    duty: 'user.manage', allow: ['system_admin'], objects: 'user',
    prepare: async ({ obj, env }) => ({ url: `/api/v1/users/${obj === 'existing' ? await freshUser(env) : randomUUID()}/enable` }),
  },
  'PUT /api/v1/users/:id/role': {
    duty: 'access.manage', allow: ['security_admin'], objects: 'user',
    prepare: async ({ obj, env }) => ({ url: `/api/v1/users/${obj === 'existing' ? await freshUser(env) : randomUUID()}/role`, body: { role: 'county_officer', scopeRegion: COUNTY_X } }),
  },
  'GET /api/v1/organisations': { duty: 'reference', allow: SIGNED_IN, objects: 'none', prepare: () => ({ url: '/api/v1/organisations' }) },
  'POST /api/v1/organisations': {
    duty: 'access.manage', allow: ['security_admin'], objects: 'none',
    prepare: () => ({ url: '/api/v1/organisations', body: { name: uniqueName('志愿者协会'), kind: 'social_organisation', regionCode: COUNTY_X } }),
  },
  'GET /api/v1/agreements': { duty: 'access.manage', allow: ['security_admin'], objects: 'none', prepare: () => ({ url: '/api/v1/agreements' }) },
  'POST /api/v1/agreements': {
    duty: 'access.manage', allow: ['security_admin'], objects: 'none',
    prepare: ({ env }) => ({
      url: '/api/v1/agreements',
      body: { organisationId: env.world.orgs.O3, purpose: '助学', allowedFields: ['category'], regionCode: COUNTY_X, validFrom: '2026-01-01', validUntil: '2026-12-31' },
    }),
  },
  'POST /api/v1/agreements/:id/revoke': {
    duty: 'access.manage', allow: ['security_admin'], objects: 'agreement',
    async prepare({ obj, env }) {
      if (obj !== 'existing') return { url: `/api/v1/agreements/${randomUUID()}/revoke` };
      const a = await createAgreement(env.p.ctx, null, {
        organisationId: env.world.orgs.O3, purpose: '临时救助', allowedFields: ['category'], regionCode: COUNTY_X, validFrom: '2026-01-01', validUntil: '2026-12-31',
      });
      return { url: `/api/v1/agreements/${a.id}/revoke` };
    },
  },
  'GET /api/v1/households/:id/consents': { duty: 'household', allow: OFFICERS, objects: 'household', prepare: ({ hid }) => ({ url: `${H}/${hid}/consents` }) },
  'POST /api/v1/households/:id/consents': {
    duty: 'household', allow: OFFICERS, objects: 'household',
    prepare: ({ hid, env }) => ({ url: `${H}/${hid}/consents`, body: { organisationId: env.world.orgs.O3, purpose: '帮扶对接', givenOn: '2026-11-01', method: 'electronic' } }),
  },
  'POST /api/v1/households/:id/consents/:consentId/withdraw': {
    duty: 'household', allow: OFFICERS, objects: 'household',
    async prepare({ hid, obj, env }) {
      // A live consent (for O3, which has no agreement) on every existing household, so a refusal can only come from scope.
      const consentId = obj === 'nonexistent'
        ? randomUUID()
        : (await recordConsent(env.p.ctx, env.world.officer.actor(), hid, { organisationId: env.world.orgs.O3, purpose: '帮扶对接', givenOn: '2026-11-01', method: 'written' })).id;
      return { url: `${H}/${hid}/consents/${consentId}/withdraw`, body: { withdrawnOn: '2026-11-29' } };
    },
  },
  'GET /api/v1/shared/households': { duty: 'sharing', allow: SHARED_READERS, objects: 'none', prepare: () => ({ url: '/api/v1/shared/households' }) },
  'GET /api/v1/shared/households/:id': { duty: 'sharing', allow: SHARED_READERS, objects: 'shared', prepare: ({ hid }) => ({ url: `/api/v1/shared/households/${hid}` }) },
  'GET /api/v1/alerts': { duty: 'household', allow: READERS, objects: 'none', prepare: () => ({ url: '/api/v1/alerts?pageSize=200' }) },
  'GET /api/v1/monitoring/overview': { duty: 'household', allow: READERS, objects: 'none', prepare: () => ({ url: '/api/v1/monitoring/overview' }) },
  'GET /api/v1/households/:id/monitoring': { duty: 'household', allow: READERS, objects: 'household', prepare: ({ hid }) => ({ url: `${H}/${hid}/monitoring` }) },
  'POST /api/v1/households/:id/alerts/:alertId/actions': {
    duty: 'household', allow: OFFICERS, objects: 'household',
    async prepare({ hid, obj, env }) {
      // A fresh open alert on every existing household, so a refusal can only come from scope or permission.
      const alertId = randomUUID();
      const region = env.world.regionOf.get(hid);
      if (obj !== 'nonexistent' && region) {
        await env.p.ctx.db.insertInto('alerts').values({
          id: alertId, household_id: hid, region_code: region, cause: `matrix:${alertId}`, level: 'yellow', status: 'new', raised_on: '2026-11-29', due_on: '2026-12-14', reasons: '{}', escalated: false,
        }).execute();
      }
      return { url: `${H}/${hid}/alerts/${alertId}/actions`, body: { type: 'assign' } };
    },
  },
  'POST /api/v1/ledger/imports': {
    // Access does not depend on the person: a record names whoever the source system names; one
    // outside the caller's area (or unknown) is kept unlinked, exactly like an unknown one.
    duty: 'household', allow: RECORDERS, objects: 'none',
    prepare: () => ({ url: '/api/v1/ledger/imports', body: { source: 'civil_affairs', rows: [{ recordId: uniqueName('ledger'), idNumber: makeResidentId('330106', '1950-01-01', 997), name: '王五', programme: 'temporary', amountFen: 100_000, periodStart: '2026-10-01', periodEnd: '2026-10-01' }] } }),
  },
  'GET /api/v1/households/:id/ledger': { duty: 'household', allow: READERS, objects: 'household', prepare: ({ hid }) => ({ url: `${H}/${hid}/ledger` }) },
  'GET /api/v1/ledger/findings': { duty: 'household', allow: FINDING_READERS, objects: 'none', prepare: () => ({ url: '/api/v1/ledger/findings?pageSize=200' }) },
  'GET /api/v1/ledger/findings/:id': {
    duty: 'household', allow: FINDING_READERS, objects: 'finding',
    prepare: async ({ hid, obj, env }) => ({ url: `/api/v1/ledger/findings/${await matrixFinding(env, hid, obj)}` }),
  },
  'POST /api/v1/ledger/findings/:id/resolution': {
    duty: 'household', allow: ['auditor'], objects: 'finding',
    prepare: async ({ hid, obj, env }) => ({ url: `/api/v1/ledger/findings/${await matrixFinding(env, hid, obj)}/resolution`, body: { outcome: 'false_positive', reason: '同一笔救助的更正记录' } }),
  },
  'POST /api/v1/ledger/check': { duty: 'household', allow: ['auditor'], objects: 'none', prepare: () => ({ url: '/api/v1/ledger/check', body: {} }) },
  'POST /api/v1/households/:id/visits': {
    duty: 'household', allow: OFFICERS, objects: 'household',
    prepare: ({ hid }) => ({ url: `${H}/${hid}/visits`, body: { visitedOn: '2026-11-20', findings: ['none'] } }),
  },
  // Charity: organisations as charities, projects, needs, matching, referrals, the household plan.
  'GET /api/v1/charity/profile': { duty: 'household', allow: ['charity_staff'], objects: 'none', prepare: () => ({ url: '/api/v1/charity/profile' }) },
  'PUT /api/v1/organisations/:id/charity': {
    duty: 'access.manage', allow: ['security_admin'], objects: 'agreement',
    prepare: ({ obj, env }) => ({ url: `/api/v1/organisations/${obj === 'existing' ? env.world.orgs.O3 : randomUUID()}/charity`, body: { kind: 'social_organisation', recognisedCharity: true, regionsServed: [COUNTY_X] } }),
  },
  'GET /api/v1/charity/projects': { duty: 'household', allow: ['charity_staff', 'consortium_coordinator'], objects: 'none', prepare: () => ({ url: '/api/v1/charity/projects' }) },
  'POST /api/v1/charity/projects': {
    duty: 'household', allow: ['charity_staff'], objects: 'none',
    prepare: () => ({
      url: '/api/v1/charity/projects',
      body: { title: uniqueName('助学'), categories: ['education'], eligibility: { regionCode: COUNTY_X }, capacity: 5, budgetFen: 50_000_00, costPerBeneficiaryFen: 10_000_00, startsOn: '2026-01-01', endsOn: '2026-12-31' },
    }),
  },
  'GET /api/v1/charity/projects/:id': {
    duty: 'household', allow: ['charity_staff', 'consortium_coordinator'], objects: 'charity',
    prepare: async ({ obj, env }) => ({ url: `/api/v1/charity/projects/${obj === 'nonexistent' ? randomUUID() : await insertProject(env.p.ctx, env.world.orgs[obj === 'own' ? 'O1' : 'O2'], 'submitted')}` }),
  },
  'PATCH /api/v1/charity/projects/:id': {
    duty: 'household', allow: ['charity_staff'], objects: 'charity',
    prepare: async ({ obj, env }) => ({ url: `/api/v1/charity/projects/${obj === 'nonexistent' ? randomUUID() : await insertProject(env.p.ctx, env.world.orgs[obj === 'own' ? 'O1' : 'O2'], 'draft')}`, body: { title: uniqueName('新标题') } }),
  },
  'POST /api/v1/charity/projects/:id/actions': {
    // The charity submits its draft; the coordinator approves a submitted project.
    duty: 'household', allow: ['charity_staff', 'consortium_coordinator'], objects: 'charity',
    async prepare({ who, obj, env }) {
      const coordinator = who === 'consortium_coordinator';
      const id = obj === 'nonexistent' ? randomUUID() : await insertProject(env.p.ctx, env.world.orgs[obj === 'own' ? 'O1' : 'O2'], coordinator ? 'submitted' : 'draft');
      return { url: `/api/v1/charity/projects/${id}/actions`, body: { type: coordinator ? 'approve' : 'submit' } };
    },
  },
  'GET /api/v1/charity/projects/:id/candidates': {
    duty: 'household', allow: ['consortium_coordinator'], objects: 'charity',
    prepare: async ({ obj, env }) => ({ url: `/api/v1/charity/projects/${obj === 'nonexistent' ? randomUUID() : await insertProject(env.p.ctx, env.world.orgs[obj === 'own' ? 'O1' : 'O2'], 'published')}/candidates` }),
  },
  'GET /api/v1/charity/needs': { duty: 'household', allow: ['consortium_coordinator'], objects: 'none', prepare: () => ({ url: '/api/v1/charity/needs' }) },
  'POST /api/v1/charity/needs/derive': { duty: 'household', allow: ['consortium_coordinator'], objects: 'none', prepare: () => ({ url: '/api/v1/charity/needs/derive' }) },
  'GET /api/v1/households/:id/needs': { duty: 'household', allow: READERS, objects: 'household', prepare: ({ hid }) => ({ url: `${H}/${hid}/needs` }) },
  'POST /api/v1/households/:id/needs/derive': { duty: 'household', allow: OFFICERS, objects: 'household', prepare: ({ hid }) => ({ url: `${H}/${hid}/needs/derive` }) },
  'POST /api/v1/households/:id/needs': {
    duty: 'household', allow: OFFICERS, objects: 'household',
    prepare: ({ hid }) => ({ url: `${H}/${hid}/needs`, body: { category: 'mental_care', severity: 2, finding: '情绪低落' } }),
  },
  'PATCH /api/v1/households/:id/needs/:needId': {
    duty: 'household', allow: OFFICERS, objects: 'household',
    prepare: async ({ hid, env }) => ({ url: `${H}/${hid}/needs/${await insertNeed(env.p.ctx, hid)}`, body: { severity: 3, reason: '复核' } }),
  },
  'POST /api/v1/charity/matching-runs': { duty: 'household', allow: ['consortium_coordinator'], objects: 'none', prepare: () => ({ url: '/api/v1/charity/matching-runs', body: {} }) },
  'GET /api/v1/charity/matching-runs': { duty: 'household', allow: ['consortium_coordinator'], objects: 'none', prepare: () => ({ url: '/api/v1/charity/matching-runs' }) },
  'GET /api/v1/charity/matching-runs/:id': {
    duty: 'household', allow: ['consortium_coordinator'], objects: 'agreement',
    prepare: async ({ obj, env }) => ({ url: `/api/v1/charity/matching-runs/${obj === 'existing' ? await insertRun(env.p.ctx, COUNTY_X) : randomUUID()}` }),
  },
  'GET /api/v1/charity/referrals': { duty: 'household', allow: ['charity_staff', 'consortium_coordinator'], objects: 'none', prepare: () => ({ url: '/api/v1/charity/referrals' }) },
  'POST /api/v1/charity/referrals/:id/decision': {
    duty: 'household', allow: ['charity_staff'], objects: 'charity',
    prepare: async ({ obj, env }) => ({
      url: `/api/v1/charity/referrals/${obj === 'nonexistent' ? randomUUID() : await insertReferral(env.p.ctx, env.world.orgs[obj === 'own' ? 'O1' : 'O2'], VILLAGE_A, 'proposed')}/decision`,
      body: { decision: 'accept', reason: '符合条件' },
    }),
  },
  'POST /api/v1/charity/referrals/:id/delivery': {
    duty: 'household', allow: ['charity_staff'], objects: 'charity',
    prepare: async ({ obj, env }) => ({
      url: `/api/v1/charity/referrals/${obj === 'nonexistent' ? randomUUID() : await insertReferral(env.p.ctx, env.world.orgs[obj === 'own' ? 'O1' : 'O2'], VILLAGE_A, 'accepted')}/delivery`,
      body: { deliveredOn: '2026-11-28', amountFen: 500_00, items: '米面油', volunteerHours: 2 },
    }),
  },
  'GET /api/v1/households/:id/plan': { duty: 'household', allow: READERS, objects: 'household', prepare: ({ hid }) => ({ url: `${H}/${hid}/plan` }) },
  'PUT /api/v1/households/:id/plan': {
    duty: 'household', allow: OFFICERS, objects: 'household',
    prepare: ({ hid }) => ({ url: `${H}/${hid}/plan`, body: { reviewOn: '2027-03-01', tasks: [{ id: 't1', department: '住建', task: '危房鉴定', dueOn: '2026-12-20', status: 'todo' }] } }),
  },
  'GET /api/v1/audit': { duty: 'audit.read', allow: ['audit_admin'], objects: 'none', prepare: () => ({ url: '/api/v1/audit?pageSize=5' }) },
  'POST /api/v1/audit/verify': { duty: 'audit.read', allow: ['audit_admin'], objects: 'none', prepare: () => ({ url: '/api/v1/audit/verify' }) },
};

/** `/api/v1/households/{id}` (OpenAPI) → `/api/v1/households/:id` (router). */
const fromOpenApi = (path: string): string => path.replace(/\{(\w+)\}/g, ':$1');


/** The household each object stands for. */
function householdOf(world: World, obj: Obj): string {
  switch (obj) {
    case 'own': return world.households.HA;
    case 'sameCounty': return world.households.HB;
    case 'otherCounty': return world.households.HY;
    case 'otherOrg': return world.households.HO2;
    default: return randomUUID();
  }
}

type Expected = { kind: 'ok' } | { kind: 'status'; status: number; code: string } | { kind: 'asNonexistent' } | { kind: 'okAsNonexistent' };
/** A feed's answer without its batch id (each accepted feed has its own). */
const withoutBatch = (body: string): string => body.replace(/"batchId":"[0-9a-f-]{36}"/, '"batchId":"…"');

function expected(spec: RouteSpec, who: Who, obj: Obj, world: World, clients: Record<Role, SecClient>): Expected {
  if (who === 'anonymous') return spec.allow.includes('anonymous') ? { kind: 'ok' } : { kind: 'status', status: 401, code: 'UNAUTHENTICATED' };
  if (!spec.allow.includes(who)) return { kind: 'status', status: 403, code: 'FORBIDDEN' };
  const c = clients[who];
  switch (spec.objects) {
    case 'none':
      return { kind: 'ok' };
    case 'user':
      return obj === 'existing' ? { kind: 'ok' } : { kind: 'status', status: 404, code: 'USER_NOT_FOUND' };
    case 'agreement':
      return obj === 'existing' ? { kind: 'ok' } : { kind: 'status', status: 404, code: 'NOT_FOUND' };
    case 'charity':
      // Another organisation's project or referral answers like a missing one; the coordinator sees both organisations' (same county).
      if (obj === 'nonexistent') return { kind: 'status', status: 404, code: 'NOT_FOUND' };
      return obj === 'otherOrg' && who === 'charity_staff' ? { kind: 'asNonexistent' } : { kind: 'ok' };
    case 'region': {
      // A village code is public reference data, not an object: out of scope is refused as invalid.
      if (obj === 'nonexistent') return { kind: 'status', status: 400, code: 'VALIDATION_FAILED' };
      const village = { own: VILLAGE_A, sameCounty: VILLAGE_B, otherCounty: VILLAGE_Y }[obj as 'own'];
      return village.startsWith(c.scope) ? { kind: 'ok' } : { kind: 'status', status: 400, code: 'VALIDATION_FAILED' };
    }
    case 'finding': {
      if (obj === 'nonexistent') return { kind: 'status', status: 404, code: 'NOT_FOUND' };
      return world.regionOf.get(householdOf(world, obj))!.startsWith(c.scope) ? { kind: 'ok' } : { kind: 'asNonexistent' };
    }
    case 'person': {
      // A feed is no oracle: a row about nobody, or about someone outside the area, is received like one about a member.
      if (obj === 'nonexistent') return { kind: 'ok' };
      return world.regionOf.get(householdOf(world, obj))!.startsWith(c.scope) ? { kind: 'ok' } : { kind: 'okAsNonexistent' };
    }
    case 'household':
    case 'shared': {
      if (obj === 'nonexistent') return { kind: 'status', status: 404, code: 'HOUSEHOLD_NOT_FOUND' };
      const hid = householdOf(world, obj);
      let visible = world.regionOf.get(hid)!.startsWith(c.scope);
      if (spec.objects === 'shared') {
        const org = ROLE_ORG[who];
        visible &&= org !== undefined && world.sharedWith[org].has(hid);
      }
      return visible ? { kind: 'ok' } : { kind: 'asNonexistent' };
    }
  }
}

interface Result {
  route: string;
  who: Who;
  obj: Obj;
  status: number;
  body: string;
  expected: Expected;
  problem: string | null;
}

describe.each(TEST_DB_KINDS)('authorization matrix on %s', (kind) => {
  let p: Platform;
  let app: FastifyInstance;
  let env: Env;
  const results: Result[] = [];

  beforeAll(async () => {
    p = await openTestPlatform(kind);
    app = await buildServer(p.ctx, { webDist: '/nonexistent', rateLimit: false, loginRateLimit: false });
    const world = await buildWorld(app, p.ctx);
    env = { app, p, world, clients: await clientsByRole(app, p.ctx, world) };
  });
  afterAll(async () => {
    await app.close();
    await p.close();
  });

  it('names every route the server has, and no other', async () => {
    await app.ready();
    const doc = app.swagger() as { paths: Record<string, Record<string, unknown>> };
    const fromDoc = Object.entries(doc.paths)
      .filter(([path]) => path.startsWith('/api/'))
      .flatMap(([path, ops]) => Object.keys(ops).map((m) => `${m.toUpperCase()} ${fromOpenApi(path)}`));
    const fromRouter = routesFromTree(app.printRoutes({ commonPrefix: false }));
    const inMatrix = Object.keys(MATRIX);
    const missing = [...new Set([...fromDoc, ...fromRouter])].filter((r) => !(r in MATRIX)).sort();
    const extra = inMatrix.filter((r) => !fromDoc.includes(r) || !fromRouter.includes(r)).sort();
    expect({ missing, extra }).toEqual({ missing: [], extra: [] });
    expect(fromRouter.length).toBeGreaterThanOrEqual(30);
    expect(new Set(fromRouter)).toEqual(new Set(fromDoc));
  });

  it('allows each role only what the matrix says, and answers foreign objects exactly like missing ones', async () => {
    const { world, clients } = env;
    let combos = 0;
    for (const [route, spec] of Object.entries(MATRIX)) {
      const method = route.split(' ')[0]!;
      for (const who of WHO) {
        let nonexistent: { status: number; body: string } | null = null;
        for (const obj of OBJECTS[spec.objects]) {
          combos++;
          const hid = householdOf(world, obj);
          const prep = await spec.prepare({ who, obj, hid, env });
          const session = prep.session !== undefined ? prep.session ?? undefined : who === 'anonymous' ? undefined : clients[who];
          const checkUnchanged = method !== 'GET';
          const before = checkUnchanged ? await stateFingerprint(p.ctx) : '';
          const r: LightMyRequestResponse = await send(app, method, prep.url, prep.body, session);
          const exp = expected(spec, who, obj, world, clients);
          const ok = r.statusCode >= 200 && r.statusCode < 300;
          let problem: string | null = null;
          if (exp.kind === 'ok') {
            if (!ok) problem = `expected 2xx, got ${r.statusCode}`;
          } else if (exp.kind === 'okAsNonexistent') {
            if (!ok) problem = `expected 2xx, got ${r.statusCode}`;
            else if (nonexistent && (r.statusCode !== nonexistent.status || withoutBatch(r.body) !== withoutBatch(nonexistent.body))) problem = `FOREIGN≠NONEXISTENT: ${r.statusCode} ${r.body} vs ${nonexistent.status} ${nonexistent.body}`;
          } else if (ok) {
            problem = `UNEXPECTED SUCCESS ${r.statusCode}`;
          } else if (exp.kind === 'status') {
            const code = (r.json<{ error?: { code?: string } }>().error ?? {}).code;
            if (r.statusCode !== exp.status || code !== exp.code) problem = `expected ${exp.status} ${exp.code}, got ${r.statusCode} ${code}`;
          } else if (nonexistent && (r.statusCode !== nonexistent.status || r.body !== nonexistent.body)) {
            problem = `FOREIGN≠NONEXISTENT: ${r.statusCode} ${r.body} vs ${nonexistent.status} ${nonexistent.body}`;
          }
          if (!problem && !ok && checkUnchanged && (await stateFingerprint(p.ctx)) !== before) problem = `refused (${r.statusCode}) but something was written`;
          if (obj === 'nonexistent') nonexistent = { status: r.statusCode, body: r.body };
          results.push({ route, who, obj, status: r.statusCode, body: r.body, expected: exp, problem });
        }
      }
    }
    const problems = results.filter((r) => r.problem);
    const unexpectedSuccesses = problems.filter((r) => r.problem!.startsWith('UNEXPECTED SUCCESS')).length;
    const foreignMismatch = problems.filter((r) => r.problem!.startsWith('FOREIGN≠NONEXISTENT')).length;
    const foreignCompared = results.filter((r) => r.expected.kind === 'asNonexistent' || r.expected.kind === 'okAsNonexistent').length;
    console.log(
      `[${kind}] matrix: ${Object.keys(MATRIX).length} routes × ${WHO.length} roles (11 + unassigned + anonymous) × objects = ${combos} requests; ` +
        `unexpected successes: ${unexpectedSuccesses}; foreign answers compared with nonexistent: ${foreignCompared}, different: ${foreignMismatch}; other mismatches: ${problems.length - unexpectedSuccesses - foreignMismatch}`,
    );
    expect(problems.map((r) => `${r.route} as ${r.who} on ${r.obj}: ${r.problem}`)).toEqual([]);
    // The comparison is not vacuous: foreign objects were asked for where the permission was held.
    expect(foreignCompared).toBeGreaterThan(50);
    expect(results.filter((r) => r.expected.kind === 'ok').length).toBeGreaterThan(150);
  });

  it('lists hold no row from outside the user’s scope or organisation', async () => {
    const { world, clients } = env;
    const regionOf = async (ids: string[]): Promise<Map<string, string>> => {
      if (ids.length === 0) return new Map();
      const rows = await p.ctx.db.selectFrom('households').select(['id', 'region_code']).where('id', 'in', ids).execute();
      return new Map(rows.map((r) => [r.id, r.region_code]));
    };
    const inScopeCount = async (prefix: string): Promise<number> =>
      (await p.ctx.db.selectFrom('households').select((eb) => eb.fn.countAll<number>().as('n')).where('region_code', 'like', `${prefix}%`).executeTakeFirst())!.n;
    let foreignRows = 0;
    let rowsSeen = 0;
    const problems: string[] = [];
    const filters = ['', PROVINCE, '3301', COUNTY_X, TOWNSHIP_A, VILLAGE_A, '330106004', VILLAGE_B, CITY_Y, COUNTY_Y, VILLAGE_Y];
    for (const role of READERS) {
      const c = clients[role];
      for (const f of filters) {
        const r = await c.request('GET', `${H}?pageSize=200${f ? `&region=${f}` : ''}`);
        expect(r.statusCode).toBe(200);
        const body = r.json<{ total: number; items: { id: string; regionCode: string }[] }>();
        const regions = await regionOf(body.items.map((i) => i.id));
        for (const item of body.items) {
          rowsSeen++;
          const region = regions.get(item.id);
          if (!region?.startsWith(c.scope) || region !== item.regionCode) {
            foreignRows++;
            problems.push(`${role} region=${f}: ${item.id} in ${region ?? '?'}`);
          }
        }
        // The total counts only what the user may see, too.
        const effective = !f || c.scope.startsWith(f) ? c.scope : f.startsWith(c.scope) ? f : null;
        const allowed = effective ? await inScopeCount(effective) : 0;
        if (body.total !== allowed) problems.push(`${role} region=${f}: total ${body.total}, in scope ${allowed}`);
        const stats = await c.request('GET', `/api/v1/stats/categories${f ? `?region=${f}` : ''}`);
        expect(stats.statusCode).toBe(200);
        const st = stats.json<{ total: number }>();
        if (st.total > allowed) {
          foreignRows += st.total - allowed;
          problems.push(`${role} stats region=${f}: total ${st.total}, in scope ${allowed}`);
        }
      }
      // Not vacuous: what is in scope is listed.
      const all = (await c.request('GET', `${H}?pageSize=200`)).json<{ items: { id: string }[] }>().items.map((i) => i.id);
      for (const [hid, village] of world.regionOf) if (village.startsWith(c.scope)) expect(all, `${role} sees ${hid}`).toContain(hid);
    }
    for (const role of SHARED_READERS) {
      const c = clients[role];
      const r = await c.request('GET', '/api/v1/shared/households');
      expect(r.statusCode).toBe(200);
      const ids = r.json<{ items: { id: string }[] }>().items.map((i) => i.id);
      const regions = await regionOf(ids);
      const org = ROLE_ORG[role]!;
      for (const id of ids) {
        rowsSeen++;
        if (!regions.get(id)?.startsWith(c.scope) || !world.sharedWith[org].has(id)) {
          foreignRows++;
          problems.push(`${role} shared: ${id} in ${regions.get(id) ?? '?'}`);
        }
      }
      const expectedIds = [...world.sharedWith[org]].filter((id) => world.regionOf.get(id)!.startsWith(c.scope));
      expect(new Set(ids)).toEqual(new Set(expectedIds));
    }
    console.log(`[${kind}] lists: ${rowsSeen} rows checked, foreign rows: ${foreignRows}`);
    expect(problems).toEqual([]);
    expect(foreignRows).toBe(0);
  });

  it('keeps the three administrators to their own duty (三员分立), with no cross-duty success', () => {
    const own: Record<string, Duty> = { system_admin: 'user.manage', security_admin: 'access.manage', audit_admin: 'audit.read' };
    let crossDuty = 0;
    const bad: string[] = [];
    for (const [admin, duty] of Object.entries(own)) {
      const mine = results.filter((r) => r.who === admin);
      expect(mine.length).toBeGreaterThan(0);
      for (const r of mine) {
        const d = MATRIX[r.route]!.duty;
        const foreignDuty = d === 'household' || d === 'sharing' || (d !== duty && (d === 'user.manage' || d === 'access.manage' || d === 'audit.read'));
        if (foreignDuty && r.status !== 403) {
          if (r.status < 300) crossDuty++;
          bad.push(`${admin} ${r.route} (${r.obj}): ${r.status}`);
        }
      }
      // And it can do its own duty.
      expect(mine.filter((r) => MATRIX[r.route]!.duty === duty && r.status < 300).length).toBeGreaterThan(0);
    }
    console.log(`[${kind}] three administrators: cross-duty successes: ${crossDuty}`);
    expect(bad).toEqual([]);
    expect(crossDuty).toBe(0);
  });

  it('lets nobody change their own role or disable themselves', async () => {
    const { clients } = env;
    for (const role of ALL_ROLES) {
      const c = clients[role];
      const before = await p.ctx.db.selectFrom('users').select(['role', 'scope_region', 'disabled']).where('id', '=', c.userId).executeTakeFirstOrThrow();
      const promote = await c.request('PUT', `/api/v1/users/${c.userId}/role`, { role: 'security_admin', scopeRegion: PROVINCE });
      const same = await c.request('PUT', `/api/v1/users/${c.userId}/role`, { role, scopeRegion: PROVINCE });
      const disable = await c.request('POST', `/api/v1/users/${c.userId}/disable`);
      for (const r of [promote, same, disable]) {
        expect(r.statusCode, `${role}: ${r.body}`).toBe(403);
        expect(r.json<{ error: { code: string } }>().error.code).toBe('FORBIDDEN');
      }
      const after = await p.ctx.db.selectFrom('users').select(['role', 'scope_region', 'disabled']).where('id', '=', c.userId).executeTakeFirstOrThrow();
      expect(after).toEqual(before);
      expect((await c.request('GET', '/api/v1/auth/me')).statusCode).toBe(200);
    }
    // The two administrators who could act on others cannot act on themselves, but can on someone else.
    const other = await freshUser(env);
    expect((await clients.security_admin.request('PUT', `/api/v1/users/${other}/role`, { role: 'auditor', scopeRegion: COUNTY_X })).statusCode).toBe(200);
    expect((await clients.system_admin.request('POST', `/api/v1/users/${other}/disable`)).statusCode).toBe(200);
    expect(await countRows(p.ctx, 'users')).toBeGreaterThan(ALL_ROLES.length);
  });
});
