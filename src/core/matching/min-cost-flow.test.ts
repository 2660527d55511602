import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { parseDimacs } from './dimacs.js';
import { checkOptimality, FlowNetworkError, minCostFlow, reducedCosts, type FlowNetwork, type MinCostFlowResult } from './min-cost-flow.js';
import { ASSIGN100, highs, highsMinCostFlow, NETGEN2, ORLIB_ASSIGN100, readReference } from './test-support.js';

/** A network from arc tuples [from, to, lower, capacity, cost]. */
function network(nodes: number, supply: number[], arcs: [number, number, number, number, number][]): FlowNetwork {
  return {
    nodes,
    supply,
    from: arcs.map((a) => a[0]),
    to: arcs.map((a) => a[1]),
    lower: arcs.map((a) => a[2]),
    capacity: arcs.map((a) => a[3]),
    cost: arcs.map((a) => a[4]),
  };
}

function optimal(r: MinCostFlowResult): Extract<MinCostFlowResult, { status: 'optimal' }> {
  if (r.status !== 'optimal') throw new Error(`expected optimal, got ${r.status}`);
  return r;
}

describe('min-cost flow: reference instances', () => {
  it('netgen-2 (400 nodes, 1,416 arcs) solves to exactly 6,749,969,302, beyond 32 bits, with a valid dual certificate', () => {
    const net = parseDimacs(readReference(NETGEN2));
    const r = optimal(minCostFlow(net));
    expect(r.cost).toBe(6_749_969_302);
    expect(checkOptimality(net, r)).toEqual([]);
  });

  it('assign100 (OR-Library, 100 × 100) solves to 305, as DIMACS and from the original cost matrix', () => {
    const net = parseDimacs(readReference(ASSIGN100));
    const r = optimal(minCostFlow(net));
    expect(r.cost).toBe(305);
    expect(checkOptimality(net, r)).toEqual([]);
    // The original matrix: first token n, then n × n costs, row by row.
    const tokens = readReference(ORLIB_ASSIGN100).trim().split(/\s+/).map(Number);
    const n = tokens[0]!;
    const arcs: [number, number, number, number, number][] = [];
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) arcs.push([i, n + j, 0, 1, tokens[1 + i * n + j]!]);
    const supply = [...new Array<number>(n).fill(1), ...new Array<number>(n).fill(-1)];
    const direct = optimal(minCostFlow(network(2 * n, supply, arcs)));
    expect(direct.cost).toBe(305);
    // Each person does exactly one job.
    const perRow = new Array<number>(n).fill(0);
    arcs.forEach((a, k) => (perRow[a[0]]! += direct.flow[k]!));
    expect(perRow.every((x) => x === 1)).toBe(true);
  });
});

describe('min-cost flow: small cases', () => {
  it('routes over the cheaper path and fills it before the dearer one', () => {
    // 0 → 1 → 3 costs 2 per unit (capacity 3), 0 → 2 → 3 costs 5; 4 units to move.
    const net = network(4, [4, 0, 0, -4], [[0, 1, 0, 3, 1], [1, 3, 0, 3, 1], [0, 2, 0, 10, 2], [2, 3, 0, 10, 3]]);
    const r = optimal(minCostFlow(net));
    expect(Array.from(r.flow)).toEqual([3, 3, 1, 1]);
    expect(r.cost).toBe(3 * 2 + 5);
    expect(checkOptimality(net, r)).toEqual([]);
  });

  it('honours lower bounds even on a dear arc', () => {
    const net = network(3, [2, 0, -2], [[0, 1, 2, 5, 10], [1, 2, 0, 5, 0], [0, 2, 0, 5, 1]]);
    const r = optimal(minCostFlow(net));
    expect(Array.from(r.flow)).toEqual([2, 2, 0]);
    expect(r.cost).toBe(20);
  });

  it('saturates a negative cycle of finite capacity, with no supply at all', () => {
    const net = network(3, [0, 0, 0], [[0, 1, 0, 4, -3], [1, 2, 0, 7, 1], [2, 0, 0, 9, 1]]);
    const r = optimal(minCostFlow(net));
    expect(Array.from(r.flow)).toEqual([4, 4, 4]);
    expect(r.cost).toBe(-4);
    expect(checkOptimality(net, r)).toEqual([]);
  });

  it('handles self-loops and parallel arcs', () => {
    const net = network(2, [1, -1], [[0, 0, 0, 3, -2], [0, 1, 0, 1, 5], [0, 1, 0, 1, 4], [1, 1, 0, 2, 1]]);
    const r = optimal(minCostFlow(net));
    expect(Array.from(r.flow)).toEqual([3, 0, 1, 0]);
    expect(r.cost).toBe(-6 + 4);
  });

  it('reports infeasible: unbalanced supplies, too little capacity, an unmeetable lower bound', () => {
    expect(minCostFlow(network(2, [2, -1], [[0, 1, 0, 5, 1]])).status).toBe('infeasible');
    expect(minCostFlow(network(2, [3, -3], [[0, 1, 0, 2, 1]])).status).toBe('infeasible');
    expect(minCostFlow(network(3, [0, 0, 0], [[0, 1, 1, 2, 1], [2, 0, 0, 5, 1]])).status).toBe('infeasible');
    expect(minCostFlow(network(2, [1, -1], [])).status).toBe('infeasible');
  });

  it('reports unbounded for a feasible network with a negative cycle of infinite capacity', () => {
    const net = network(3, [1, 0, -1], [[0, 1, 0, 1, 1], [1, 2, 0, Infinity, -2], [2, 1, 0, Infinity, 1]]);
    expect(minCostFlow(net).status).toBe('unbounded');
    expect(minCostFlow(network(1, [0], [[0, 0, 0, Infinity, -1]])).status).toBe('unbounded');
  });

  it('reports infeasible, not unbounded, when the supplies cannot be met whatever the cycle', () => {
    const net = network(4, [1, 0, 0, -1], [[1, 2, 0, Infinity, -2], [2, 1, 0, Infinity, 1]]);
    expect(minCostFlow(net).status).toBe('infeasible');
  });

  it('uses infinite capacity where it is needed, and the empty network is optimal at 0', () => {
    const r = optimal(minCostFlow(network(2, [1_000_000, -1_000_000], [[0, 1, 0, Infinity, 3]])));
    expect(r.cost).toBe(3_000_000);
    expect(optimal(minCostFlow(network(0, [], []))).cost).toBe(0);
  });

  it('returns potentials whose reduced costs prove optimality', () => {
    const net = network(4, [4, 0, 0, -4], [[0, 1, 0, 3, 1], [1, 3, 0, 3, 1], [0, 2, 0, 10, 2], [2, 3, 0, 10, 3]]);
    const r = optimal(minCostFlow(net));
    const rc = reducedCosts(net, r.potential);
    // The cheap path is full (reduced cost ≤ 0), the dear one carries flow below capacity (= 0).
    expect(rc[0]! + rc[1]!).toBeLessThanOrEqual(0);
    expect(rc[2]).toBe(0);
    expect(rc[3]).toBe(0);
  });

  it('refuses malformed networks, naming the field', () => {
    expect(() => minCostFlow(network(2, [0, 0], [[0, 2, 0, 1, 1]]))).toThrow(new FlowNetworkError('to[0]: node 2 is outside 0..1'));
    expect(() => minCostFlow(network(2, [0, 0], [[0, 1, 3, 1, 1]]))).toThrow(/capacity\[0\]: 1 is below the lower bound 3/);
    expect(() => minCostFlow(network(2, [0.5, -0.5], []))).toThrow(/supply\[0\]: must be a safe integer/);
    expect(() => minCostFlow(network(2, [0, 0], [[0, 1, 0, 1, 1.5]]))).toThrow(/cost\[0\]: must be a safe integer/);
    expect(() => minCostFlow({ nodes: 2, supply: [0], from: [], to: [], capacity: [], cost: [] })).toThrow(/supply: has 1 values for 2 nodes/);
    expect(() => minCostFlow(network(1, [0], []), { blockSize: 0 })).toThrow(/options.blockSize: must be a whole number/);
  });

  it('refuses costs whose potentials would not be exact below 2^53', () => {
    expect(() => minCostFlow(network(3, [1, 0, -1], [[0, 1, 0, 1, 2 ** 51], [1, 2, 0, 1, 1]]))).toThrow(RangeError);
  });
});

/** Brute force: every integer flow vector within the bounds (tiny networks only). */
function bruteForce(net: FlowNetwork): { status: 'optimal' | 'infeasible'; cost: number } {
  const m = net.from.length;
  const x = new Array<number>(m).fill(0);
  let best = Infinity;
  const visit = (a: number): void => {
    if (a === m) {
      const bal = new Array<number>(net.nodes).fill(0);
      let c = 0;
      for (let k = 0; k < m; k++) {
        bal[net.from[k]!]! += x[k]!;
        bal[net.to[k]!]! -= x[k]!;
        c += x[k]! * net.cost[k]!;
      }
      if (bal.every((b, v) => b === net.supply[v]) && c < best) best = c;
      return;
    }
    for (let f = net.lower![a]!; f <= net.capacity[a]!; f++) {
      x[a] = f;
      visit(a + 1);
    }
  };
  visit(0);
  return best === Infinity ? { status: 'infeasible', cost: 0 } : { status: 'optimal', cost: best };
}

/**
 * Random network: n nodes, between minPerNode·n and maxPerNode·n arcs (capped at maxArcs), lower
 * bounds now and then, one arc in `infiniteOneIn` uncapacitated (0 = none), supplies usually
 * balanced, sometimes not.
 */
const randomNetwork = (o: { maxNodes: number; minPerNode: number; maxPerNode: number; maxArcs: number; maxCap: number; maxSupply: number; infiniteOneIn: number }) =>
  fc.integer({ min: 1, max: o.maxNodes }).chain((n) =>
    fc.record({
      n: fc.constant(n),
      arcs: fc.array(
        fc.tuple(
          fc.nat(n - 1),
          fc.nat(n - 1),
          fc.integer({ min: -3, max: 1 }).map((x) => Math.max(0, x)),
          fc.nat(o.maxCap),
          fc.integer({ min: -9, max: 20 }),
          o.infiniteOneIn > 0 ? fc.nat(o.infiniteOneIn - 1) : fc.constant(1),
        ),
        { minLength: Math.min(o.maxArcs, o.minPerNode * n), maxLength: Math.min(o.maxArcs, o.maxPerNode * n) },
      ),
      supply: fc.array(fc.integer({ min: -o.maxSupply, max: o.maxSupply }), { minLength: n, maxLength: n }),
      balance: fc.nat(9),
    }),
  );

function toNetwork(g: { n: number; arcs: [number, number, number, number, number, number][]; supply: number[]; balance: number }): FlowNetwork {
  const supply = g.supply.slice();
  // Nine times in ten, make the supplies balance (the last node absorbs the difference).
  if (g.balance > 0) supply[g.n - 1] = supply[g.n - 1]! - supply.reduce((s, b) => s + b, 0);
  return {
    nodes: g.n,
    supply,
    from: g.arcs.map((a) => a[0]),
    to: g.arcs.map((a) => a[1]),
    lower: g.arcs.map((a) => Math.min(a[2], a[3])),
    capacity: g.arcs.map((a) => (a[5] === 0 ? Infinity : a[3])),
    cost: g.arcs.map((a) => a[4]),
  };
}

describe('min-cost flow: properties', () => {
  it('equals brute-force enumeration on tiny networks (status and cost), with a valid certificate', () => {
    const seen = new Set<string>();
    fc.assert(
      fc.property(randomNetwork({ maxNodes: 4, minPerNode: 1, maxPerNode: 2, maxArcs: 6, maxCap: 2, maxSupply: 2, infiniteOneIn: 0 }), (g) => {
        const net = toNetwork(g);
        const want = bruteForce(net);
        const got = minCostFlow(net);
        seen.add(got.status);
        expect(got.status).toBe(want.status);
        if (got.status === 'optimal') {
          expect(got.cost).toBe(want.cost);
          expect(checkOptimality(net, got)).toEqual([]);
        }
      }),
      { numRuns: 400 },
    );
    expect([...seen].sort()).toEqual(['infeasible', 'optimal']);
  });

  it('agrees with HiGHS on random networks with infinite capacities and negative cycles', async () => {
    const h = await highs();
    const seen = new Set<string>();
    fc.assert(
      fc.property(randomNetwork({ maxNodes: 25, minPerNode: 3, maxPerNode: 6, maxArcs: 150, maxCap: 20, maxSupply: 3, infiniteOneIn: 20 }), (g) => {
        const net = toNetwork(g);
        const got = minCostFlow(net);
        seen.add(got.status);
        let lp = highsMinCostFlow(h, net);
        if (lp.status === 'infeasible-or-unbounded' || lp.status === 'other') lp = highsMinCostFlow(h, net, 'off');
        if (lp.status === 'infeasible-or-unbounded') expect(['infeasible', 'unbounded']).toContain(got.status);
        else expect(got.status).toBe(lp.status);
        if (got.status === 'optimal') {
          expect(got.cost).toBe(Math.round(lp.cost));
          expect(checkOptimality(net, got)).toEqual([]);
        }
      }),
      { numRuns: 300 },
    );
    expect([...seen].sort()).toEqual(['infeasible', 'optimal', 'unbounded']);
  });

  it('keeps flows within bounds and conserved on larger random feasible networks', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 2, max: 60 }).chain((n) =>
          fc.record({
            n: fc.constant(n),
            arcs: fc.array(fc.tuple(fc.nat(n - 1), fc.nat(n - 1), fc.nat(3), fc.integer({ min: 3, max: 40 }), fc.integer({ min: -50, max: 100 }), fc.constant(1)), { minLength: 1, maxLength: 300 }),
            supply: fc.constant(new Array<number>(n).fill(0)),
            balance: fc.constant(1),
          }),
        ),
        (g) => {
          // A circulation with lower bounds: may be infeasible; when optimal it must verify.
          const net = toNetwork(g);
          const got = minCostFlow(net);
          if (got.status === 'optimal') expect(checkOptimality(net, got)).toEqual([]);
          else expect(got.status).toBe('infeasible');
        },
      ),
      { numRuns: 200 },
    );
  });
});
