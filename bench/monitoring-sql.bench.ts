/**
 * Monitoring benchmark (c): the six-dimension rules written as ONE SQL statement inside PostgreSQL
 * (facts with day pro-rating, exclusions and deductions, family flags, assistance and visit
 * indicators, weighted score and level, written to a table) against Zhongfu's end-to-end
 * `runMonitoring` on the same database, checking that both give the same level (and the same
 * deprivation mask) for every household.
 * Run: npx tsx bench/monitoring-sql.bench.ts [households=100000]
 * PostgreSQL server: BENCH_PG (default postgres://postgres@127.0.0.1:5432); a fresh database is
 * created and dropped (BENCH_KEEP=1 keeps it; BENCH_DB=name reuses a kept one, or loads it when it is empty). BENCH_RUNS sets the
 * repetitions (default 3). BENCH_LOAD_ONLY=1 stops after loading (for a later BENCH_DB run). BENCH_EXPLAIN=1 also prints the statement's EXPLAIN (ANALYZE, BUFFERS).
 */
import os from 'node:os';
import pg from 'pg';
import { Kysely, PostgresDialect, sql } from 'kysely';
import { openPlatform } from '../src/app/setup/open-platform.js';
import { loadDemo } from '../src/app/setup/load-demo.js';
import { classifyAll } from '../src/app/classification/classify-all.js';
import { runMonitoring } from '../src/app/monitoring/run-monitoring.js';
import { addMonths, dayNumber, fromDayNumber } from '../src/core/dates/dates.js';
import { parametersAt, resolvedKey } from '../src/core/policy/parameters.js';
import { deriveRiskThresholds } from '../src/core/risk/index.js';
import { MONETARY_ASSET_KINDS } from '../src/core/household/household.js';
import type { Database } from '../src/db/schema.js';

const N = Number(process.argv[2] ?? 100_000);
const AS_OF = '2026-11-29';
const addDays = (iso: string, days: number): string => fromDayNumber(dayNumber(iso) + days);
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const BASE = process.env.BENCH_PG ?? 'postgres://postgres@127.0.0.1:5432';
// BENCH_DB: reuse a database an earlier run of this bench loaded (kept, not dropped) — a million
// households take minutes to load and classify.
const REUSE = process.env.BENCH_DB;
const DB = REUSE ?? `zf_bench_monsql_${process.pid}`;

const admin = async (statement: string): Promise<void> => {
  const c = new pg.Client({ connectionString: `${BASE}/postgres` });
  await c.connect();
  try {
    await c.query(statement);
  } finally {
    await c.end();
  }
};
const fmt = (x: number): string => Math.round(x).toLocaleString('en-US');
const secs = (ms: number): string => `${(ms / 1000).toFixed(2)} s`;

if (!REUSE) await admin(`CREATE DATABASE ${DB}`);
const platform = await openPlatform({ databaseUrl: `${BASE}/${DB}` });
try {
  const { ctx } = platform;
  const db = ctx.db;

  // 1. Population: the project's own demo loader and bulk classifier (household_status feeds the
  //    assistance dimension).
  const have = async (table: 'households' | 'household_status'): Promise<number> => (await sql<{ n: number }>`SELECT count(*)::int AS n FROM ${sql.table(table)}`.execute(db)).rows[0]!.n;
  let t0 = performance.now();
  // A reused database is loaded when it is empty (created by hand), refused when it holds another N.
  const existing = REUSE ? await have('households') : 0;
  if (existing !== 0 && existing !== N) throw new Error(`BENCH_DB ${DB} holds ${existing} households, not ${N}`);
  if (existing === 0) await loadDemo(ctx, { households: N, seed: 1, asOf: AS_OF });
  const loadMs = performance.now() - t0;
  t0 = performance.now();
  if (!REUSE || (await have('household_status')) === 0) await classifyAll(ctx, { asOf: AS_OF });
  const classifyMs = performance.now() - t0;
  if (REUSE) {
    // A rerun starts from the loaded registry: no monitoring state of an earlier run.
    for (const t of ['alert_events', 'alerts', 'region_indices', 'risk_snapshots', 'monitoring_runs']) await sql`DELETE FROM ${sql.table(t)}`.execute(db);
  }
  await sql`VACUUM ANALYZE`.execute(db);
  if (process.env.BENCH_LOAD_ONLY) {
    console.log(`loaded ${DB}: loadDemo ${secs(loadMs)}, classifyAll ${secs(performance.now() - t0)}`);
    process.exit(0);
  }
  const loaded = { households: await have('households'), members: (await sql<{ n: number }>`SELECT count(*)::int AS n FROM members`.execute(db)).rows[0]!.n };
  const counts = (await sql<{ incomes: number; assets: number; expenditures: number; visits: number }>`
    SELECT (SELECT count(*) FROM income_records)::int AS incomes, (SELECT count(*) FROM asset_records)::int AS assets,
           (SELECT count(*) FROM expenditure_records)::int AS expenditures, (SELECT count(*) FROM visits)::int AS visits`.execute(db)).rows[0]!;

  // The parameters the SQL uses: the same resolution Zhongfu does per county; the bench inlines
  // one set, so it checks that every county in the data resolves to the same set.
  const counties = (await sql<{ county_code: string }>`SELECT DISTINCT county_code FROM households`.execute(db)).rows.map((r) => r.county_code);
  const resolved = counties.map((c) => parametersAt(ctx.policy, c, AS_OF));
  const keys = new Set(resolved.map(resolvedKey));
  if (keys.size !== 1) throw new Error(`the SQL inlines one parameter set, but the counties resolve to ${keys.size}`);
  const p = resolved[0]!.values;
  const t = deriveRiskThresholds(p);
  type Params = { asOf: string; winStart: string; recentStart: string };
  const paramsOn = (asOf: string): Params => ({
    asOf,
    // First day of the income reference period and of the "recent" (social-assistance) window,
    // exactly as computeFacts / runMonitoring derive them.
    winStart: addMonths(asOf, -p.incomeReferenceMonths),
    recentStart: addMonths(asOf, -p.temporaryExpenditureMonths),
  });

  // 2. The six-dimension rules as one statement.
  const riskSql = (into: string, params: Params) => sql`
    CREATE TABLE ${sql.table(into)} AS
    WITH
    living AS (
      SELECT m.household_id, m.relation, m.disability_grade, m.serious_illness, m.labour_capacity,
             date_part('year', ${params.asOf}::date)::int - date_part('year', m.birth_date)::int
               - (to_char(m.birth_date, 'MMDD') > to_char(${params.asOf}::date, 'MMDD'))::int AS age
      FROM members m
      WHERE m.deceased_on IS NULL OR m.deceased_on > ${params.asOf}::date
    ),
    fam AS (
      SELECT household_id,
             count(*)::int AS n,
             bool_and(age >= ${p.elderlyAge} OR age < ${p.minorAge} OR (disability_grade > 0 AND disability_grade <= ${p.severeDisabilityMaxGrade}) OR labour_capacity = 'none') AS no_capacity,
             count(*) = 1 AND max(age) >= ${p.elderlyAge} AS elderly_alone,
             bool_or(disability_grade > 0 AND disability_grade <= ${p.severeDisabilityMaxGrade}) AS severe_disability,
             bool_or(serious_illness) AS serious_illness,
             count(*) FILTER (WHERE age < 18) > 0 AND count(*) FILTER (WHERE age >= 18) = 0 AS minor_alone,
             bool_or(relation = 'child' AND age < 18) AND NOT bool_or(relation = 'spouse') AND count(*) FILTER (WHERE age >= 18) >= 1 AS single_parent
      FROM living GROUP BY household_id
    ),
    inc_rows AS (
      SELECT r.household_id, r.category, r.subtype, r.period_start, r.period_end,
             -- income of a member who has died (or is not in the household) no longer counts
             (r.member_id IS NULL OR (m.household_id = r.household_id AND (m.deceased_on IS NULL OR m.deceased_on > ${params.asOf}::date))) AS counts,
             CASE WHEN o.days = r.period_end - r.period_start + 1 THEN r.amount_fen
                  ELSE (2 * r.amount_fen * o.days + (r.period_end - r.period_start + 1)) / (2 * (r.period_end - r.period_start + 1)) END AS amount
      FROM income_records r
      LEFT JOIN members m ON m.id = r.member_id
      CROSS JOIN LATERAL (SELECT greatest(0, least(r.period_end, ${params.asOf}::date) - greatest(r.period_start, ${params.winStart}::date + 1) + 1) AS days) o
      WHERE r.period_end > ${params.winStart}::date AND r.period_start <= ${params.asOf}::date
    ),
    inc AS (
      SELECT household_id,
             coalesce(sum(amount) FILTER (WHERE counts AND category <> 'deduction' AND NOT (subtype = ANY(${p.incomeExclusions}::text[]))), 0) AS gross,
             coalesce(sum(amount) FILTER (WHERE counts AND category = 'deduction' AND subtype = ANY(${p.incomeDeductions}::text[])), 0) AS deductions,
             bool_or(subtype = 'social_assistance' AND period_end > ${params.recentStart}::date) AS receiving
      FROM inc_rows GROUP BY household_id
    ),
    ast AS (
      SELECT household_id, sum(value_fen) AS monetary
      FROM asset_records WHERE kind = ANY(${MONETARY_ASSET_KINDS}::text[]) AND as_of <= ${params.asOf}::date
      GROUP BY household_id
    ),
    rigid AS (
      SELECT x.household_id,
             sum(CASE WHEN o.days = x.period_end - x.period_start + 1 THEN x.amount_fen
                      ELSE (2 * x.amount_fen * o.days + (x.period_end - x.period_start + 1)) / (2 * (x.period_end - x.period_start + 1)) END) AS rigid
      FROM expenditure_records x
      CROSS JOIN LATERAL (SELECT greatest(0, least(x.period_end, ${params.asOf}::date) - greatest(x.period_start, ${params.winStart}::date + 1) + 1) AS days) o
      WHERE x.category IN ('medical', 'education', 'rehabilitation', 'accident')
        AND x.period_end > ${params.winStart}::date AND x.period_start <= ${params.asOf}::date
      GROUP BY x.household_id
    ),
    prev AS (
      SELECT DISTINCT ON (household_id) household_id, category
      FROM risk_snapshots WHERE as_of < ${params.asOf}::date ORDER BY household_id, as_of DESC
    ),
    visit AS (
      SELECT DISTINCT ON (household_id) household_id, visited_on, findings
      FROM visits WHERE visited_on <= ${params.asOf}::date ORDER BY household_id, visited_on DESC
    ),
    facts AS (
      SELECT h.id AS household_id,
             greatest(least(coalesce(f.n, 0), 255), 1) AS mm,
             greatest(0, coalesce(i.gross, 0) - coalesce(i.deductions, 0))::bigint AS income,
             coalesce(a.monetary, 0)::bigint AS assets,
             coalesce(r.rigid, 0)::bigint AS rigid,
             (CASE WHEN coalesce(f.no_capacity, false) THEN 1 ELSE 0 END | CASE WHEN coalesce(f.elderly_alone, false) THEN 2 ELSE 0 END
              | CASE WHEN coalesce(f.severe_disability, false) THEN 4 ELSE 0 END | CASE WHEN coalesce(f.serious_illness, false) THEN 8 ELSE 0 END
              | CASE WHEN coalesce(f.minor_alone, false) THEN 16 ELSE 0 END | CASE WHEN coalesce(f.single_parent, false) THEN 32 ELSE 0 END) AS family_flags,
             (CASE WHEN coalesce(s.category IN ('dibao', 'extreme_poverty'), false) AND NOT coalesce(i.receiving, false) THEN 1 ELSE 0 END
              | CASE WHEN coalesce(pv.category IN ('dibao', 'extreme_poverty'), false) AND NOT coalesce(s.category IN ('dibao', 'extreme_poverty'), false) THEN 2 ELSE 0 END) AS assistance_flags,
             CASE WHEN v.visited_on IS NULL THEN 65535 ELSE least(65534, ${params.asOf}::date - v.visited_on) END AS days_since_visit,
             coalesce(cardinality(array_remove(v.findings, 'none')), 0) AS visit_problems,
             coalesce('unsafe_housing' = ANY(v.findings), false) AS unsafe
      FROM households h
      LEFT JOIN fam f ON f.household_id = h.id
      LEFT JOIN inc i ON i.household_id = h.id
      LEFT JOIN ast a ON a.household_id = h.id
      LEFT JOIN rigid r ON r.household_id = h.id
      LEFT JOIN household_status s ON s.household_id = h.id
      LEFT JOIN prev pv ON pv.household_id = h.id
      LEFT JOIN visit v ON v.household_id = h.id
    ),
    dims AS (
      SELECT facts.*,
             family_flags <> 0 AS d_family,
             income < ${t.marginalLineFen}::bigint * ${p.incomeReferenceMonths} * mm AS d_income,
             assets < ${t.assetBufferFen}::bigint * mm OR unsafe AS d_property,
             rigid > 0 AND rigid * 10000 > ${t.expenditureRatioBp}::bigint * income AS d_expenditure,
             assistance_flags <> 0 AS d_assistance,
             days_since_visit > ${t.visitIntervalDays} OR visit_problems > 0 AS d_visits
      FROM facts
    ),
    scored AS (
      SELECT dims.*,
             d_family::int + 2 * d_income::int + 4 * d_property::int + 8 * d_expenditure::int + 16 * d_assistance::int + 32 * d_visits::int AS mask,
             ${t.weights[0]!}::float8 * d_family::int + ${t.weights[1]!}::float8 * d_income::int + ${t.weights[2]!}::float8 * d_property::int
               + ${t.weights[3]!}::float8 * d_expenditure::int + ${t.weights[4]!}::float8 * d_assistance::int + ${t.weights[5]!}::float8 * d_visits::int AS score
      FROM dims
    )
    SELECT household_id, mm AS members, income, assets, rigid, family_flags, assistance_flags, days_since_visit, visit_problems, unsafe, mask, score,
           CASE WHEN score >= ${t.red}::float8 - 1e-9 THEN 'red' WHEN score >= ${t.orange}::float8 - 1e-9 THEN 'orange'
                WHEN score >= ${t.k}::float8 - 1e-9 THEN 'yellow' ELSE 'green' END AS level,
           CASE WHEN d_income THEN greatest(0, 1 - income::float8 / (${t.marginalLineFen}::float8 * ${p.incomeReferenceMonths} * mm)) ELSE 0 END AS income_gap,
           CASE WHEN unsafe THEN 1 ELSE greatest(0, 1 - assets::float8 / (${t.assetBufferFen}::float8 * mm)) END AS property_gap
    FROM scored`;

  // The peer runs on its own connection with the server's settings (the platform's pool turns JIT
  // off for its own statements — ADR 0005); the JIT-off variant sets it for its transaction.
  const peerPool = new pg.Pool({ connectionString: `${BASE}/${DB}`, max: 1 });
  const peer = new Kysely<Database>({ dialect: new PostgresDialect({ pool: peerPool }) });
  const timeSql = async (kdb: Kysely<Database>, params: Params): Promise<number> => {
    await sql`DROP TABLE IF EXISTS bench_sql_risk`.execute(kdb);
    const s = performance.now();
    await riskSql('bench_sql_risk', params).execute(kdb);
    return performance.now() - s;
  };

  // Zhongfu end to end: runMonitoring (a date is done once run; clear the date between runs).
  const clearDate = async (asOf: string): Promise<void> => {
    const runs = sql`(SELECT id FROM monitoring_runs WHERE as_of = ${asOf}::date)`;
    await sql`DELETE FROM alert_events WHERE alert_id IN (SELECT id FROM alerts WHERE run_id IN ${runs})`.execute(db);
    await sql`DELETE FROM alerts WHERE run_id IN ${runs}`.execute(db);
    await sql`DELETE FROM region_indices WHERE run_id IN ${runs}`.execute(db);
    await sql`DELETE FROM risk_snapshots WHERE as_of = ${asOf}::date`.execute(db);
    await sql`DELETE FROM monitoring_runs WHERE as_of = ${asOf}::date`.execute(db);
    await sql`VACUUM ANALYZE alerts, region_indices, risk_snapshots, monitoring_runs`.execute(db);
  };

  /** One night: the SQL statement (JIT default, JIT off) and runMonitoring, best of RUNS each, and their agreement. */
  const night = async (asOf: string) => {
    const params = paramsOn(asOf);
    const sqlTimes: number[] = [];
    for (let r = 0; r < RUNS; r++) sqlTimes.push(await timeSql(peer, params));
    const noJitTimes: number[] = [];
    for (let r = 0; r < RUNS; r++) {
      noJitTimes.push(await peer.transaction().execute(async (trx) => {
        await sql`SET LOCAL jit = off`.execute(trx);
        return timeSql(trx, params);
      }));
    }
    const zfTimes: number[] = [];
    let last = null as Awaited<ReturnType<typeof runMonitoring>> | null;
    for (let r = 0; r < RUNS; r++) {
      await clearDate(asOf);
      const s = performance.now();
      last = await runMonitoring(ctx, { asOf });
      zfTimes.push(performance.now() - s);
    }
    // Same level and mask for every household? Zhongfu stores a state when it moves, so its
    // current state is the latest stored one on or before the date.
    const latest = sql`(SELECT DISTINCT ON (household_id) * FROM risk_snapshots WHERE as_of <= ${asOf}::date ORDER BY household_id, as_of DESC)`;
    const cmp = (await sql<{ households: number; level_diff: number; mask_diff: number; missing: number; sql_at_risk: number; zf_at_risk: number }>`
      SELECT count(*)::int AS households,
             count(*) FILTER (WHERE z.level IS DISTINCT FROM q.level)::int AS level_diff,
             count(*) FILTER (WHERE z.mask IS DISTINCT FROM q.mask)::int AS mask_diff,
             count(*) FILTER (WHERE z.household_id IS NULL OR q.household_id IS NULL)::int AS missing,
             count(*) FILTER (WHERE q.level <> 'green')::int AS sql_at_risk,
             count(*) FILTER (WHERE z.level <> 'green')::int AS zf_at_risk
      FROM ${latest} z FULL JOIN bench_sql_risk q ON q.household_id = z.household_id`.execute(db)).rows[0]!;
    if (cmp.level_diff > 0 || cmp.mask_diff > 0) {
      const sample = await sql`
        SELECT q.*, z.level AS zf_level, z.mask AS zf_mask FROM bench_sql_risk q JOIN ${latest} z ON z.household_id = q.household_id
        WHERE z.mask <> q.mask OR z.level <> q.level LIMIT 5`.execute(db);
      console.log('disagreements (sample):', sample.rows);
    }
    const mix = (await sql<{ level: string; n: number }>`SELECT level, count(*)::int AS n FROM bench_sql_risk GROUP BY level ORDER BY n DESC`.execute(db)).rows;
    return { asOf, sqlMs: Math.min(...sqlTimes), noJitMs: Math.min(...noJitTimes), zfMs: Math.min(...zfTimes), sqlTimes, noJitTimes, zfTimes, last, cmp, mix };
  };

  const nights = [await night(AS_OF), await night(addDays(AS_OF, 1))];

  // Optional: where the statement's time goes (BENCH_EXPLAIN=1).
  if (process.env.BENCH_EXPLAIN) {
    await sql`DROP TABLE IF EXISTS bench_sql_explain`.execute(peer);
    const plan = await sql<{ 'QUERY PLAN': string }>`EXPLAIN (ANALYZE, BUFFERS) ${riskSql('bench_sql_explain', paramsOn(AS_OF))}`.execute(peer);
    console.log(plan.rows.map((r) => r['QUERY PLAN']).join('\n'));
  }
  await peer.destroy();

  // Report.
  const pgVersion = (await sql<{ v: string }>`SELECT current_setting('server_version') AS v`.execute(db)).rows[0]!.v;
  const settings = (await sql<{ name: string; setting: string }>`
    SELECT name, setting FROM pg_settings WHERE name IN ('shared_buffers', 'work_mem', 'max_parallel_workers_per_gather') ORDER BY name`.execute(db)).rows;
  console.log(`machine: ${os.cpus()[0]?.model ?? 'cpu'} × ${os.availableParallelism()}, Node ${process.version}, PostgreSQL ${pgVersion} (${settings.map((s) => `${s.name}=${s.setting}`).join(', ')})`);
  console.log(`households: ${fmt(loaded.households)}, members ${fmt(loaded.members)}, income records ${fmt(counts.incomes)}, asset ${fmt(counts.assets)}, expenditure ${fmt(counts.expenditures)}, visits ${fmt(counts.visits)}`);
  console.log(`setup: loadDemo ${secs(loadMs)}, classifyAll ${secs(classifyMs)}`);
  for (const [i, n] of nights.entries()) {
    console.log(`\n${i === 0 ? 'first night' : 'next night'} (${n.asOf}), best of ${RUNS}:`);
    console.log(`  SQL statement, server default (JIT on): ${secs(n.sqlMs)}  (${fmt(N / (n.sqlMs / 1000))} households/s; runs ${n.sqlTimes.map(secs).join(', ')})`);
    console.log(`  SQL statement, SET LOCAL jit = off:      ${secs(n.noJitMs)}  (${fmt(N / (n.noJitMs / 1000))} households/s; runs ${n.noJitTimes.map(secs).join(', ')})`);
    console.log(`  Zhongfu runMonitoring end to end:        ${secs(n.zfMs)}  (${fmt(N / (n.zfMs / 1000))} households/s; runs ${n.zfTimes.map(secs).join(', ')})`);
    console.log(`    ${fmt(n.last?.households ?? 0)} households, ${fmt(n.last?.atRisk ?? 0)} at risk, ${fmt(n.last?.changed ?? 0)} states stored, ${fmt(n.last?.alertsCreated ?? 0)} alerts created, ${fmt(n.last?.alertsUpdated ?? 0)} raised`);
    console.log(`  ratio SQL / Zhongfu time: ${(n.sqlMs / n.zfMs).toFixed(2)} (JIT on), ${(n.noJitMs / n.zfMs).toFixed(2)} (JIT off); above 1 = Zhongfu faster`);
    console.log(`  agreement: ${fmt(n.cmp.households)} households, ${n.cmp.missing} missing on one side, level disagreements ${n.cmp.level_diff}, mask disagreements ${n.cmp.mask_diff}`);
    console.log(`  at risk: SQL ${fmt(n.cmp.sql_at_risk)}, Zhongfu ${fmt(n.cmp.zf_at_risk)}; SQL level mix ${n.mix.map((m) => `${m.level} ${fmt(m.n)}`).join(', ')}`);
  }
} finally {
  await platform.close();
  if (!REUSE && !process.env.BENCH_KEEP) await admin(`DROP DATABASE IF EXISTS ${DB} WITH (FORCE)`);
}
