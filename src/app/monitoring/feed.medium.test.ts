import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestPlatform, TEST_DB_KINDS } from '../../../test/support/databases.js';
import type { Platform } from '../setup/open-platform.js';
import { loadDemo } from '../setup/load-demo.js';
import { classifyAll } from '../classification/classify-all.js';
import type { Actor } from '../auth/actor.js';
import { runMonitoring } from './run-monitoring.js';
import { FeedError, importEventFeed } from './feed.js';

const D1 = '2026-11-20';
const D2 = '2026-11-29';

describe.each(TEST_DB_KINDS)('department event feed on %s', (kind) => {
  let p: Platform;
  let people: { id: string; id_number: string; household_id: string; county_code: string; labour_capacity: string; category: string | null }[];
  beforeAll(async () => {
    p = await openTestPlatform(kind, D2);
    await loadDemo(p.ctx, { households: 200, seed: 31, asOf: D1 });
    await classifyAll(p.ctx, { asOf: D1 });
    await runMonitoring(p.ctx, { asOf: D1 });
    // One living adult with labour capacity per household, in household order.
    people = await p.ctx.db
      .selectFrom('members as m').innerJoin('households as h', 'h.id', 'm.household_id').leftJoin('household_status as s', 's.household_id', 'h.id')
      .select(['m.id', 'm.id_number', 'm.household_id', 'h.county_code', 'm.labour_capacity', 's.category'])
      .where('m.deceased_on', 'is', null).where('m.labour_capacity', '=', 'full').where('m.relation', '=', 'head')
      .orderBy('m.household_id').execute();
  });
  afterAll(async () => p.close());

  const counts = async () => ({
    events: (await p.ctx.db.selectFrom('emergency_events').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n,
    referrals: (await p.ctx.db.selectFrom('referrals').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n,
    records: (await p.ctx.db.selectFrom('feed_records').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n,
    dead: (await p.ctx.db.selectFrom('members').select((eb) => eb.fn.countAll<number>().as('n')).where('deceased_on', 'is not', null).executeTakeFirstOrThrow()).n,
  });

  it('refuses a feed with any malformed row, naming each row and field, and writes nothing', async () => {
    const before = await counts();
    const rows = [
      { recordId: 'a1', kind: 'fire', idNumber: people[0]!.id_number, occurredOn: '2026-11-25' },
      { recordId: 'a3', kind: 'referral', idNumber: people[1]!.id_number, occurredOn: 'yesterday' },
    ];
    const malformed = await importEventFeed(p.ctx, null, 'emergency', rows).catch((e: unknown) => e);
    expect(malformed).toBeInstanceOf(FeedError);
    expect((malformed as FeedError).feedIssues.map((i) => [i.row, i.field])).toEqual([[2, 'occurredOn']]);
    expect(await counts()).toEqual(before);
  });

  it('receives a row about an unknown person or one outside the caller\'s area like any other, and applies neither', async () => {
    const before = await counts();
    const unknown = '11010519491231002X'; // a valid number no member has
    const other = people.find((x) => x.county_code !== people[0]!.county_code)!;
    const liaison: Actor = { userId: '00000000-0000-7000-8000-000000000001', username: 'l', displayName: 'l', role: 'department_liaison', scopeRegion: people[0]!.county_code, organisationId: null, requestId: null };
    const r = await importEventFeed(p.ctx, liaison, 'health', [
      { recordId: 'x1', kind: 'serious_illness', idNumber: other.id_number, occurredOn: '2026-11-25' },
      { recordId: 'x2', kind: 'death', idNumber: unknown, occurredOn: '2026-11-25' },
    ]);
    // A caller who may not read households is told what was received, not what matched.
    expect(r).toMatchObject({ source: 'health', rows: 2, received: 2, alreadyApplied: 0, applied: null, unchanged: null, notApplied: null });
    expect(await counts()).toEqual({ ...before, records: before.records + 2 });
    const kept = await p.ctx.db.selectFrom('feed_records').select(['record_id', 'household_id']).where('source_dept', '=', 'health').orderBy('record_id').execute();
    expect(kept).toEqual([{ record_id: 'x1', household_id: null }, { record_id: 'x2', household_id: null }]);
  });

  it('applies a good feed once, and the next run raises the triggers and marks referrals suspected', async () => {
    const [fire, death] = [people[2]!, people[3]!];
    // Referrals of households outside assistance (an enrolled household stays enrolled).
    const [referral, rejected] = people.slice(4).filter((x) => x.category === 'none');
    if (!referral || !rejected) throw new Error('demo data: expected households outside assistance');
    const rows = [
      { recordId: 'b1', kind: 'fire', idNumber: fire.id_number, occurredOn: '2026-11-25' },
      { recordId: 'b2', kind: 'death', idNumber: death.id_number, occurredOn: '2026-11-26' },
      { recordId: 'b3', kind: 'referral', idNumber: referral.id_number, occurredOn: '2026-11-27' },
      { recordId: 'b4', kind: 'rejected_application', idNumber: rejected.id_number, occurredOn: '2026-11-27' },
    ];
    const before = await counts();
    const first = await importEventFeed(p.ctx, null, 'civil_affairs', rows);
    expect(first).toMatchObject({ rows: 4, received: 4, applied: 4, alreadyApplied: 0, unchanged: 0, notApplied: 0 });
    expect(await counts()).toEqual({ events: before.events + 1, referrals: before.referrals + 2, records: before.records + 4, dead: before.dead + 1 });
    const again = await importEventFeed(p.ctx, null, 'civil_affairs', rows);
    expect(again).toMatchObject({ batchId: null, received: 0, applied: 0, alreadyApplied: 4 });
    expect(await counts()).toEqual({ events: before.events + 1, referrals: before.referrals + 2, records: before.records + 4, dead: before.dead + 1 });
    // Another date of death for the same member is received and not applied (the registry keeps its date).
    const conflict = await importEventFeed(p.ctx, null, 'public_security', [{ recordId: 'c1', kind: 'death', idNumber: death.id_number, occurredOn: '2026-11-20' }]);
    expect(conflict).toMatchObject({ received: 1, applied: 0, notApplied: 1 });
    expect((await p.ctx.db.selectFrom('members').select('deceased_on').where('id', '=', death.id).executeTakeFirstOrThrow()).deceased_on).toBe('2026-11-26');

    await runMonitoring(p.ctx, { asOf: D2 });
    const alerts = await p.ctx.db.selectFrom('alerts').select(['household_id', 'cause', 'level']).where('household_id', 'in', [fire.household_id, death.household_id]).where('cause', 'like', 'trigger:%').execute();
    expect(alerts).toContainEqual({ household_id: fire.household_id, cause: 'trigger:sudden_event', level: 'red' });
    expect(alerts).toContainEqual({ household_id: death.household_id, cause: 'trigger:death_of_earner', level: 'red' });
    const states = await p.ctx.db.selectFrom('risk_snapshots').select(['household_id', 'population', 'population_reasons']).where('as_of', '=', D2).where('household_id', 'in', [referral.household_id, rejected.household_id]).execute();
    const reasonsOf = (id: string) => states.find((s) => s.household_id === id);
    expect(reasonsOf(referral.household_id)?.population_reasons).toContain('department_referral');
    expect(reasonsOf(rejected.household_id)?.population_reasons).toContain('rejected_application');
    const province = await p.ctx.db.selectFrom('region_indices as i').innerJoin('monitoring_runs as r', 'r.id', 'i.run_id').select(['i.enrolled', 'i.suspected', 'i.households'])
      .where('r.as_of', '=', D2).where('i.region_code', '=', '33').executeTakeFirstOrThrow();
    expect(province.enrolled).toBeGreaterThan(0);
    expect(province.suspected).toBeGreaterThan(0);
    expect(province.enrolled + province.suspected).toBeLessThanOrEqual(province.households);
  });
});
