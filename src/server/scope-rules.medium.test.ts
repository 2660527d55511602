/**
 * The rules of the hardening issue's item 7, through the HTTP API as real users: a consent
 * withdrawal dated in the future or before the consent; a classification as of a future or an
 * earlier date; a department feed that must not tell who is registered; a feed's source taken
 * from the caller's organisation, record ids unique per source; the monitoring overview's totals
 * within the caller's area.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { openTestPlatform, TEST_DB_KINDS } from '../../test/support/databases.js';
import { buildWorld, COUNTY_X, COUNTY_Y, PROVINCE, signInAs, TODAY, TOWNSHIP_A, VILLAGE_A, type SecClient, type World } from '../../test/support/security-world.js';
import { makeResidentId } from '../core/ids/index.js';
import { buildServer } from './app.js';
import type { Platform } from '../app/setup/open-platform.js';
import { classifyAll } from '../app/classification/classify-all.js';
import { runMonitoring } from '../app/monitoring/run-monitoring.js';

const errorOf = (r: LightMyRequestResponse): { code: string; field?: string } => r.json<{ error: { code: string; field?: string } }>().error;

describe.each(TEST_DB_KINDS)('scope rules, on %s', (kind) => {
  let p: Platform;
  let app: FastifyInstance;
  let world: World;
  let officer: SecClient;
  beforeAll(async () => {
    p = await openTestPlatform(kind, TODAY);
    app = await buildServer(p.ctx, { webDist: '/nonexistent', rateLimit: false });
    world = await buildWorld(app, p.ctx);
    officer = world.officer;
  });
  afterAll(async () => {
    await app.close();
    await p.close();
  });

  it('a consent withdrawal takes effect from a day that has come and not before the consent', async () => {
    const charity = await signInAs(app, p.ctx, 'charity_staff', COUNTY_X, world.orgs.O1);
    const hid = world.households.HA2;
    const shared = (): Promise<LightMyRequestResponse> => charity.request('GET', `/api/v1/shared/households/${hid}`);
    expect((await shared()).statusCode).toBe(200);
    const consents = (await officer.request('GET', `/api/v1/households/${hid}/consents`)).json<{ items: { id: string; organisationId: string; givenOn: string; withdrawnOn: string | null }[] }>().items;
    const consent = consents.find((c) => c.organisationId === world.orgs.O1 && c.withdrawnOn === null)!;
    const withdraw = (on: string): Promise<LightMyRequestResponse> => officer.request('POST', `/api/v1/households/${hid}/consents/${consent.id}/withdraw`, { withdrawnOn: on });

    for (const on of ['2099-12-31', '2026-11-30', '2026-10-31']) {
      const r = await withdraw(on);
      expect([r.statusCode, errorOf(r).code, errorOf(r).field], on).toEqual([400, 'VALIDATION_FAILED', 'withdrawnOn']);
    }
    // Refused: the consent holds and sharing stays on.
    expect((await shared()).statusCode).toBe(200);
    const ok = await withdraw(consent.givenOn);
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json<{ withdrawnOn: string }>().withdrawnOn).toBe(consent.givenOn);
    const after = await shared();
    expect([after.statusCode, errorOf(after).code]).toEqual([403, 'CONSENT_REQUIRED']);
  });

  it('a classification as of a future date is refused; one as of an earlier date joins the history and leaves the current status', async () => {
    const hid = world.households.HB;
    const classify = (asOf?: string): Promise<LightMyRequestResponse> => officer.request('POST', `/api/v1/households/${hid}/classify`, asOf === undefined ? {} : { asOf });
    const current = async (): Promise<{ view: string | undefined; status: string | undefined }> => ({
      view: (await officer.request('GET', `/api/v1/households/${hid}`)).json<{ latestClassification: { asOf: string } | null }>().latestClassification?.asOf,
      status: (await p.ctx.db.selectFrom('household_status').select('as_of').where('household_id', '=', hid).executeTakeFirst())?.as_of,
    });

    for (const asOf of ['9999-12-31', '2026-11-30']) {
      const r = await classify(asOf);
      expect([r.statusCode, errorOf(r).code, errorOf(r).field], asOf).toEqual([400, 'VALIDATION_FAILED', 'asOf']);
    }
    expect(await current()).toEqual({ view: undefined, status: undefined });
    expect((await classify()).statusCode).toBe(201);
    expect(await current()).toEqual({ view: TODAY, status: TODAY });
    // Back-dated: kept in the history, the current status stays today's.
    const back = await classify('2026-06-30');
    expect(back.statusCode, back.body).toBe(201);
    expect(await current()).toEqual({ view: TODAY, status: TODAY });
    const history = (await officer.request('GET', `/api/v1/households/${hid}/classifications`)).json<{ items: { asOf: string }[] }>().items.map((c) => c.asOf);
    expect(history.sort()).toEqual(['2026-06-30', TODAY]);
    // The bulk run alike: a future date refused, an earlier one leaves today's status.
    await expect(classifyAll(p.ctx, { asOf: '9999-12-31', region: COUNTY_X })).rejects.toMatchObject({ code: 'VALIDATION_FAILED', field: 'asOf' });
    await classifyAll(p.ctx, { asOf: '2026-07-31', region: COUNTY_X });
    expect(await current()).toEqual({ view: TODAY, status: TODAY });
    // The same date again replaces it (the data may have changed).
    expect((await classify(TODAY)).statusCode).toBe(201);
    const latest = await p.ctx.db.selectFrom('household_status as s').innerJoin('classification_results as r', 'r.id', 's.result_id').select(['r.as_of', 'r.created_at'])
      .where('s.household_id', '=', hid).executeTakeFirstOrThrow();
    const newest = await p.ctx.db.selectFrom('classification_results').select('created_at').where('household_id', '=', hid).where('as_of', '=', TODAY).orderBy('created_at', 'desc').limit(1).executeTakeFirstOrThrow();
    expect(latest.created_at).toEqual(newest.created_at);
  });

  // Before the feeds below: two fires of one household on one day (two sources) raise two trigger
  // alerts of one cause in one statement, which the run does not yet handle (noted in the report).
  it('the monitoring overview’s totals are those of the caller’s area', async () => {
    await classifyAll(p.ctx, { asOf: TODAY });
    await runMonitoring(p.ctx, { asOf: TODAY });
    const totalsIn = async (region: string): Promise<{ households: number; atRisk: number }> => {
      const r = await p.ctx.db.selectFrom('households as h')
        .innerJoin('risk_snapshots as s', (j) => j.onRef('s.household_id', '=', 'h.id').on('s.as_of', '=', TODAY))
        .select((eb) => [eb.fn.countAll<number>().as('households'), eb.fn.count<number>(eb.case().when('s.level', '<>', 'green').then(1).end()).as('atRisk')])
        .where('h.region_code', 'like', `${region}%`).executeTakeFirstOrThrow();
      return { households: r.households, atRisk: r.atRisk };
    };
    const province = await totalsIn(PROVINCE);
    const county = await totalsIn(COUNTY_X);
    expect(county.households).toBeLessThan(province.households);
    const cases: [SecClient, string | undefined, { households: number; atRisk: number }][] = [
      [officer, undefined, province],
      [await signInAs(app, p.ctx, 'county_officer', COUNTY_X), undefined, county],
      [await signInAs(app, p.ctx, 'township_worker', TOWNSHIP_A), undefined, await totalsIn(TOWNSHIP_A)],
      [await signInAs(app, p.ctx, 'township_worker', TOWNSHIP_A), VILLAGE_A, await totalsIn(VILLAGE_A)],
      // A region outside the caller's area falls back to the caller's own.
      [await signInAs(app, p.ctx, 'county_officer', COUNTY_Y), COUNTY_X, await totalsIn(COUNTY_Y)],
    ];
    for (const [who, region, expected] of cases) {
      const r = await who.request('GET', `/api/v1/monitoring/overview${region ? `?region=${region}` : ''}`);
      expect(r.statusCode, r.body).toBe(200);
      expect(r.json<{ latestRun: { asOf: string; households: number; atRisk: number } | null }>().latestRun, `${who.scope} ${region ?? ''}`).toMatchObject({ asOf: TODAY, ...expected });
    }
  });

  it('a department’s feed answers alike for a registered person, an unknown one, one outside its area and a contradicted death', async () => {
    const liaison = await signInAs(app, p.ctx, 'department_liaison', COUNTY_X, world.orgs.D1);
    const registered = world.people[0]!; // of HA, village A (county X)
    const inY = world.people.find((x) => x.idNumber.startsWith(COUNTY_Y))!;
    const unknown = makeResidentId(COUNTY_X, '1961-03-04', 991);
    const send = (idNumber: string, recordId: string, kind = 'serious_illness', occurredOn = '2026-11-20'): Promise<LightMyRequestResponse> =>
      liaison.request('POST', '/api/v1/feeds/events', { rows: [{ recordId, kind, idNumber, occurredOn }] });
    const shape = (r: LightMyRequestResponse): Record<string, unknown> => {
      const { batchId, ...rest } = r.json<{ batchId: string | null }>();
      return { status: r.statusCode, batch: batchId === null ? null : 'a batch', ...rest };
    };
    // A death the registry will hold, then cases to compare.
    const dying = world.people[1]!; // HA's second member
    expect((await send(dying.idNumber, 'd-0', 'death', '2026-11-10')).statusCode).toBe(201);
    const answers = [
      await send(registered.idNumber, 'r-1'),
      await send(unknown, 'r-2'),
      await send(inY.idNumber, 'r-3'),
      await send(dying.idNumber, 'r-4', 'death', '2026-11-12'),
    ];
    const first = shape(answers[0]!);
    expect(first).toMatchObject({ status: 201, batch: 'a batch', rows: 1, received: 1, alreadyApplied: 0, applied: null, unchanged: null, notApplied: null });
    for (const a of answers) expect(shape(a)).toEqual(first);
    for (const a of answers) expect(a.body).not.toMatch(/\d{17}[\dX]/);
    // Sent again: skipped alike.
    const again = [await send(registered.idNumber, 'r-1'), await send(unknown, 'r-2'), await send(inY.idNumber, 'r-3')];
    for (const a of again) expect(shape(a)).toEqual({ ...first, batch: null, received: 0, alreadyApplied: 1 });
    // Only the registered person in the area was changed; the death date stayed the first one.
    const members = await p.ctx.db.selectFrom('members').select(['id_number', 'serious_illness', 'deceased_on']).where('id_number', 'in', [registered.idNumber, inY.idNumber, dying.idNumber]).execute();
    const of = (id: string) => members.find((m) => m.id_number === id)!;
    expect([of(registered.idNumber).serious_illness, of(inY.idNumber).serious_illness, of(dying.idNumber).deceased_on]).toEqual([true, false, '2026-11-10']);
    // Civil-affairs staff, who may read the registry of their area, are told the counts.
    const county = await signInAs(app, p.ctx, 'county_officer', COUNTY_X);
    const staff = await county.request('POST', '/api/v1/feeds/events', { source: 'health', rows: [
      { recordId: 's-1', kind: 'serious_illness', idNumber: world.people[2]!.idNumber, occurredOn: '2026-11-20' },
      { recordId: 's-2', kind: 'serious_illness', idNumber: unknown, occurredOn: '2026-11-20' },
    ] });
    expect(staff.statusCode, staff.body).toBe(201);
    expect(staff.json()).toMatchObject({ source: 'health', rows: 2, received: 2, applied: 1, notApplied: 1 });
  });

  it('a feed’s source is the caller’s organisation, not the body; record ids are unique per source', async () => {
    const d1 = await signInAs(app, p.ctx, 'department_liaison', COUNTY_X, world.orgs.D1);
    const other = await signInAs(app, p.ctx, 'department_liaison', COUNTY_X, world.orgs.O3);
    const recordId = `shared-${randomUUID().slice(0, 8)}`;
    const row = { recordId, kind: 'fire', idNumber: world.people[0]!.idNumber, occurredOn: '2026-11-21' };
    const a = await d1.request('POST', '/api/v1/feeds/events', { source: 'public_security', rows: [row] });
    expect(a.statusCode, a.body).toBe(201);
    const sourceOf = (org: string): string => `org_${org.replace(/-/g, '')}`;
    expect(a.json()).toMatchObject({ source: sourceOf(world.orgs.D1), received: 1 });
    // Another organisation's record with the same id is its own record, not a repeat of D1's.
    const b = await other.request('POST', '/api/v1/feeds/events', { source: 'public_security', rows: [row] });
    expect(b.json()).toMatchObject({ source: sourceOf(world.orgs.O3), received: 1, alreadyApplied: 0 });
    const kept = await p.ctx.db.selectFrom('feed_records').select('source_dept').where('record_id', '=', recordId).orderBy('source_dept').execute();
    expect(kept.map((k) => k.source_dept).sort()).toEqual([sourceOf(world.orgs.D1), sourceOf(world.orgs.O3)].sort());
    const fires = await p.ctx.db.selectFrom('emergency_events').select('source_dept').where('household_id', '=', world.households.HA).where('occurred_on', '=', '2026-11-21').execute();
    expect(fires.map((f) => f.source_dept).sort()).toEqual([sourceOf(world.orgs.D1), sourceOf(world.orgs.O3)].sort());
    // Sent again by D1: skipped.
    expect((await d1.request('POST', '/api/v1/feeds/events', { rows: [row] })).json()).toMatchObject({ received: 0, alreadyApplied: 1 });
  });
});
