/**
 * Loads a synthetic demo population (core/demo) into the registry in bulk: households stream from
 * the seeded generator and go to the database in chunks, one multi-row statement per table per chunk.
 */
import { createRng, generateLabelledHouseholds, villagesForDemo, type TargetTier } from '../../core/demo/index.js';
import { addMonths, dayNumber, fromDayNumber } from '../../core/dates/dates.js';
import type { Household } from '../../core/household/household.js';
import { bulkInsert, type BulkColumn } from '../../db/bulk.js';
import type { AppContext } from '../context.js';
import { newId } from '../new-id.js';
import { appendAudit } from '../audit/audit.js';
import { loadDemoLedger } from '../ledger/demo-ledger.js';

export interface LoadDemoOptions {
  households: number;
  seed: number;
  asOf?: string | undefined;
  chunkSize?: number;
  onProgress?: (done: number, total: number) => void;
  /** Also build the demo benefit ledger with planted duplicates (default true). */
  ledger?: boolean;
}

class Columns {
  readonly cols = new Map<string, BulkColumn>();
  constructor(spec: readonly (readonly [string, BulkColumn['type']])[]) {
    for (const [name, type] of spec) this.cols.set(name, { name, type, values: [] });
  }
  push(row: Record<string, unknown>): void {
    for (const c of this.cols.values()) c.values.push(row[c.name] ?? null);
  }
  get list(): BulkColumn[] {
    return [...this.cols.values()];
  }
  clear(): void {
    for (const c of this.cols.values()) c.values = [];
  }
}

const provenance = [['household_id', 'uuid'], ['member_id', 'uuid'], ['source_dept', 'text'], ['batch_id', 'uuid']] as const;

/** Generates and stores `households` demo households (seeded, reproducible). Returns the batch id. */
export async function loadDemo(ctx: AppContext, options: LoadDemoOptions): Promise<{ batchId: string; households: number; members: number }> {
  const asOf = options.asOf ?? ctx.today();
  const chunkSize = options.chunkSize ?? 5_000;
  const batchId = newId();
  const hh = new Columns([['id', 'uuid'], ['region_code', 'text'], ['county_code', 'text'], ['residence_region_code', 'text'], ['address', 'text'], ['has_able_supporter', 'boolean']]);
  const mem = new Columns([
    ['id', 'uuid'], ['household_id', 'uuid'], ['name', 'text'], ['id_number', 'text'], ['relation', 'text'], ['sex', 'text'], ['birth_date', 'date'],
    ['disability_grade', 'smallint'], ['serious_illness', 'boolean'], ['labour_capacity', 'text'], ['schooling', 'text'], ['deceased_on', 'date'], ['position', 'smallint'], ['phone', 'text'],
  ]);
  const inc = new Columns([['id', 'uuid'], ...provenance, ['category', 'text'], ['subtype', 'text'], ['amount_fen', 'bigint'], ['period_start', 'date'], ['period_end', 'date']]);
  const ast = new Columns([['id', 'uuid'], ...provenance, ['kind', 'text'], ['value_fen', 'bigint'], ['floor_area_m2', 'double precision'], ['is_disability_vehicle', 'boolean'], ['as_of', 'date']]);
  const exp = new Columns([['id', 'uuid'], ...provenance, ['category', 'text'], ['amount_fen', 'bigint'], ['period_start', 'date'], ['period_end', 'date']]);
  const emg = new Columns([['id', 'uuid'], ['household_id', 'uuid'], ['kind', 'text'], ['occurred_on', 'date'], ['source_dept', 'text'], ['batch_id', 'uuid']]);
  const vis = new Columns([['id', 'uuid'], ['household_id', 'uuid'], ['visited_on', 'date'], ['findings', 'text[]']]);
  const tables: [string, Columns][] = [['households', hh], ['members', mem], ['income_records', inc], ['asset_records', ast], ['expenditure_records', exp], ['emergency_events', emg], ['visits', vis]];
  // What the registry knows besides the means-test records: assistance being paid and home visits.
  const rng = createRng(options.seed ^ 0x5a5a5a5a);
  const asOfDay = dayNumber(asOf);
  const monthStarts = Array.from({ length: 12 }, (_, k) => addMonths(asOf, -k - 1));
  const addContext = (h: Household, tier: TargetTier): void => {
    // Most households that qualify for dibao or extreme-poverty support receive it (a few are missed, 漏保).
    if ((tier === 'dibao' || tier === 'extreme_poverty') && rng.chance(0.88)) {
      const monthly = 60_000 * h.members.length;
      for (const start of monthStarts) {
        const end = fromDayNumber(dayNumber(addMonths(start, 1)) - 1);
        inc.push({ id: newId(), household_id: h.id, member_id: null, source_dept: 'civil_affairs', batch_id: batchId, category: 'transfer', subtype: 'social_assistance', amount_fen: monthly, period_start: fromDayNumber(dayNumber(start) + 1), period_end: end });
      }
    }
    // Workers visit most monitored households every quarter; a few visits find a problem.
    if (rng.chance(0.75)) {
      const findings = rng.chance(0.9) ? ['none'] : [rng.pick(['unsafe_housing', 'illness_untreated', 'elderly_uncared', 'child_out_of_school', 'debt'] as const)];
      vis.push({ id: newId(), household_id: h.id, visited_on: fromDayNumber(asOfDay - rng.int(1, 100)), findings });
    }
  };

  const add = (h: Household): void => {
    hh.push({ id: h.id, region_code: h.regionCode, county_code: h.regionCode.slice(0, 6), residence_region_code: h.residenceRegionCode, address: h.address, has_able_supporter: h.hasAbleSupporter });
    h.members.forEach((m, i) =>
      mem.push({
        id: m.id, household_id: h.id, name: m.name, id_number: m.idNumber, relation: m.relation, sex: m.sex, birth_date: m.birthDate,
        disability_grade: m.disabilityGrade, serious_illness: m.seriousIllness, labour_capacity: m.labourCapacity, schooling: m.schooling,
        deceased_on: m.deceasedOn ?? null, position: i, phone: m.phone ?? null,
      }),
    );
    const prov = (r: { id: string; memberId?: string | null; sourceDept: string }) => ({ id: r.id, household_id: h.id, member_id: r.memberId ?? null, source_dept: r.sourceDept, batch_id: batchId });
    for (const r of h.incomes) inc.push({ ...prov(r), category: r.category, subtype: r.subtype, amount_fen: r.amountFen, period_start: r.periodStart, period_end: r.periodEnd });
    for (const r of h.assets) ast.push({ ...prov(r), kind: r.kind, value_fen: r.valueFen, floor_area_m2: r.floorAreaM2 ?? null, is_disability_vehicle: r.isDisabilityVehicle ?? false, as_of: r.asOf });
    for (const r of h.expenditures) exp.push({ ...prov(r), category: r.category, amount_fen: r.amountFen, period_start: r.periodStart, period_end: r.periodEnd });
    for (const e of h.emergencies) emg.push({ id: newId(), household_id: h.id, kind: e.kind, occurred_on: e.occurredOn, source_dept: 'civil_affairs', batch_id: batchId });
  };

  let done = 0;
  let members = 0;
  await ctx.db.transaction().execute(async (trx) => {
    await trx.insertInto('import_batches').values({ id: batchId, source_dept: 'civil_affairs', kind: 'demo', row_count: 0, note: `demo seed ${options.seed}` }).execute();
    const flush = async (): Promise<void> => {
      members += mem.list[0]!.values.length;
      for (const [table, cols] of tables) {
        await bulkInsert(trx, table, cols.list);
        cols.clear();
      }
    };
    for (const { household: h, targetTier } of generateLabelledHouseholds({ seed: options.seed, households: options.households, asOf, villages: villagesForDemo(ctx.regions) })) {
      add(h);
      addContext(h, targetTier);
      done++;
      if (done % chunkSize === 0) {
        await flush();
        options.onProgress?.(done, options.households);
      }
    }
    await flush();
    options.onProgress?.(done, options.households);
    await trx.updateTable('import_batches').set({ row_count: done }).where('id', '=', batchId).execute();
    await appendAudit(trx, { actorId: null, role: 'operator', action: 'demo.load', objectType: 'import_batch', objectId: batchId, purpose: `${done} synthetic households, seed ${options.seed}`, result: 'ok', requestId: null });
  });
  if (options.ledger !== false) await loadDemoLedger(ctx, { seed: options.seed, asOf, batchId });
  return { batchId, households: done, members };
}
