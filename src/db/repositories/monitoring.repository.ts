/**
 * The monitoring run's read: one statement per chunk of households (in id order) that reduces their
 * records inside the database — income pro-rated by day to the reference window and counted under
 * the county's exclusions and deductions, monetary assets, rigid and recent medical spending,
 * recent emergencies, the living members' count and family-structure flags, the current
 * classification, the latest stored risk state and the latest visit — so one row of plain columns
 * per household crosses the wire. The members' compact text comes back only when there is no
 * stored state or it differs from the stored one (then the stored one too). The records
 * are read by id range on their household index. `monitoringInputOf`
 * (core/risk/monitoring-facts.ts) is the same reduction over a household object; a medium test
 * holds the two equal.
 */
import { sql, type Kysely } from 'kysely';
import { MONETARY_ASSET_KINDS } from '../../core/household/household.js';
import { ENROLLED_CATEGORIES, RIGID_CATEGORIES, type FactWindows, type MonitoringInput, type MonitoringMember, type SnapshotMember } from '../../core/risk/index.js';
import type { Database } from '../schema.js';

/** Households with id in (after, last]; after null = from the first. */
export interface ChunkRange {
  after: string | null;
  last: string;
}

/** The reduction's windows and income lists of each county in scope (parameters can differ by county). */
export type CountyWindows = ReadonlyMap<string, FactWindows>;

export interface PreviousRisk {
  asOf: string;
  level: 'green' | 'yellow' | 'orange' | 'red';
  mask: number;
  score: number;
  category: string | null;
  population: string;
  populationReasons: string[];
  householdIncomeFen: number;
  wagesFen: number;
  recentMedicalFen: number;
  emergencies: string[];
  /** The members stored with the state when they differ from today's; null when they are the same. */
  changedMembers: SnapshotMember[] | null;
}

export interface MonitoringRow extends MonitoringInput {
  id: string;
  regionCode: string;
  /**
   * The members as the compact text the statement builds — stored with a new state and compared
   * with it the next time —, and parsed; both null when they equal the stored state's (most
   * households on most nights: the flags and the count come computed, the text stays in the database).
   */
  membersState: string | null;
  members: MonitoringMember[] | null;
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
  members: string | null;
  living: number | null;
  family: number | null;
  income: number | null;
  deductions: number | null;
  wages: number | null;
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
  prev_category: string | null;
  prev_income: number | null;
  prev_wages: number | null;
  prev_medical: number | null;
  prev_emergencies: string[] | null;
  prev_members: string | null;
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

  /**
   * The scope's households cut into ranges of `size` in id order: (after, last] pairs, so chunks
   * can be read independently (and at once, on several connections).
   */
  async chunkRanges(regionPrefix: string, size: number): Promise<ChunkRange[]> {
    const rows = await sql<{ id: string }>`
      SELECT id FROM (SELECT id, row_number() OVER (ORDER BY id) AS rn, count(*) OVER () AS n FROM households WHERE region_code LIKE ${`${regionPrefix}%`}) x
      WHERE rn % ${size} = 0 OR rn = n ORDER BY id`.execute(this.db);
    return rows.rows.map((r, i) => ({ after: i === 0 ? null : rows.rows[i - 1]!.id, last: r.id }));
  }

  /** The households of one range under `regionPrefix`, reduced for monitoring on `asOf`. */
  async readRange(asOf: string, windows: CountyWindows, range: ChunkRange, regionPrefix: string): Promise<MonitoringRow[]> {
    // Every table is read by a household-id range and every part is grouped by household: index
    // range scans joined by merge or hash joins are always the right plan. The planner can think
    // otherwise when its estimates are off — risk_snapshots on a first night, whose statistics
    // say empty while the run's own uncommitted rows pile up (a sequential scan then read them all
    // for every chunk); a narrow id range estimated at one household at a million households (a
    // nested loop then recomputed a whole aggregate for each of the 5,000). So sequential scans and
    // nested loops are off for this statement, on one connection held for it.
    const pinned = async (db: Kysely<Database>): Promise<MonitoringRow[]> => {
      await sql`SET enable_seqscan = off`.execute(db);
      await sql`SET enable_nestloop = off`.execute(db);
      try {
        return await this.read(db, asOf, windows, range, regionPrefix);
      } finally {
        await sql`RESET enable_seqscan`.execute(db);
        await sql`RESET enable_nestloop`.execute(db);
      }
    };
    return this.db.isTransaction ? pinned(this.db) : this.db.connection().execute(pinned);
  }

  private async read(db: Kysely<Database>, asOf: string, windows: CountyWindows, range: ChunkRange, regionPrefix: string): Promise<MonitoringRow[]> {
    const counties = [...windows.keys()];
    const w = [...windows.values()];
    // Prorate an amount to the days of its period inside [first, asOf], half up to whole fen
    // (core/means-test/facts.ts prorateFen): whole when the period lies inside the window.
    const prorate = (amount: string, start: string, end: string, first: string) => {
      const [a, s, e, f] = [sql.ref(amount), sql.ref(start), sql.ref(end), sql.ref(first)];
      const overlap = sql`greatest(0, least(${e}, ${asOf}::date) - greatest(${s}, ${f}) + 1)`;
      return sql`CASE WHEN ${s} >= ${f} AND ${e} <= ${asOf}::date THEN ${a} ELSE (2 * ${a} * ${overlap} + (${e} - ${s} + 1)) / (2 * (${e} - ${s} + 1)) END`;
    };
    if (!/^\d{4}-\d{2}-\d{2}$/.test(asOf)) throw new RangeError('asOf: not an ISO date');
    // The chunk's id range as plain values: with them in the statement the planner reads every
    // table by range on its household index (bounds from a subquery leave it guessing).
    const first = range.after ?? NIL;
    const last = range.last;
    const like = `${regionPrefix}%`;
    const inRange = (col: string) => sql`${sql.ref(col)} > ${first}::uuid AND ${sql.ref(col)} <= ${last}::uuid`;
    const windowFen = prorate('r.amount_fen', 'r.period_start', 'r.period_end', 'h.reference_first');
    const result = await sql<RawRow>`
      WITH w AS (
        SELECT county_code, reference_first, recent_first, event_first, lookback_first, string_to_array(excl, ',') AS excl, string_to_array(ded, ',') AS ded,
               elderly_age, minor_age, severe_grade
        FROM unnest(${counties}::text[], ${w.map((x) => x.referenceFirst)}::date[], ${w.map((x) => x.recentFirst)}::date[], ${w.map((x) => x.eventFirst)}::date[],
                    ${w.map((x) => x.lookbackFirst)}::date[], ${w.map((x) => x.incomeExclusions.join(','))}::text[], ${w.map((x) => x.incomeDeductions.join(','))}::text[],
                    ${w.map((x) => x.family.elderlyAge)}::int[], ${w.map((x) => x.family.minorAge)}::int[], ${w.map((x) => x.family.severeDisabilityMaxGrade)}::int[])
          AS w(county_code, reference_first, recent_first, event_first, lookback_first, excl, ded, elderly_age, minor_age, severe_grade)
      ),
      h AS (
        SELECT h0.id, h0.region_code, w.reference_first, w.recent_first, w.event_first, w.lookback_first, w.excl, w.ded, w.elderly_age, w.minor_age, w.severe_grade
        FROM households h0 JOIN w ON w.county_code = h0.county_code
        WHERE ${inRange('h0.id')} AND h0.region_code LIKE ${like}
      ),
      -- Members no longer living on the date: their income stops counting.
      gone AS (
        SELECT m.id FROM members m
        WHERE ${inRange('m.household_id')} AND m.deceased_on IS NOT NULL AND m.deceased_on <= ${asOf}::date
      ),
      -- The members: their compact text, and the count and family-structure flags of the living
      -- (core/risk/six-dimensions.ts familyFlagsOf: bit 1 no labour capacity, 2 elderly alone,
      -- 4 severe disability, 8 serious illness, 16 minors without an adult, 32 single parent).
      mem AS (
        SELECT m.household_id,
               string_agg(concat_ws(',', m.id, m.relation, m.birth_date, m.disability_grade, CASE WHEN m.serious_illness THEN 1 ELSE 0 END, m.labour_capacity,
                                    CASE WHEN m.alive THEN 0 ELSE 1 END), ';' ORDER BY m.position) AS members,
               count(*) FILTER (WHERE m.alive)::int AS living,
               CASE WHEN bool_and(m.age >= m.elderly_age OR m.age < m.minor_age OR m.severe OR m.labour_capacity = 'none') FILTER (WHERE m.alive) THEN 1 ELSE 0 END
               | CASE WHEN count(*) FILTER (WHERE m.alive) = 1 AND bool_or(m.age >= m.elderly_age) FILTER (WHERE m.alive) THEN 2 ELSE 0 END
               | CASE WHEN bool_or(m.severe) FILTER (WHERE m.alive) THEN 4 ELSE 0 END
               | CASE WHEN bool_or(m.serious_illness) FILTER (WHERE m.alive) THEN 8 ELSE 0 END
               | CASE WHEN count(*) FILTER (WHERE m.alive AND m.age < 18) > 0 AND count(*) FILTER (WHERE m.alive AND m.age >= 18) = 0 THEN 16 ELSE 0 END
               | CASE WHEN bool_or(m.relation = 'child' AND m.age < 18) FILTER (WHERE m.alive) AND NOT coalesce(bool_or(m.relation = 'spouse') FILTER (WHERE m.alive), false)
                           AND count(*) FILTER (WHERE m.alive AND m.age >= 18) >= 1 THEN 32 ELSE 0 END AS family
        FROM (
          SELECT m.household_id, m.id, m.position, m.relation, m.birth_date, m.disability_grade, m.serious_illness, m.labour_capacity,
                 m.deceased_on IS NULL OR m.deceased_on > ${asOf}::date AS alive,
                 -- full years on the date (dates.ts fullYears)
                 date_part('year', age(${asOf}::date, m.birth_date))::int AS age,
                 m.disability_grade > 0 AND m.disability_grade <= h.severe_grade AS severe, h.elderly_age, h.minor_age
          FROM members m JOIN h ON h.id = m.household_id
          WHERE ${inRange('m.household_id')}
        ) m
        GROUP BY m.household_id
      ),
      -- Each income record once: its pro-rated amount and what it counts as under the county's
      -- lists (0 not counted, 1 income, 2 wages — income too —, 3 a deduction). OFFSET 0 keeps the
      -- amount computed once per record rather than once per sum below; the
      -- records come in household order, so the sums need no sort.
      inc_rows AS (
        SELECT r.household_id, r.subtype, r.period_end >= h.recent_first AS recent,
               CASE WHEN r.member_id = ANY(ARRAY(SELECT id FROM gone)) THEN 0
                    WHEN r.category = 'deduction' THEN CASE WHEN r.subtype = ANY(h.ded) THEN 3 ELSE 0 END
                    WHEN r.subtype = ANY(h.excl) THEN 0
                    WHEN r.category = 'wages' THEN 2 ELSE 1 END AS kind,
               ${windowFen} AS fen
        FROM income_records r
        JOIN h ON h.id = r.household_id
        WHERE ${inRange('r.household_id')}
          AND r.period_end >= least(h.reference_first, h.recent_first) AND r.period_start <= ${asOf}::date
        ORDER BY r.household_id
        OFFSET 0
      ),
      inc AS (
        SELECT household_id,
               sum(fen) FILTER (WHERE kind = 1 OR kind = 2)::bigint AS income,
               sum(fen) FILTER (WHERE kind = 3)::bigint AS deductions,
               sum(fen) FILTER (WHERE kind = 2)::bigint AS wages,
               bool_or(subtype = 'social_assistance' AND recent) AS receiving
        FROM inc_rows
        GROUP BY household_id
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
        SELECT e.household_id, array_agg(e.kind ORDER BY e.occurred_on DESC, e.kind) AS emergencies
        FROM emergency_events e
        JOIN h ON h.id = e.household_id
        WHERE ${inRange('e.household_id')} AND e.occurred_on >= h.event_first AND e.occurred_on <= ${asOf}::date
        GROUP BY e.household_id
      ),
      prev AS (
        SELECT DISTINCT ON (s.household_id) s.household_id, s.as_of, s.level, s.mask, s.score, s.category, s.population, s.population_reasons, s.members_state,
               -- states stored before migration 0007 hold these in their JSON snapshot
               coalesce(s.income_fen, (s.snapshot->>'householdIncomeFen')::bigint) AS income, coalesce(s.wages_fen, (s.snapshot->>'wagesFen')::bigint) AS wages,
               coalesce(s.medical_fen, (s.snapshot->>'recentMedicalFen')::bigint) AS medical,
               coalesce(s.emergencies, ARRAY(SELECT jsonb_array_elements_text(s.snapshot->'emergencies'))) AS emergencies,
               CASE WHEN s.members_state IS NULL THEN (s.snapshot->'members')::text END AS old_members
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
      SELECT h.id, h.region_code, was.household_id IS NOT NULL AS enrolled_before, refs.referrals, mem.living, mem.family,
             -- the members' text ('' for none) only when there is no stored state to compare with or it differs
             CASE WHEN prev.household_id IS NULL OR prev.members_state IS DISTINCT FROM coalesce(mem.members, '') THEN coalesce(mem.members, '') END AS members,
             inc.income, inc.deductions, inc.wages, inc.receiving, ast.assets, exp.rigid, exp.medical, ev.emergencies, st.category,
             prev.as_of AS prev_as_of, prev.level AS prev_level, prev.mask AS prev_mask, prev.score AS prev_score, prev.category AS prev_category,
             prev.income AS prev_income, prev.wages AS prev_wages, prev.medical AS prev_medical, prev.emergencies AS prev_emergencies,
             CASE WHEN prev.members_state IS DISTINCT FROM coalesce(mem.members, '') THEN coalesce(prev.members_state, prev.old_members) END AS prev_members,
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

const LABOUR = new Set<string>(['full', 'partial', 'none']);

/** Parses the compact members text: `id,relation,birth date,disability grade,ill 0/1,labour capacity,deceased 0/1` joined by ';'. */
export function parseMembers(text: string | null): MonitoringMember[] {
  if (text === null || text === '') return [];
  return text.split(';').map((m) => {
    const [id, relation, birthDate, grade, ill, labour, dead] = m.split(',');
    if (dead === undefined || !LABOUR.has(labour!)) throw new Error('monitoring read: malformed members text');
    return { id: id!, relation: relation!, birthDate: birthDate!, disabilityGrade: Number(grade), seriousIllness: ill === '1', labourCapacity: labour as MonitoringMember['labourCapacity'], deceased: dead === '1' };
  });
}

/** The members of a stored state: the compact text, or JSON for states stored before it existed. */
function storedMembers(text: string): SnapshotMember[] {
  if (text.startsWith('[')) return JSON.parse(text) as SnapshotMember[];
  return parseMembers(text).map((m) => ({ id: m.id, disabilityGrade: m.disabilityGrade, seriousIllness: m.seriousIllness, labourCapacity: m.labourCapacity, deceased: m.deceased }));
}

function toRow(r: RawRow): MonitoringRow {
  return {
    id: r.id,
    regionCode: r.region_code,
    livingMembers: r.living ?? 0,
    familyFlags: r.family ?? 0,
    membersState: r.members,
    members: r.members === null ? null : parseMembers(r.members),
    householdIncomeFen: Math.max(0, (r.income ?? 0) - (r.deductions ?? 0)),
    wagesFen: r.wages ?? 0,
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
            asOf: r.prev_as_of, level: r.prev_level!, mask: r.prev_mask!, score: r.prev_score!, category: r.prev_category,
            population: r.prev_population!, populationReasons: r.prev_population_reasons ?? [],
            householdIncomeFen: r.prev_income ?? 0, wagesFen: r.prev_wages ?? 0, recentMedicalFen: r.prev_medical ?? 0, emergencies: r.prev_emergencies ?? [],
            changedMembers: r.prev_members === null ? null : storedMembers(r.prev_members),
          },
    lastVisit: r.visited_on === null ? null : { visitedOn: r.visited_on, findings: r.findings ?? [] },
    enrolledInLookback: r.enrolled_before === true,
    referrals: r.referrals ?? [],
  };
}
