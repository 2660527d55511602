import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { DimacsError, formatDimacs, MAX_DIMACS_COUNT, parseDimacs } from './dimacs.js';
import { NETGEN2, readReference } from './test-support.js';

const GOOD = ['c tiny', 'p min 3 2', 'n 1 4', 'n 3 -4', '', 'a 1 2 0 5 3', 'a 2 3 1 4 -2'].join('\n');

/** The message of the error parseDimacs throws on this text. */
function problem(text: string): string {
  try {
    parseDimacs(text);
  } catch (e) {
    expect(e).toBeInstanceOf(DimacsError);
    return (e as Error).message;
  }
  throw new Error('parsed without error');
}

/** GOOD with line `lineNo` (1-based) replaced. */
const withLine = (lineNo: number, text: string): string => GOOD.split('\n').map((l, i) => (i === lineNo - 1 ? text : l)).join('\n');

describe('DIMACS parser', () => {
  it('reads nodes (1-based → 0-based), supplies, arcs, comments and blank lines', () => {
    const net = parseDimacs(GOOD);
    expect(net.nodes).toBe(3);
    expect(Array.from(net.supply)).toEqual([4, 0, -4]);
    expect(Array.from(net.from)).toEqual([0, 1]);
    expect(Array.from(net.to)).toEqual([1, 2]);
    expect(Array.from(net.lower)).toEqual([0, 1]);
    expect(Array.from(net.capacity)).toEqual([5, 4]);
    expect(Array.from(net.cost)).toEqual([3, -2]);
  });

  it('accepts CRLF line ends and extra spaces', () => {
    expect(parseDimacs(GOOD.replaceAll('\n', '\r\n').replace('a 1 2 0 5 3', '  a  1   2 0 5 3 ')).cost[0]).toBe(3);
  });

  it('reads netgen-2: 400 nodes, 1,416 arcs, supplies balance', () => {
    const net = parseDimacs(readReference(NETGEN2));
    expect(net.nodes).toBe(400);
    expect(net.from.length).toBe(1416);
    expect(net.supply.reduce((s, b) => s + b, 0)).toBe(0);
  });

  it('names the line and the problem of bad input', () => {
    expect(problem(withLine(6, 'a 1 401 0 5 3').replace('p min 3 2', 'p min 400 2'))).toBe('line 6: arc head 401 is outside 1..400');
    expect(problem(withLine(6, 'a 0 2 0 5 3'))).toBe('line 6: arc tail 0 is outside 1..3');
    expect(problem(withLine(6, 'a 1 2 0 5'))).toBe("line 6: arc line needs 'a FROM TO LOW CAP COST', got 4 number(s)");
    expect(problem(withLine(6, 'a 1 2 0 5 3.5'))).toBe("line 6: cost '3.5' is not an integer");
    expect(problem(withLine(6, 'a 1 2 x 5 3'))).toBe("line 6: lower bound 'x' is not an integer");
    expect(problem(withLine(6, 'a 1 2 6 5 3'))).toBe('line 6: capacity 5 is below the lower bound 6');
    expect(problem(withLine(6, 'a 1 2 -1 5 3'))).toBe('line 6: lower bound -1 is negative');
    expect(problem(withLine(6, 'a 1 2 0 5 99999999999999999999'))).toBe('line 6: cost 99999999999999999999 is beyond ±2^53');
    expect(problem(withLine(3, 'n 4 4'))).toBe('line 3: node id 4 is outside 1..3');
    expect(problem(withLine(4, 'n 1 -4'))).toBe('line 4: node 1 already has a supply (line 3)');
    expect(problem(withLine(3, 'n 1'))).toBe("line 3: node line needs 'n ID SUPPLY', got 1 number(s)");
    expect(problem(withLine(5, 'x 1 2'))).toBe("line 5: unknown line type 'x' (expected c, p, n or a)");
    expect(problem(withLine(2, 'p max 3 2'))).toBe("line 2: only 'p min' problems are supported, not 'p max'");
    expect(problem(withLine(2, 'p min 3'))).toBe("line 2: problem line needs 'p min NODES ARCS', got 1 number(s)");
    expect(problem(withLine(2, 'p min 0 2'))).toBe(`line 2: node count 0 must be from 1 to ${MAX_DIMACS_COUNT}`);
    expect(problem(withLine(5, 'p min 3 2'))).toBe('line 5: second problem line (the first is line 2)');
    expect(problem(withLine(2, 'c no problem line'))).toBe("line 3: node line before the problem line ('p min NODES ARCS')");
    expect(problem('c nothing\n')).toBe("no problem line ('p min NODES ARCS')");
    expect(problem(`${GOOD}\na 1 3 0 1 1`)).toBe('line 8: more arcs than the 2 declared on line 2');
    expect(problem(GOOD.replace('p min 3 2', 'p min 3 3'))).toBe('2 arc line(s), but line 2 declares 3');
  });

  it('round-trips through formatDimacs', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 8 }).chain((n) =>
          fc.record({
            n: fc.constant(n),
            supply: fc.array(fc.integer({ min: -50, max: 50 }), { minLength: n, maxLength: n }),
            arcs: fc.array(fc.tuple(fc.nat(n - 1), fc.nat(n - 1), fc.nat(3), fc.nat(20), fc.integer({ min: -(2 ** 40), max: 2 ** 40 })), { maxLength: 20 }),
          }),
        ),
        (g) => {
          const net = {
            nodes: g.n,
            supply: g.supply,
            from: g.arcs.map((a) => a[0]),
            to: g.arcs.map((a) => a[1]),
            lower: g.arcs.map((a) => a[2]),
            capacity: g.arcs.map((a) => a[2] + a[3]),
            cost: g.arcs.map((a) => a[4]),
          };
          const back = parseDimacs(formatDimacs(net, 'round trip\nsecond comment line'));
          expect(back.nodes).toBe(net.nodes);
          expect(Array.from(back.supply)).toEqual(net.supply);
          expect(Array.from(back.from)).toEqual(net.from);
          expect(Array.from(back.to)).toEqual(net.to);
          expect(Array.from(back.lower)).toEqual(net.lower);
          expect(Array.from(back.capacity)).toEqual(net.capacity);
          expect(Array.from(back.cost)).toEqual(net.cost);
        },
      ),
    );
  });
});
