/**
 * A ledger import's source over HTTP, on PGlite and PostgreSQL: a department's records are kept
 * under its organisation whatever the body names (a department cannot pass for another), record
 * ids are unique per source (the same id from two organisations is two records, from one is
 * applied once), and civil-affairs staff relaying a department's file name the department.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { randomUUID } from 'node:crypto';
import type { Platform } from '../app/setup/open-platform.js';
import { TEST_DB_KINDS } from '../../test/support/databases.js';
import { COUNTY_X, openWorldServer, signInAs, uniqueName, type World, type WorldServer } from '../../test/support/security-world.js';

describe.each(TEST_DB_KINDS)('ledger import source on %s', (kind) => {
  let p: Platform;
  let app: FastifyInstance;
  let world: World;
  let server: WorldServer;
  beforeAll(async () => {
    server = await openWorldServer(kind);
    ({ p, app, world } = server);
  });
  afterAll(() => server.close());

  const sourceOf = (org: string): string => `org_${org.replace(/-/g, '')}`;
  const entries = (recordId: string) =>
    p.ctx.db.selectFrom('ledger_entries').select(['source_dept', 'provider', 'link_status']).where('record_id', '=', recordId).orderBy('source_dept').execute();

  it('keeps a department’s records under its organisation, unique per source; staff relaying a file name the department', async () => {
    const d2org = (await world.secAdmin.request('POST', '/api/v1/organisations', { name: uniqueName('医保局'), kind: 'department', regionCode: COUNTY_X })).json<{ id: string }>().id;
    const d1 = await signInAs(app, p.ctx, 'department_liaison', COUNTY_X, world.orgs.D1);
    const d2 = await signInAs(app, p.ctx, 'department_liaison', COUNTY_X, d2org);
    const person = world.people[0]!;
    const recordId = `shared-${randomUUID().slice(0, 8)}`;
    const row = { recordId, idNumber: person.idNumber, name: person.name, programme: 'medical', amountFen: 50_000, periodStart: '2026-11-01', periodEnd: '2026-11-30' };

    // D1 names another department: its own organisation is recorded (and is the provider by default).
    const a = await d1.request('POST', '/api/v1/ledger/imports', { source: 'healthcare_security', rows: [row] });
    expect(a.statusCode, a.body).toBe(201);
    expect(a.json()).toMatchObject({ source: sourceOf(world.orgs.D1), rows: 1, alreadyImported: 0 });
    expect(await entries(recordId)).toEqual([{ source_dept: sourceOf(world.orgs.D1), provider: sourceOf(world.orgs.D1), link_status: 'linked' }]);

    // The same record id from another organisation is its own record.
    const b = await d2.request('POST', '/api/v1/ledger/imports', { source: sourceOf(world.orgs.D1), rows: [row] });
    expect(b.statusCode, b.body).toBe(201);
    expect(b.json()).toMatchObject({ source: sourceOf(d2org), alreadyImported: 0 });
    expect((await entries(recordId)).map((e) => e.source_dept)).toEqual([sourceOf(world.orgs.D1), sourceOf(d2org)].sort());

    // From the same organisation again (with or without a source in the body): applied once.
    for (const body of [{ rows: [row] }, { source: 'civil_affairs', rows: [row] }]) {
      const again = await d1.request('POST', '/api/v1/ledger/imports', body);
      expect(again.statusCode, again.body).toBe(201);
      expect(again.json()).toMatchObject({ source: sourceOf(world.orgs.D1), batchId: null, alreadyImported: 1 });
    }
    expect(await entries(recordId)).toHaveLength(2);

    // Civil-affairs staff relaying a department's file name the department; without it, refused.
    const officer = await signInAs(app, p.ctx, 'county_officer', COUNTY_X);
    const relayed = await officer.request('POST', '/api/v1/ledger/imports', { source: 'healthcare_security', rows: [row] });
    expect(relayed.statusCode, relayed.body).toBe(201);
    expect(relayed.json()).toMatchObject({ source: 'healthcare_security', alreadyImported: 0 });
    expect((await entries(recordId)).map((e) => e.source_dept)).toContain('healthcare_security');
    expect((await officer.request('POST', '/api/v1/ledger/imports', { rows: [row] })).statusCode).toBe(400);
  });

  it('names a department’s organisation where its records are shown: the household’s records and its ledger (a known code stays a code for the web’s labels)', async () => {
    const d1 = await signInAs(app, p.ctx, 'department_liaison', COUNTY_X, world.orgs.D1);
    const d1Name = (await p.ctx.db.selectFrom('organisations').select('name').where('id', '=', world.orgs.D1).executeTakeFirstOrThrow()).name;
    const hid = world.households.HA;
    const member = await p.ctx.db.selectFrom('members').select(['id_number', 'name']).where('household_id', '=', hid).orderBy('position').limit(1).executeTakeFirstOrThrow();
    const fire = await d1.request('POST', '/api/v1/feeds/events', { rows: [{ recordId: `n-${randomUUID().slice(0, 8)}`, kind: 'fire', idNumber: member.id_number, occurredOn: '2026-11-22' }] });
    expect(fire.statusCode, fire.body).toBe(201);
    const staff = await world.officer.request('POST', '/api/v1/feeds/events', { source: 'public_security', rows: [{ recordId: `n-${randomUUID().slice(0, 8)}`, kind: 'accident', idNumber: member.id_number, occurredOn: '2026-11-23' }] });
    expect(staff.statusCode, staff.body).toBe(201);
    const ledger = await d1.request('POST', '/api/v1/ledger/imports', { rows: [{ recordId: `n-${randomUUID().slice(0, 8)}`, idNumber: member.id_number, name: member.name, programme: 'housing', amountFen: 10_000, periodStart: '2026-11-01', periodEnd: '2026-11-30' }] });
    expect(ledger.statusCode, ledger.body).toBe(201);

    const h = await world.officer.request('GET', `/api/v1/households/${hid}`);
    expect(h.statusCode, h.body).toBe(200);
    const emergencies = h.json<{ emergencies: { kind: string; sourceDept: string; sourceName?: string | null }[] }>().emergencies;
    expect(emergencies.find((e) => e.kind === 'fire')).toMatchObject({ sourceDept: sourceOf(world.orgs.D1), sourceName: d1Name });
    expect(emergencies.find((e) => e.kind === 'accident')).toMatchObject({ sourceDept: 'public_security', sourceName: null });

    const l = await world.officer.request('GET', `/api/v1/households/${hid}/ledger`);
    expect(l.statusCode, l.body).toBe(200);
    const entry = l.json<{ entries: { programme: string; source: string; sourceName?: string | null; provider: string; providerName?: string | null }[] }>().entries.find((e) => e.programme === 'housing');
    expect(entry).toMatchObject({ source: sourceOf(world.orgs.D1), sourceName: d1Name, provider: sourceOf(world.orgs.D1), providerName: d1Name });
  });
});
