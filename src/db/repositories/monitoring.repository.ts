/**
 * The monitoring run's read: one statement per chunk of households (in id order) that reduces their
 * records inside the database — income pro-rated by day to two windows and summed per (category,
 * subtype), monetary assets, rigid and recent medical spending, recent emergencies, the members,
 * the current classification, the latest risk snapshot and the latest visit — so only one row per
 * household crosses the wire. The records are read by id range on their household index.
 * `monitoringInputOf` (core/risk/monitoring-facts.ts) is the same reduction over a household
 * object; a medium test holds the two equal.
 */
import { sql, type Kysely } from 'kysely';
import { MONETARY_ASSET_KINDS } from '../../core/household/household.js';
import { ENROLLED_CATEGORIES, RIGID_CATEGORIES, type FactWindows, type IncomeSum, type MonitoringInput, type MonitoringMember, type MonitoringSnapshot } from '../../core/risk/index.js';
import type { Database } from '../schema.js';

/** The windows of each county in scope (parameters can differ by county). */
export type CountyWindows = ReadonlyMap<string, FactWindows>;

export interface PreviousRisk {
  asOf: string;
  level: 'green' | 'yellow' | 'orange' | 'red';
  mask: number;
  score: number;
  incomeGap: number;
  propertyGap: number;
  category: string | null;
  snapshot: MonitoringSnapshot;
  population: string;
  populationReasons: string[];
}

export interface MonitoringRow extends MonitoringInput {
  id: string;
  regionCode: string;
  /** Current classification category, or null when never classified. */
  category: string | null;
  previous: PreviousRisk | null;
  lastVisit: { visitedOn: string; findings: string[] } | null;
  /** Classified in an enrolled category at some time in the look-back window. */
  enrolledInLookback: boolean;
  /** Reasons of the referrals in the look-back window. */
  referrals: string[];
}

interface RawRow {
  id: string;
  region_code: string;
  members: [string, string, string, number, boolean, MonitoringMember['labourCapacity'], string | null][] | null;
  incomes: [string, string, number, number][] | null;
  receiving: boolean | null;
  assets: number | null;
  rigid: number | null;
  medical: number | null;
  emergencies: string[] | null;
  category: string | null;
  prev_as_of: string | null;
  prev_level: PreviousRisk['level'] | null;
  prev_mask: number | null;
  prev_score: number | null;
  prev_income_gap: number | null;
  prev_property_gap: number | null;
  prev_category: string | null;
  prev_snapshot: MonitoringSnapshot | null;
  prev_population: string | null;
  prev_population_reasons: string[] | null;
  visited_on: string | null;
  findings: string[] | null;
  enrolled_before: boolean | null;
  referrals: string[] | null;
}

const NIL = '00000000-0000-0000-0000-000000000000';

export class MonitoringRepository {
  constructor(private readonly db: Kysely<Database>) {}

  /** Up to `limit` households after `afterId` (id order) under `regionPrefix`, reduced for monitoring on `asOf`. */
  async readChunk(asOf: string, windows: CountyWindows, afterId: string | null, limit: number, regionPrefix: string): Promise<MonitoringRow[]> {
    // Every table is read by a household-id range: index range scans are always the right plan.
    // The planner can think otherwise when statistics are stale — above all risk_snapshots on a
    // first night, whose statistics say empty while the run's own uncommitted rows pile up (a
    // sequential scan then reads them all for every chunk). So sequential scans are off for this
    // statement, on one connection held for it.
    const pinned = async (db: Kysely<Database>): Promise<MonitoringRow[]> => {
      await sql`SET enable_seqscan = off`.execute(db);
      try {
        return await this.read(db, asOf, windows, afterId, limit, regionPrefix);
      } finally {
        await sql`RESET enable_seqscan`.execute(db);
      }
    };
    return this.db.isTransaction ? pinned(this.db) : this.db.connection().execute(pinned);
  }

  private async read(db: Kysely<Database>, asOf: string, windows: CountyWindows, afterId: string | null, limit: number, regionPrefix: string): Promise<MonitoringRow[]> {
    const counties = [...windows.keys()];
    const w = [...windows.values()];
    // Prorate an amount to the days of its period inside [first, asOf], half up to whole fen
    // (core/means-test/facts.ts prorateFen): whole when the period lies inside the window.
    const prorate = (amount: string, start: string, end: string, first: string) => {
      const [a, s, e, f] = [sql.ref(amount), sql.ref(start), sql.ref(end), sql.ref(first)];
      const overlap = sql`greatest(0, least(${e}, ${asOf}::date) - greatest(${s}, ${f}) + 1)`;
      return sql`CASE WHEN ${overlap} = ${e} - ${s} + 1 THEN ${a} ELSE (2 * ${a} * ${overlap} + (${e} - ${s} + 1)) / (2 * (${e} - ${s} + 1)) END`;
    };
    if (!/^\d{4}-\d{2}-\d{2}$/.test(asOf)) throw new RangeError('asOf: not an ISO date');
    // The chunk's id range first, as plain values: with them in the statement the planner reads
    // every table by range on its household index (bounds from a subquery leave it guessing).
    const first = afterId ?? NIL;
    const like = `${regionPrefix}%`;
    const bound = await sql<{ id: string }>`
      SELECT id FROM households WHERE id > ${first}::uuid AND region_code LIKE ${like} ORDER BY id OFFSET ${limit - 1} LIMIT 1`.execute(db);
    const last = bound.rows[0]?.id
      ?? (await sql<{ id: string }>`SELECT id FROM households WHERE id > ${first}::uuid AND region_code LIKE ${like} ORDER BY id DESC LIMIT 1`.execute(db)).rows[0]?.id;
    if (last === undefined) return [];
    const inRange = (col: string) => sql`${sql.ref(col)} > ${first}::uuid AND ${sql.ref(col)} <= ${last}::uuid`;
    const result = await sql<RawRow>`
      WITH w AS (
        SELECT * FROM unnest(${counties}::text[], ${w.map((x) => x.referenceFirst)}::date[], ${w.map((x) => x.recentFirst)}::date[], ${w.map((x) => x.eventFirst)}::date[],
                             ${w.map((x) => x.lookbackFirst)}::date[])
          AS w(county_code, reference_first, recent_first, event_first, lookback_first)
      ),
      h0 AS (SELECT id, region_code, county_code FROM households WHERE ${inRange('id')} AND region_code LIKE ${like}),
      h AS (SELECT h0.id, h0.region_code, w.reference_first, w.recent_first, w.event_first, w.lookback_first FROM h0 JOIN w ON w.county_code = h0.county_code),
      -- Members no longer counted on the date: their income stops counting.
      gone AS (SELECT m.id FROM members m WHERE ${inRange('m.household_id')} AND m.deceased_on <= ${asOf}::date),
      mem AS (
        SELECT m.household_id,
               json_agg(json_build_array(m.id, m.relation, m.birth_date, m.disability_grade, m.serious_illness, m.labour_capacity, m.deceased_on) ORDER BY m.position) AS members
        FROM members m WHERE ${inRange('m.household_id')}
        GROUP BY m.household_id
      ),
      inc_sums AS (
        SELECT r.household_id, r.category, r.subtype,
               sum(CASE WHEN r.member_id IS NULL OR r.member_id NOT IN (SELECT id FROM gone)
                        THEN ${prorate('r.amount_fen', 'r.period_start', 'r.period_end', 'h.reference_first')} ELSE 0 END)::bigint AS window_fen,
               sum(CASE WHEN r.member_id IS NULL OR r.member_id NOT IN (SELECT id FROM gone)
                        THEN ${prorate('r.amount_fen', 'r.period_start', 'r.period_end', 'h.recent_first')} ELSE 0 END)::bigint AS recent_fen,
               bool_or(r.subtype = 'social_assistance' AND r.period_end >= h.recent_first) AS receiving
        FROM income_records r
        JOIN h ON h.id = r.household_id
        WHERE ${inRange('r.household_id')}
          AND r.period_end >= least(h.reference_first, h.recent_first) AND r.period_start <= ${asOf}::date
        GROUP BY r.household_id, r.category, r.subtype
      ),
      inc AS (
        SELECT household_id, bool_or(receiving) AS receiving,
               json_agg(json_build_array(category, subtype, window_fen, recent_fen)) FILTER (WHERE window_fen <> 0 OR recent_fen <> 0) AS incomes
        FROM inc_sums GROUP BY household_id
      ),
      ast AS (
        SELECT a.household_id, sum(a.value_fen)::bigint AS assets
        FROM asset_records a
        WHERE ${inRange('a.household_id')} AND a.kind = ANY(${MONETARY_ASSET_KINDS}::text[]) AND a.as_of <= ${asOf}::date
        GROUP BY a.household_id
      ),
      exp AS (
        SELECT x.household_id,
               sum(${prorate('x.amount_fen', 'x.period_start', 'x.period_end', 'h.reference_first')})::bigint AS rigid,
               sum(CASE WHEN x.category = 'medical' THEN ${prorate('x.amount_fen', 'x.period_start', 'x.period_end', 'h.recent_first')} ELSE 0 END)::bigint AS medical
        FROM expenditure_records x
        JOIN h ON h.id = x.household_id
        WHERE ${inRange('x.household_id')} AND x.category = ANY(${RIGID_CATEGORIES}::text[])
          AND x.period_end >= least(h.reference_first, h.recent_first) AND x.period_start <= ${asOf}::date
        GROUP BY x.household_id
      ),
      ev AS (
        SELECT e.household_id, json_agg(e.kind ORDER BY e.occurred_on DESC, e.kind) AS emergencies
        FROM emergency_events e
        JOIN h ON h.id = e.household_id
        WHERE ${inRange('e.household_id')} AND e.occurred_on >= h.event_first AND e.occurred_on <= ${asOf}::date
        GROUP BY e.household_id
      ),
      prev AS (
        SELECT DISTINCT ON (s.household_id) s.household_id, s.as_of, s.level, s.mask, s.score, s.income_gap, s.property_gap, s.category, s.snapshot, s.population, s.population_reasons
        FROM risk_snapshots s
        WHERE ${inRange('s.household_id')} AND s.as_of < ${asOf}::date
        ORDER BY s.household_id, s.as_of DESC
      ),
      visit AS (
        SELECT DISTINCT ON (v.household_id) v.household_id, v.visited_on, v.findings
        FROM visits v
        WHERE ${inRange('v.household_id')} AND v.visited_on <= ${asOf}::date
        ORDER BY v.household_id, v.visited_on DESC, v.created_at DESC
      ),
      was AS (
        SELECT DISTINCT c.household_id
        FROM classification_results c
        JOIN h ON h.id = c.household_id
        WHERE ${inRange('c.household_id')} AND c.as_of >= h.lookback_first AND c.as_of <= ${asOf}::date
          AND c.category = ANY(${ENROLLED_CATEGORIES}::text[])
      ),
      refs AS (
        SELECT f.household_id, array_agg(DISTINCT f.reason) AS referrals
        FROM referrals f
        JOIN h ON h.id = f.household_id
        WHERE ${inRange('f.household_id')} AND f.referred_on >= h.lookback_first AND f.referred_on <= ${asOf}::date
        GROUP BY f.household_id
      )
      SELECT h.id, h.region_code, was.household_id IS NOT NULL AS enrolled_before, refs.referrals, mem.members, inc.incomes, inc.receiving, ast.assets, exp.rigid, exp.medical, ev.emergencies,
             st.category,
             prev.as_of AS prev_as_of, prev.level AS prev_level, prev.mask AS prev_mask, prev.score AS prev_score, prev.income_gap AS prev_income_gap,
             prev.property_gap AS prev_property_gap, prev.category AS prev_category, prev.snapshot AS prev_snapshot,
             prev.population AS prev_population, prev.population_reasons AS prev_population_reasons,
             visit.visited_on, visit.findings
      FROM h
      LEFT JOIN mem ON mem.household_id = h.id
      LEFT JOIN inc ON inc.household_id = h.id
      LEFT JOIN ast ON ast.household_id = h.id
      LEFT JOIN exp ON exp.household_id = h.id
      LEFT JOIN ev ON ev.household_id = h.id
      LEFT JOIN household_status st ON st.household_id = h.id AND ${inRange('st.household_id')}
      LEFT JOIN prev ON prev.household_id = h.id
      LEFT JOIN visit ON visit.household_id = h.id
      LEFT JOIN was ON was.household_id = h.id
      LEFT JOIN refs ON refs.household_id = h.id
      ORDER BY h.id`.execute(db);
    return result.rows.map(toRow);
  }
}

function toRow(r: RawRow): MonitoringRow {
  return {
    id: r.id,
    regionCode: r.region_code,
    members: (r.members ?? []).map(([id, relation, birthDate, disabilityGrade, seriousIllness, labourCapacity, deceasedOn]) => ({
      id, relation, birthDate, disabilityGrade, seriousIllness, labourCapacity, deceasedOn,
    })),
    incomeSums: (r.incomes ?? []).map(([category, subtype, windowFen, recentFen]): IncomeSum => ({ category, subtype, windowFen, recentFen })),
    receivingAssistance: r.receiving === true,
    monetaryAssetsFen: r.assets ?? 0,
    rigidExpenditureFen: r.rigid ?? 0,
    recentMedicalFen: r.medical ?? 0,
    recentEmergencies: r.emergencies ?? [],
    category: r.category,
    previous:
      r.prev_as_of === null
        ? null
        : {
            asOf: r.prev_as_of, level: r.prev_level!, mask: r.prev_mask!, score: r.prev_score!, incomeGap: r.prev_income_gap!, propertyGap: r.prev_property_gap!,
            category: r.prev_category, snapshot: r.prev_snapshot!, population: r.prev_population!, populationReasons: r.prev_population_reasons ?? [],
          },
    lastVisit: r.visited_on === null ? null : { visitedOn: r.visited_on, findings: r.findings ?? [] },
    enrolledInLookback: r.enrolled_before === true,
    referrals: r.referrals ?? [],
  };
}
