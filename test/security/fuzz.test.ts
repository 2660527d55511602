/**
 * Fuzzing every write route (POST, PUT, PATCH) with generated bodies, sent by a user who holds
 * the route's permission so that requests reach validation and the use case: valid bodies with
 * fields swapped for junk or dropped, bodies generated from the route's own OpenAPI schema,
 * objects with the route's field names and wrong types, any JSON at all, and raw text that is
 * not JSON. No answer may be a 5xx, and every 4xx must be `{error:{code,message}}` without a
 * stack trace or SQL.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { FastifyInstance } from 'fastify';
import { buildServer } from '../../src/server/app.js';
import type { Platform } from '../../src/app/setup/open-platform.js';
import { createAgreement, recordConsent } from '../../src/app/access/sharing.js';
import { createUser } from '../../src/app/auth/users.js';
import { ERROR_CODES } from '../../src/contracts/common.js';
import { makeResidentId } from '../../src/core/ids/index.js';
import { openTestPlatform, TEST_DB_KINDS } from '../support/databases.js';
import { insertNeed, insertProject, insertReferral } from '../support/charity-fixtures.js';
import {
  COUNTY_X, PASSWORD, PROVINCE, VILLAGE_A, VILLAGE_A2, VILLAGE_B, VILLAGE_Y, buildWorld, newPerson, openSessionDirect, send, signInAs, uniqueName,
  type SecClient, type World,
} from '../support/security-world.js';

// Generated bodies per write route (besides the targeted ones). The suite runs 250 on every test
// run (42 routes × 2 databases); FUZZ_RUNS=1000 or more for a deeper run.
const RUNS = Number(process.env.FUZZ_RUNS ?? 250);

/** The part of an OpenAPI (JSON Schema) body schema the generator reads. */
interface JsonSchema {
  type?: string;
  enum?: unknown[];
  pattern?: string;
  format?: string;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  nullable?: boolean;
  items?: JsonSchema;
  minItems?: number;
  maxItems?: number;
  properties?: Record<string, JsonSchema>;
  required?: string[];
}

// ---- junk ------------------------------------------------------------------------------------

const SPECIAL_STRINGS = [
  '', ' ', '\u0000', 'a\u0000b', '\uD800', '\uDFFF\uD800', '\u202Eevil', '\uFEFF', '𠜎𠜱𠝹', '😀'.repeat(60), 'Ａ'.repeat(51),
  "' OR '1'='1", "'; DROP TABLE users; --", '$1', '%s%s%n', '../../../etc/passwd', '<script>alert(1)</script>', '{{7*7}}', '${7*7}',
  '__proto__', 'constructor', 'prototype', 'null', 'undefined', 'NaN', 'Infinity', 'true', '0', '-1', '1e309', '0x10',
  '2026-02-30', '2026-13-01', '0000-00-00', '0000-01-01', '0001-01-01', '0099-12-31', '0100-01-01', '1899-12-31', '9999-12-31', '２０２６-１１-２９', '2026-11-29T00:00:00Z',
  '330106198003041234', '33010619800304123X', '13812345678', '00000000-0000-0000-0000-000000000000', 'ffffffff-ffff-ffff-ffff-ffffffffffff',
  '33', '3301', '330106', '330106002', '330106002051', '000000000000', '999999999999', 'x'.repeat(65), 'x'.repeat(201), '\n\r\t', '\\', '"', '\u0085\u2028\u2029',
];
const junkNumber = fc.oneof(
  fc.integer(),
  fc.double(),
  fc.constantFrom(-1, -0, 0.5, 1e308, -1e308, Number.MAX_SAFE_INTEGER + 2, 2 ** 31, 2 ** 63, 1e13 + 1, 4.000000001, Number.MIN_VALUE, 5, 31),
);
const huge = fc.tuple(fc.constantFrom(1_000, 10_000, 100_000), fc.constantFrom('x', '字', '\u0000', '😀', '9')).map(([n, c]) => c.repeat(n));
const junkLeaf = fc.oneof(
  { arbitrary: fc.string({ unit: 'binary', maxLength: 40 }), weight: 3 },
  { arbitrary: fc.string({ unit: 'grapheme', maxLength: 40 }), weight: 2 },
  { arbitrary: fc.constantFrom(...SPECIAL_STRINGS), weight: 4 },
  { arbitrary: junkNumber, weight: 3 },
  { arbitrary: fc.boolean(), weight: 1 },
  { arbitrary: fc.constant(null), weight: 1 },
  { arbitrary: huge, weight: 1 },
);
const junk: fc.Arbitrary<unknown> = fc.letrec<{ v: unknown }>((tie) => ({
  v: fc.oneof(
    { depthSize: 'small', maxDepth: 4 },
    { arbitrary: junkLeaf, weight: 6 },
    { arbitrary: fc.array(tie('v'), { maxLength: 4 }), weight: 1 },
    { arbitrary: fc.dictionary(fc.oneof(fc.string({ maxLength: 8 }), fc.constantFrom('__proto__', 'constructor', 'members', 'name')), tie('v'), { maxKeys: 4 }), weight: 1 },
  ),
})).v;

/** Swept through every field of every route (base body, one field changed), on top of the random bodies. */
const TARGETED: unknown[] = [
  '\u0000', 'a\u0000b', '\uD800', '😀'.repeat(60), 'x'.repeat(1_100_000), '', ' ', "'; DROP TABLE users; --", 42, -1, 1.5, 1e308, true, null, [], {}, ['x'], { a: { b: [1] } },
];

// ---- values from the schema --------------------------------------------------------------------

const isoDate = fc.oneof(
  fc.date({ min: new Date('1900-01-01T00:00:00Z'), max: new Date('2100-12-31T00:00:00Z'), noInvalidDate: true }),
  fc.date({ min: new Date('0100-01-01T00:00:00Z'), max: new Date('9999-12-31T00:00:00Z'), noInvalidDate: true }),
).map((d) => d.toISOString().slice(0, 10));
const validResidentId = fc
  .tuple(fc.constantFrom('330106', '330302', '330127', '110101', '999999'), fc.date({ min: new Date('1890-01-01T00:00:00Z'), max: new Date('2030-12-31T00:00:00Z'), noInvalidDate: true }), fc.integer({ min: 0, max: 999 }))
  .map(([county, d, seq]) => makeResidentId(county, d.toISOString().slice(0, 10), seq));

/** Realistic values by field name, so that generated bodies get past the shape checks into the use case. */
function known(world: World, field: string): fc.Arbitrary<unknown> | null {
  const orgs = Object.values(world.orgs);
  switch (field) {
    case 'idNumber': return fc.oneof(validResidentId, fc.constantFrom(...world.people.map((p) => p.idNumber)));
    case 'regionCode':
    case 'residenceRegionCode':
    case 'scopeRegion':
      return fc.constantFrom(PROVINCE, '3301', '3303', COUNTY_X, '330302', '330106002', VILLAGE_A, VILLAGE_A2, VILLAGE_B, VILLAGE_Y, '330106002999', '110101001001');
    case 'organisationId':
    case 'memberId':
      return fc.constantFrom(...orgs, ...Object.values(world.heads), '00000000-0000-0000-0000-000000000000');
    case 'username': return fc.constantFrom(world.officer.username, 'nobody-here', 'sec-admin');
    default: return null;
  }
}

function fromSchema(world: World, s: JsonSchema, field = ''): fc.Arbitrary<unknown> {
  let a: fc.Arbitrary<unknown>;
  const hint = known(world, field);
  if (s.enum) {
    a = fc.constantFrom(...s.enum);
  } else if (s.type === 'string') {
    const shaped = s.pattern === '^\\d{4}-\\d{2}-\\d{2}$'
      ? fc.oneof(isoDate, fc.stringMatching(/^\d{4}-\d{2}-\d{2}$/))
      : s.pattern
        ? fc.stringMatching(new RegExp(s.pattern))
        : fc.string({ unit: 'grapheme', minLength: s.minLength ?? 0, maxLength: Math.min(s.maxLength ?? 60, 300) });
    a = hint ? fc.oneof(hint, shaped) : shaped;
  } else if (s.type === 'integer') {
    const min = s.minimum ?? -(2 ** 31);
    const max = s.maximum ?? 2 ** 31 - 1;
    a = fc.oneof(fc.integer({ min: Math.max(min, -(2 ** 31)), max: Math.min(max, 2 ** 31 - 1) }), fc.constantFrom(min, max));
  } else if (s.type === 'number') {
    a = fc.double({ min: s.minimum ?? -1e9, max: s.maximum ?? 1e9, noNaN: true });
  } else if (s.type === 'boolean') {
    a = fc.boolean();
  } else if (s.type === 'array' && s.items) {
    a = fc.array(fromSchema(world, s.items, field), { minLength: s.minItems ?? 0, maxLength: Math.min(s.maxItems ?? 4, 4) });
  } else if (s.type === 'object' && s.properties) {
    const props = Object.fromEntries(Object.entries(s.properties).map(([k, v]) => [k, fromSchema(world, v, k)]));
    a = fc.record(props, { requiredKeys: (s.required ?? []).filter((k) => k in props) });
  } else {
    a = junk;
  }
  return s.nullable ? fc.option(a, { nil: null, freq: 8 }) : a;
}

/** Paths of the fields of a body schema, nested ones too (`members[0].idNumber` → ['members', 0, 'idNumber']). */
function fieldPaths(s: JsonSchema | undefined): (string | number)[][] {
  if (!s?.properties) return [];
  const out: (string | number)[][] = [];
  for (const [k, v] of Object.entries(s.properties)) {
    out.push([k]);
    if (v.type === 'array' && v.items?.properties) for (const sub of fieldPaths(v.items)) out.push([k, 0, ...sub]);
  }
  return out;
}

const DELETE = Symbol('delete');
type Mutation = [(string | number)[], unknown];

function mutate(body: unknown, mutations: Mutation[]): unknown {
  if (typeof body !== 'object' || body === null) return body;
  const out = structuredClone(body) as Record<string | number, unknown>;
  for (const [path, value] of mutations) {
    let node: unknown = out;
    for (const key of path.slice(0, -1)) node = typeof node === 'object' && node !== null ? (node as Record<string | number, unknown>)[key] : undefined;
    if (typeof node !== 'object' || node === null) continue;
    const last = path[path.length - 1]!;
    if (value === DELETE) Reflect.deleteProperty(node, last);
    else (node as Record<string | number, unknown>)[last] = value;
  }
  return out;
}

/** A generated request body: JSON to send, or raw text. */
type Generated = { json: unknown } | { raw: string };

function bodies(world: World, schema: JsonSchema | undefined, base: unknown, baseArb: fc.Arbitrary<unknown> = fc.constant(base)): fc.Arbitrary<Generated> {
  const paths = fieldPaths(schema);
  const fieldNames = [...new Set(paths.map((p) => p[p.length - 1] as string))];
  const mutation: fc.Arbitrary<Mutation> = fc.tuple(
    fc.constantFrom<(string | number)[]>(...paths, ['__extra']),
    fc.oneof({ arbitrary: junk, weight: 5 }, { arbitrary: fc.constant(DELETE), weight: 1 }),
  );
  const mutated = (of: fc.Arbitrary<unknown>): fc.Arbitrary<Generated> =>
    fc.tuple(of, fc.array(mutation, { minLength: 0, maxLength: 3 })).map(([b, ms]) => ({ json: mutate(b, ms) }));
  const generators: { arbitrary: fc.Arbitrary<Generated>; weight: number }[] = [
    { arbitrary: mutated(baseArb), weight: 4 },
    { arbitrary: fc.jsonValue().map((json) => ({ json })), weight: 1 },
    { arbitrary: junk.map((json) => ({ json })), weight: 1 },
    {
      arbitrary: fc.oneof(
        fc.string({ unit: 'binary', maxLength: 200 }),
        fc.integer({ min: 1, max: 20_000 }).map((n) => `{"a":${'['.repeat(n)}${']'.repeat(n)}}`),
        fc.integer({ min: 1, max: 60 }).map((n) => JSON.stringify(base ?? {}).slice(0, n)),
        fc.constantFrom('', 'null', '{', '{"__proto__":{"isAdmin":true}}', '{"constructor":{"prototype":{"x":1}}}', '[]', '"x"', '1e999', '{"a":1,"a":2}'),
      ).map((raw) => ({ raw })),
      weight: 1,
    },
  ];
  if (schema) {
    generators.push({ arbitrary: mutated(fromSchema(world, schema)), weight: 4 });
    generators.push({ arbitrary: fc.record(Object.fromEntries(fieldNames.map((f) => [f, junk])), { requiredKeys: [] }).map((json) => ({ json })), weight: 2 });
  }
  return fc.oneof(...generators);
}

// ---- the routes ------------------------------------------------------------------------------

type Actor = 'anonymous' | 'officer' | 'system' | 'security' | 'audit' | 'totp' | 'fresh' | 'charity' | 'coordinator' | 'auditor';

interface Targets {
  world: World;
  household: string;
  member: string;
  consent: string;
  agreement: string;
  alert: string;
  user: string;
  /** An open duplicate-assistance finding on the household. */
  finding: string;
  /** A draft project of O1 (the charity user's organisation), a need of the household, referrals of O1 (proposed, accepted). */
  project: string;
  need: string;
  proposed: string;
  accepted: string;
}

interface FuzzSpec {
  actor: Actor;
  url(t: Targets): string;
  /** A valid body for the route (mutations start from it). */
  base(t: Targets): unknown;
  /** Valid bodies that differ (new people), where one fixed body would be refused after its first use. */
  baseArb?: (t: Targets) => fc.Arbitrary<unknown>;
}

/** A new person of county X, from generated numbers (so the body is valid and not yet registered). */
const personArb = fc
  .tuple(fc.date({ min: new Date('1930-01-01T00:00:00Z'), max: new Date('2025-12-31T00:00:00Z'), noInvalidDate: true }), fc.integer({ min: 0, max: 999 }), fc.integer({ min: 0, max: 99_999_999 }))
  .map(([d, seq, phone]) => ({ name: '欧阳秀英', idNumber: makeResidentId(COUNTY_X, d.toISOString().slice(0, 10), seq), phone: `139${String(phone).padStart(8, '0')}` }));

const H = '/api/v1/households';
const FUZZ: Record<string, FuzzSpec> = {
  // First: verifying walks the whole trail, which every other request here makes longer.
  'POST /api/v1/audit/verify': { actor: 'audit', url: () => '/api/v1/audit/verify', base: () => ({}) },
  'POST /api/v1/auth/login': { actor: 'anonymous', url: () => '/api/v1/auth/login', base: () => ({ username: 'nobody-here', password: 'wrong password' }) },
  'POST /api/v1/auth/logout': { actor: 'fresh', url: () => '/api/v1/auth/logout', base: () => ({}) },
  'POST /api/v1/auth/totp/setup': { actor: 'officer', url: () => '/api/v1/auth/totp/setup', base: () => ({}) },
  'POST /api/v1/auth/totp/enable': { actor: 'totp', url: () => '/api/v1/auth/totp/enable', base: () => ({ secret: 'JBSWY3DPEHPK3PXPJBSWY3DP', code: '123456' }) },
  'POST /api/v1/households': {
    actor: 'officer', url: () => H,
    base: () => {
      const p = newPerson(COUNTY_X);
      return { regionCode: VILLAGE_A, hasAbleSupporter: false, address: '西湖路 1 号', members: [{ name: p.name, idNumber: p.idNumber, relation: 'head', phone: p.phone }] };
    },
    baseArb: () => fc.tuple(personArb, fc.constantFrom(VILLAGE_A, VILLAGE_A2, VILLAGE_B)).map(([p, village]) => ({
      regionCode: village, hasAbleSupporter: false, address: '西湖路 1 号', members: [{ name: p.name, idNumber: p.idNumber, relation: 'head', phone: p.phone }],
    })),
  },
  'PATCH /api/v1/households/:id': { actor: 'officer', url: (t) => `${H}/${t.household}`, base: () => ({ address: '西湖路 2 号', hasAbleSupporter: true }) },
  'POST /api/v1/households/:id/reveal': { actor: 'officer', url: (t) => `${H}/${t.household}/reveal`, base: () => ({ reason: 'home_visit', note: '入户核查' }) },
  'POST /api/v1/households/:id/members': {
    actor: 'officer', url: (t) => `${H}/${t.household}/members`,
    base: () => {
      const p = newPerson(COUNTY_X);
      return { name: p.name, idNumber: p.idNumber, relation: 'child', disabilityGrade: 0, seriousIllness: false, labourCapacity: 'none', schooling: 'primary' };
    },
    baseArb: () => personArb.map((p) => ({ name: p.name, idNumber: p.idNumber, phone: p.phone, relation: 'child', disabilityGrade: 0, seriousIllness: false, labourCapacity: 'none', schooling: 'primary' })),
  },
  'PATCH /api/v1/households/:id/members/:memberId': {
    actor: 'officer', url: (t) => `${H}/${t.household}/members/${t.member}`,
    base: () => ({ name: '欧阳秀英', relation: 'head', disabilityGrade: 2, seriousIllness: true, labourCapacity: 'partial', schooling: 'senior', deceasedOn: null, phone: '13912345678' }),
  },
  'POST /api/v1/households/:id/incomes': {
    actor: 'officer', url: (t) => `${H}/${t.household}/incomes`,
    base: (t) => ({ memberId: t.member, category: 'wages', subtype: 'salary', amountFen: 100_000, periodStart: '2026-01-01', periodEnd: '2026-06-30', sourceDept: 'hrss' }),
  },
  'POST /api/v1/households/:id/assets': {
    actor: 'officer', url: (t) => `${H}/${t.household}/assets`,
    base: (t) => ({ memberId: t.member, kind: 'vehicle', valueFen: 5_000_000, floorAreaM2: null, isDisabilityVehicle: true, asOf: '2026-10-01', sourceDept: 'public_security' }),
  },
  'POST /api/v1/households/:id/expenditures': {
    actor: 'officer', url: (t) => `${H}/${t.household}/expenditures`,
    base: () => ({ category: 'medical', amountFen: 20_000, periodStart: '2026-01-01', periodEnd: '2026-06-30', sourceDept: 'healthcare_security' }),
  },
  'POST /api/v1/households/:id/emergencies': {
    actor: 'officer', url: (t) => `${H}/${t.household}/emergencies`, base: () => ({ kind: 'fire', occurredOn: '2026-11-01', sourceDept: 'civil_affairs' }),
  },
  'POST /api/v1/feeds/events': {
    actor: 'officer', url: () => '/api/v1/feeds/events',
    base: () => ({ source: 'civil_affairs', rows: [{ recordId: 'fuzz-1', kind: 'disability', idNumber: '11010519491231002X', occurredOn: '2026-11-01', disabilityGrade: 2 }] }),
  },
  'POST /api/v1/households/:id/classify': { actor: 'officer', url: (t) => `${H}/${t.household}/classify`, base: () => ({ asOf: '2026-11-29' }) },
  'POST /api/v1/users': { actor: 'system', url: () => '/api/v1/users', base: () => ({ username: 'fuzz.user', displayName: '模糊测试' }) },
  'POST /api/v1/users/:id/disable': { actor: 'system', url: (t) => `/api/v1/users/${t.user}/disable`, base: () => ({}) },
  'POST /api/v1/users/:id/enable': { actor: 'system', url: (t) => `/api/v1/users/${t.user}/enable`, base: () => ({}) },
  'PUT /api/v1/users/:id/role': {
    actor: 'security', url: (t) => `/api/v1/users/${t.user}/role`, base: (t) => ({ role: 'charity_staff', scopeRegion: COUNTY_X, organisationId: t.world.orgs.O1 }),
  },
  'POST /api/v1/organisations': { actor: 'security', url: () => '/api/v1/organisations', base: () => ({ name: '模糊慈善会', kind: 'charity', creditCode: null, regionCode: COUNTY_X }) },
  'POST /api/v1/agreements': {
    actor: 'security', url: () => '/api/v1/agreements',
    base: (t) => ({ organisationId: t.world.orgs.O3, purpose: '助学', allowedFields: ['category', 'phone'], regionCode: COUNTY_X, validFrom: '2026-01-01', validUntil: '2026-12-31' }),
  },
  'POST /api/v1/agreements/:id/revoke': { actor: 'security', url: (t) => `/api/v1/agreements/${t.agreement}/revoke`, base: () => ({}) },
  'POST /api/v1/households/:id/consents': {
    actor: 'officer', url: (t) => `${H}/${t.household}/consents`, base: (t) => ({ organisationId: t.world.orgs.O3, purpose: '帮扶对接', givenOn: '2026-11-01', method: 'verbal_witnessed' }),
  },
  'POST /api/v1/households/:id/consents/:consentId/withdraw': {
    actor: 'officer', url: (t) => `${H}/${t.household}/consents/${t.consent}/withdraw`, base: () => ({ withdrawnOn: '2026-11-29' }),
  },
  'POST /api/v1/households/:id/alerts/:alertId/actions': { actor: 'officer', url: (t) => `${H}/${t.household}/alerts/${t.alert}/actions`, base: () => ({ type: 'assign' }) },
  'PUT /api/v1/organisations/:id/charity': {
    actor: 'security', url: (t) => `/api/v1/organisations/${t.world.orgs.O1}/charity`, base: () => ({ kind: 'foundation', recognisedCharity: true, regionsServed: [COUNTY_X] }),
  },
  'POST /api/v1/charity/projects': {
    actor: 'charity', url: () => '/api/v1/charity/projects',
    base: () => ({ title: '助学', description: '', categories: ['education'], eligibility: { regionCode: COUNTY_X, minAge: 6, maxAge: 18 }, capacity: 5, budgetFen: 50_000_00, costPerBeneficiaryFen: 10_000_00, startsOn: '2026-01-01', endsOn: '2026-12-31' }),
  },
  'PATCH /api/v1/charity/projects/:id': { actor: 'charity', url: (t) => `/api/v1/charity/projects/${t.project}`, base: () => ({ title: '新标题', capacity: 3, endsOn: '2026-12-30' }) },
  'POST /api/v1/charity/projects/:id/actions': { actor: 'charity', url: (t) => `/api/v1/charity/projects/${t.project}/actions`, base: () => ({ type: 'submit' }) },
  'POST /api/v1/charity/needs/derive': { actor: 'coordinator', url: () => '/api/v1/charity/needs/derive', base: () => ({}) },
  'POST /api/v1/households/:id/needs/derive': { actor: 'officer', url: (t) => `${H}/${t.household}/needs/derive`, base: () => ({}) },
  'POST /api/v1/households/:id/needs': { actor: 'officer', url: (t) => `${H}/${t.household}/needs`, base: () => ({ category: 'mental_care', severity: 2, finding: '情绪低落' }) },
  'PATCH /api/v1/households/:id/needs/:needId': { actor: 'officer', url: (t) => `${H}/${t.household}/needs/${t.need}`, base: () => ({ severity: 3, status: 'open', reason: '复核' }) },
  'POST /api/v1/charity/matching-runs': { actor: 'coordinator', url: () => '/api/v1/charity/matching-runs', base: () => ({ countyCode: COUNTY_X }) },
  'POST /api/v1/charity/referrals/:id/decision': { actor: 'charity', url: (t) => `/api/v1/charity/referrals/${t.proposed}/decision`, base: () => ({ decision: 'decline', reason: '超出服务能力' }) },
  'POST /api/v1/charity/referrals/:id/delivery': {
    actor: 'charity', url: (t) => `/api/v1/charity/referrals/${t.accepted}/delivery`, base: () => ({ deliveredOn: '2026-11-28', amountFen: 500_00, items: '米面油', volunteerHours: 2.5 }),
  },
  'PUT /api/v1/households/:id/plan': {
    actor: 'officer', url: (t) => `${H}/${t.household}/plan`,
    base: () => ({ reviewOn: '2027-03-01', note: '复核', tasks: [{ id: 't1', department: '住建', task: '危房鉴定', dueOn: '2026-12-20', status: 'todo' }] }),
  },
  'POST /api/v1/ledger/imports': {
    actor: 'officer', url: () => '/api/v1/ledger/imports',
    base: () => ({ source: 'civil_affairs', rows: [{ recordId: 'fuzz-1', idNumber: '11010519491231002X', name: '王五', programme: 'charity_project', needCategory: 'medical', provider: 'zj-charity', inKindValueFen: 50_000, basisFen: 100_000, periodStart: '2026-10-01', periodEnd: '2026-10-31' }] }),
  },
  'POST /api/v1/ledger/findings/:id/resolution': {
    actor: 'auditor', url: (t) => `/api/v1/ledger/findings/${t.finding}/resolution`, base: () => ({ outcome: 'confirmed', recoveryAmountFen: 50_000, department: 'civil_affairs', note: '追回多发部分' }),
  },
  'POST /api/v1/ledger/check': { actor: 'auditor', url: () => '/api/v1/ledger/check', base: () => ({}) },
  'POST /api/v1/households/:id/visits': {
    actor: 'officer', url: (t) => `${H}/${t.household}/visits`, base: (t) => ({ visitedOn: '2026-11-20', findings: ['unsafe_housing', 'debt'], notes: '屋顶漏水', alertId: t.alert }),
  },
};

/** An open duplicate-assistance finding on the household for the resolution route to work on. */
async function openFinding(p: Platform, world: World, household: string): Promise<string> {
  const id = randomUUID();
  await p.ctx.db.insertInto('ledger_findings').values({
    id, kind: 'over_cap', group_key: `fuzz:${id}`, evidence_key: `fuzz:${id}`, household_id: household, member_id: null, region_code: world.regionOf.get(household) ?? VILLAGE_A, need_category: 'medical',
    entry_ids: [], overlap_start: '2026-10-01', overlap_end: '2026-10-31', overlap_days: 31, total_fen: 150_000, excess_fen: 50_000, detail: '{}', status: 'open', raised_on: '2026-11-29',
  }).execute();
  return id;
}

/** An open alert on the household for the action and visit routes to work on. */
async function openAlert(p: Platform, world: World, household: string): Promise<string> {
  const id = randomUUID();
  await p.ctx.db.insertInto('alerts').values({
    id, household_id: household, region_code: world.regionOf.get(household) ?? VILLAGE_A, cause: 'fuzz', level: 'orange', status: 'new', raised_on: '2026-11-29', due_on: '2026-12-06', reasons: '{}', escalated: false,
  }).execute();
  return id;
}

/** Stack traces, source locations, SQL and driver text: none may reach a client. */
const INTERNALS = /\bat [\w.<>]+ \(|\.(ts|js|mjs):\d+|node_modules|\bstack\b|\b(SELECT|INSERT INTO|UPDATE \w+ SET|DELETE FROM)\b|syntax error|relation "|duplicate key|violates|invalid byte sequence|pglite|postgres/i;

function badErrorBody(body: string): string | null {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return 'not JSON';
  }
  if (typeof parsed !== 'object' || parsed === null || Object.keys(parsed).join() !== 'error') return 'not {error}';
  const e = (parsed as { error: unknown }).error as { code?: unknown; message?: unknown } | null;
  if (typeof e !== 'object' || e === null || typeof e.code !== 'string' || typeof e.message !== 'string') return 'error without code and message';
  if (!(ERROR_CODES as readonly string[]).includes(e.code)) return `unknown code ${e.code}`;
  if (INTERNALS.test(body)) return 'internals in the body';
  return null;
}

describe.each(TEST_DB_KINDS)('fuzzing the write routes on %s', (kind) => {
  let p: Platform;
  let app: FastifyInstance;
  let world: World;
  let targets: Targets;
  const sessions: Partial<Record<Actor, SecClient>> = {};
  let swaggerBodies: Record<string, JsonSchema | undefined> = {};

  beforeAll(async () => {
    p = await openTestPlatform(kind);
    app = await buildServer(p.ctx, { webDist: '/nonexistent', rateLimit: false, loginRateLimit: false });
    world = await buildWorld(app, p.ctx);
    sessions.officer = await signInAs(app, p.ctx, 'county_officer', COUNTY_X);
    sessions.totp = await signInAs(app, p.ctx, 'county_officer', COUNTY_X);
    sessions.system = await signInAs(app, p.ctx, 'system_admin', PROVINCE);
    sessions.security = world.secAdmin;
    sessions.audit = await signInAs(app, p.ctx, 'audit_admin', PROVINCE);
    sessions.auditor = await signInAs(app, p.ctx, 'auditor', COUNTY_X);
    sessions.charity = await signInAs(app, p.ctx, 'charity_staff', COUNTY_X, world.orgs.O1);
    sessions.coordinator = await signInAs(app, p.ctx, 'consortium_coordinator', COUNTY_X);
    const household = world.households.HA;
    const target = uniqueName('fuzz-target');
    targets = {
      world,
      household,
      member: world.heads[household]!,
      consent: (await recordConsent(p.ctx, world.officer.actor(), household, { organisationId: world.orgs.O3, purpose: '帮扶对接', givenOn: '2026-11-01', method: 'written' })).id,
      agreement: (await createAgreement(p.ctx, null, { organisationId: world.orgs.O3, purpose: '临时救助', allowedFields: ['category'], regionCode: COUNTY_X, validFrom: '2026-01-01', validUntil: '2026-12-31' })).id,
      user: (await createUser(p.ctx, null, { username: target, displayName: target, role: 'auditor', scopeRegion: COUNTY_X, password: PASSWORD })).user.id,
      alert: await openAlert(p, world, household),
      finding: await openFinding(p, world, household),
      project: await insertProject(p.ctx, world.orgs.O1, 'draft'),
      need: await insertNeed(p.ctx, household),
      proposed: await insertReferral(p.ctx, world.orgs.O1, VILLAGE_A, 'proposed'),
      accepted: await insertReferral(p.ctx, world.orgs.O1, VILLAGE_A, 'accepted'),
    };
    await app.ready();
    const doc = app.swagger() as { paths: Record<string, Record<string, { requestBody?: { content: Record<string, { schema: JsonSchema }> } }>> };
    swaggerBodies = {};
    for (const [path, ops] of Object.entries(doc.paths)) {
      for (const [method, op] of Object.entries(ops)) {
        if (!['post', 'put', 'patch'].includes(method) || !path.startsWith('/api/')) continue;
        swaggerBodies[`${method.toUpperCase()} ${path.replace(/\{(\w+)\}/g, ':$1')}`] = op.requestBody?.content['application/json']?.schema;
      }
    }
  });
  afterAll(async () => {
    await app.close();
    await p.close();
  });

  it('has a fuzz spec for every write route', () => {
    expect(Object.keys(swaggerBodies).sort()).toEqual(Object.keys(FUZZ).sort());
  });

  const summary = { routes: 0, requests: 0, targeted: 0, fiveHundreds: 0, badBodies: 0 };

  it.each(Object.keys(FUZZ))(`answers ${RUNS} generated bodies on %s without a 5xx or an internal in a 4xx`, async (route) => {
    const spec = FUZZ[route]!;
    const method = route.split(' ')[0]!;
    const failures: string[] = [];
    const statuses = new Map<number, number>();
    let runs = 0;
    let targeted = 0;
    const base = spec.base(targets);
    const check = async (g: Generated, label: string): Promise<void> => {
      const session = spec.actor === 'anonymous' ? undefined : spec.actor === 'fresh' ? await openSessionDirect(p.ctx, sessions.officer!.userId) : sessions[spec.actor]!;
      const rawBody = 'raw' in g ? g.raw : JSON.stringify(g.json) ?? 'null';
      const r = await send(app, method, spec.url(targets), undefined, session, { rawBody });
      statuses.set(r.statusCode, (statuses.get(r.statusCode) ?? 0) + 1);
      const shown = rawBody.length > 300 ? `${rawBody.slice(0, 300)}… (${rawBody.length} chars)` : rawBody;
      if (r.statusCode >= 500) failures.push(`${label}: ${r.statusCode} for ${JSON.stringify(shown)}: ${r.body.slice(0, 200)}`);
      else if (r.statusCode >= 400) {
        const bad = badErrorBody(r.body);
        if (bad) failures.push(`${label}: ${r.statusCode} ${bad} for ${JSON.stringify(shown)}: ${r.body.slice(0, 300)}`);
      }
    };
    // Every field, one at a time, set to each targeted value.
    for (const path of fieldPaths(swaggerBodies[route])) {
      for (const v of TARGETED) {
        targeted++;
        await check({ json: mutate(spec.base(targets), [[path, v]]) }, path.join('.'));
      }
    }
    const seed = Date.now() ^ Math.floor(Math.random() * 0x7fffffff);
    await fc.assert(
      fc.asyncProperty(bodies(world, swaggerBodies[route], base, spec.baseArb?.(targets)), async (g) => {
        runs++;
        await check(g, `random (seed ${seed})`);
      }),
      { numRuns: RUNS, seed },
    );
    const fiveHundreds = [...statuses].filter(([s]) => s >= 500).reduce((n, [, c]) => n + c, 0);
    summary.routes++;
    summary.requests += runs;
    summary.targeted += targeted;
    summary.fiveHundreds += fiveHundreds;
    summary.badBodies += failures.length - fiveHundreds;
    console.log(`[${kind}] ${route}: ${runs} random + ${targeted} targeted bodies, statuses ${JSON.stringify(Object.fromEntries([...statuses].sort((a, b) => a[0] - b[0])))}, 5xx: ${fiveHundreds}`);
    expect(runs).toBe(RUNS);
    expect(failures.slice(0, 8), `${failures.length} failures`).toEqual([]);
  });

  it('prints the totals', () => {
    console.log(`[${kind}] fuzz: ${summary.routes} write routes, ${summary.requests} random bodies (${RUNS} per route) + ${summary.targeted} targeted, 5xx: ${summary.fiveHundreds}, malformed 4xx bodies: ${summary.badBodies}`);
    expect(summary.routes).toBe(Object.keys(FUZZ).length);
  });
});
