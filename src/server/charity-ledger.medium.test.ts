/**
 * Charity help and the benefit ledger, over HTTP on PGlite and PostgreSQL:
 *
 * - a delivered referral enters the household's ledger in the delivery's transaction (source
 *   zhongfu-charity, record id referral-<id>, linked to the head, the organisation as provider)
 *   and the duplicate-assistance check sees it: charity education / medical help on top of
 *   government assistance for the same need, together over the cap → over_cap;
 * - a project's budget counts what was delivered: a delivery below the cost frees budget for one
 *   more place in the next run when the budget, not the capacity, binds.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { buildServer } from './app.js';
import type { Platform } from '../app/setup/open-platform.js';
import { runLedgerCheck } from '../app/ledger/check.js';
import { openTestPlatform, TEST_DB_KINDS } from '../../test/support/databases.js';
import { buildWorld, COUNTY_X, signInAs, VILLAGE_A, VILLAGE_B, type Person, type SecClient, type World } from '../../test/support/security-world.js';

const PERIOD = { startsOn: '2026-01-01', endsOn: '2026-12-31' };
const DELIVERED_ON = '2026-11-28';

interface Referral { id: string; householdId: string; projectId: string; category: string; status: string }
interface LedgerEntry {
  source: string; recordId: string; memberId: string | null; name: string; idNumber: string; programme: string; sector: string; needCategory: string;
  provider: string; providerName?: string | null; providerRegion: string; amountFen: number; inKind: boolean; periodStart: string; periodEnd: string; link: { method: string } | null;
}
interface Project { id: string; places: number; placesTaken: number; placesLeft: number; budgetReservedFen: number; budgetUsedFen: number; budgetRemainingFen: number }
interface Run { matched: number; projectUse: { projectId: string; places: number; used: number; limitedBy: string }[]; results: { needId: string; projectId: string | null; explanation: { reason: string } }[] }

describe.each(TEST_DB_KINDS)('charity deliveries in the ledger, budget by delivered amount, on %s', (kind) => {
  let p: Platform;
  let app: FastifyInstance;
  let world: World;
  let charity: SecClient;
  let coord: SecClient;
  let auditor: SecClient;

  const ok = async <T>(r: Promise<LightMyRequestResponse>, status = 200): Promise<T> => {
    const res = await r;
    expect(res.statusCode, res.body).toBe(status);
    return res.json<T>();
  };
  const publish = async (body: Record<string, unknown>): Promise<string> => {
    const { id } = await ok<{ id: string }>(charity.request('POST', '/api/v1/charity/projects', { description: '', eligibility: { regionCode: COUNTY_X }, ...PERIOD, ...body }), 201);
    await ok(charity.request('POST', `/api/v1/charity/projects/${id}/actions`, { type: 'submit' }));
    await ok(coord.request('POST', `/api/v1/charity/projects/${id}/actions`, { type: 'approve' }));
    await ok(charity.request('POST', `/api/v1/charity/projects/${id}/actions`, { type: 'publish' }));
    return id;
  };
  const addNeed = (hid: string, category: string, severity: number): Promise<{ id: string }> =>
    ok(world.officer.request('POST', `/api/v1/households/${hid}/needs`, { category, severity, finding: '入户核实' }), 201);
  const referrals = async (): Promise<Referral[]> => (await ok<{ items: Referral[] }>(charity.request('GET', '/api/v1/charity/referrals'))).items;
  const project = (id: string): Promise<Project> => ok(charity.request('GET', `/api/v1/charity/projects/${id}`));
  const run = (): Promise<Run> => ok(coord.request('POST', '/api/v1/charity/matching-runs', {}), 201);

  beforeAll(async () => {
    p = await openTestPlatform(kind);
    app = await buildServer(p.ctx, { webDist: '/nonexistent', rateLimit: false, loginRateLimit: false });
    world = await buildWorld(app, p.ctx);
    charity = await signInAs(app, p.ctx, 'charity_staff', COUNTY_X, world.orgs.O1);
    coord = await signInAs(app, p.ctx, 'consortium_coordinator', COUNTY_X);
    auditor = await signInAs(app, p.ctx, 'auditor', COUNTY_X);
  });
  afterAll(async () => {
    await app.close();
    await p.close();
  });

  it('a delivered education / medical referral enters the household ledger and, with government help over the cap, is an over_cap finding', async () => {
    const pupil = await world.createHousehold(VILLAGE_A, 2);
    const patient = await world.createHousehold(VILLAGE_B, 1);
    const heads: Record<string, { id: string; person: Person }> = {
      [pupil.id]: { id: pupil.headId, person: pupil.members[0]! },
      [patient.id]: { id: patient.headId, person: patient.members[0]! },
    };
    // Government assistance already in the ledger: education 4,000 yuan of a 6,000 yuan school cost;
    // medical 4,000 yuan of a 5,000 yuan bill (the cap ratio is 1.0).
    const gov = (h: { members: Person[] }, recordId: string, programme: string, amountFen: number, basisFen: number, periodStart: string, periodEnd: string) => ({
      recordId, idNumber: h.members[0]!.idNumber, name: h.members[0]!.name, programme, amountFen, basisFen, periodStart, periodEnd,
    });
    expect(await ok(world.officer.request('POST', '/api/v1/ledger/imports', { source: 'education', rows: [gov(pupil, 'edu-1', 'education', 400_000, 600_000, '2026-09-01', '2027-01-31')] }), 201)).toMatchObject({ linkedExact: 1 });
    expect(await ok(world.officer.request('POST', '/api/v1/ledger/imports', { source: 'healthcare_security', rows: [gov(patient, 'med-1', 'medical', 400_000, 500_000, '2026-11-01', '2026-11-30')] }), 201)).toMatchObject({ linkedExact: 1 });
    // Nobody may import as the platform's charity side.
    const reserved = await world.officer.request('POST', '/api/v1/ledger/imports', { source: 'zhongfu-charity', rows: [gov(pupil, 'x-1', 'education', 1, 1, '2026-09-01', '2026-09-01')] });
    expect(reserved.statusCode).toBe(400);
    expect(reserved.json<{ error: { field: string } }>().error.field).toBe('source');

    const projectId = await publish({ title: '助学助医', categories: ['education', 'medical'], capacity: 2, budgetFen: 600_000, costPerBeneficiaryFen: 300_000 });
    await addNeed(pupil.id, 'education', 3);
    await addNeed(patient.id, 'medical', 3);
    expect((await run()).matched).toBe(2);
    const refs = (await referrals()).filter((r) => r.projectId === projectId);
    expect(refs.map((r) => r.category).sort()).toEqual(['education', 'medical']);
    for (const r of refs) await ok(charity.request('POST', `/api/v1/charity/referrals/${r.id}/decision`, { decision: 'accept', reason: '符合资助条件' }));
    const edu = refs.find((r) => r.category === 'education')!;
    const med = refs.find((r) => r.category === 'medical')!;
    await ok(charity.request('POST', `/api/v1/charity/referrals/${edu.id}/delivery`, { deliveredOn: DELIVERED_ON, amountFen: 300_000 }));
    await ok(charity.request('POST', `/api/v1/charity/referrals/${med.id}/delivery`, { deliveredOn: DELIVERED_ON, amountFen: 200_000, items: '药品' }));
    // Delivering again is refused and writes nothing more.
    expect((await charity.request('POST', `/api/v1/charity/referrals/${edu.id}/delivery`, { deliveredOn: DELIVERED_ON, amountFen: 300_000 })).statusCode).toBe(400);
    const rows = await p.ctx.db.selectFrom('ledger_entries').select(['record_id', 'batch_id']).where('source_dept', '=', 'zhongfu-charity').execute();
    expect(rows.map((r) => r.record_id).sort()).toEqual([`referral-${edu.id}`, `referral-${med.id}`].sort());
    expect(await p.ctx.db.selectFrom('import_batches').select(['kind', 'row_count']).where('id', '=', rows[0]!.batch_id).executeTakeFirst()).toEqual({ kind: 'charity_delivery', row_count: 1 });

    // The household's ledger (一户一条救助链) shows the delivery next to the government record, masked.
    const ledgerRes = await world.officer.request('GET', `/api/v1/households/${pupil.id}/ledger`);
    expect(ledgerRes.statusCode, ledgerRes.body).toBe(200);
    const ledger = ledgerRes.json<{ entries: LedgerEntry[]; totals: { governmentFen: number; charityFen: number } }>();
    const entry = ledger.entries.find((e) => e.source === 'zhongfu-charity')!;
    expect(entry).toMatchObject({
      recordId: `referral-${edu.id}`, memberId: heads[pupil.id]!.id, programme: 'charity_project', sector: 'charity', needCategory: 'education',
      provider: `org-${world.orgs.O1}`, providerRegion: COUNTY_X, amountFen: 300_000, inKind: false, periodStart: DELIVERED_ON, periodEnd: DELIVERED_ON, link: { method: 'exact_id' },
    });
    expect(entry.providerName).toMatch(/^慈善会-/);
    expect(entry.name).toMatch(/\*/);
    expect(ledger.totals).toEqual({ governmentFen: 400_000, charityFen: 300_000 });
    for (const person of [...pupil.members, ...patient.members]) {
      expect(ledgerRes.body).not.toContain(person.idNumber);
      expect(ledgerRes.body).not.toContain(person.name);
    }
    const medLedger = await ok<{ entries: LedgerEntry[] }>(world.officer.request('GET', `/api/v1/households/${patient.id}/ledger`));
    expect(medLedger.entries.find((e) => e.source === 'zhongfu-charity')).toMatchObject({ needCategory: 'medical', amountFen: 200_000, inKind: true, memberId: heads[patient.id]!.id });

    // The on-demand check (the auditor's area) raises over_cap for both households.
    const check = await ok<{ raised: number; byKind: Record<string, number> }>(auditor.request('POST', '/api/v1/ledger/check'));
    expect(check.byKind.over_cap).toBe(2);
    const findings = (await ok<{ items: { id: string; householdId: string; needCategory: string; totalFen: number; excessFen: number; entryCount: number }[] }>(
      auditor.request('GET', '/api/v1/ledger/findings?kind=over_cap'))).items;
    expect(findings.find((f) => f.householdId === pupil.id)).toMatchObject({ needCategory: 'education', totalFen: 700_000, excessFen: 100_000, entryCount: 2 });
    expect(findings.find((f) => f.householdId === patient.id)).toMatchObject({ needCategory: 'medical', totalFen: 600_000, excessFen: 100_000, entryCount: 2 });
    const detail = await ok<{ entries: LedgerEntry[] }>(auditor.request('GET', `/api/v1/ledger/findings/${findings.find((f) => f.householdId === pupil.id)!.id}`));
    expect(detail.entries.map((e) => e.source).sort()).toEqual(['education', 'zhongfu-charity']);
    // The nightly cycle's check (whole province) sees the same findings and raises nothing new.
    const nightly = await runLedgerCheck(p.ctx, null);
    expect(nightly.byKind.over_cap).toBe(2);
    expect(nightly.raised).toBe(0);
  });

  it('a delivery below the cost frees budget: one more place in the next run when the budget binds; a decline frees its reservation', async () => {
    // Capacity 5, budget for 2 beneficiaries at 1,000 yuan: the budget binds.
    const projectId = await publish({ title: '安居修缮', categories: ['housing'], capacity: 5, budgetFen: 200_000, costPerBeneficiaryFen: 100_000 });
    expect(await project(projectId)).toMatchObject({ places: 2, placesTaken: 0, placesLeft: 2, budgetReservedFen: 0, budgetUsedFen: 0, budgetRemainingFen: 200_000 });
    const hs = [await world.createHousehold(VILLAGE_A, 1), await world.createHousehold(VILLAGE_A, 1), await world.createHousehold(VILLAGE_B, 1)];
    const needs = [await addNeed(hs[0]!.id, 'housing', 3), await addNeed(hs[1]!.id, 'housing', 3), await addNeed(hs[2]!.id, 'housing', 1)];

    const run1 = await run();
    expect(run1.projectUse.find((u) => u.projectId === projectId)).toMatchObject({ places: 2, used: 2, limitedBy: 'budget' });
    expect(run1.results.find((r) => r.needId === needs[2]!.id)).toMatchObject({ projectId: null, explanation: { reason: 'capacity-taken' } });
    expect(await project(projectId)).toMatchObject({ places: 2, placesTaken: 2, placesLeft: 0, budgetReservedFen: 200_000, budgetUsedFen: 0, budgetRemainingFen: 0 });

    // Both delivered at 500 yuan: 1,000 yuan of the budget comes back.
    const first = (await referrals()).filter((r) => r.projectId === projectId);
    expect(first).toHaveLength(2);
    for (const r of first) {
      await ok(charity.request('POST', `/api/v1/charity/referrals/${r.id}/decision`, { decision: 'accept', reason: '符合资助条件' }));
      await ok(charity.request('POST', `/api/v1/charity/referrals/${r.id}/delivery`, { deliveredOn: DELIVERED_ON, amountFen: 50_000, items: '瓦片' }));
    }
    expect(await project(projectId)).toMatchObject({ places: 3, placesTaken: 2, placesLeft: 1, budgetReservedFen: 0, budgetUsedFen: 100_000, budgetRemainingFen: 100_000 });

    // The next run gives the freed place to the third need (before: no budget left, no place).
    const run2 = await run();
    expect(run2.projectUse.find((u) => u.projectId === projectId)).toMatchObject({ places: 1, used: 1, limitedBy: 'budget' });
    expect(run2.results.find((r) => r.needId === needs[2]!.id)?.projectId).toBe(projectId);
    expect(await project(projectId)).toMatchObject({ places: 3, placesTaken: 3, placesLeft: 0, budgetReservedFen: 100_000, budgetUsedFen: 100_000, budgetRemainingFen: 0 });

    // Budget and capacity hold: reserved + used ≤ budget, taken ≤ capacity.
    const live = await p.ctx.db.selectFrom('charity_referrals').select(['status', 'amount_fen']).where('project_id', '=', projectId).where('status', 'in', ['proposed', 'accepted', 'delivered']).execute();
    expect(live.length).toBeLessThanOrEqual(5);
    expect(live.reduce((t, r) => t + (r.status === 'delivered' ? r.amount_fen! : 100_000), 0)).toBeLessThanOrEqual(200_000);

    // A declined referral reserves nothing: its place and budget are free again.
    const third = (await referrals()).find((r) => r.projectId === projectId && r.status === 'proposed')!;
    await ok(charity.request('POST', `/api/v1/charity/referrals/${third.id}/decision`, { decision: 'decline', reason: '超出服务能力' }));
    expect(await project(projectId)).toMatchObject({ places: 3, placesTaken: 2, placesLeft: 1, budgetReservedFen: 0, budgetUsedFen: 100_000, budgetRemainingFen: 100_000 });
  });
});
