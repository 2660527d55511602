/**
 * The charity flow end to end over HTTP, on PGlite and PostgreSQL: project → approve → publish →
 * needs → matching run → referral (masked) → accept / decline → delivery → need met → plan; and
 * the invariants: capacity and budget never exceeded, one project per household and category.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { buildServer } from './app.js';
import type { Platform } from '../app/setup/open-platform.js';
import { recordVisit } from '../app/monitoring/alerts.js';
import { openTestPlatform, TEST_DB_KINDS } from '../../test/support/databases.js';
import { buildWorld, COUNTY_X, signInAs, VILLAGE_A, type SecClient, type World } from '../../test/support/security-world.js';

const project = {
  title: '安居助困', description: '危房修缮', brand: '安居', categories: ['housing', 'care'],
  eligibility: { regionCode: COUNTY_X }, capacity: 5, budgetFen: 25_000_00, costPerBeneficiaryFen: 10_000_00, startsOn: '2026-01-01', endsOn: '2026-12-31',
};

describe.each(TEST_DB_KINDS)('charity flow on %s', (kind) => {
  let p: Platform;
  let app: FastifyInstance;
  let world: World;
  let charity: SecClient;
  let coord: SecClient;
  let projectId: string;

  beforeAll(async () => {
    p = await openTestPlatform(kind);
    app = await buildServer(p.ctx, { webDist: '/nonexistent', rateLimit: false, loginRateLimit: false });
    world = await buildWorld(app, p.ctx);
    charity = await signInAs(app, p.ctx, 'charity_staff', COUNTY_X, world.orgs.O1);
    coord = await signInAs(app, p.ctx, 'consortium_coordinator', COUNTY_X);
    // Unsafe housing found in the three county-X households shared with O1, and in county Y's.
    for (const hid of [world.households.HA, world.households.HA2, world.households.HB, world.households.HY]) {
      await recordVisit(p.ctx, world.officer.actor(), hid, { visitedOn: '2026-11-20', findings: ['unsafe_housing'] });
    }
  });
  afterAll(async () => {
    await app.close();
    await p.close();
  });

  it('records the organisation as a recognised charity serving county X', async () => {
    const r = await world.secAdmin.request('PUT', `/api/v1/organisations/${world.orgs.O1}/charity`, { kind: 'foundation', recognisedCharity: true, regionsServed: [COUNTY_X] });
    expect(r.statusCode, r.body).toBe(200);
    expect((await charity.request('GET', '/api/v1/charity/profile')).json()).toMatchObject({ recognisedCharity: true, regionsServed: [COUNTY_X], kind: 'foundation' });
    expect((await world.secAdmin.request('PUT', `/api/v1/organisations/${world.orgs.D1}/charity`, { kind: 'foundation', recognisedCharity: true, regionsServed: [] })).statusCode).toBe(404);
  });

  it('refuses bad projects naming the field', async () => {
    const bad = async (over: Record<string, unknown>): Promise<string | undefined> => {
      const r = await charity.request('POST', '/api/v1/charity/projects', { ...project, ...over });
      expect(r.statusCode).toBe(400);
      return r.json<{ error: { field?: string } }>().error.field;
    };
    expect(await bad({ budgetFen: 9_999_00 })).toBe('budgetFen');
    expect(await bad({ endsOn: '2025-12-31' })).toBe('endsOn');
    expect(await bad({ eligibility: { regionCode: '330302' } })).toBe('eligibility.regionCode');
    expect((await coord.request('POST', '/api/v1/charity/projects', project)).statusCode).toBe(403);
  });

  it('project lifecycle: draft → submitted → approved (consortium) → published', async () => {
    const c = await charity.request('POST', '/api/v1/charity/projects', project);
    expect(c.statusCode, c.body).toBe(201);
    projectId = c.json<{ id: string; places: number }>().id;
    expect(c.json<{ places: number }>().places).toBe(2); // ⌊25,000 / 10,000⌋ < capacity 5
    // The coordinator does not see drafts.
    expect((await coord.request('GET', `/api/v1/charity/projects/${projectId}`)).statusCode).toBe(404);
    const act = (who: SecClient, type: string, reason?: string) => who.request('POST', `/api/v1/charity/projects/${projectId}/actions`, { type, ...(reason && { reason }) });
    expect((await act(charity, 'publish')).json<{ error: { field: string } }>().error.field).toBe('type');
    expect((await act(charity, 'submit')).json()).toMatchObject({ status: 'submitted' });
    expect((await act(charity, 'approve')).statusCode).toBe(400);
    expect((await act(coord, 'return')).json<{ error: { field: string } }>().error.field).toBe('reason');
    expect((await act(coord, 'approve')).json()).toMatchObject({ status: 'approved' });
    expect((await act(charity, 'publish')).json()).toMatchObject({ status: 'published' });
    expect((await charity.request('PATCH', `/api/v1/charity/projects/${projectId}`, { title: '改名' })).statusCode).toBe(400);
  });

  it('derives needs, runs the matching, proposes referrals masked, and the charity delivers; the plan shows it', async () => {
    const d = await coord.request('POST', '/api/v1/charity/needs/derive');
    expect(d.statusCode, d.body).toBe(200);
    expect(d.json<{ created: number }>().created).toBeGreaterThanOrEqual(3);
    const needs = (await world.officer.request('GET', `/api/v1/households/${world.households.HA}/needs`)).json<{ items: { category: string; severity: number; evidence: { rule: string; text: { zh: string; en: string } }[] }[] }>().items;
    expect(needs).toContainEqual(expect.objectContaining({ category: 'housing', severity: 3, evidence: [expect.objectContaining({ rule: 'visit.unsafe_housing' })] }));
    // The evidence text names the finding by its label, never its code.
    const housing = needs.find((n) => n.category === 'housing')!.evidence[0]!.text;
    expect(housing.zh).toMatch(/发现：住房不安全$/);
    expect(housing.en).toMatch(/found unsafe housing$/);
    // A second derivation changes nothing.
    expect((await coord.request('POST', '/api/v1/charity/needs/derive')).json()).toMatchObject({ created: 0, updated: 0, closed: 0 });

    const push = await coord.request('GET', `/api/v1/charity/projects/${projectId}/candidates`);
    expect(push.statusCode, push.body).toBe(200);
    expect(push.json<{ items: { eligible: boolean }[] }>().items.filter((c) => c.eligible).length).toBeGreaterThanOrEqual(3);

    const run = await coord.request('POST', '/api/v1/charity/matching-runs', {});
    expect(run.statusCode, run.body).toBe(201);
    const r = run.json<{ id: string; matched: number; objective: number; greedyObjective: number; status: string; results: { householdId: string; projectId: string | null; explanation: { reason: string; text: { en: string } } }[] }>();
    expect(r.status).toBe('optimal');
    expect(r.matched).toBe(2);
    expect(r.objective).toBeGreaterThanOrEqual(r.greedyObjective);
    const unmatched = r.results.filter((x) => x.projectId === null);
    expect(unmatched.length).toBeGreaterThanOrEqual(1);
    expect(unmatched.some((x) => x.explanation.reason === 'capacity-taken')).toBe(true);
    // County Y's household is not in county X's run.
    expect(r.results.map((x) => x.householdId)).not.toContain(world.households.HY);

    const refs = (await charity.request('GET', '/api/v1/charity/referrals')).json<{ items: { id: string; householdId: string; status: string; household: { members: { maskedName: string }[] } | null }[] }>().items;
    expect(refs).toHaveLength(2);
    for (const ref of refs) {
      expect(ref.household).not.toBeNull();
      for (const m of ref.household!.members) expect(m.maskedName).toMatch(/\*/);
    }
    const body = JSON.stringify(refs);
    for (const person of world.people) {
      expect(body).not.toContain(person.idNumber);
      expect(body).not.toContain(person.name);
    }
    // Another organisation's staff see none of them and cannot act on them.
    const other = await signInAs(app, p.ctx, 'charity_staff', COUNTY_X, world.orgs.O2);
    expect((await other.request('GET', '/api/v1/charity/referrals')).json<{ items: unknown[] }>().items).toHaveLength(0);
    expect((await other.request('POST', `/api/v1/charity/referrals/${refs[0]!.id}/decision`, { decision: 'accept', reason: '可以' })).statusCode).toBe(404);

    const [a, b] = refs;
    expect((await charity.request('POST', `/api/v1/charity/referrals/${a!.id}/delivery`, { deliveredOn: '2026-11-28', amountFen: 100 })).statusCode).toBe(400);
    expect((await charity.request('POST', `/api/v1/charity/referrals/${a!.id}/decision`, { decision: 'accept', reason: '符合资助条件' })).json()).toMatchObject({ status: 'accepted' });
    expect((await charity.request('POST', `/api/v1/charity/referrals/${b!.id}/decision`, { decision: 'decline', reason: '超出服务能力' })).json()).toMatchObject({ status: 'declined' });
    const tooMuch = await charity.request('POST', `/api/v1/charity/referrals/${a!.id}/delivery`, { deliveredOn: '2026-11-28', amountFen: 10_000_01 });
    expect(tooMuch.json<{ error: { field: string } }>().error.field).toBe('amountFen');
    const del = await charity.request('POST', `/api/v1/charity/referrals/${a!.id}/delivery`, { deliveredOn: '2026-11-28', amountFen: 8_000_00, items: '屋顶修缮', volunteerHours: 12 });
    expect(del.json()).toMatchObject({ status: 'delivered', amountFen: 8_000_00, volunteerHours: 12 });
    // The delivery (goods named: in kind) is in the household's benefit ledger.
    const ledger = (await world.officer.request('GET', `/api/v1/households/${a!.householdId}/ledger`)).json<{ entries: { source: string; recordId: string; needCategory: string; amountFen: number; inKind: boolean }[] }>();
    expect(ledger.entries).toContainEqual(expect.objectContaining({ source: 'zhongfu-charity', recordId: `referral-${a!.id}`, needCategory: 'housing', amountFen: 8_000_00, inKind: true }));
    const metNeeds = (await world.officer.request('GET', `/api/v1/households/${a!.householdId}/needs`)).json<{ items: { category: string; status: string }[] }>().items;
    expect(metNeeds.find((n) => n.category === 'housing')!.status).toBe('met');
    const reopened = (await world.officer.request('GET', `/api/v1/households/${b!.householdId}/needs`)).json<{ items: { category: string; status: string }[] }>().items;
    expect(reopened.find((n) => n.category === 'housing')!.status).toBe('open');

    // Second run: one place left (the delivered one holds its place and its 8,000 yuan: 17,000 yuan left, one beneficiary); the declined need is not proposed to the same project again.
    const run2 = (await coord.request('POST', '/api/v1/charity/matching-runs', {})).json<{ matched: number; results: { householdId: string; projectId: string | null }[] }>();
    expect(run2.matched).toBe(1);
    expect(run2.results.find((x) => x.householdId === b!.householdId)?.projectId ?? null).toBeNull();

    // Capacity and budget never exceeded; no household has two live referrals in one category.
    const live = await p.ctx.db.selectFrom('charity_referrals').selectAll().where('status', 'in', ['proposed', 'accepted', 'delivered']).execute();
    expect(live.filter((x) => x.project_id === projectId).length).toBeLessThanOrEqual(5);
    // Open referrals reserve the cost per beneficiary, delivered ones count what they delivered.
    expect(live.filter((x) => x.project_id === projectId).reduce((t, x) => t + (x.status === 'delivered' ? x.amount_fen! : 10_000_00), 0)).toBeLessThanOrEqual(25_000_00);
    expect((await charity.request('GET', `/api/v1/charity/projects/${projectId}`)).json()).toMatchObject({ placesTaken: 2, placesLeft: 0, budgetReservedFen: 10_000_00, budgetUsedFen: 8_000_00, budgetRemainingFen: 7_000_00 });
    const keys = live.map((x) => `${x.household_id}/${x.category}`);
    expect(new Set(keys).size).toBe(keys.length);

    // The plan shows the chain of help; a change writes a version.
    const put = await world.officer.request('PUT', `/api/v1/households/${a!.householdId}/plan`, {
      reviewOn: '2027-02-28', note: '首次制定', tasks: [{ id: 't1', department: '住建', task: '危房鉴定', dueOn: '2026-12-15', status: 'todo' }],
    });
    expect(put.statusCode, put.body).toBe(200);
    const plan = (await world.officer.request('GET', `/api/v1/households/${a!.householdId}/plan`)).json<{ version: number; referrals: { status: string; organisationName: string }[]; tasks: unknown[]; versions: unknown[] }>();
    expect(plan.version).toBe(1);
    expect(plan.referrals).toContainEqual(expect.objectContaining({ status: 'delivered' }));
    expect(plan.tasks).toHaveLength(1);
    expect(plan.versions).toHaveLength(1);
  });

  it('keeps worker-made needs and statuses on re-derivation; out of scope is not found', async () => {
    const hid = world.households.HB;
    const add = await world.officer.request('POST', `/api/v1/households/${hid}/needs`, { category: 'mental_care', severity: 2, finding: '情绪低落' });
    expect(add.statusCode, add.body).toBe(201);
    expect((await world.officer.request('POST', `/api/v1/households/${hid}/needs`, { category: 'mental_care', severity: 2, finding: '电话13912345678' })).json<{ error: { field: string } }>().error.field).toBe('finding');
    const closeIt = await world.officer.request('PATCH', `/api/v1/households/${hid}/needs/${add.json<{ id: string }>().id}`, { status: 'closed', reason: '已转介心理服务' });
    expect(closeIt.json()).toMatchObject({ status: 'closed', statusReason: '已转介心理服务' });
    await world.officer.request('POST', `/api/v1/households/${hid}/needs/derive`);
    const after = (await world.officer.request('GET', `/api/v1/households/${hid}/needs`)).json<{ items: { category: string; status: string; source: string }[] }>().items;
    expect(after).toContainEqual(expect.objectContaining({ category: 'mental_care', source: 'worker', status: 'closed' }));
    const worker = await signInAs(app, p.ctx, 'township_worker', '330106004');
    expect((await worker.request('GET', `/api/v1/households/${VILLAGE_A.length ? world.households.HA : ''}/needs`)).statusCode).toBe(404);
  });
});
