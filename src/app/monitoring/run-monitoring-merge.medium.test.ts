import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { openTestPlatform, TEST_DB_KINDS } from '../../../test/support/databases.js';
import type { Platform } from '../setup/open-platform.js';
import { loadDemo } from '../setup/load-demo.js';
import { classifyAll } from '../classification/classify-all.js';
import { runMonitoring } from './run-monitoring.js';
import { importEventFeed } from './feed.js';

const D1 = '2026-11-20';
const D2 = '2026-11-29';

/**
 * Two findings of one cause for one household in one run (two departments report the same fire,
 * two members' new disabilities): one alert per household and cause, and the run completes
 * (an upsert of two rows onto one alert failed the whole run).
 */
describe.each(TEST_DB_KINDS)('monitoring run with two findings of one cause on %s', (kind) => {
  let p: Platform;
  beforeAll(async () => {
    p = await openTestPlatform(kind, D2);
    await loadDemo(p.ctx, { households: 40, seed: 5, asOf: D1 });
    await classifyAll(p.ctx, { asOf: D1 });
    await runMonitoring(p.ctx, { asOf: D1 });
  });
  afterAll(async () => p.close());

  it('merges them into one open alert per household and cause, the most severe kept', async () => {
    const heads = await p.ctx.db.selectFrom('members as m').select(['m.id_number', 'm.household_id'])
      .where('m.deceased_on', 'is', null).where('m.relation', '=', 'head').orderBy('m.household_id').execute();
    const fire = heads[0]!;
    // A household with two living members of grade 0 (a new disability each).
    const pair = await sql<{ household_id: string; a: string; b: string }>`
      SELECT household_id, min(id_number) AS a, max(id_number) AS b FROM members
      WHERE deceased_on IS NULL AND disability_grade = 0 AND household_id <> ${fire.household_id}
      GROUP BY household_id HAVING count(*) >= 2 ORDER BY household_id LIMIT 1`.execute(p.ctx.db);
    const two = pair.rows[0]!;
    // The same fire from two departments on one day, and an accident the same week: three sudden events.
    await importEventFeed(p.ctx, null, 'public_security', [{ recordId: 'f1', kind: 'fire', idNumber: fire.id_number, occurredOn: '2026-11-25' }]);
    await importEventFeed(p.ctx, null, 'emergency_management', [
      { recordId: 'f1', kind: 'fire', idNumber: fire.id_number, occurredOn: '2026-11-25' },
      { recordId: 'f2', kind: 'accident', idNumber: fire.id_number, occurredOn: '2026-11-24' },
    ]);
    await importEventFeed(p.ctx, null, 'disabled_persons', [
      { recordId: 'd1', kind: 'disability', idNumber: two.a, occurredOn: '2026-11-25', disabilityGrade: 3 },
      { recordId: 'd2', kind: 'disability', idNumber: two.b, occurredOn: '2026-11-25', disabilityGrade: 2 },
    ]);

    const run = await runMonitoring(p.ctx, { asOf: D2 });
    expect(run.households).toBe(40);

    const open = await p.ctx.db.selectFrom('alerts').select(['household_id', 'cause', 'level', 'reasons'])
      .where('status', 'in', ['new', 'assigned', 'visiting']).where('household_id', 'in', [fire.household_id, two.household_id]).execute();
    const sudden = open.filter((a) => a.household_id === fire.household_id && a.cause === 'trigger:sudden_event');
    expect(sudden).toHaveLength(1);
    expect(sudden[0]).toMatchObject({ level: 'red', reasons: { kind: 'sudden_event', to: 'fire', temporaryAssistance: true } });
    // The other emergency of the cause is kept with the alert; the same fire twice is one.
    expect((sudden[0]!.reasons as { others?: unknown[] }).others).toEqual([{ kind: 'sudden_event', memberId: null, from: null, to: 'accident', temporaryAssistance: true }]);
    const disability = open.filter((a) => a.household_id === two.household_id && a.cause === 'trigger:new_disability');
    expect(disability).toHaveLength(1);
    expect((disability[0]!.reasons as { others?: unknown[] }).others).toHaveLength(1);

    const dupes = await sql<{ n: number }>`SELECT count(*)::int AS n FROM (SELECT household_id, cause FROM alerts WHERE status IN ('new','assigned','visiting') GROUP BY 1, 2 HAVING count(*) > 1) d`.execute(p.ctx.db);
    expect(dupes.rows[0]!.n).toBe(0);
  });

  it('a household monitored on a date in its old county keeps that state when its new county runs the same date', async () => {
    const D3 = '2026-11-28';
    const counties = (await p.ctx.db.selectFrom('households').select('county_code').distinct().orderBy('county_code').execute()).map((c) => c.county_code);
    expect(counties.length).toBeGreaterThan(1);
    const [from, to] = [counties[0]!, counties[1]!];
    const moved = await p.ctx.db.selectFrom('households').select(['id']).where('county_code', '=', from).orderBy('id').limit(1).executeTakeFirstOrThrow();
    const village = (await p.ctx.db.selectFrom('households').select('region_code').where('county_code', '=', to).limit(1).executeTakeFirstOrThrow()).region_code;
    // A fire the day before: its state moves and is stored on D3.
    await importEventFeed(p.ctx, null, 'public_security', [{ recordId: 'm1', kind: 'fire', idNumber: (await p.ctx.db.selectFrom('members').select('id_number').where('household_id', '=', moved.id).limit(1).executeTakeFirstOrThrow()).id_number, occurredOn: '2026-11-27' }]);
    await runMonitoring(p.ctx, { asOf: D3, region: from });
    const stored = await p.ctx.db.selectFrom('risk_snapshots').select(['as_of', 'score']).where('household_id', '=', moved.id).where('as_of', '=', D3).execute();
    expect(stored).toHaveLength(1);
    await p.ctx.db.updateTable('households').set({ region_code: village, county_code: to }).where('id', '=', moved.id).execute();
    const run = await runMonitoring(p.ctx, { asOf: D3, region: to });
    expect(run.households).toBeGreaterThan(0);
    expect(await p.ctx.db.selectFrom('risk_snapshots').select(['as_of', 'score']).where('household_id', '=', moved.id).where('as_of', '=', D3).execute()).toEqual(stored);
  });
});
