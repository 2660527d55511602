import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { openTestPlatform, TEST_DB_KINDS } from '../../test/support/databases.js';
import { signIn, type Client } from '../../test/support/http.js';
import { buildServer } from './app.js';
import type { Platform } from '../app/setup/open-platform.js';
import { loadDemo } from '../app/setup/load-demo.js';
import { classifyAll } from '../app/classification/classify-all.js';
import { runMonitoring } from '../app/monitoring/run-monitoring.js';

describe.each(TEST_DB_KINDS)('alerts that close, on %s', (kind) => {
  let p: Platform;
  let app: FastifyInstance;
  let worker: Client;
  let county = '';
  beforeAll(async () => {
    p = await openTestPlatform(kind, '2026-11-29');
    await loadDemo(p.ctx, { households: 400, seed: 5, asOf: '2026-11-29' });
    await classifyAll(p.ctx, { asOf: '2026-11-29' });
    await runMonitoring(p.ctx, { asOf: '2026-11-29' });
    const c = await p.ctx.db.selectFrom('alerts').select('region_code').where('level', '=', 'red').orderBy('id').limit(1).executeTakeFirstOrThrow();
    county = c.region_code.slice(0, 6);
    app = await buildServer(p.ctx, { webDist: '/nonexistent', rateLimit: false });
    worker = await signIn(app, p.ctx, 'county_officer', county);
  });
  afterAll(async () => {
    await app.close();
    await p.close();
  });

  it('inbox → red alert → visit → resolve; the overview and history follow', async () => {
    const inbox = (await worker.request('GET', '/api/v1/alerts?level=red&status=open')).json<{ items: { id: string; householdId: string; regionCode: string; status: string }[]; total: number }>();
    expect(inbox.total).toBeGreaterThan(0);
    expect(inbox.items.every((a) => a.regionCode.startsWith(county))).toBe(true);
    const alert = inbox.items[0]!;
    const ov = await worker.request('GET', `/api/v1/monitoring/overview?region=${county}`);
    expect(ov.statusCode, ov.body).toBe(200);
    const before = ov.json<{ areas: { code: string; red: number }[] }>();
    const area = before.areas.find((x) => alert.regionCode.startsWith(x.code))!;

    // Resolving before a visit is refused; a visit on the alert moves it to visiting.
    const early = await worker.request('POST', `/api/v1/households/${alert.householdId}/alerts/${alert.id}/actions`, { type: 'resolve', outcome: 'no_need' });
    expect(early.statusCode).toBe(400);
    expect(early.json<{ error: { message: string } }>().error.message).toBe('type: an alert is resolved after a visit');
    const visit = await worker.request('POST', `/api/v1/households/${alert.householdId}/visits`, { visitedOn: '2026-11-29', findings: ['unsafe_housing'], notes: '屋顶漏水', alertId: alert.id });
    expect(visit.statusCode).toBe(201);
    const resolved = await worker.request('POST', `/api/v1/households/${alert.householdId}/alerts/${alert.id}/actions`, { type: 'resolve', outcome: 'referred' });
    expect(resolved.statusCode).toBe(200);
    expect(resolved.json()).toMatchObject({ status: 'resolved', outcome: 'referred' });
    // Closed: no further visit on it, no other action.
    const late = await worker.request('POST', `/api/v1/households/${alert.householdId}/visits`, { visitedOn: '2026-11-29', findings: ['none'], alertId: alert.id });
    expect(late.statusCode).toBe(400);
    expect(late.json<{ error: { field: string } }>().error.field).toBe('alertId');

    const after = (await worker.request('GET', `/api/v1/monitoring/overview?region=${county}`)).json<{ areas: { code: string; red: number }[] }>();
    expect(after.areas.find((x) => x.code === area.code)!.red).toBe(area.red - 1);
    const history = (await worker.request('GET', `/api/v1/households/${alert.householdId}/monitoring`)).json<{ history: { asOf: string }[]; alerts: { id: string; events: { action: string }[] }[]; visits: unknown[] }>();
    expect(history.history.map((h) => h.asOf)).toEqual(['2026-11-29']);
    expect(history.alerts.find((a) => a.id === alert.id)!.events.map((e) => e.action)).toEqual(['visit', 'resolve']);
    expect(history.visits.length).toBeGreaterThan(0);
  });

  it('a dismissal needs a reason; an invalid action and notes with an ID number are refused; out of scope is not found', async () => {
    const a = (await worker.request('GET', '/api/v1/alerts?status=open&pageSize=1')).json<{ items: { id: string; householdId: string }[] }>().items[0]!;
    const noReason = await worker.request('POST', `/api/v1/households/${a.householdId}/alerts/${a.id}/actions`, { type: 'dismiss', reason: '' });
    expect(noReason.statusCode).toBe(400);
    const bad = await worker.request('POST', `/api/v1/households/${a.householdId}/alerts/${a.id}/actions`, { type: 'teleport' });
    expect(bad.statusCode).toBe(400);
    const pii = await worker.request('POST', `/api/v1/households/${a.householdId}/visits`, { visitedOn: '2026-11-29', findings: ['debt'], notes: '身份证 33010619800304123X' });
    expect(pii.statusCode).toBe(400);
    const other = await p.ctx.db.selectFrom('alerts').select(['id', 'household_id']).where('region_code', 'not like', `${county}%`).limit(1).executeTakeFirstOrThrow();
    const foreign = await worker.request('POST', `/api/v1/households/${other.household_id}/alerts/${other.id}/actions`, { type: 'start_visit' });
    const missing = await worker.request('POST', `/api/v1/households/01900000-0000-7000-8000-000000000000/alerts/${other.id}/actions`, { type: 'start_visit' });
    expect([foreign.statusCode, foreign.body]).toEqual([missing.statusCode, missing.body]);
  });

  it('a feed through the API: the household reads back with the feed’s department, and a bad row is named', async () => {
    const m = await p.ctx.db.selectFrom('members as m').innerJoin('households as h', 'h.id', 'm.household_id').select(['m.id_number', 'm.household_id'])
      .where('h.county_code', '=', county).where('m.deceased_on', 'is', null).orderBy('m.id').limit(1).executeTakeFirstOrThrow();
    const bad = await worker.request('POST', '/api/v1/feeds/events', { source: 'emergency', rows: [{ recordId: 'f1', kind: 'fire', idNumber: m.id_number, occurredOn: '2026-11-20' }, { recordId: 'f2', kind: 'flood', idNumber: m.id_number, occurredOn: '2026-11-20' }] });
    expect(bad.statusCode).toBe(400);
    expect(bad.json<{ error: { issues: { field: string }[] } }>().error.issues).toEqual([{ field: 'rows[2].kind', message: expect.any(String) as string }]);
    expect(bad.body).not.toContain(m.id_number);
    const ok = await worker.request('POST', '/api/v1/feeds/events', { source: 'emergency', rows: [{ recordId: 'f1', kind: 'fire', idNumber: m.id_number, occurredOn: '2026-11-20' }] });
    expect(ok.statusCode, ok.body).toBe(201);
    expect(ok.json()).toMatchObject({ applied: 1, alreadyApplied: 0 });
    const h = await worker.request('GET', `/api/v1/households/${m.household_id}`);
    expect(h.statusCode, h.body).toBe(200);
    expect(h.json<{ emergencies: { kind: string; sourceDept: string }[] }>().emergencies).toContainEqual(expect.objectContaining({ kind: 'fire', sourceDept: 'emergency' }));
  });
});
