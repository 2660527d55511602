/**
 * DIMACS minimum-cost flow format (first DIMACS Implementation Challenge, 1990–91):
 *
 *     c comment
 *     p min NODES ARCS
 *     n ID SUPPLY          (positive = supply, negative = demand; nodes without a line have 0)
 *     a FROM TO LOW CAP COST
 *
 * Nodes are numbered 1..NODES in the file and 0..NODES−1 in the returned network. Blank lines and
 * `c` lines are skipped. The parser is all-or-nothing: the first problem throws a DimacsError
 * whose message starts with the line number, and nothing is returned.
 */
import type { FlowNetwork } from './min-cost-flow.js';

/** Malformed DIMACS input; `line` is 1-based (0 when the problem is the input as a whole). */
export class DimacsError extends Error {
  constructor(
    readonly line: number,
    readonly problem: string,
  ) {
    super(line > 0 ? `line ${line}: ${problem}` : problem);
  }
}

/** A parsed network with typed-array columns. */
export interface DimacsNetwork extends FlowNetwork {
  supply: Float64Array;
  from: Int32Array;
  to: Int32Array;
  lower: Float64Array;
  capacity: Float64Array;
  cost: Float64Array;
}

/** Largest node or arc count (node ids and arc indices stay within Int32). */
export const MAX_DIMACS_COUNT = 0x3fffffff;
const INTEGER = /^[-+]?\d+$/;
const WS = /\s+/;

function integer(token: string, line: number, what: string): number {
  if (!INTEGER.test(token)) throw new DimacsError(line, `${what} '${token}' is not an integer`);
  const x = Number(token);
  if (!Number.isSafeInteger(x)) throw new DimacsError(line, `${what} ${token} is beyond ±2^53`);
  return x;
}

/** Parses a DIMACS `p min` problem. Throws DimacsError on the first problem found. */
export function parseDimacs(text: string): DimacsNetwork {
  const lines = text.split('\n');
  let nodes = -1;
  let arcs = -1;
  let problemLine = 0;
  let supply = new Float64Array(0);
  let supplyLine = new Int32Array(0);
  let from = new Int32Array(0);
  let to = new Int32Array(0);
  let lower = new Float64Array(0);
  let capacity = new Float64Array(0);
  let cost = new Float64Array(0);
  let k = 0;
  for (let i = 0; i < lines.length; i++) {
    const lineNo = i + 1;
    const raw = lines[i]!;
    const s = raw.trim();
    if (s === '') continue;
    if (s[0] === 'c') continue;
    const t = s.split(WS);
    if (t[0] === 'p') {
      if (problemLine !== 0) throw new DimacsError(lineNo, `second problem line (the first is line ${problemLine})`);
      if (t[1] !== 'min') throw new DimacsError(lineNo, `only 'p min' problems are supported, not 'p ${t[1] ?? ''}'`);
      if (t.length !== 4) throw new DimacsError(lineNo, `problem line needs 'p min NODES ARCS', got ${t.length - 2} number(s)`);
      nodes = integer(t[2]!, lineNo, 'node count');
      arcs = integer(t[3]!, lineNo, 'arc count');
      if (nodes < 1 || nodes > MAX_DIMACS_COUNT) throw new DimacsError(lineNo, `node count ${nodes} must be from 1 to ${MAX_DIMACS_COUNT}`);
      if (arcs < 0 || arcs > MAX_DIMACS_COUNT) throw new DimacsError(lineNo, `arc count ${arcs} must be from 0 to ${MAX_DIMACS_COUNT}`);
      problemLine = lineNo;
      supply = new Float64Array(nodes);
      supplyLine = new Int32Array(nodes);
      from = new Int32Array(arcs);
      to = new Int32Array(arcs);
      lower = new Float64Array(arcs);
      capacity = new Float64Array(arcs);
      cost = new Float64Array(arcs);
      continue;
    }
    if (t[0] === 'n') {
      if (problemLine === 0) throw new DimacsError(lineNo, "node line before the problem line ('p min NODES ARCS')");
      if (t.length !== 3) throw new DimacsError(lineNo, `node line needs 'n ID SUPPLY', got ${t.length - 1} number(s)`);
      const id = integer(t[1]!, lineNo, 'node id');
      if (id < 1 || id > nodes) throw new DimacsError(lineNo, `node id ${id} is outside 1..${nodes}`);
      const b = integer(t[2]!, lineNo, 'supply');
      if (supplyLine[id - 1] !== 0) throw new DimacsError(lineNo, `node ${id} already has a supply (line ${supplyLine[id - 1]})`);
      supply[id - 1] = b;
      supplyLine[id - 1] = lineNo;
      continue;
    }
    if (t[0] === 'a') {
      if (problemLine === 0) throw new DimacsError(lineNo, "arc line before the problem line ('p min NODES ARCS')");
      if (t.length !== 6) throw new DimacsError(lineNo, `arc line needs 'a FROM TO LOW CAP COST', got ${t.length - 1} number(s)`);
      if (k === arcs) throw new DimacsError(lineNo, `more arcs than the ${arcs} declared on line ${problemLine}`);
      const f = integer(t[1]!, lineNo, 'arc tail');
      const h = integer(t[2]!, lineNo, 'arc head');
      if (f < 1 || f > nodes) throw new DimacsError(lineNo, `arc tail ${f} is outside 1..${nodes}`);
      if (h < 1 || h > nodes) throw new DimacsError(lineNo, `arc head ${h} is outside 1..${nodes}`);
      const lo = integer(t[3]!, lineNo, 'lower bound');
      const hi = integer(t[4]!, lineNo, 'capacity');
      const c = integer(t[5]!, lineNo, 'cost');
      if (lo < 0) throw new DimacsError(lineNo, `lower bound ${lo} is negative`);
      if (hi < lo) throw new DimacsError(lineNo, `capacity ${hi} is below the lower bound ${lo}`);
      from[k] = f - 1;
      to[k] = h - 1;
      lower[k] = lo;
      capacity[k] = hi;
      cost[k] = c;
      k++;
      continue;
    }
    throw new DimacsError(lineNo, `unknown line type '${t[0] ?? ''}' (expected c, p, n or a)`);
  }
  if (problemLine === 0) throw new DimacsError(0, "no problem line ('p min NODES ARCS')");
  if (k !== arcs) throw new DimacsError(0, `${k} arc line(s), but line ${problemLine} declares ${arcs}`);
  return { nodes, supply, from, to, lower, capacity, cost };
}

/** Writes a network in DIMACS form (finite capacities only; the format has no infinity). */
export function formatDimacs(net: FlowNetwork, comment?: string): string {
  const out: string[] = [];
  if (comment !== undefined) for (const l of comment.split('\n')) out.push(`c ${l}`);
  const m = net.from.length;
  out.push(`p min ${net.nodes} ${m}`);
  for (let v = 0; v < net.nodes; v++) if (net.supply[v] !== 0) out.push(`n ${v + 1} ${net.supply[v]}`);
  for (let a = 0; a < m; a++) {
    const hi = net.capacity[a]!;
    if (!Number.isFinite(hi)) throw new RangeError(`arc ${a}: DIMACS has no infinite capacity`);
    out.push(`a ${net.from[a]! + 1} ${net.to[a]! + 1} ${net.lower?.[a] ?? 0} ${hi} ${net.cost[a]}`);
  }
  return `${out.join('\n')}\n`;
}
