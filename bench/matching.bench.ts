/**
 * Charity matching benchmark: the exact network simplex (src/core/matching) against first come,
 * first served and against HiGHS (LP, WebAssembly) on the same model, on seeded synthetic
 * instances from one county (about 40 thousand eligible pairs) to the whole province (100,000
 * needs × 2,000 projects, about 2 million pairs); plus the two DIMACS reference instances.
 * Prints markdown tables.
 *
 * HiGHS gets a wall-clock limit of --highs-limit seconds (default 300) per instance and is not run on
 * larger instances once one took more than --highs-next seconds of CPU (default 60) or hit the limit.
 *
 * Run: npx tsx bench/matching.bench.ts [--max-pairs N] [--highs-limit SECONDS] [--highs-next SECONDS] [--seed N]
 */
import os from 'node:os';
import { zhejiangRegions } from '../src/core/regions/index.js';
import { parseDimacs } from '../src/core/matching/dimacs.js';
import { minCostFlow } from '../src/core/matching/min-cost-flow.js';
import { buildMatchModel, greedyFirstComeFirstServed, matchingLp, matchingNetwork, matchNeeds, type MatchInput } from '../src/core/matching/match-needs.js';
import { syntheticMatching, type SyntheticCounty } from '../src/core/matching/synthetic.js';
import { ASSIGN100, highs, highsMinCostFlow, NETGEN2, readReference } from '../src/core/matching/test-support.js';

const arg = (name: string, fallback: number): number => {
  const i = process.argv.indexOf(name);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
};
const MAX_PAIRS = arg('--max-pairs', Infinity);
const HIGHS_LIMIT = arg('--highs-limit', 300);
/** HiGHS is not run on the next size once it needs more CPU than this (its time grows faster than linearly). */
const HIGHS_NEXT = arg('--highs-next', 60);
const SEED = arg('--seed', 20261129);
const UPLIFT = 0.2;

const regions = zhejiangRegions();
const allCounties: SyntheticCounty[] = regions.list('county').map((c) => ({ code: c.code, city: c.code.slice(0, 4), mountain: c.isMountainCounty }));
const inCities = (...cities: string[]): SyntheticCounty[] => allCounties.filter((c) => cities.includes(c.city));

const instances: { name: string; counties: SyntheticCounty[]; needs: number; projects: number }[] = [
  { name: 'county (景宁, mountain)', counties: allCounties.filter((c) => c.code === '331127'), needs: 2_000, projects: 40 },
  { name: 'city (温州)', counties: inCities('3303'), needs: 10_000, projects: 200 },
  { name: '3 cities (温州, 衢州, 丽水)', counties: inCities('3303', '3308', '3311'), needs: 25_000, projects: 500 },
  { name: '6 cities', counties: inCities('3301', '3303', '3307', '3308', '3310', '3311'), needs: 50_000, projects: 1_000 },
  { name: 'province (90 counties)', counties: allCounties, needs: 100_000, projects: 2_000 },
];

const h = await highs();

/** CPU time of this process (user + system) and wall time, in seconds. */
interface Time { cpu: number; wall: number }
function timed(fn: () => void): Time {
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  fn();
  const wall = (performance.now() - t0) / 1000;
  const c = process.cpuUsage(c0);
  return { cpu: (c.user + c.system) / 1e6, wall };
}
/** The best of `runs` runs, CPU and wall time separately. */
function best(fn: () => void, runs: number): Time {
  let b: Time = { cpu: Infinity, wall: Infinity };
  for (let r = 0; r < runs; r++) {
    const t = timed(fn);
    b = { cpu: Math.min(b.cpu, t.cpu), wall: Math.min(b.wall, t.wall) };
  }
  return b;
}

interface HighsRun { time: Time; objective: number | null; status: string }

/** HiGHS on the matching LP (default solver choice: dual simplex here), with a time limit. */
function highsMatching(inp: MatchInput): HighsRun {
  const lp = matchingLp(buildMatchModel(inp));
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  const model = h.createModel({
    numCols: lp.numCols,
    numRows: lp.numRows,
    sense: h.constants.objectiveSense.maximize,
    colCost: lp.colCost,
    colLower: new Float64Array(lp.numCols),
    colUpper: lp.colUpper,
    rowLower: new Float64Array(lp.numRows).fill(-h.infinity),
    rowUpper: lp.rowUpper,
    matrix: { format: 'csc', numRows: lp.numRows, numCols: lp.numCols, starts: lp.starts, indices: lp.indices, values: lp.values },
  });
  try {
    model.options.set({ output_flag: false, time_limit: HIGHS_LIMIT });
    model.run();
    const c = process.cpuUsage(c0);
    const time = { cpu: (c.user + c.system) / 1e6, wall: (performance.now() - t0) / 1000 };
    const s = model.getModelStatus();
    if (s === h.constants.modelStatus.optimal) return { time, objective: model.getObjectiveValue(), status: 'optimal' };
    return { time, objective: null, status: s === h.constants.modelStatus.timeLimit ? 'time limit (wall)' : `status ${s}` };
  } finally {
    model.dispose();
  }
}

const fmtInt = (x: number): string => Math.round(x).toLocaleString('en-US');
const fmtS = (s: number): string => (s < 1 ? `${(s * 1000).toFixed(s < 0.01 ? 2 : 0)} ms` : `${s.toFixed(2)} s`);
/** "CPU (wall)". */
const fmtT = (t: Time): string => `${fmtS(t.cpu)} (${fmtS(t.wall)})`;

const load = (): string => os.loadavg().map((x) => x.toFixed(1)).join(' / ');
console.log(`# Charity matching benchmark\n\n${new Date().toISOString().slice(0, 10)}, Node ${process.version}, ${os.cpus().length} vCPU ${os.cpus()[0]?.model ?? ''}, seed ${SEED}, mountain uplift ${UPLIFT}; load average at start ${load()} (1 / 5 / 15 min)\n`);

// Warm the JIT up on a small instance before timing anything.
{
  const warm = syntheticMatching({ needs: 2_000, projects: 40, counties: allCounties.slice(0, 3), seed: 1 });
  for (let i = 0; i < 5; i++) matchNeeds({ ...warm, options: { mountainUplift: UPLIFT } });
}

// DIMACS reference instances.
console.log('Times are CPU time of the process (user + system), wall-clock time in brackets: the machine is shared, and CPU time is what\nthe other jobs disturb least. Ratios use CPU time.\n');
console.log('## DIMACS reference instances\n\n| instance | nodes | arcs | optimum | ours (best of 5) | pivots | HiGHS LP (one run) | HiGHS / ours |\n|---|---|---|---|---|---|---|---|');
for (const [name, file] of [['netgen-2', NETGEN2], ['assign100', ASSIGN100]] as const) {
  const net = parseDimacs(readReference(file));
  let result = minCostFlow(net);
  const ours = best(() => (result = minCostFlow(net)), 5);
  let lp = highsMinCostFlow(h, net);
  const hs = timed(() => (lp = highsMinCostFlow(h, net)));
  if (result.status !== 'optimal' || lp.status !== 'optimal' || Math.round(lp.cost) !== result.cost) throw new Error(`${name}: ours ${JSON.stringify(result.status)} vs HiGHS ${lp.status} ${lp.cost}`);
  console.log(`| ${name} | ${net.nodes} | ${fmtInt(net.from.length)} | ${fmtInt(result.cost)} | ${fmtT(ours)} | ${fmtInt(result.pivots)} | ${fmtT(hs)} | ${(hs.cpu / ours.cpu).toFixed(0)}× |`);
}

// Synthetic matching instances.
interface Row { name: string; needs: number; projects: number; pairs: number; solve: Time; full: Time; pivots: number; nodes: number; arcs: number; optimum: number; matched: number; greedy: number; greedyMatched: number; greedyS: Time; mountainOpt: number; mountainGreedy: number; mountainNeeds: number; highs: HighsRun | null }
const rows: Row[] = [];
let highsGaveUp: string | null = null;
for (const spec of instances) {
  const inst = syntheticMatching({ needs: spec.needs, projects: spec.projects, counties: spec.counties, seed: SEED });
  const pairs = inst.eligible.need.length;
  if (pairs > MAX_PAIRS) break;
  const inp: MatchInput = { ...inst, options: { mountainUplift: UPLIFT } };
  const runs = pairs < 300_000 ? 5 : pairs < 1_500_000 ? 3 : 2;
  // The solver alone on the built network, then the whole call (validation, network, solve, explanations).
  const model = buildMatchModel(inp);
  const net = matchingNetwork(model);
  let pivots = 0;
  const solve = best(() => {
    const r = minCostFlow(net);
    pivots = r.pivots;
  }, runs);
  let r = matchNeeds(inp);
  const full = best(() => (r = matchNeeds(inp)), Math.max(1, runs - 1));
  let g = greedyFirstComeFirstServed(inp);
  const greedyS = best(() => (g = greedyFirstComeFirstServed(inp)), runs);
  const mountainNeeds = inp.needs.filter((d) => d.mountain).length;
  let hr: HighsRun | null = null;
  if (highsGaveUp === null) {
    hr = highsMatching(inp);
    if (hr.objective === null) highsGaveUp = `${spec.name}: ${hr.status} after ${fmtT(hr.time)}`;
    else if (Math.round(hr.objective) !== r.objectiveScaled) throw new Error(`${spec.name}: HiGHS objective ${hr.objective} ≠ ours ${r.objectiveScaled}`);
    else if (hr.time.cpu > HIGHS_NEXT) highsGaveUp = `${spec.name}, which took ${fmtT(hr.time)} (more than ${HIGHS_NEXT} s of CPU; the next size would take well over 2 minutes)`;
  }
  const row: Row = { name: spec.name, needs: spec.needs, projects: spec.projects, pairs, solve, full, pivots, nodes: net.nodes, arcs: net.from.length, optimum: r.objective, matched: r.matched, greedy: g.objective, greedyMatched: g.matched, greedyS, mountainOpt: r.mountainMatched, mountainGreedy: g.mountainMatched, mountainNeeds, highs: hr };
  rows.push(row);
  console.error(`${spec.name}: ${fmtInt(pairs)} pairs, solve ${fmtT(solve)}, full ${fmtT(full)}, HiGHS ${hr ? `${hr.status} ${fmtT(hr.time)}` : 'skipped'}, load ${load()}`);
}

console.log('\n## Synthetic matching instances (objective = Σ adjusted priority of matched needs)\n');
console.log('| instance | needs × projects | eligible pairs | network (nodes / arcs) | ours: solve | ours: whole call¹ | pivots | optimum | FCFS² | optimum over FCFS | matched: optimum / FCFS | HiGHS LP³ | HiGHS / ours |');
console.log('|---|---|---|---|---|---|---|---|---|---|---|---|---|');
for (const x of rows) {
  const hcell = x.highs === null ? 'skipped' : x.highs.objective === null ? `> ${fmtT(x.highs.time)}, ${x.highs.status}` : `${fmtT(x.highs.time)} ✓`;
  const ratio = x.highs === null ? '—' : x.highs.objective === null ? `> ${(x.highs.time.cpu / x.solve.cpu).toFixed(0)}×` : `${(x.highs.time.cpu / x.solve.cpu).toFixed(0)}×`;
  console.log(
    `| ${x.name} | ${fmtInt(x.needs)} × ${fmtInt(x.projects)} | ${fmtInt(x.pairs)} | ${fmtInt(x.nodes)} / ${fmtInt(x.arcs)} | ${fmtT(x.solve)} | ${fmtT(x.full)} | ${fmtInt(x.pivots)} | ${fmtInt(x.optimum)} | ${fmtInt(x.greedy)} | +${(((x.optimum - x.greedy) / x.greedy) * 100).toFixed(1)} % | ${fmtInt(x.matched)} / ${fmtInt(x.greedyMatched)} | ${hcell} | ${ratio} |`,
  );
}
console.log(
  `\n¹ validation, network, solve, reading the assignment, explanations for every unmatched need. ² first come, first served (needs in waiting order, first eligible project with room); its own time is at most ${fmtS(Math.max(...rows.map((x) => x.greedyS.cpu)))}. ³ the same model as an LP (one column per pair; rows per household category and per project), HiGHS default solver, WebAssembly, wall-clock limit ${HIGHS_LIMIT} s; ✓ = same objective as ours.`,
);
if (highsGaveUp !== null) console.log(`\nHiGHS stopped at ${highsGaveUp}; not run on larger instances.`);
console.log(`\nLoad average at the end: ${load()}.`);

console.log('\n## Growth of our solve time (CPU) with the number of pairs\n\n| from → to | pairs × | time × | exponent (time ∝ pairs^k) | pivots per pair |\n|---|---|---|---|---|');
for (let i = 1; i < rows.length; i++) {
  const a = rows[i - 1]!;
  const b = rows[i]!;
  const pr = b.pairs / a.pairs;
  const tr = b.solve.cpu / a.solve.cpu;
  console.log(`| ${fmtInt(a.pairs)} → ${fmtInt(b.pairs)} | ${pr.toFixed(2)} | ${tr.toFixed(2)} | ${(Math.log(tr) / Math.log(pr)).toFixed(2)} | ${(a.pivots / a.pairs).toFixed(2)} → ${(b.pivots / b.pairs).toFixed(2)} |`);
}
if (rows.length >= 2) {
  const a = rows[0]!;
  const b = rows[rows.length - 1]!;
  console.log(`| ${fmtInt(a.pairs)} → ${fmtInt(b.pairs)} (overall) | ${(b.pairs / a.pairs).toFixed(1)} | ${(b.solve.cpu / a.solve.cpu).toFixed(1)} | ${(Math.log(b.solve.cpu / a.solve.cpu) / Math.log(b.pairs / a.pairs)).toFixed(2)} | |`);
}

// The fairness term on one instance: how the uplift moves help towards the mountain counties.
const fairSpec = instances[2]!;
const fair = syntheticMatching({ needs: fairSpec.needs, projects: fairSpec.projects, counties: fairSpec.counties, seed: SEED });
if (fair.eligible.need.length <= MAX_PAIRS) {
  const mountainNeeds = fair.needs.filter((d) => d.mountain).length;
  console.log(`\n## Regional fairness: mountain uplift on "${fairSpec.name}" (${fmtInt(mountainNeeds)} of ${fmtInt(fair.needs.length)} needs in mountain counties)\n`);
  console.log('| uplift | matched | of them in mountain counties | Σ priority served (no uplift) | change vs uplift 0 |\n|---|---|---|---|---|');
  let base = 0;
  for (const u of [0, 0.1, 0.2, 0.5, 1]) {
    const r = matchNeeds({ ...fair, options: { mountainUplift: u } });
    if (u === 0) base = r.priorityServed;
    console.log(`| ${u} | ${fmtInt(r.matched)} | ${fmtInt(r.mountainMatched)} (${((r.mountainMatched / r.matched) * 100).toFixed(1)} %) | ${fmtInt(r.priorityServed)} | ${(((r.priorityServed - base) / base) * 100).toFixed(2)} % |`);
  }
}
