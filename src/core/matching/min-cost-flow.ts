/**
 * Exact minimum-cost flow by the primal network simplex method.
 *
 * Problem: nodes 0..n−1 with supplies b (positive = supply, negative = demand), arcs a = (u, v)
 * with integer lower bound l, capacity u (upper bound, may be Infinity) and cost c (may be
 * negative). Find an integer flow x with l ≤ x ≤ u and, at every node, outflow − inflow = b,
 * of least total cost Σ c·x.
 *
 * Method (as in LEMON's NetworkSimplex, Kovács 2015, "Minimum-cost flow algorithms: an
 * experimental evaluation", Optim. Methods Softw. 30: 94–127, and networkx's network_simplex):
 * - lower bounds are shifted out (x' = x − l, supplies adjusted);
 * - an artificial root joined to every node by an artificial arc gives a first spanning-tree
 *   basis (big-M: an arc into a demand node costs M = (max |c| + 1)·n, more than any simple path,
 *   so a positive artificial flow at the optimum proves infeasibility); an artificial arc that
 *   leaves the basis never re-enters;
 * - the tree is kept as parent / predecessor-arc / preorder thread / subtree size / last
 *   successor arrays, with node potentials π such that c(a) + π(from) − π(to) = 0 on tree arcs;
 * - pivot rule: block search (Grigoriadis 1986): scan the arcs cyclically in blocks of ⌈0.2·√m⌉ and
 *   take the most negative reduced cost of the first block that has one; arcs are scanned in an
 *   interleaved order so that a block samples the whole graph;
 * - leaving arc: the last blocking arc of the cycle in the direction of flow from the apex
 *   (Cunningham 1976), which keeps the tree strongly feasible and rules out cycling;
 * - after the pivot the leaving subtree is cut off, re-rooted at the entering arc's endpoint,
 *   hung under the other endpoint and its potentials shifted by one constant.
 *
 * All arithmetic is on JS numbers holding integers: exact while every value stays below
 * 2^53. The solver checks bounds up front (potentials are at most ≈ 2·M in magnitude) and
 * checks every product and partial sum of the total cost; beyond 2^53 it throws a RangeError
 * instead of returning a rounded answer.
 */

/** A network. Arrays are read, never written; nodes are 0-based. */
export interface FlowNetwork {
  /** Number of nodes. */
  nodes: number;
  /** Supply per node (length `nodes`): positive = supply, negative = demand. */
  supply: ArrayLike<number>;
  /** Tail of each arc. */
  from: ArrayLike<number>;
  /** Head of each arc. */
  to: ArrayLike<number>;
  /** Lower bound per arc; all 0 when omitted. */
  lower?: ArrayLike<number> | undefined;
  /** Upper bound per arc; Infinity means uncapacitated. */
  capacity: ArrayLike<number>;
  /** Cost per unit of flow. */
  cost: ArrayLike<number>;
}

export type MinCostFlowStatus = 'optimal' | 'infeasible' | 'unbounded';

export interface MinCostFlowOptimal {
  status: 'optimal';
  /** Σ cost·flow, exact. */
  cost: number;
  /** Flow per arc (input order), within [lower, capacity]. */
  flow: Float64Array;
  /**
   * Node potentials (the dual solution): the reduced cost c(a) + π(from) − π(to) is ≥ 0 on every
   * arc with flow below its capacity and ≤ 0 on every arc with flow above its lower bound.
   */
  potential: Float64Array;
  /** Simplex pivots (basis changes and bound flips). */
  pivots: number;
}

export interface MinCostFlowFailed {
  /**
   * `infeasible`: no flow meets the supplies within the bounds (this includes supplies that do
   * not sum to zero). `unbounded`: feasible, and a negative-cost cycle of infinite capacity exists.
   */
  status: 'infeasible' | 'unbounded';
  pivots: number;
}

export type MinCostFlowResult = MinCostFlowOptimal | MinCostFlowFailed;

/** A network that cannot be solved as given; the message names the field and index. */
export class FlowNetworkError extends Error {}

export interface MinCostFlowOptions {
  /** Arcs per pricing block (at least 10 are used); default max(10, ⌈0.2·√m⌉). */
  blockSize?: number;
}

const UP = 1;
const DOWN = -1;
const STATE_UPPER = -1;
const STATE_TREE = 0;
const STATE_LOWER = 1;
const MAX_SAFE = Number.MAX_SAFE_INTEGER;
const MAX_NODES = 0x3fffffff;
/**
 * Block size = 0.2·√m. LEMON uses 1.0·√m; on the matching networks of match-needs.ts (20 arcs per
 * node) 0.2 was 3.5× faster than 1.0 at a million arcs and 1.4× faster than 0.3 at two million,
 * and no worse on netgen-2 or assign100.
 */
const BLOCK_FACTOR = 0.2;

const isSafe = (x: number): boolean => Number.isSafeInteger(x);

/** Validates the network; throws FlowNetworkError naming the first bad value. */
export function validateNetwork(net: FlowNetwork): void {
  const n = net.nodes;
  if (!Number.isSafeInteger(n) || n < 0 || n > MAX_NODES) throw new FlowNetworkError(`nodes: must be a whole number from 0 to ${MAX_NODES}, not ${n}`);
  if (net.supply.length !== n) throw new FlowNetworkError(`supply: has ${net.supply.length} values for ${n} nodes`);
  const m = net.from.length;
  for (const [name, arr] of [['to', net.to], ['capacity', net.capacity], ['cost', net.cost], ['lower', net.lower]] as const) {
    if (arr !== undefined && arr.length !== m) throw new FlowNetworkError(`${name}: has ${arr.length} values for ${m} arcs (from)`);
  }
  let supplyAbs = 0;
  for (let v = 0; v < n; v++) {
    const b = net.supply[v]!;
    if (!isSafe(b)) throw new FlowNetworkError(`supply[${v}]: must be a safe integer, not ${b}`);
    supplyAbs += Math.abs(b);
  }
  let capSum = 0;
  for (let a = 0; a < m; a++) {
    const f = net.from[a]!;
    const t = net.to[a]!;
    if (!Number.isInteger(f) || f < 0 || f >= n) throw new FlowNetworkError(`from[${a}]: node ${f} is outside 0..${n - 1}`);
    if (!Number.isInteger(t) || t < 0 || t >= n) throw new FlowNetworkError(`to[${a}]: node ${t} is outside 0..${n - 1}`);
    const lo = net.lower === undefined ? 0 : net.lower[a]!;
    const hi = net.capacity[a]!;
    const c = net.cost[a]!;
    if (!isSafe(lo)) throw new FlowNetworkError(`lower[${a}]: must be a safe integer, not ${lo}`);
    if (!(isSafe(hi) || hi === Infinity)) throw new FlowNetworkError(`capacity[${a}]: must be a safe integer or Infinity, not ${hi}`);
    if (hi < lo) throw new FlowNetworkError(`capacity[${a}]: ${hi} is below the lower bound ${lo}`);
    if (!isSafe(c)) throw new FlowNetworkError(`cost[${a}]: must be a safe integer, not ${c}`);
    supplyAbs += 2 * Math.abs(lo);
    if (hi !== Infinity) capSum += hi - lo;
  }
  // Every basic flow value is bounded by the supplies (after shifting lower bounds) plus the
  // finite capacities; keep that below 2^53 so flows are exact.
  if (!(supplyAbs + capSum <= MAX_SAFE)) throw new FlowNetworkError('supplies, lower bounds and capacities: their sum exceeds 2^53, flows would not be exact');
}

/**
 * Solves the network to optimality, or reports it infeasible or unbounded. Throws
 * FlowNetworkError on malformed input and RangeError when the numbers would exceed 2^53.
 */
export function minCostFlow(net: FlowNetwork, options: MinCostFlowOptions = {}): MinCostFlowResult {
  validateNetwork(net);
  if (options.blockSize !== undefined && !(Number.isSafeInteger(options.blockSize) && options.blockSize >= 1)) {
    throw new FlowNetworkError(`options.blockSize: must be a whole number of arcs, 1 or more, not ${options.blockSize}`);
  }
  const r = simplex(net, false, options);
  if (r.status !== 'unbounded') return r;
  // A negative cycle of infinite capacity was found; the problem is unbounded only if it is
  // feasible at all. Decide that on the same network with zero costs (which is never unbounded).
  const phase1 = simplex(net, true, options);
  return phase1.status === 'infeasible' ? { status: 'infeasible', pivots: r.pivots + phase1.pivots } : r;
}

/** Reduced costs c(a) + π(from) − π(to) of all arcs for the given potentials. */
export function reducedCosts(net: FlowNetwork, potential: ArrayLike<number>): Float64Array {
  const m = net.from.length;
  const rc = new Float64Array(m);
  for (let a = 0; a < m; a++) rc[a] = net.cost[a]! + potential[net.from[a]!]! - potential[net.to[a]!]!;
  return rc;
}

/**
 * Checks a claimed optimum independently of how it was found: bounds, conservation, the cost,
 * and complementary slackness of the potentials (which proves optimality by LP duality).
 * Returns the problems found (empty = a proven optimum).
 */
export function checkOptimality(net: FlowNetwork, r: MinCostFlowOptimal): string[] {
  const problems: string[] = [];
  const n = net.nodes;
  const m = net.from.length;
  const balance = new Float64Array(n);
  let cost = 0;
  for (let a = 0; a < m; a++) {
    const x = r.flow[a]!;
    const lo = net.lower === undefined ? 0 : net.lower[a]!;
    const hi = net.capacity[a]!;
    if (!Number.isInteger(x) || x < lo || x > hi) problems.push(`arc ${a}: flow ${x} outside [${lo}, ${hi}]`);
    balance[net.from[a]!]! += x;
    balance[net.to[a]!]! -= x;
    cost += x * net.cost[a]!;
    const rc = net.cost[a]! + r.potential[net.from[a]!]! - r.potential[net.to[a]!]!;
    if (rc < 0 && x < hi) problems.push(`arc ${a}: reduced cost ${rc} < 0 but flow ${x} below capacity ${hi}`);
    if (rc > 0 && x > lo) problems.push(`arc ${a}: reduced cost ${rc} > 0 but flow ${x} above lower bound ${lo}`);
  }
  for (let v = 0; v < n; v++) if (balance[v] !== net.supply[v]) problems.push(`node ${v}: net outflow ${balance[v]} ≠ supply ${net.supply[v]}`);
  if (cost !== r.cost) problems.push(`cost: recomputed ${cost} ≠ reported ${r.cost}`);
  return problems;
}

/**
 * Internal arc order: LEMON-style interleaving, so consecutive positions come from far apart in
 * the input (arcs are usually grouped by tail, and a pricing block should sample all of them).
 * Returns ext[position] = input arc index.
 */
function interleavedOrder(m: number, n: number): Int32Array {
  const ext = new Int32Array(m);
  const skip = Math.max(Math.floor(m / Math.max(n, 1)), 3);
  if (m === 0 || n <= 1) {
    for (let i = 0; i < m; i++) ext[i] = i;
    return ext;
  }
  let i = 0;
  let j = 0;
  for (let a = 0; a < m; a++) {
    ext[i] = a;
    i += skip;
    if (i >= m) i = ++j;
  }
  return ext;
}

function simplex(net: FlowNetwork, zeroCost: boolean, options: MinCostFlowOptions): MinCostFlowResult {
  const n = net.nodes;
  const m = net.from.length;
  const all = m + n;
  const N = n + 1;
  const root = n;

  const ext = interleavedOrder(m, n);
  const source = new Int32Array(all);
  const target = new Int32Array(all);
  const cap = new Float64Array(all);
  const cost = new Float64Array(all);
  const flow = new Float64Array(all);
  const state = new Int8Array(all);
  const supply = new Float64Array(N);

  let sum = 0;
  for (let v = 0; v < n; v++) {
    supply[v] = net.supply[v]!;
    sum += net.supply[v]!;
  }
  // Supplies that do not balance can never be met exactly.
  if (sum !== 0) return { status: 'infeasible', pivots: 0 };

  let maxAbsCost = 0;
  for (let i = 0; i < m; i++) {
    const a = ext[i]!;
    const s = net.from[a]!;
    const t = net.to[a]!;
    const lo = net.lower === undefined ? 0 : net.lower[a]!;
    source[i] = s;
    target[i] = t;
    cap[i] = net.capacity[a]! - lo; // Infinity stays Infinity
    const c = zeroCost ? 0 : net.cost[a]!;
    cost[i] = c;
    if (Math.abs(c) > maxAbsCost) maxAbsCost = Math.abs(c);
    if (lo !== 0) {
      supply[s] = supply[s]! - lo;
      supply[t] = supply[t]! + lo;
    }
    state[i] = STATE_LOWER;
  }

  // Big-M for the artificial arcs. Potentials are at most M + (n − 1)·max|c| ≤ 2M in magnitude
  // and reduced costs at most 5M; keep all of it exact.
  const ART_COST = (maxAbsCost + 1) * Math.max(n, 1);
  if (!(5 * ART_COST <= MAX_SAFE)) {
    throw new RangeError(`costs too large for exact arithmetic: (max |cost| + 1) × nodes × 5 = ${5 * ART_COST} exceeds 2^53`);
  }

  const parent = new Int32Array(N);
  const pred = new Int32Array(N);
  const predDir = new Int8Array(N);
  const thread = new Int32Array(N);
  const revThread = new Int32Array(N);
  const succNum = new Int32Array(N);
  const lastSucc = new Int32Array(N);
  const pi = new Float64Array(N);
  const stem = new Int32Array(N);

  // Initial basis: every node hangs under the root by its artificial arc.
  parent[root] = -1;
  pred[root] = -1;
  thread[root] = n === 0 ? root : 0;
  revThread[0] = root;
  succNum[root] = N;
  lastSucc[root] = n === 0 ? root : n - 1;
  pi[root] = 0;
  for (let u = 0; u < n; u++) {
    const e = m + u;
    parent[u] = root;
    pred[u] = e;
    thread[u] = u + 1;
    revThread[u + 1] = u;
    succNum[u] = 1;
    lastSucc[u] = u;
    cap[e] = Infinity;
    state[e] = STATE_TREE;
    const b = supply[u]!;
    if (b >= 0) {
      predDir[u] = UP;
      pi[u] = 0;
      source[e] = u;
      target[e] = root;
      flow[e] = b;
      cost[e] = 0;
    } else {
      predDir[u] = DOWN;
      pi[u] = ART_COST;
      source[e] = root;
      target[e] = u;
      flow[e] = -b;
      cost[e] = ART_COST;
    }
  }

  const blockSize = Math.max(10, options.blockSize ?? Math.ceil(BLOCK_FACTOR * Math.sqrt(m)));
  let nextArc = 0;
  let pivots = 0;

  for (;;) {
    // Pricing: block search for an arc with negative reduced cost (in its feasible direction).
    let inArc = -1;
    let min = 0;
    let cnt = blockSize;
    let e = nextArc;
    for (let k = 0; k < m; k++) {
      const c = state[e]! * (cost[e]! + pi[source[e]!]! - pi[target[e]!]!);
      if (c < min) {
        min = c;
        inArc = e;
      }
      if (++e === m) e = 0;
      if (--cnt === 0) {
        if (min < 0) break;
        cnt = blockSize;
      }
    }
    if (inArc < 0) break;
    nextArc = e;
    pivots++;

    // Apex of the cycle: the lowest common ancestor of the entering arc's ends.
    const sIn = source[inArc]!;
    const tIn = target[inArc]!;
    let u = sIn;
    let v = tIn;
    while (u !== v) {
      if (succNum[u]! < succNum[v]!) u = parent[u]!;
      else v = parent[v]!;
    }
    const join = u;

    // Leaving arc: the last blocking arc met going round the cycle from the apex in the
    // direction of flow (strict < on the first side, ≤ on the second).
    const lowerState = state[inArc] === STATE_LOWER;
    const first = lowerState ? sIn : tIn;
    const second = lowerState ? tIn : sIn;
    let delta = cap[inArc]!;
    let result = 0;
    let uOut = -1;
    for (u = first; u !== join; u = parent[u]!) {
      const a = pred[u]!;
      const d = predDir[u] === DOWN ? cap[a]! - flow[a]! : flow[a]!;
      if (d < delta) {
        delta = d;
        uOut = u;
        result = 1;
      }
    }
    for (u = second; u !== join; u = parent[u]!) {
      const a = pred[u]!;
      const d = predDir[u] === UP ? cap[a]! - flow[a]! : flow[a]!;
      if (d <= delta) {
        delta = d;
        uOut = u;
        result = 2;
      }
    }
    if (delta === Infinity) return { status: 'unbounded', pivots };

    // Augment delta units round the cycle.
    if (delta > 0) {
      const val = state[inArc]! * delta;
      flow[inArc] = flow[inArc]! + val;
      for (u = sIn; u !== join; u = parent[u]!) flow[pred[u]!] = flow[pred[u]!]! - predDir[u]! * val;
      for (u = tIn; u !== join; u = parent[u]!) flow[pred[u]!] = flow[pred[u]!]! + predDir[u]! * val;
    }
    if (result === 0) {
      // The entering arc itself blocks: it only moves to its other bound.
      state[inArc] = -state[inArc]!;
      continue;
    }
    state[inArc] = STATE_TREE;
    const outArc = pred[uOut]!;
    state[outArc] = flow[outArc] === 0 ? STATE_LOWER : STATE_UPPER;
    const uIn = result === 1 ? first : second;
    const vIn = result === 1 ? second : first;

    // 1. Cut the subtree of uOut off the tree and off the thread (it becomes a circular list).
    const vOut = parent[uOut]!;
    const size = succNum[uOut]!;
    {
      const prevT = revThread[uOut]!;
      const lastT = lastSucc[uOut]!;
      const nextT = thread[lastT]!;
      thread[prevT] = nextT;
      revThread[nextT] = prevT;
      thread[lastT] = uOut;
      revThread[uOut] = lastT;
      // Subtree sizes above the apex do not change (the subtree comes back under it).
      for (let x = vOut; x !== join; x = parent[x]!) succNum[x] = succNum[x]! - size;
      for (let x = vOut; x !== -1 && lastSucc[x] === lastT; x = parent[x]!) lastSucc[x] = prevT;
    }

    // 2. Re-root the cut subtree at uIn: reverse the stem uIn → … → uOut.
    let len = 0;
    for (let x = uIn; x !== uOut; x = parent[x]!) stem[len++] = x;
    stem[len++] = uOut;
    for (let i = len - 1; i > 0; i--) {
      const p = stem[i]!; // current root of the cut subtree
      const q = stem[i - 1]!; // its child towards uIn, the next root
      const sizeP = succNum[p]!;
      let lastP = lastSucc[p]!;
      const prevQ = revThread[q]!;
      const lastQ = lastSucc[q]!;
      const nextLastQ = thread[lastQ]!;
      parent[p] = q;
      pred[p] = pred[q]!;
      predDir[p] = -predDir[q]!;
      succNum[p] = sizeP - succNum[q]!;
      succNum[q] = sizeP;
      // Take q's subtree out of p's circular thread …
      thread[prevQ] = nextLastQ;
      revThread[nextLastQ] = prevQ;
      if (lastP === lastQ) {
        lastP = prevQ;
        lastSucc[p] = prevQ;
      }
      // … and append what remains of p's after q's subtree: q … lastQ p … lastP (q).
      thread[lastQ] = p;
      revThread[p] = lastQ;
      thread[lastP] = q;
      revThread[q] = lastP;
      lastSucc[q] = lastP;
    }

    // 3. Hang the subtree under vIn by the entering arc, as vIn's last child.
    parent[uIn] = vIn;
    pred[uIn] = inArc;
    predDir[uIn] = uIn === sIn ? UP : DOWN;
    {
      const lastP = lastSucc[vIn]!;
      const nextLastP = thread[lastP]!;
      const lastQ = lastSucc[uIn]!;
      thread[lastP] = uIn;
      revThread[uIn] = lastP;
      thread[lastQ] = nextLastP;
      revThread[nextLastP] = lastQ;
      for (let x = vIn; x !== join; x = parent[x]!) succNum[x] = succNum[x]! + size;
      for (let x = vIn; x !== -1 && lastSucc[x] === lastP; x = parent[x]!) lastSucc[x] = lastQ;
    }

    // 4. Shift the potentials of the moved subtree so the entering arc has reduced cost 0.
    const sigma = pi[vIn]! - pi[uIn]! - predDir[uIn] * cost[inArc]!;
    if (sigma !== 0) {
      let x = uIn;
      for (let k = 0; k < size; k++) {
        pi[x] = pi[x]! + sigma;
        x = thread[x]!;
      }
    }
  }

  // A positive artificial flow at the optimum of the big-M problem proves infeasibility.
  for (let e = m; e < all; e++) if (flow[e] !== 0) return { status: 'infeasible', pivots };

  const outFlow = new Float64Array(m);
  let total = 0;
  for (let i = 0; i < m; i++) {
    const a = ext[i]!;
    const lo = net.lower === undefined ? 0 : net.lower[a]!;
    const x = flow[i]! + lo;
    outFlow[a] = x;
    if (x !== 0) {
      const term = x * net.cost[a]!;
      total += term;
      if (!isSafe(term) || !isSafe(total)) throw new RangeError(`total cost exceeds 2^53 at arc ${a}; not exact in a JS number`);
    }
  }
  const potential = pi.slice(0, n);
  return { status: 'optimal', cost: zeroCost ? 0 : total, flow: outFlow, potential, pivots };
}
