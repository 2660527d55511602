/**
 * The demo benefit ledger: the dibao the demo registry pays (one record a month, the amount of the
 * demo's assistance income), some charity deliveries and medical assistance, and planted
 * duplicates of each finding kind — their record ids start with `planted-` so a test can measure
 * recall. The planted records arrive through the ordinary import (`importLedger`), so those whose
 * ID number carries a typo are found by record linkage, not by the ID.
 */
import { createRng } from '../../core/demo/index.js';
import { addMonths, dayNumber, fromDayNumber } from '../../core/dates/dates.js';
import { bulkInsert, type BulkColumn } from '../../db/bulk.js';
import type { AppContext } from '../context.js';
import { newId } from '../new-id.js';
import { importLedger } from './import.js';

export interface DemoLedgerSummary {
  records: number;
  planted: { dibao_two_places: number; multi_provider: number; over_cap: number; after_death: number; idTypos: number };
}

const endOfMonth = (start: string): string => fromDayNumber(dayNumber(addMonths(start, 1)) - 1);

/** Mistypes one digit of the ID number (the check character no longer fits). */
function typo(id: string, pos: number): string {
  const d = Number(id[pos]);
  return id.slice(0, pos) + String((d + 1 + (pos % 7)) % 10) + id.slice(pos + 1);
}

/** Builds the ledger of the demo batch `batchId` and plants duplicates. */
export async function loadDemoLedger(ctx: AppContext, options: { seed: number; asOf: string; batchId: string }): Promise<DemoLedgerSummary> {
  const rng = createRng(options.seed ^ 0x1ed9e7);
  const paid = await ctx.db.selectFrom('income_records as i').innerJoin('households as h', 'h.id', 'i.household_id')
    .innerJoin('members as m', (j) => j.onRef('m.household_id', '=', 'h.id').on('m.position', '=', 0))
    .select(['i.id', 'i.household_id', 'i.amount_fen', 'i.period_start', 'i.period_end', 'h.county_code', 'm.id as member_id', 'm.name', 'm.id_number', 'm.deceased_on'])
    .where('i.batch_id', '=', options.batchId).where('i.subtype', '=', 'social_assistance').orderBy('i.household_id').orderBy('i.period_start').execute();
  const byHousehold = new Map<string, typeof paid>();
  for (const p of paid) byHousehold.set(p.household_id, [...(byHousehold.get(p.household_id) ?? []), p]);
  // Shuffle (seeded) and deal households out to the planted kinds: half of each kind in the county
  // where the demo population is densest (where the demo accounts work), the rest anywhere.
  const shuffle = (xs: string[]): string[] => {
    for (let i = xs.length - 1; i > 0; i--) {
      const j = rng.int(0, i);
      [xs[i], xs[j]] = [xs[j]!, xs[i]!];
    }
    return xs;
  };
  const densest = await ctx.db.selectFrom('households').select('county_code').select((eb) => eb.fn.countAll<number>().as('n')).groupBy('county_code').orderBy('n', 'desc').orderBy('county_code').limit(1).executeTakeFirst();
  const dense = shuffle([...byHousehold.keys()].filter((h) => byHousehold.get(h)![0]!.county_code === densest?.county_code));
  const households = shuffle([...byHousehold.keys()].filter((h) => byHousehold.get(h)![0]!.county_code !== densest?.county_code));
  const take = (k: number): string[] => {
    const near = dense.splice(0, Math.min(Math.ceil(k / 2), dense.length));
    return [...near, ...households.splice(0, Math.min(k - near.length, households.length))];
  };
  const twoPlaces = take(6);
  const afterDeath = take(2);
  const multi = take(3);
  const overCap = take(3);
  const charityOnly = [...dense.splice(0, Math.floor(dense.length * 0.3)), ...households.splice(0, Math.floor(households.length * 0.3))];

  const cols = new Map<string, BulkColumn>();
  const spec: [string, BulkColumn['type']][] = [
    ['id', 'uuid'], ['source_dept', 'text'], ['record_id', 'text'], ['batch_id', 'uuid'], ['household_id', 'uuid'], ['member_id', 'uuid'], ['link_status', 'text'], ['link_method', 'text'],
    ['link_probability', 'double precision'], ['id_number', 'text'], ['name', 'text'], ['programme', 'text'], ['need_category', 'text'], ['provider', 'text'], ['provider_region', 'text'],
    ['amount_fen', 'bigint'], ['in_kind', 'boolean'], ['basis_fen', 'bigint'], ['period_start', 'date'], ['period_end', 'date'],
  ];
  for (const [name, type] of spec) cols.set(name, { name, type, values: [] });
  const push = (r: Record<string, unknown>): void => {
    for (const c of cols.values()) c.values.push(r[c.name] ?? null);
  };
  const deaths: { memberId: string; on: string }[] = [];
  for (const [hid, months] of byHousehold) {
    const head = months[0]!;
    let died: string | null = head.deceased_on;
    if (afterDeath.includes(hid) && died === null) {
      // Recorded dead four months before the last payment: three more months were still paid.
      died = fromDayNumber(dayNumber(months[Math.max(0, months.length - 4)]!.period_start) + 9);
      deaths.push({ memberId: head.member_id, on: died });
    }
    for (const m of months) {
      const planted = afterDeath.includes(hid) && died !== null && m.period_start > died;
      push({
        id: newId(), source_dept: 'civil_affairs', record_id: `${planted ? 'planted-after_death' : 'demo-dibao'}-${m.id}`, batch_id: options.batchId, household_id: hid, member_id: head.member_id,
        link_status: 'linked', link_method: 'exact_id', link_probability: 1, id_number: head.id_number, name: head.name, programme: 'dibao', need_category: 'basic_living',
        provider: 'civil_affairs', provider_region: head.county_code, amount_fen: m.amount_fen, in_kind: false, period_start: m.period_start, period_end: m.period_end,
      });
    }
  }
  const base = { id_number: '', name: '', batch_id: options.batchId, link_status: 'linked', link_method: 'exact_id', link_probability: 1 };
  const lastMonth = addMonths(options.asOf.slice(0, 8) + '01', -2);
  // Charity deliveries: a gift in kind (rice, oil, winter clothes) to some dibao households.
  for (const hid of charityOnly) {
    const head = byHousehold.get(hid)![0]!;
    const on = addMonths(lastMonth, -rng.int(0, 8));
    push({ ...base, id: newId(), source_dept: 'zj-charity-federation', record_id: `demo-gift-${hid}`, household_id: hid, member_id: head.member_id, id_number: head.id_number, name: head.name,
      programme: 'charity_gift', need_category: 'daily_living', provider: 'zj-charity-federation', provider_region: head.county_code, amount_fen: rng.int(20, 60) * 1_000, in_kind: true,
      period_start: on, period_end: on });
  }
  await ctx.db.transaction().execute(async (trx) => {
    await bulkInsert(trx, 'ledger_entries', [...cols.values()]);
    for (const d of deaths) await trx.updateTable('members').set({ deceased_on: d.on }).where('id', '=', d.memberId).where('deceased_on', 'is', null).execute();
  });
  let records = cols.get('id')!.values.length;

  // Planted duplicates, imported like a department's file.
  const rows: Record<string, unknown>[] = [];
  let idTypos = 0;
  twoPlaces.forEach((hid, k) => {
    const months = byHousehold.get(hid)!;
    const head = months[0]!;
    const other = head.county_code === '330381' ? '330106' : '330381';
    // Half of them with a mistyped ID number in the second county's system.
    const id = k % 2 === 0 ? typo(head.id_number, k % 4 === 0 ? 15 : 9) : head.id_number;
    if (id !== head.id_number) idTypos++;
    for (const m of months.slice(-3)) {
      rows.push({ recordId: `planted-dibao_two_places-${m.id}`, idNumber: id, name: head.name, programme: 'dibao', providerRegion: other, amountFen: m.amount_fen, periodStart: m.period_start, periodEnd: m.period_end });
    }
  });
  multi.forEach((hid) => {
    const head = byHousehold.get(hid)![0]!;
    const start = addMonths(lastMonth, -1);
    rows.push({ recordId: `planted-multi_provider-a-${hid}`, idNumber: head.id_number, name: head.name, programme: 'medical', provider: 'civil_affairs', amountFen: 300_000, periodStart: start, periodEnd: endOfMonth(start) });
    rows.push({ recordId: `planted-multi_provider-b-${hid}`, idNumber: head.id_number, name: head.name, programme: 'medical', provider: 'healthcare_security', amountFen: 250_000, periodStart: start, periodEnd: endOfMonth(start) });
  });
  overCap.forEach((hid) => {
    const head = byHousehold.get(hid)![0]!;
    const start = addMonths(lastMonth, -3);
    rows.push({ recordId: `planted-over_cap-gov-${hid}`, idNumber: head.id_number, name: head.name, programme: 'education', amountFen: 400_000, basisFen: 600_000, periodStart: start, periodEnd: endOfMonth(start) });
    rows.push({ recordId: `planted-over_cap-charity-${hid}`, idNumber: head.id_number, name: head.name, programme: 'charity_project', needCategory: 'education', provider: 'zj-charity-federation', amountFen: 350_000, periodStart: start, periodEnd: endOfMonth(start) });
  });
  // A legitimate complement (under the cap): charity tops up medical assistance.
  for (const hid of charityOnly.slice(0, 5)) {
    const head = byHousehold.get(hid)![0]!;
    const start = addMonths(lastMonth, -4);
    rows.push({ recordId: `demo-medical-${hid}`, idNumber: head.id_number, name: head.name, programme: 'medical', amountFen: 500_000, basisFen: 1_000_000, periodStart: start, periodEnd: endOfMonth(start) });
    rows.push({ recordId: `demo-medical-charity-${hid}`, idNumber: head.id_number, name: head.name, programme: 'charity_project', needCategory: 'medical', provider: 'zj-charity-federation', amountFen: 200_000, periodStart: start, periodEnd: endOfMonth(start) });
  }
  if (rows.length > 0) {
    const r = await importLedger(ctx, null, 'civil_affairs', rows, { kind: 'demo_ledger' });
    records += r.rows - r.alreadyImported;
  }
  return { records, planted: { dibao_two_places: twoPlaces.length, multi_provider: multi.length, over_cap: overCap.length, after_death: deaths.length, idTypos } };
}
