import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestPlatform, TEST_DB_KINDS } from '../../../test/support/databases.js';
import type { Platform } from '../setup/open-platform.js';
import { loadDemo } from '../setup/load-demo.js';
import { parametersAt } from '../../core/policy/parameters.js';
import { factWindows, monitoringInputOf, type FactWindows } from '../../core/risk/index.js';
import { HouseholdRepository } from '../../db/repositories/household.repository.js';
import { MonitoringRepository, parseMembers } from '../../db/repositories/monitoring.repository.js';
import { newId } from '../new-id.js';

const AS_OF = '2026-11-29';

describe.each(TEST_DB_KINDS)('the database reduces households for monitoring exactly as the object form on %s', (kind) => {
  let p: Platform;
  beforeAll(async () => {
    p = await openTestPlatform(kind, AS_OF);
    await loadDemo(p.ctx, { households: 400, seed: 23, asOf: AS_OF });
    // Cases the demo data seldom holds: earners who died (their income stops counting from the day
    // after), and emergencies on and around the window edges.
    const earners = await p.ctx.db.selectFrom('income_records').select(['member_id', 'household_id']).where('member_id', 'is not', null).where('category', '=', 'wages').orderBy('household_id').limit(40).execute();
    for (const [i, e] of earners.entries()) {
      if (i % 4 === 0) await p.ctx.db.updateTable('members').set({ deceased_on: ['2026-06-01', '2026-11-29', '2025-12-31', '2026-03-31'][(i / 4) % 4]! }).where('id', '=', e.member_id!).execute();
    }
    // Ages on the edges of the family-structure flags: 60 and 18 on the day or the day after, and a
    // leap-day birth (full years counted on the month and day, as dates.ts fullYears does).
    const births = ['1966-11-29', '1966-11-30', '2008-11-29', '2008-11-30', '2008-02-29', '1966-02-28', '2010-12-31'];
    const edge = await p.ctx.db.selectFrom('members').select('id').orderBy('id', 'desc').limit(births.length * 6).execute();
    for (const [i, m] of edge.entries()) await p.ctx.db.updateTable('members').set({ birth_date: births[i % births.length]! }).where('id', '=', m.id).execute();
    const some = await p.ctx.db.selectFrom('households').select('id').orderBy('id').limit(30).execute();
    const days = ['2026-11-29', '2026-11-30', '2026-09-01', '2026-08-31', '2026-03-31', '2025-12-02', '2025-09-03'];
    for (const [i, h] of some.entries()) {
      for (const [j, kind] of (['fire', 'accident', 'natural_disaster'] as const).entries()) {
        if ((i + j) % 2 === 0) await p.ctx.db.insertInto('emergency_events').values({ id: newId(), household_id: h.id, kind, occurred_on: days[(i + j) % days.length]!, source_dept: 'emergency', batch_id: null }).execute();
      }
    }
  });
  afterAll(async () => p.close());

  it.each([AS_OF, '2026-03-31', '2025-12-31'])('every household, as of %s, in chunks', async (asOf) => {
    const counties = await p.ctx.db.selectFrom('households').select('county_code').distinct().execute();
    const windows = new Map<string, FactWindows>(counties.map((c) => [c.county_code, factWindows(parametersAt(p.ctx.policy, c.county_code, asOf).values, asOf)]));
    const repo = new MonitoringRepository(p.ctx.db);
    const households = await new HouseholdRepository(p.ctx.db).findMeansTestChunk(null, 1_000);
    let n = 0;
    for (const range of await repo.chunkRanges('33', 97)) {
      const chunk = await repo.readRange(asOf, windows, range, '33');
      for (const row of chunk) {
        const h = households[n++]!;
        expect(row.id).toBe(h.id);
        const { id: _id, regionCode, membersState, members, category: _c, previous: _p, lastVisit: _v, enrolledInLookback: _e, referrals: _r, ...input } = row;
        expect(regionCode).toBe(h.regionCode);
        expect(input).toEqual(monitoringInputOf(h, windows.get(h.regionCode.slice(0, 6))!, asOf));
        // No state is stored yet: every household's members come back, as text and parsed.
        const expected = h.members.map((m) => ({
          id: m.id, relation: m.relation, birthDate: m.birthDate, disabilityGrade: m.disabilityGrade, seriousIllness: m.seriousIllness,
          labourCapacity: m.labourCapacity, deceased: m.deceasedOn != null && m.deceasedOn <= asOf,
        }));
        expect(members).toEqual(expected);
        expect(parseMembers(membersState)).toEqual(expected);
      }
    }
    expect(n).toBe(households.length);
    // The data exercises the reduction: pro-rated records, deceased members, emergencies, social assistance.
    if (asOf !== AS_OF) return;
    const inputs = households.map((h) => monitoringInputOf(h, windows.get(h.regionCode.slice(0, 6))!, asOf));
    expect(households.filter((h) => h.members.some((m) => m.deceasedOn != null && m.deceasedOn <= asOf)).length).toBeGreaterThan(0);
    expect(inputs.filter((x) => x.recentEmergencies.length > 1).length).toBeGreaterThan(0);
    expect(inputs.filter((x) => x.receivingAssistance).length).toBeGreaterThan(10);
    expect(inputs.filter((x) => x.wagesFen > 0 && x.householdIncomeFen > 0).length).toBeGreaterThan(100);
    // Income records that straddle the window start are pro-rated (the demo emits such periods).
    const straddling = await p.ctx.db.selectFrom('income_records').select((eb) => eb.fn.countAll<number>().as('n'))
      .where('period_start', '<', windows.values().next().value!.referenceFirst).where('period_end', '>=', windows.values().next().value!.referenceFirst).executeTakeFirstOrThrow();
    expect(straddling.n).toBeGreaterThan(10);
    expect(inputs.filter((x) => x.recentMedicalFen > 0).length).toBeGreaterThan(0);
    // Every family-structure flag is held by some household.
    for (let bit = 1; bit < 64; bit <<= 1) expect(inputs.filter((x) => (x.familyFlags & bit) !== 0).length, `flag ${bit}`).toBeGreaterThan(0);
  });

  it('reads only the region asked for', async () => {
    const one = await p.ctx.db.selectFrom('households').select('region_code').orderBy('id').limit(1).executeTakeFirstOrThrow();
    const county = one.region_code.slice(0, 6);
    const windows = new Map([[county, factWindows(parametersAt(p.ctx.policy, county, AS_OF).values, AS_OF)]]);
    const repo = new MonitoringRepository(p.ctx.db);
    const rows = (await Promise.all((await repo.chunkRanges(county, 1_000)).map((r) => repo.readRange(AS_OF, windows, r, county)))).flat();
    const expected = await p.ctx.db.selectFrom('households').select('id').where('region_code', 'like', `${county}%`).orderBy('id').execute();
    expect(rows.map((r) => r.id)).toEqual(expected.map((r) => r.id));
  });
});
