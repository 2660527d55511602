import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestPlatform, TEST_DB_KINDS } from '../../../test/support/databases.js';
import type { Platform } from '../setup/open-platform.js';
import { loadDemo } from '../setup/load-demo.js';
import { classifyAll } from './classify-all.js';
import { HouseholdRepository, toCoreHousehold } from '../../db/repositories/household.repository.js';
import { classifyHousehold } from '../../core/means-test/index.js';
import { parametersAt } from '../../core/policy/parameters.js';
import { generateHouseholds, villagesForDemo } from '../../core/demo/index.js';

const AS_OF = '2026-11-29';

describe.each(TEST_DB_KINDS)('bulk classification on %s', (kind) => {
  let p: Platform;
  beforeAll(async () => {
    p = await openTestPlatform(kind, AS_OF);
    await loadDemo(p.ctx, { households: 400, seed: 7, asOf: AS_OF, chunkSize: 150 });
  });
  afterAll(async () => p.close());

  it('stores the generated population exactly (households, members, records round-trip)', async () => {
    const generated = [...generateHouseholds({ seed: 7, households: 400, asOf: AS_OF, villages: villagesForDemo(p.ctx.regions) })];
    const repo = new HouseholdRepository(p.ctx.db);
    for (const g of generated.slice(0, 25)) {
      const stored = toCoreHousehold((await repo.findById(g.id))!);
      expect(stored.members.map((m) => [m.idNumber, m.birthDate, m.sex, m.disabilityGrade])).toEqual(g.members.map((m) => [m.idNumber, m.birthDate, m.sex, m.disabilityGrade]));
      const sum = (xs: { amountFen: number }[]): number => xs.reduce((s, x) => s + x.amountFen, 0);
      // The loader adds the assistance being paid (social_assistance) beside the generated records.
      expect(sum(stored.incomes.filter((r) => r.subtype !== 'social_assistance'))).toBe(sum(g.incomes));
      expect(stored.assets.length).toBe(g.assets.length);
      expect(stored.expenditures.length).toBe(g.expenditures.length);
    }
  });

  it('gives every household the same answer as the one-household engine, and keeps history on a re-run', async () => {
    const run = await classifyAll(p.ctx, { asOf: AS_OF, chunkSize: 128 });
    expect(run.households).toBe(400);
    const status = await p.ctx.db.selectFrom('household_status').selectAll().execute();
    expect(status.length).toBe(400);
    const byId = new Map(status.map((s) => [s.household_id, s]));
    const repo = new HouseholdRepository(p.ctx.db);
    let after: string | null = null;
    const seen = new Set<string>();
    for (;;) {
      const chunk = await repo.findChunk(after, 100);
      if (chunk.length === 0) break;
      for (const agg of chunk) {
        const single = classifyHousehold(toCoreHousehold(agg), parametersAt(p.ctx.policy, agg.household.region_code, AS_OF), AS_OF);
        const s = byId.get(agg.household.id)!;
        expect([s.category, s.payment_fen, s.flags]).toEqual([single.category, single.paymentFen, single.flags]);
        seen.add(single.category);
      }
      after = chunk[chunk.length - 1]!.household.id;
    }
    // A plausible population shows every tier.
    expect([...seen].sort()).toEqual(['dibao', 'extreme_poverty', 'income_uplift', 'marginal', 'none', 'rigid_expenditure']);

    await classifyAll(p.ctx, { asOf: AS_OF });
    const results = await p.ctx.db.selectFrom('classification_results').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirst();
    expect(results?.n).toBe(800);
    const runs = await p.ctx.db.selectFrom('classification_runs').selectAll().execute();
    expect(runs.map((r) => r.households)).toEqual([400, 400]);
  });

  it('classifies one region only when asked', async () => {
    const r = await classifyAll(p.ctx, { asOf: AS_OF, region: '3311' });
    const n = await p.ctx.db.selectFrom('households').select((eb) => eb.fn.countAll<number>().as('n')).where('region_code', 'like', '3311%').executeTakeFirst();
    expect(r.households).toBe(n?.n);
    expect(r.households).toBeGreaterThan(0);
    expect(r.households).toBeLessThan(400);
  });
});
