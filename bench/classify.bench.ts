/**
 * Batch classifier benchmark: households per second for
 *   - ours, one household at a time (objects, full trace),
 *   - ours, the batch form on typed-array columns,
 *   - DuckDB (a vectorised columnar SQL engine) running the same rules as one SQL query over the
 *     same fact columns, single-threaded and with all cores,
 * on one synthetic population, checking that all of them give identical categories and payments.
 * Run: npx tsx bench/classify.bench.ts [households=300000]
 */
import os from 'node:os';
import { DuckDBInstance } from '@duckdb/node-api';
import { generateHouseholds, villagesForDemo } from '../src/core/demo/index.js';
import { zhejiangRegions } from '../src/core/regions/index.js';
import { parsePolicyYaml, type ResolvedParameters } from '../src/core/policy/parameters.js';
import {
  allocateFactColumns, classifyBatch, classifyFacts, computeFacts, setFactRow, CATEGORIES, ParameterTable, type HouseholdFacts,
} from '../src/core/means-test/index.js';
import { readFileSync } from 'node:fs';

const N = Number(process.argv[2] ?? 300_000);
const AS_OF = '2026-11-29';
const regions = zhejiangRegions();
const book = parsePolicyYaml(readFileSync(new URL('../policies/zhejiang.yaml', import.meta.url), 'utf8'), { isKnownRegion: (c) => regions.get(c) !== undefined });

const time = async <T>(fn: () => T | Promise<T>): Promise<[T, number]> => {
  const t0 = performance.now();
  const r = await fn();
  return [r, performance.now() - t0];
};

// 1. Population and facts (shared input of every contender).
const ptable = new ParameterTable(book, AS_OF);
const table = ptable.thresholds;
const facts: HouseholdFacts[] = [];
const paramsOf: ResolvedParameters[] = [];
const cols = allocateFactColumns(N);
const [population, genMs] = await time(() => [...generateHouseholds({ seed: 1, households: N, asOf: AS_OF, villages: villagesForDemo(regions) })]);
const [, factMs] = await time(() => {
  let i = 0;
  for (const h of population) {
    const hit = ptable.forRegion(h.regionCode);
    const f = computeFacts(h, hit.params.values, AS_OF);
    facts.push(f);
    paramsOf.push(hit.params);
    setFactRow(cols, i++, f, hit.index);
  }
});

// 2. Ours, one at a time with the trace.
const [single, singleMs] = await time(() => facts.map((f, i) => classifyFacts(f, paramsOf[i]!)));
// 3. Ours, batch on columns (best of 5 runs, after a warm-up).
classifyBatch(cols, table);
let batchMs = Infinity;
let batch = classifyBatch(cols, table);
for (let r = 0; r < 5; r++) {
  const [out, ms] = await time(() => classifyBatch(cols, table, batch));
  batch = out;
  batchMs = Math.min(batchMs, ms);
}
for (let i = 0; i < N; i++) {
  if (CATEGORIES[batch.category[i]!] !== single[i]!.category || batch.paymentFen[i] !== single[i]!.paymentFen) throw new Error(`batch and single differ at row ${i}`);
}

// 4. DuckDB: the same rules in SQL over the same columns.
const duck = await DuckDBInstance.create(':memory:');
const con = await duck.connect();
await con.run(`CREATE TABLE facts (i INTEGER, p USMALLINT, m UTINYINT, months UTINYINT, income BIGINT, assets BIGINT, vuln BOOLEAN,
  vehicles UTINYINT, commercial UTINYINT, residences UTINYINT, floor DOUBLE, rigid BIGINT, med BIGINT, nolabour UTINYINT, supporter BOOLEAN)`);
await con.run(`CREATE TABLE t (p USMALLINT, std BIGINT, line BIGINT, alim BIGINT, alimv BIGINT, malim BIGINT, veh BOOLEAN, com BOOLEAN, maxres INTEGER,
  maxfloor DOUBLE, rbp BIGINT, mbp BIGINT, disp BIGINT, ceil BIGINT, ext BIGINT)`);
const app = await con.createAppender('facts');
for (let i = 0; i < N; i++) {
  app.appendInteger(i); app.appendUSmallInt(cols.paramIndex[i]!); app.appendUTinyInt(cols.members[i]!); app.appendUTinyInt(cols.referenceMonths[i]!);
  app.appendBigInt(BigInt(cols.householdIncomeFen[i]!)); app.appendBigInt(BigInt(cols.monetaryAssetsFen[i]!)); app.appendBoolean(cols.hasVulnerableMember[i] === 1);
  app.appendUTinyInt(cols.countedVehicles[i]!); app.appendUTinyInt(cols.commercialProperties[i]!); app.appendUTinyInt(cols.residences[i]!); app.appendDouble(cols.floorAreaM2[i]!);
  app.appendBigInt(BigInt(cols.rigidExpenditureFen[i]!)); app.appendBigInt(BigInt(cols.medicalAccidentFen[i]!)); app.appendUTinyInt(cols.membersWithoutLabourCapacity[i]!);
  app.appendBoolean(cols.hasAbleSupporter[i] === 1);
  app.endRow();
}
app.closeSync();
for (const [p, t] of table.entries()) {
  await con.run(`INSERT INTO t VALUES (${p}, ${t.standardFen}, ${t.marginalLineFen}, ${t.assetLimitFen}, ${t.assetLimitVulnerableFen}, ${t.marginalAssetLimitFen},
    ${t.vehiclesAllowed}, ${t.commercialPropertyAllowed}, ${t.maxResidences}, ${t.maxFloorAreaPerCapitaM2}, ${t.rigidRatioBp}, ${t.rigidMedicalRatioBp},
    ${t.disposableIncomePerCapitaFen}, ${t.upliftCeilingFen}, ${t.extremeSupportPerPersonFen})`);
}
const QUERY = `CREATE OR REPLACE TABLE out AS
WITH x AS (
  SELECT f.i, f.m, t.std, t.ext,
    (2 * f.income + f.months * f.m) // (2 * f.months * greatest(f.m, 1)) AS pc,
    (t.veh OR f.vehicles = 0) AND (t.com OR f.commercial = 0) AND f.residences <= t.maxres
      AND (t.maxfloor = 0 OR f.floor <= t.maxfloor * greatest(f.m, 1)) AS other_ok,
    f.assets < (CASE WHEN f.vuln THEN t.alimv ELSE t.alim END) * greatest(f.m, 1) AS money_ok,
    f.assets < t.malim * greatest(f.m, 1) AS marginal_money_ok,
    f.m > 0 AND f.income < t.std * f.months * f.m AS below_std,
    f.m > 0 AND f.income < t.line * f.months * f.m AS below_line,
    f.income * 12 < t.disp * f.months * f.m AND (f.rigid * 10000 > t.rbp * f.income OR f.med * 10000 > t.mbp * f.income) AS rigid,
    f.income * 12 < t.ceil * f.months AS below_ceiling,
    f.nolabour = f.m AND NOT f.supporter AS extreme_people
  FROM facts f JOIN t USING (p))
SELECT i,
  CASE WHEN m = 0 THEN 0
       WHEN below_std AND money_ok AND other_ok AND extreme_people THEN 1
       WHEN below_std AND money_ok AND other_ok THEN 2
       WHEN below_line AND other_ok AND marginal_money_ok THEN 3
       WHEN rigid THEN 4
       WHEN NOT below_line AND below_ceiling THEN 5
       ELSE 0 END AS category,
  CASE WHEN m = 0 THEN 0
       WHEN below_std AND money_ok AND other_ok AND extreme_people THEN ext * m
       WHEN below_std AND money_ok AND other_ok THEN (std - (CASE WHEN m > 0 THEN pc ELSE 0 END)) * m
       ELSE 0 END AS payment
FROM x`;
const duckRun = async (threads: number): Promise<number> => {
  await con.run(`SET threads = ${threads}`);
  await con.run(QUERY);
  let best = Infinity;
  for (let r = 0; r < 5; r++) best = Math.min(best, (await time(() => con.run(QUERY)))[1]);
  return best;
};
const duck1Ms = await duckRun(1);
const duckAllMs = await duckRun(os.availableParallelism());
const rows = (await con.runAndReadAll('SELECT category, payment FROM out ORDER BY i')).getRowsJS();
rows.forEach((r, i) => {
  if (Number(r[0]) !== batch.category[i] || Number(r[1]) !== batch.paymentFen[i]) throw new Error(`DuckDB and ours differ at row ${i}`);
});

const rate = (ms: number): string => `${Math.round(N / (ms / 1000)).toLocaleString('en-US')} households/s`;
console.log(`machine: ${os.cpus()[0]?.model ?? 'cpu'} × ${os.availableParallelism()}, Node ${process.version}, ${N.toLocaleString('en-US')} households, ${table.length} parameter set(s)`);
console.log(`demo generation:                        ${genMs.toFixed(0)} ms  ${rate(genMs)}`);
console.log(`facts from records (objects):           ${factMs.toFixed(0)} ms  ${rate(factMs)}`);
console.log(`ours, one household + trace (objects):  ${singleMs.toFixed(0)} ms  ${rate(singleMs)}`);
console.log(`ours, batch on columns (1 core):        ${batchMs.toFixed(1)} ms  ${rate(batchMs)}`);
console.log(`DuckDB SQL, 1 thread:                   ${duck1Ms.toFixed(1)} ms  ${rate(duck1Ms)}`);
console.log(`DuckDB SQL, ${os.availableParallelism()} threads:                  ${duckAllMs.toFixed(1)} ms  ${rate(duckAllMs)}`);
console.log(`ratio batch / DuckDB 1 thread:  ${(duck1Ms / batchMs).toFixed(1)}x faster`);
console.log(`ratio batch / DuckDB ${os.availableParallelism()} threads: ${(duckAllMs / batchMs).toFixed(1)}x faster`);
console.log(`ratio batch / one-at-a-time:    ${(singleMs / batchMs).toFixed(1)}x faster`);
console.log('all contenders agree on every household');
