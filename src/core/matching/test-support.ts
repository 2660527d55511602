/**
 * Test helpers shared by the matching tests: the reference data files and HiGHS (an independent
 * LP solver, WebAssembly) on a flow network or a matching model. Imported by tests only.
 */
import { existsSync, readFileSync } from 'node:fs';
import highsModule, { type Highs } from 'highs';
import type { FlowNetwork } from './min-cost-flow.js';

export const MATCHING_DATA = '/work/shared/data/matching';
export const NETGEN2 = `${MATCHING_DATA}/netgen2_networkx.min`;
export const ASSIGN100 = `${MATCHING_DATA}/assign100.min`;
export const ORLIB_ASSIGN100 = `${MATCHING_DATA}/orlib_assign100.txt`;

/** The text of a reference file; fails with the path when it is missing. */
export function readReference(path: string): string {
  if (!existsSync(path)) throw new Error(`reference data file ${path} is missing (see /work/shared/data/README.md)`);
  return readFileSync(path, 'utf8');
}

/**
 * The package's types describe its CommonJS build (the loader as `module.exports.default`); under
 * Node's ESM resolution (vitest, tsx) the default import is the loader itself. Accept both.
 */
const imported: unknown = highsModule;
const highsLoader = (typeof imported === 'function' ? imported : (imported as { default: unknown }).default) as typeof highsModule.default;

let loaded: Promise<Highs> | undefined;
export function highs(): Promise<Highs> {
  loaded ??= highsLoader();
  return loaded;
}

export type LpStatus = 'optimal' | 'infeasible' | 'unbounded' | 'infeasible-or-unbounded' | 'other';

/**
 * Solves the network's LP with HiGHS: one column per arc in [lower, capacity], one equality row per
 * node (outflow − inflow = supply). A self-loop has an empty column.
 */
export function highsMinCostFlow(h: Highs, net: FlowNetwork, presolve: 'on' | 'off' = 'on'): { status: LpStatus; cost: number } {
  const n = net.nodes;
  const m = net.from.length;
  // HiGHS reports a model without columns as "empty"; decide that case here.
  if (m === 0) return { status: Array.from({ length: n }, (_, v) => net.supply[v]).every((b) => b === 0) ? 'optimal' : 'infeasible', cost: 0 };
  const starts = new Int32Array(m + 1);
  const indices: number[] = [];
  const values: number[] = [];
  for (let a = 0; a < m; a++) {
    starts[a] = indices.length;
    const f = net.from[a]!;
    const t = net.to[a]!;
    if (f !== t) {
      indices.push(f, t);
      values.push(1, -1);
    }
  }
  starts[m] = indices.length;
  const supply = Float64Array.from({ length: n }, (_, v) => net.supply[v]!);
  const model = h.createModel({
    numCols: m,
    numRows: n,
    colCost: Float64Array.from({ length: m }, (_, a) => net.cost[a]!),
    colLower: Float64Array.from({ length: m }, (_, a) => net.lower?.[a] ?? 0),
    colUpper: Float64Array.from({ length: m }, (_, a) => (net.capacity[a] === Infinity ? h.infinity : net.capacity[a]!)),
    rowLower: supply,
    rowUpper: supply,
    matrix: { format: 'csc', numRows: n, numCols: m, starts, indices: Int32Array.from(indices), values: Float64Array.from(values) },
  });
  try {
    model.options.set({ output_flag: false, presolve });
    model.run();
    const s = model.getModelStatus();
    const c = h.constants.modelStatus;
    const status: LpStatus =
      s === c.optimal ? 'optimal' : s === c.infeasible ? 'infeasible' : s === c.unbounded ? 'unbounded' : s === c.unboundedOrInfeasible ? 'infeasible-or-unbounded' : 'other';
    return { status, cost: status === 'optimal' ? model.getObjectiveValue() : 0 };
  } finally {
    model.dispose();
  }
}
