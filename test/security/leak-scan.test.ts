/**
 * Leak scan: every response body of a representative session of every role (lists, details,
 * classifications, consents, reveal where allowed, shared views, accounts, audit, refusals and
 * validation errors), and the server's log, searched for resident ID numbers, mobile numbers and
 * the members' names. Without `household.unmask`: none, anywhere. With it: only in /reveal answers.
 * The log: none at all.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { buildServer } from '../../src/server/app.js';
import type { Platform } from '../../src/app/setup/open-platform.js';
import { can, MOBILE_PATTERN, RESIDENT_ID_PATTERN, type Role } from '../../src/core/security/index.js';
import { openTestPlatform, TEST_DB_KINDS } from '../support/databases.js';
import { ALL_ROLES, COUNTY_X, VILLAGE_A, VILLAGE_B, VILLAGE_Y, buildWorld, clientsByRole, newPerson, type SecClient, type World } from '../support/security-world.js';

interface Captured {
  role: Role;
  method: string;
  url: string;
  status: number;
  body: string;
}

/** UUIDs and SHA-256 hex digests are system identifiers: a run of digits inside one is not a person's number. */
const SYSTEM_IDS = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|\b[0-9a-f]{64}\b/gi;

/** The strings of a JSON value (keys and string leaves); numbers are amounts, times and counts. */
function stringsOf(v: unknown, out: string[] = []): string[] {
  if (typeof v === 'string') out.push(v);
  else if (Array.isArray(v)) for (const x of v) stringsOf(x, out);
  else if (typeof v === 'object' && v !== null) {
    for (const [k, x] of Object.entries(v)) {
      out.push(k);
      stringsOf(x, out);
    }
  }
  return out;
}

function patternHits(text: string): string[] {
  let parsed: unknown = text;
  try {
    parsed = JSON.parse(text);
  } catch {
    // not JSON: scan the text as it is
  }
  const hits: string[] = [];
  for (const s of stringsOf(parsed)) {
    const clean = s.replace(SYSTEM_IDS, '<id>');
    for (const re of [RESIDENT_ID_PATTERN, MOBILE_PATTERN]) hits.push(...(clean.match(new RegExp(re.source, re.flags)) ?? []));
  }
  return hits;
}

describe.each(TEST_DB_KINDS)('leak scan on %s', (kind) => {
  let p: Platform;
  let app: FastifyInstance;
  let world: World;
  let clients: Record<Role, SecClient>;
  const logs: string[] = [];
  const captured: Captured[] = [];

  beforeAll(async () => {
    p = await openTestPlatform(kind);
    app = await buildServer(p.ctx, { webDist: '/nonexistent', rateLimit: false, loginRateLimit: false, logger: { level: 'info', stream: { write: (m) => logs.push(m) } } });
    world = await buildWorld(app, p.ctx);
    clients = await clientsByRole(app, p.ctx, world);
    // Records and a classification, so that details carry every part of a household.
    const hid = world.households.HA;
    const officer = world.officer;
    await officer.request('POST', `/api/v1/households/${hid}/incomes`, { memberId: world.heads[hid], category: 'wages', subtype: 'salary', amountFen: 600_000, periodStart: '2025-12-01', periodEnd: '2026-11-29', sourceDept: 'hrss' });
    await officer.request('POST', `/api/v1/households/${hid}/assets`, { kind: 'deposit', valueFen: 100_000, asOf: '2026-10-01', sourceDept: 'bank' });
    await officer.request('POST', `/api/v1/households/${hid}/expenditures`, { category: 'medical', amountFen: 300_000, periodStart: '2026-01-01', periodEnd: '2026-10-31', sourceDept: 'healthcare_security' });
    await officer.request('POST', `/api/v1/households/${hid}/emergencies`, { kind: 'sudden_illness', occurredOn: '2026-11-01', sourceDept: 'civil_affairs' });
    for (const h of Object.values(world.households)) await officer.request('POST', `/api/v1/households/${h}/classify`, {});
  });
  afterAll(async () => {
    await app.close();
    await p.close();
  });

  /** One representative session of a role: what its screens would ask for, and a few mistakes. */
  async function session(role: Role): Promise<void> {
    const c = clients[role];
    const call = async (method: 'GET' | 'POST' | 'PATCH' | 'PUT', url: string, payload?: unknown): Promise<LightMyRequestResponse> => {
      const r = await c.request(method, url, payload);
      captured.push({ role, method, url, status: r.statusCode, body: r.body });
      return r;
    };
    const ids = (r: LightMyRequestResponse): string[] => (r.statusCode === 200 ? r.json<{ items: { id: string }[] }>().items.map((i) => i.id) : []);
    await call('GET', '/api/v1/auth/me');
    await call('GET', '/api/v1/organisations');
    await call('GET', `/api/v1/regions?parent=${COUNTY_X}`);
    await call('GET', `/api/v1/policy/parameters?region=${COUNTY_X}`);
    await call('GET', '/api/v1/stats/categories');
    const listed = ids(await call('GET', '/api/v1/households?pageSize=200'));
    // Every household of the world, listed or not: refusals are scanned too.
    for (const hid of new Set([...listed, ...Object.values(world.households)])) {
      await call('GET', `/api/v1/households/${hid}`);
      await call('GET', `/api/v1/households/${hid}/classifications`);
      await call('GET', `/api/v1/households/${hid}/consents`);
      await call('POST', `/api/v1/households/${hid}/reveal`, { reason: 'home_visit', note: '入户核查' });
      await call('GET', `/api/v1/shared/households/${hid}`);
    }
    for (const hid of ids(await call('GET', '/api/v1/shared/households'))) await call('GET', `/api/v1/shared/households/${hid}`);
    await call('GET', '/api/v1/users');
    await call('GET', '/api/v1/agreements');
    await call('GET', '/api/v1/audit?pageSize=200');
    await call('POST', '/api/v1/audit/verify');
    // Writes a role of this kind would make, and mistakes whose answers must not echo personal data.
    const p1 = newPerson(COUNTY_X);
    const created = await call('POST', '/api/v1/households', { regionCode: VILLAGE_A, hasAbleSupporter: false, members: [{ name: p1.name, idNumber: p1.idNumber, phone: p1.phone, relation: 'head' }] });
    if (created.statusCode === 201) world.people.push(p1);
    const taken = world.people[0]!;
    await call('POST', '/api/v1/households', { regionCode: VILLAGE_B, members: [{ name: taken.name, idNumber: taken.idNumber, phone: taken.phone, relation: 'head' }] });
    await call('POST', '/api/v1/households', { regionCode: VILLAGE_Y, members: [{ name: taken.name, idNumber: `${taken.idNumber.slice(0, 17)}${taken.idNumber.endsWith('1') ? '2' : '1'}`, relation: 'head' }] });
    await call('POST', `/api/v1/households/${world.households.HA}/members`, { name: taken.name, idNumber: taken.idNumber, phone: taken.idNumber, relation: 'child' });
    const p2 = newPerson(COUNTY_X);
    const added = await call('POST', `/api/v1/households/${world.households.HB}/members`, { name: p2.name, idNumber: p2.idNumber, phone: p2.phone, relation: 'child' });
    if (added.statusCode === 201) world.people.push(p2);
    const p3 = newPerson(COUNTY_X);
    const patched = await call('PATCH', `/api/v1/households/${world.households.HA}/members/${world.heads[world.households.HA]!}`, { phone: p3.phone, name: p3.name });
    if (patched.statusCode === 200) world.people.push(p3);
    await call('POST', '/api/v1/auth/login', { username: taken.idNumber, password: taken.phone });
  }

  it('finds no ID number, phone or name outside /reveal, and /reveal only for roles that may unmask', async () => {
    for (const role of ALL_ROLES) await session(role);
    const ids = new Set(world.people.map((x) => x.idNumber));
    const phones = new Set(world.people.map((x) => x.phone));
    const names = new Set(world.people.map((x) => x.name));
    const problems: string[] = [];
    let patternMatches = 0;
    let revealsWithData = 0;
    for (const c of captured) {
      const isReveal = /\/reveal$/.test(c.url);
      const hits = patternHits(c.body);
      const exact = [...ids, ...phones, ...names].filter((v) => c.body.includes(v));
      if (isReveal && c.status === 200) {
        if (!can(c.role, 'household.unmask')) problems.push(`${c.role} revealed ${c.url}`);
        if (hits.length > 0 && exact.length > 0) revealsWithData++;
        continue;
      }
      patternMatches += hits.length;
      if (hits.length > 0 || exact.length > 0) problems.push(`${c.role} ${c.method} ${c.url} (${c.status}): ${[...new Set([...hits, ...exact])].join(', ')}`);
    }
    const unmaskers = ALL_ROLES.filter((r) => can(r, 'household.unmask'));
    console.log(
      `[${kind}] leak scan: ${captured.length} responses of ${ALL_ROLES.length} roles, ${captured.reduce((n, c) => n + c.body.length, 0)} bytes; ` +
        `ID/phone pattern matches outside /reveal: ${patternMatches}; reveals with data: ${revealsWithData} (roles ${unmaskers.join(', ')})`,
    );
    expect(problems).toEqual([]);
    // The scan sees data when it is there: every role that may unmask got a reveal with full values.
    expect(revealsWithData).toBeGreaterThanOrEqual(unmaskers.length);
    expect(patternHits(JSON.stringify({ members: [{ idNumber: world.people[0]!.idNumber, phone: world.people[0]!.phone }] })).length).toBe(2);
  });

  it('keeps a reveal note with an ID number or phone out of the audit trail the audit administrator reads', async () => {
    // The note is free text kept in the audit trail; the audit administrator has no household.unmask.
    const t = world.people[2]!;
    const reveal = await world.officer.request('POST', `/api/v1/households/${world.households.HA}/reveal`, { reason: 'other', note: `核对 ${t.idNumber} ${t.phone}` });
    const audit = await clients.audit_admin.request('GET', '/api/v1/audit?action=household.reveal&pageSize=200');
    expect(audit.statusCode).toBe(200);
    const leaked = [t.idNumber, t.phone].filter((v) => audit.body.includes(v));
    console.log(`[${kind}] reveal note: reveal answered ${reveal.statusCode}; values of the note found in the audit trail: ${leaked.length}`);
    expect(leaked).toEqual([]);
  });

  it('writes no ID number, phone or member name to the log', async () => {
    // A refused request with personal data in the body, and one that fails inside (if any still does), are logged too.
    const t = world.people[1]!;
    await world.officer.request('POST', '/api/v1/households', { regionCode: VILLAGE_A, members: [{ name: t.name, idNumber: t.idNumber, phone: t.phone, relation: 'head' }] });
    await world.officer.request('POST', '/api/v1/households', { regionCode: VILLAGE_A, address: `${t.name} ${t.idNumber} ${t.phone}\u0000`, members: [{ name: `${t.name}\u0000`, idNumber: newPerson().idNumber, phone: t.phone, relation: 'head' }] });
    const text = logs.join('');
    expect(logs.length).toBeGreaterThan(100);
    expect(text).toContain('incoming request');
    const exact = world.people.flatMap((x) => [x.idNumber, x.phone, x.name]).filter((v) => text.includes(v));
    const hits: string[] = [];
    for (const line of logs) hits.push(...patternHits(line));
    console.log(`[${kind}] log scan: ${logs.length} lines, ${text.length} bytes; ID/phone pattern matches: ${hits.length}; fixture values found: ${exact.length}`);
    expect({ exact, hits }).toEqual({ exact: [], hits: [] });
  });
});
