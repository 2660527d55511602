/**
 * Scope follows the household (ADR 0007): after a household moves to another township or county,
 * its alerts, needs, findings and referrals are read by the new area's users and no longer by the
 * old area's — through the HTTP API, as real users with township and county scopes.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { openTestPlatform, TEST_DB_KINDS } from '../../test/support/databases.js';
import { COUNTY_X, signInAs, TOWNSHIP_A, VILLAGE_A, VILLAGE_B, type SecClient } from '../../test/support/security-world.js';
import { insertReferral } from '../../test/support/charity-fixtures.js';
import { buildServer } from './app.js';
import type { Platform } from '../app/setup/open-platform.js';
import { runLedgerCheck } from '../app/ledger/check.js';

const TOWNSHIP_B = VILLAGE_B.slice(0, 9);
/** Another county of X's city (杭州 余杭区): a city officer may move a household there. */
const COUNTY_Z = '330110';

interface Listed { items: { householdId: string; regionCode: string }[] }

describe.each(TEST_DB_KINDS)('scope follows the household, on %s', (kind) => {
  let p: Platform;
  let app: FastifyInstance;
  let villageZ = '';
  let householdId = '';
  let findingId = '';
  const u: Record<string, SecClient> = {};

  /** Moves the household with a PATCH as the given user (sending the ETag back when the server gives one). */
  const move = async (who: SecClient, regionCode: string): Promise<void> => {
    const got = await who.request('GET', `/api/v1/households/${householdId}`);
    expect(got.statusCode, got.body).toBe(200);
    const etag = got.headers.etag;
    const r = await who.request('PATCH', `/api/v1/households/${householdId}`, { regionCode }, typeof etag === 'string' ? { headers: { 'if-match': etag } } : {});
    expect(r.statusCode, r.body).toBe(200);
    expect(r.json<{ regionCode: string }>().regionCode).toBe(regionCode);
  };
  const alertsOf = async (who: SecClient): Promise<Listed['items']> =>
    (await who.request('GET', '/api/v1/alerts?pageSize=200')).json<Listed>().items.filter((a) => a.householdId === householdId);
  const findingsOf = async (who: SecClient): Promise<Listed['items']> =>
    (await who.request('GET', '/api/v1/ledger/findings?pageSize=200')).json<Listed>().items.filter((a) => a.householdId === householdId);
  const boardOf = async (who: SecClient): Promise<Listed['items']> =>
    (await who.request('GET', '/api/v1/charity/needs')).json<Listed>().items.filter((a) => a.householdId === householdId);
  const referralsOf = async (who: SecClient): Promise<Listed['items']> =>
    (await who.request('GET', '/api/v1/charity/referrals')).json<Listed>().items.filter((a) => a.householdId === householdId);
  const redIn = async (who: SecClient, region: string, area: string): Promise<number> =>
    (await who.request('GET', `/api/v1/monitoring/overview?region=${region}`)).json<{ areas: { code: string; red: number }[] }>().areas.find((a) => a.code === area)?.red ?? -1;

  beforeAll(async () => {
    p = await openTestPlatform(kind, '2026-11-29');
    app = await buildServer(p.ctx, { webDist: '/nonexistent', rateLimit: false });
    const township = p.ctx.regions.children(COUNTY_Z)[0]!;
    villageZ = p.ctx.regions.children(township.code)[0]!.code;
    const orgId = randomUUID();
    await p.ctx.db.insertInto('organisations').values({ id: orgId, name: '测试慈善会', kind: 'charity', credit_code: null, region_code: COUNTY_X }).execute();
    // A household of village A with a planned need and its referral, an open alert, a ledger finding.
    const referralId = await insertReferral(p.ctx, orgId, VILLAGE_A, 'proposed');
    householdId = (await p.ctx.db.selectFrom('charity_referrals').select('household_id').where('id', '=', referralId).executeTakeFirstOrThrow()).household_id;
    await p.ctx.db.insertInto('alerts').values({
      id: randomUUID(), household_id: householdId, region_code: VILLAGE_A, cause: 'risk', level: 'red', status: 'new', assignee_id: null, raised_on: '2026-11-29', due_on: '2026-12-06',
      escalated: false, outcome: null, closing_reason: null, reasons: '{}', run_id: null,
    }).execute();
    const head = await p.ctx.db.selectFrom('members').select(['id', 'id_number', 'name']).where('household_id', '=', householdId).executeTakeFirstOrThrow();
    await p.ctx.db.updateTable('members').set({ deceased_on: '2026-01-31' }).where('id', '=', head.id).execute();
    const batchId = randomUUID();
    await p.ctx.db.insertInto('import_batches').values({ id: batchId, source_dept: 'civil_affairs', kind: 'ledger', row_count: 1, note: null }).execute();
    await p.ctx.db.insertInto('ledger_entries').values({
      id: randomUUID(), source_dept: 'civil_affairs', record_id: 'r1', batch_id: batchId, household_id: householdId, member_id: head.id, link_status: 'linked', link_method: 'exact_id',
      link_probability: 1, link_explanation: null, id_number: head.id_number, name: head.name, programme: 'temporary', need_category: 'temporary', provider: '西湖区民政局',
      provider_region: COUNTY_X, amount_fen: 50_000, in_kind: false, basis_fen: null, period_start: '2026-03-01', period_end: '2026-03-31',
    }).execute();
    // The nightly check (whole province) raises the finding while the household is in village A.
    expect((await runLedgerCheck(p.ctx, null)).raised).toBe(1);
    findingId = (await p.ctx.db.selectFrom('ledger_findings').select('id').where('household_id', '=', householdId).executeTakeFirstOrThrow()).id;

    u.workerA = await signInAs(app, p.ctx, 'township_worker', TOWNSHIP_A);
    u.workerB = await signInAs(app, p.ctx, 'township_worker', TOWNSHIP_B);
    u.countyX = await signInAs(app, p.ctx, 'county_officer', COUNTY_X);
    u.countyZ = await signInAs(app, p.ctx, 'county_officer', COUNTY_Z);
    u.coordX = await signInAs(app, p.ctx, 'consortium_coordinator', COUNTY_X);
    u.coordZ = await signInAs(app, p.ctx, 'consortium_coordinator', COUNTY_Z);
    u.auditorZ = await signInAs(app, p.ctx, 'auditor', COUNTY_Z);
    u.city = await signInAs(app, p.ctx, 'city_officer', '3301');
  });
  afterAll(async () => {
    await app.close();
    await p.close();
  });

  it('before the move: village A’s township and county read them', async () => {
    expect(await alertsOf(u.workerA!)).toHaveLength(1);
    expect(await alertsOf(u.workerB!)).toHaveLength(0);
    expect(await findingsOf(u.countyX!)).toHaveLength(1);
    expect(await boardOf(u.coordX!)).toHaveLength(1);
    expect(await redIn(u.countyX!, COUNTY_X, TOWNSHIP_A)).toBe(1);
  });

  it('a move to another township of the county: the new township’s worker sees the alert, the old one’s no longer does', async () => {
    await move(u.countyX!, VILLAGE_B);
    expect(await alertsOf(u.workerA!)).toHaveLength(0);
    const b = await alertsOf(u.workerB!);
    expect(b.map((a) => a.regionCode)).toEqual([VILLAGE_B]);
    // The overview counts it where the household lives now.
    expect(await redIn(u.countyX!, COUNTY_X, TOWNSHIP_A)).toBe(0);
    expect(await redIn(u.countyX!, COUNTY_X, TOWNSHIP_B)).toBe(1);
    expect(await redIn(u.workerA!, TOWNSHIP_A, VILLAGE_A)).toBe(0);
    expect(await redIn(u.workerB!, TOWNSHIP_B, VILLAGE_B)).toBe(1);
  });

  it('a move to another county: alerts, needs, findings and referrals go with it', async () => {
    await move(u.city!, villageZ);
    // The old county's users: nothing of the household any more.
    expect(await alertsOf(u.workerB!)).toHaveLength(0);
    expect(await alertsOf(u.countyX!)).toHaveLength(0);
    expect(await findingsOf(u.countyX!)).toHaveLength(0);
    expect(await boardOf(u.coordX!)).toHaveLength(0);
    expect(await referralsOf(u.coordX!)).toHaveLength(0);
    const oldRead = await u.countyX!.request('GET', `/api/v1/ledger/findings/${findingId}`);
    const missing = await u.countyX!.request('GET', `/api/v1/ledger/findings/${randomUUID()}`);
    expect([oldRead.statusCode, oldRead.body]).toEqual([missing.statusCode, missing.body]);
    // The new county's users: all of it, shown in the household's new village.
    expect((await alertsOf(u.countyZ!)).map((a) => a.regionCode)).toEqual([villageZ]);
    expect((await findingsOf(u.countyZ!)).map((a) => a.regionCode)).toEqual([villageZ]);
    expect((await boardOf(u.coordZ!)).map((a) => a.regionCode)).toEqual([villageZ]);
    expect(await referralsOf(u.coordZ!)).toHaveLength(1);
    const read = await u.countyZ!.request('GET', `/api/v1/ledger/findings/${findingId}`);
    expect(read.statusCode, read.body).toBe(200);
    expect(read.json<{ regionCode: string }>().regionCode).toBe(villageZ);
  });

  it('the new county’s check finds the finding that moved in: nothing raised twice', async () => {
    const r = await u.auditorZ!.request('POST', '/api/v1/ledger/check', {});
    expect(r.statusCode, r.body).toBe(200);
    expect(r.json()).toMatchObject({ detected: 1, raised: 0 });
    const all = await p.ctx.db.selectFrom('ledger_findings').select('id').where('household_id', '=', householdId).execute();
    expect(all.map((f) => f.id)).toEqual([findingId]);
  });
});
