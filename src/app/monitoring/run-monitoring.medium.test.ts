import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { openTestPlatform, TEST_DB_KINDS } from '../../../test/support/databases.js';
import type { Platform } from '../setup/open-platform.js';
import { loadDemo } from '../setup/load-demo.js';
import { classifyAll } from '../classification/classify-all.js';
import { runMonitoring } from './run-monitoring.js';
import { newId } from '../new-id.js';
import { parseMembers } from '../../db/repositories/monitoring.repository.js';

describe.each(TEST_DB_KINDS)('monitoring run on %s', (kind) => {
  let p: Platform;
  beforeAll(async () => {
    p = await openTestPlatform(kind, '2026-11-29');
    await loadDemo(p.ctx, { households: 300, seed: 11, asOf: '2026-11-29' });
    await classifyAll(p.ctx, { asOf: '2026-11-29' });
  });
  afterAll(async () => p.close());

  const count = async (table: 'alerts' | 'risk_snapshots' | 'region_indices' | 'monitoring_runs'): Promise<number> =>
    (await p.ctx.db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirst())?.n ?? 0;

  it('scores every household, raises alerts, stores indices per region, and a re-run of the same date changes nothing', async () => {
    const first = await runMonitoring(p.ctx, { asOf: '2026-11-29', chunkSize: 70 });
    expect(first.households).toBe(300);
    expect(first.atRisk).toBeGreaterThan(0);
    expect(await count('risk_snapshots')).toBe(300);
    const alerts = await count('alerts');
    expect(alerts).toBe(first.alertsCreated);
    const province = await p.ctx.db.selectFrom('region_indices').selectAll().where('region_code', '=', '33').executeTakeFirstOrThrow();
    expect(province.households).toBe(300);
    expect(province.h).toBeCloseTo(first.atRisk / 300, 12);
    expect(province.m0).toBeCloseTo(province.h * province.a, 12);

    const again = await runMonitoring(p.ctx, { asOf: '2026-11-29' });
    expect(again).toMatchObject({ households: 0, skipped: 300, alertsCreated: 0, alertsUpdated: 0, escalated: 0 });
    expect(await count('alerts')).toBe(alerts);
    expect(await count('risk_snapshots')).toBe(300);
  });

  it('keeps one open alert per household and cause across dates, and raises a trigger on a change', async () => {
    const h = await p.ctx.db.selectFrom('households').select(['id', 'region_code']).orderBy('id').limit(1).executeTakeFirstOrThrow();
    const before = await p.ctx.db.selectFrom('alerts').select(['id', 'cause']).where('household_id', '=', h.id).execute();
    // A fire reported by a department feed after the first run.
    await p.ctx.db.insertInto('emergency_events').values({ id: newId(), household_id: h.id, kind: 'fire', occurred_on: '2026-12-05', source_dept: 'public_security', batch_id: null }).execute();
    const second = await runMonitoring(p.ctx, { asOf: '2026-12-10' });
    expect(second.households).toBe(300);
    const after = await p.ctx.db.selectFrom('alerts').select(['id', 'cause', 'level', 'reasons']).where('household_id', '=', h.id).execute();
    const fire = after.find((a) => a.cause === 'trigger:sudden_event');
    expect(fire).toMatchObject({ level: 'red' });
    expect(fire!.reasons).toMatchObject({ kind: 'sudden_event', to: 'fire', temporaryAssistance: true });
    // The risk alert of the first run is the same row, not a second one.
    const riskBefore = before.filter((a) => a.cause === 'risk').map((a) => a.id);
    const riskAfter = after.filter((a) => a.cause === 'risk').map((a) => a.id);
    expect(riskAfter).toEqual(riskBefore);
    const dupes = await sql<{ n: number }>`SELECT count(*)::int AS n FROM (SELECT household_id, cause FROM alerts WHERE status IN ('new','assigned','visiting') GROUP BY 1, 2 HAVING count(*) > 1) d`.execute(p.ctx.db);
    expect(dupes.rows[0]!.n).toBe(0);
    expect(await count('monitoring_runs')).toBe(3);
    // By 2026-12-10 the red (3 days) and orange (7 days) alerts of 2026-11-29 are overdue: escalated once, with an event.
    expect(second.escalated).toBeGreaterThan(0);
    const overdueOpen = await p.ctx.db.selectFrom('alerts').select((eb) => eb.fn.countAll<number>().as('n')).where('status', 'in', ['new', 'assigned', 'visiting']).where('due_on', '<', '2026-12-10').where('escalated', '=', false).executeTakeFirst();
    expect(overdueOpen?.n).toBe(0);
    const events = await p.ctx.db.selectFrom('alert_events').select((eb) => eb.fn.countAll<number>().as('n')).where('action', '=', 'escalate').executeTakeFirst();
    expect(events?.n).toBe(second.escalated);
  });

  it('a recent visit that found nothing takes the visits dimension off', async () => {
    const h = await p.ctx.db.selectFrom('risk_snapshots').select(['household_id', 'mask']).where('as_of', '=', '2026-12-10').where(sql<boolean>`mask & 32 <> 0`).orderBy('household_id').limit(1).executeTakeFirstOrThrow();
    await p.ctx.db.insertInto('visits').values({ id: newId(), household_id: h.household_id, alert_id: null, worker_id: null, visited_on: '2026-12-12', findings: ['none'], notes: null }).execute();
    await runMonitoring(p.ctx, { asOf: '2026-12-15' });
    const snap = await p.ctx.db.selectFrom('risk_snapshots').select('mask').where('household_id', '=', h.household_id).where('as_of', '=', '2026-12-15').executeTakeFirstOrThrow();
    expect(snap.mask & 32).toBe(0);
  });

  it('stores a state only when it moved: the next day adds few rows and raises no alert for a level that stayed', async () => {
    const rowsBefore = await count('risk_snapshots');
    const alertsBefore = await count('alerts');
    const next = await runMonitoring(p.ctx, { asOf: '2026-12-16' });
    expect(next.households).toBe(300);
    expect(next.changed).toBeLessThan(30);
    expect(await count('risk_snapshots')).toBe(rowsBefore + next.changed);
    // The members did not change: their text came back from no household, and each state stored
    // keeps the one of the state before it.
    expect(next.changed).toBeGreaterThan(0);
    const kept = await sql<{ n: number; same: number }>`
      SELECT count(*)::int AS n, count(*) FILTER (WHERE s.members_state = (
        SELECT q.members_state FROM risk_snapshots q WHERE q.household_id = s.household_id AND q.as_of < s.as_of ORDER BY q.as_of DESC LIMIT 1))::int AS same
      FROM risk_snapshots s WHERE s.as_of = '2026-12-16'`.execute(p.ctx.db);
    expect(kept.rows[0]).toEqual({ n: next.changed, same: next.changed });
    expect(next.alertsCreated + next.alertsUpdated).toBeLessThanOrEqual(next.changed);
    expect(await count('alerts')).toBe(alertsBefore + next.alertsCreated);
    // A dismissed risk alert stays closed while the household's level stays the same.
    const open = await p.ctx.db.selectFrom('alerts').select(['id', 'household_id']).where('cause', '=', 'risk').where('status', '=', 'new').orderBy('id').limit(1).executeTakeFirstOrThrow();
    await p.ctx.db.updateTable('alerts').set({ status: 'dismissed', closing_reason: 'checked by phone' }).where('id', '=', open.id).execute();
    await runMonitoring(p.ctx, { asOf: '2026-12-17' });
    const reopened = await p.ctx.db.selectFrom('alerts').select('id').where('household_id', '=', open.household_id).where('cause', '=', 'risk').where('status', 'in', ['new', 'assigned', 'visiting']).execute();
    expect(reopened).toEqual([]);
  });

  it('a run for the province skips the counties already run on that date', async () => {
    const county = (await p.ctx.db.selectFrom('households').select('county_code').orderBy('id').limit(1).executeTakeFirstOrThrow()).county_code;
    const inCounty = (await p.ctx.db.selectFrom('households').select((eb) => eb.fn.countAll<number>().as('n')).where('county_code', '=', county).executeTakeFirstOrThrow()).n;
    const one = await runMonitoring(p.ctx, { asOf: '2026-12-20', region: county });
    expect(one).toMatchObject({ households: inCounty, skipped: 0 });
    const all = await runMonitoring(p.ctx, { asOf: '2026-12-20' });
    expect(all).toMatchObject({ households: 300 - inCounty, skipped: inCounty });
    expect(await runMonitoring(p.ctx, { asOf: '2026-12-20', region: county })).toMatchObject({ households: 0, skipped: inCounty });
  });

  it('compares the members with the stored state: a change raises its trigger, also against a state stored as JSON only (before migration 0007)', async () => {
    // Two households with a working-age member; one's stored state predates the members_state column.
    const picks = await sql<{ household_id: string; id: string }>`
      SELECT DISTINCT ON (m.household_id) m.household_id, m.id FROM members m
      WHERE NOT m.serious_illness AND m.deceased_on IS NULL AND m.labour_capacity <> 'none'
      ORDER BY m.household_id, m.position LIMIT 2`.execute(p.ctx.db);
    const [a, b] = picks.rows;
    await runMonitoring(p.ctx, { asOf: '2026-12-21' });
    // A state as stored before migration 0007: what the triggers compare in a JSON snapshot only.
    const forget = async (): Promise<void> => {
      const s = await p.ctx.db.selectFrom('risk_snapshots').selectAll().where('household_id', '=', b!.household_id).orderBy('as_of', 'desc').limit(1).executeTakeFirstOrThrow();
      const members = parseMembers(s.members_state).map((m) => ({ id: m.id, disabilityGrade: m.disabilityGrade, seriousIllness: m.seriousIllness, labourCapacity: m.labourCapacity, deceased: m.deceased }));
      const snapshot = { asOf: s.as_of, householdIncomeFen: s.income_fen, wagesFen: s.wages_fen, recentMedicalFen: s.medical_fen, members, emergencies: s.emergencies };
      await p.ctx.db.updateTable('risk_snapshots').set({ snapshot: JSON.stringify(snapshot), members_state: null, income_fen: null, wages_fen: null, medical_fen: null, emergencies: null })
        .where('household_id', '=', b!.household_id).where('as_of', '=', s.as_of).execute();
    };
    await forget();
    const quiet = await runMonitoring(p.ctx, { asOf: '2026-12-22' });
    // A state with JSON members only is compared member by member (no trigger: nothing changed) and
    // stored again once, now with members_state; a state with equal members_state is not stored.
    const stored = (await p.ctx.db.selectFrom('risk_snapshots').select('household_id').where('as_of', '=', '2026-12-22').execute()).map((r) => r.household_id);
    expect(stored).toContain(b!.household_id);
    expect(stored).not.toContain(a!.household_id);
    expect(quiet.changed).toBeLessThan(30);
    expect(await p.ctx.db.selectFrom('alerts').select('id').where('household_id', 'in', [a!.household_id, b!.household_id]).where('raised_on', '=', '2026-12-22').execute()).toEqual([]);
    // Both fall ill; b's stored state is JSON-only again.
    for (const x of [a!, b!]) await p.ctx.db.updateTable('members').set({ serious_illness: true }).where('id', '=', x.id).execute();
    await forget();
    await runMonitoring(p.ctx, { asOf: '2026-12-23' });
    for (const x of [a!, b!]) {
      const alert = await p.ctx.db.selectFrom('alerts').select(['reasons', 'level']).where('household_id', '=', x.household_id).where('cause', '=', 'trigger:new_serious_illness').executeTakeFirstOrThrow();
      expect(alert.reasons).toMatchObject({ kind: 'new_serious_illness', memberId: x.id, from: false, to: true });
      const state = await p.ctx.db.selectFrom('risk_snapshots').select(['members_state']).where('household_id', '=', x.household_id).where('as_of', '=', '2026-12-23').executeTakeFirstOrThrow();
      expect(state.members_state).toContain(`${x.id},`);
    }
    // The next day the members equal the stored text: no new trigger, no state row for these two.
    const after = await runMonitoring(p.ctx, { asOf: '2026-12-24' });
    const again = await p.ctx.db.selectFrom('risk_snapshots').select('household_id').where('as_of', '=', '2026-12-24').execute();
    expect(again.map((r) => r.household_id)).not.toEqual(expect.arrayContaining([a!.household_id]));
    expect(again.map((r) => r.household_id)).not.toEqual(expect.arrayContaining([b!.household_id]));
    expect(after.changed).toBeLessThan(30);
  });

  it('a household whose members were all removed stores the empty members text once, then compares equal', async () => {
    const h = await p.ctx.db.selectFrom('households').select('id').orderBy('id', 'desc').limit(1).executeTakeFirstOrThrow();
    await p.ctx.db.deleteFrom('members').where('household_id', '=', h.id).execute();
    await runMonitoring(p.ctx, { asOf: '2026-12-25' });
    const stored = await p.ctx.db.selectFrom('risk_snapshots').select('members_state').where('household_id', '=', h.id).where('as_of', '=', '2026-12-25').executeTakeFirstOrThrow();
    expect(stored.members_state).toBe('');
    await runMonitoring(p.ctx, { asOf: '2026-12-26' });
    expect(await p.ctx.db.selectFrom('risk_snapshots').select('as_of').where('household_id', '=', h.id).where('as_of', '=', '2026-12-26').execute()).toEqual([]);
  });
});
