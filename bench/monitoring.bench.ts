/**
 * Monitoring core benchmark (a): the six-dimension evaluation over one million households' columns
 * against a plain typed-array pass that reads the same columns and writes the same outputs (the
 * memory-bandwidth reference), in one run. Target: the core reaches at least 30 % of the reference.
 * Run: npx tsx bench/monitoring.bench.ts [households=1000000]
 */
import os from 'node:os';
import { readFileSync } from 'node:fs';
import { zhejiangRegions } from '../src/core/regions/index.js';
import { parsePolicyYaml, parametersAt } from '../src/core/policy/parameters.js';
import { allocateRiskColumns, deriveRiskThresholds, evaluateRisk, type RiskColumns, type RiskResult } from '../src/core/risk/index.js';

const N = Number(process.argv[2] ?? 1_000_000);
const regions = zhejiangRegions();
const book = parsePolicyYaml(readFileSync(new URL('../policies/zhejiang.yaml', import.meta.url), 'utf8'), { isKnownRegion: (c) => regions.get(c) !== undefined });
const t = deriveRiskThresholds(parametersAt(book, '330106', '2026-11-29').values);

// Columns with a realistic spread (seeded): 2.4 members on average, incomes around the lines.
let s = 12345;
const rnd = (): number => ((s = (Math.imul(s, 1_664_525) + 1_013_904_223) >>> 0) / 2 ** 32);
const c: RiskColumns = allocateRiskColumns(N);
let people = 0;
for (let i = 0; i < N; i++) {
  const m = 1 + Math.floor(rnd() * rnd() * 5) + (rnd() < 0.4 ? 1 : 0);
  people += m;
  c.members[i] = m;
  c.referenceMonths[i] = 12;
  c.householdIncomeFen[i] = Math.floor(rnd() * 400_000 * 12 * m);
  c.monetaryAssetsFen[i] = Math.floor(rnd() * rnd() * 5_000_000 * m);
  c.rigidExpenditureFen[i] = Math.floor(rnd() * rnd() * 3_000_000);
  c.familyFlags[i] = rnd() < 0.6 ? 1 << Math.floor(rnd() * 6) : 0;
  c.assistanceFlags[i] = rnd() < 0.1 ? 1 : 0;
  c.daysSinceVisit[i] = rnd() < 0.25 ? 65_535 : Math.floor(rnd() * 100);
  c.visitProblems[i] = rnd() < 0.1 ? 1 : 0;
  c.unsafeHousing[i] = rnd() < 0.02 ? 1 : 0;
}
const out: RiskResult = { mask: new Uint8Array(N), score: new Float64Array(N), level: new Uint8Array(N), incomeGap: new Float64Array(N), propertyGap: new Float64Array(N) };

/** Reads every input column once and writes every output column once: the floor any evaluation pays. */
function reference(): number {
  let acc = 0;
  for (let i = 0; i < N; i++) {
    const x = c.householdIncomeFen[i]! + c.monetaryAssetsFen[i]! + c.rigidExpenditureFen[i]! + c.members[i]! + c.referenceMonths[i]! + c.familyFlags[i]! +
      c.assistanceFlags[i]! + c.daysSinceVisit[i]! + c.visitProblems[i]! + c.unsafeHousing[i]! + c.paramIndex[i]!;
    out.mask[i] = x & 63;
    out.score[i] = x;
    out.level[i] = x & 3;
    out.incomeGap[i] = x;
    out.propertyGap[i] = x;
    acc += x;
  }
  return acc;
}

const best = (fn: () => unknown, runs = 7): number => {
  fn();
  let b = Infinity;
  for (let r = 0; r < runs; r++) {
    const t0 = performance.now();
    fn();
    b = Math.min(b, performance.now() - t0);
  }
  return b;
};
const refMs = best(reference);
const coreMs = best(() => evaluateRisk(c, [t], out));
let atRisk = 0;
for (let i = 0; i < N; i++) if (out.level[i]! > 0) atRisk++;
console.log(`machine: ${os.cpus()[0]?.model ?? 'cpu'} × ${os.availableParallelism()}, Node ${process.version}; ${N.toLocaleString('en-US')} households, ${people.toLocaleString('en-US')} people`);
console.log(`reference pass (read all inputs, write all outputs): ${refMs.toFixed(1)} ms`);
console.log(`six-dimension evaluation (core):                     ${coreMs.toFixed(1)} ms  (${Math.round(N / (coreMs / 1000)).toLocaleString('en-US')} households/s, ${atRisk.toLocaleString('en-US')} at risk)`);
console.log(`core / reference speed: ${((refMs / coreMs) * 100).toFixed(0)} % (target ≥ 30 %)`);

// Eleven parameter sets (one per city, marginal lines 10 yuan apart): the run sorts each chunk's
// households by set, so runs of one set are long; interleaved at random they are one household long.
const sets = Array.from({ length: 11 }, (_, k) => ({ ...t, marginalLineFen: t.marginalLineFen + k * 1_000 }));
for (let i = 0; i < N; i++) c.paramIndex[i] = Math.floor((i * 11) / N);
const sortedMs = best(() => evaluateRisk(c, sets, out));
for (let i = 0; i < N; i++) c.paramIndex[i] = Math.floor(rnd() * 11);
const mixedMs = best(() => evaluateRisk(c, sets, out));
console.log(`eleven parameter sets, sorted by set:                ${sortedMs.toFixed(1)} ms  (${((refMs / sortedMs) * 100).toFixed(0)} % of the reference)`);
console.log(`eleven parameter sets, interleaved at random:        ${mixedMs.toFixed(1)} ms  (${((refMs / mixedMs) * 100).toFixed(0)} % of the reference)`);
