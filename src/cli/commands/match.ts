/**
 * `zhongfu match --model FILE.json`: the charity matching model in JSON (src/cli/commands/match-model.ts).
 *
 * `zhongfu match --dimacs FILE`: solves a DIMACS minimum-cost flow problem exactly with the
 * network simplex of src/core/matching and prints one line of JSON:
 *
 *     {"status":"optimal","cost":6749969302,"ms":12.3,"nodes":400,"arcs":1416,"pivots":900}
 *
 * `status` is optimal, infeasible or unbounded (cost is null unless optimal); the exit code is 0
 * whenever the file was solved. A file that cannot be read or parsed is an error: the message
 * (with the line number) goes to stderr and the exit code is 1 (the action throws; main.ts
 * prints and exits).
 */
import type { Command } from 'commander';
import { readInputFile } from './read-input.js';
import { DimacsError, parseDimacs } from '../../core/matching/dimacs.js';
import { minCostFlow } from '../../core/matching/min-cost-flow.js';
import { solveModelFile } from './match-model.js';

export interface MatchOutput {
  status: 'optimal' | 'infeasible' | 'unbounded';
  cost: number | null;
  ms: number;
  nodes: number;
  arcs: number;
  pivots: number;
  /** With --flows: the flow on every arc, in file order. */
  flows?: number[];
}

/** Reads, parses and solves a DIMACS file; throws an Error naming the file (and line) on bad input. */
export function solveDimacsFile(file: string, withFlows = false): MatchOutput {
  const text = readInputFile(file);
  let net;
  try {
    net = parseDimacs(text);
  } catch (e) {
    if (e instanceof DimacsError) throw new Error(`${file}: ${e.message}`);
    throw e;
  }
  const t0 = performance.now();
  const r = minCostFlow(net);
  const ms = Math.round((performance.now() - t0) * 10) / 10;
  const out: MatchOutput = { status: r.status, cost: r.status === 'optimal' ? r.cost : null, ms, nodes: net.nodes, arcs: net.from.length, pivots: r.pivots };
  if (withFlows && r.status === 'optimal') out.flows = Array.from(r.flow);
  return out;
}

/** Adds `match` to the program. */
export function registerMatchCommand(program: Command): void {
  program
    .command('match')
    .description(
      'exact solutions, printed as one line of JSON. --dimacs: minimum-cost flow (network simplex) of a DIMACS "p min" file, {"status","cost",…}. '
      + '--model: the charity matching model (needs × projects, capacity, budget, one project per household and category) in JSON, '
      + '{"status","objective","fcfsObjective",…, "matches", "unmatched" with the reason of each}; shape in docs/matching.md',
    )
    .option('--dimacs <file>', 'DIMACS file: p min NODES ARCS, n ID SUPPLY, a FROM TO LOW CAP COST, c comments')
    .option('--flows', 'with --dimacs: also print the flow on every arc, in file order')
    .option('--model <file.json>', 'matching model: {"needs":[{id, household, category, priority | severity (+ riskLevel, waitingDays), mountain?}], "projects":[{id, capacity, budgetFen, costPerBeneficiaryFen, categories}], "eligible"?:[{need, project}], "mountainUplift"?}')
    .addHelpText('after', [
      '',
      'Examples:',
      '  zhongfu match --dimacs netgen2.min',
      '  zhongfu match --model county.json',
      '',
      'A file that cannot be read or checked prints the file and the bad line or field to stderr',
      '(e.g. "county.json: needs[3].severity: must be an integer 1–3") and exits with code 1.',
    ].join('\n'))
    .action((o: { dimacs?: string; flows?: boolean; model?: string }) => {
      if ((o.dimacs === undefined) === (o.model === undefined)) throw new Error('match: give exactly one of --dimacs FILE and --model FILE.json');
      if (o.flows === true && o.model !== undefined) throw new Error('match: --flows goes with --dimacs only');
      const out = o.model !== undefined ? solveModelFile(o.model) : solveDimacsFile(o.dimacs!, o.flows === true);
      console.log(JSON.stringify(out));
    });
}
