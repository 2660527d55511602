import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { buildMatchModel, greedyFirstComeFirstServed, MatchInputError, matchingLp, matchNeeds, type MatchInput, type MatchSummary, type Need, type Project } from './match-needs.js';
import { syntheticMatching } from './synthetic.js';
import { highs } from './test-support.js';

const need = (id: string, priority: number, extra: Partial<Need> = {}): Need => ({ id, householdId: `h-${id}`, category: 'medical', priority, county: '331127', mountain: false, ...extra });
const project = (id: string, capacity: number, extra: Partial<Project> = {}): Project => ({ id, capacity, budgetFen: 1_000_000_00, costPerBeneficiaryFen: 100_00, categories: ['medical', 'education'], ...extra });

/** Input from pairs given by ids. */
function input(needs: Need[], projects: Project[], pairs: [string, string][], mountainUplift = 0): MatchInput {
  const ni = new Map(needs.map((d, i) => [d.id, i]));
  const pj = new Map(projects.map((p, j) => [p.id, j]));
  return { needs, projects, eligible: { need: pairs.map((p) => ni.get(p[0])!), project: pairs.map((p) => pj.get(p[1])!) }, options: { mountainUplift } };
}

const assigned = (r: MatchSummary, inp: MatchInput): Record<string, string> =>
  Object.fromEntries([...r.projectOf].flatMap((j, i) => (j < 0 ? [] : [[inp.needs[i]!.id, inp.projects[j]!.id]])));

describe('charity matching: cases', () => {
  it('gives a scarce place to the higher priority and explains the other', () => {
    const inp = input([need('a', 3), need('b', 5)], [project('X', 1)], [['a', 'X'], ['b', 'X']]);
    const r = matchNeeds(inp);
    expect(assigned(r, inp)).toEqual({ b: 'X' });
    expect(r.objective).toBe(5);
    expect(r.unmatched).toHaveLength(1);
    expect(r.unmatched[0]!.needId).toBe('a');
    expect(r.unmatched[0]!.reason).toEqual({ kind: 'capacity-taken', projects: [{ projectId: 'X', places: 1, limitedBy: 'capacity', lowestAssignedPriority: 5 }] });
    expect(r.unmatched[0]!.text.en).toBe('all 1 places of project X are taken by needs with higher or equal priority (lowest 5) (this need: 3)');
    // One more place at X would add at most the dual price, which here is at least a's 3 … and at most b's 5.
    const x = r.projects[0]!;
    expect(x.used).toBe(1);
    expect(x.marginalValue).toBeGreaterThanOrEqual(3);
    expect(x.marginalValue).toBeLessThanOrEqual(5);
  });

  it('applies the mountain-county uplift: 4 × 1.3 = 5.2 beats 5, 4 × 1.2 = 4.8 does not', () => {
    const needs = [need('city', 5), need('hill', 4, { mountain: true, county: '331127' })];
    const pairs: [string, string][] = [['city', 'X'], ['hill', 'X']];
    const with30 = input(needs, [project('X', 1)], pairs, 0.3);
    const r30 = matchNeeds(with30);
    expect(assigned(r30, with30)).toEqual({ hill: 'X' });
    expect(r30.objective).toBeCloseTo(5.2, 12);
    expect(r30.objectiveScaled / r30.scale).toBe(r30.objective);
    expect(r30.mountainMatched).toBe(1);
    expect(r30.priorityServed).toBe(4);
    const with20 = input(needs, [project('X', 1)], pairs, 0.2);
    expect(assigned(matchNeeds(with20), with20)).toEqual({ city: 'X' });
  });

  it('turns a budget into places: ⌊250 yuan / 100 yuan⌋ = 2 of a capacity of 10', () => {
    const inp = input([need('a', 1), need('b', 2), need('c', 3)], [project('X', 10, { budgetFen: 250_00, costPerBeneficiaryFen: 100_00 })], [['a', 'X'], ['b', 'X'], ['c', 'X']]);
    const r = matchNeeds(inp);
    expect(assigned(r, inp)).toEqual({ b: 'X', c: 'X' });
    expect(r.projects[0]).toMatchObject({ places: 2, limitedBy: 'budget', used: 2 });
    expect(buildMatchModel({ ...inp, projects: [project('X', 10, { costPerBeneficiaryFen: 0 })] }).places[0]).toBe(10);
  });

  it('never gives one household two projects in one category — even if that leaves its top need out', () => {
    // a and b: one household, both medical. The best plan serves b at Y and c at X (6 + 6 = 12);
    // serving a (9) blocks b (same household and category) and c (X is full): 9.
    const needs = [need('a', 9, { householdId: 'H' }), need('b', 6, { householdId: 'H' }), need('c', 6)];
    const inp = input(needs, [project('X', 1), project('Y', 1)], [['a', 'X'], ['b', 'Y'], ['c', 'X']]);
    const r = matchNeeds(inp);
    expect(assigned(r, inp)).toEqual({ b: 'Y', c: 'X' });
    expect(r.objective).toBe(12);
    expect(r.unmatched).toEqual([
      expect.objectContaining({ needId: 'a', reason: { kind: 'household-category-served', servedBy: 'b' } }),
    ]);
    // First come, first served takes a first and stops there.
    const g = greedyFirstComeFirstServed(inp);
    expect(assigned(g, inp)).toEqual({ a: 'X' });
    expect(g.objective).toBe(9);
    // Different categories of one household are independent.
    const other = input([need('a', 9, { householdId: 'H' }), need('b', 6, { householdId: 'H', category: 'education' })], [project('X', 1), project('Y', 1)], [['a', 'X'], ['b', 'Y']]);
    expect(matchNeeds(other).matched).toBe(2);
  });

  it('explains a need with no eligible project and a project without places', () => {
    const inp = input([need('a', 2), need('b', 2)], [project('Z', 5, { budgetFen: 50_00 })], [['b', 'Z']]);
    const r = matchNeeds(inp);
    expect(r.matched).toBe(0);
    expect(r.unmatched.map((u) => u.reason.kind)).toEqual(['no-eligible-project', 'capacity-taken']);
    expect(r.unmatched[0]!.text).toEqual({ zh: '没有符合条件的项目', en: 'no eligible project' });
    expect(r.unmatched[1]!.text.en).toBe('project Z has no places (its budget does not cover one beneficiary) (this need: 2)');
  });

  it('refuses bad input, naming the field', () => {
    const ok = input([need('a', 1)], [project('X', 1)], [['a', 'X']]);
    expect(() => matchNeeds({ ...ok, needs: [need('a', 0)] })).toThrow(new MatchInputError('needs[0].priority: must be a whole number from 1 to 1000000'));
    expect(() => matchNeeds({ ...ok, needs: [need('a', 1), need('a', 2)] })).toThrow(/needs\[1\].id: a is repeated/);
    expect(() => matchNeeds({ ...ok, projects: [project('X', -1)] })).toThrow(/projects\[0\].capacity/);
    expect(() => matchNeeds({ ...ok, projects: [project('X', 1, { categories: ['housing'] })] })).toThrow('eligible[0]: project X does not serve category medical of need a');
    expect(() => matchNeeds({ ...ok, eligible: { need: [1], project: [0] } })).toThrow('eligible.need[0]: 1 is not a need index (0..0)');
    expect(() => matchNeeds({ ...ok, options: { mountainUplift: 0.00001 } })).toThrow(/whole basis points/);
    expect(() => matchNeeds({ ...ok, options: { mountainUplift: -0.1 } })).toThrow(/from 0 to 10/);
  });
});

/** Independent check of a matching against the raw input: eligibility, capacity, budget, one per need and per household category. */
function violations(inp: MatchInput, projectOf: Int32Array): string[] {
  const out: string[] = [];
  const eligible = new Set<string>();
  for (let k = 0; k < inp.eligible.need.length; k++) eligible.add(`${inp.eligible.need[k]}:${inp.eligible.project[k]}`);
  const count = new Array<number>(inp.projects.length).fill(0);
  const served = new Set<string>();
  projectOf.forEach((j, i) => {
    if (j < 0) return;
    if (!eligible.has(`${i}:${j}`)) out.push(`need ${i} at ineligible project ${j}`);
    count[j]!++;
    const key = `${inp.needs[i]!.householdId}/${inp.needs[i]!.category}`;
    if (served.has(key)) out.push(`household category ${key} served twice`);
    served.add(key);
  });
  inp.projects.forEach((p, j) => {
    if (count[j]! > p.capacity) out.push(`project ${p.id} over capacity`);
    if (count[j]! * p.costPerBeneficiaryFen > p.budgetFen) out.push(`project ${p.id} over budget`);
  });
  return out;
}

/** Adjusted priority × 10000 (exact): the tests' own arithmetic. */
const weigh = (d: Need, uplift: number): number => d.priority * (d.mountain ? 10000 + Math.round(uplift * 10000) : 10000);

/** Brute force: every need takes one of its eligible projects or none. */
function bruteForce(inp: MatchInput): number {
  const uplift = inp.options?.mountainUplift ?? 0;
  const options: number[][] = inp.needs.map(() => [-1]);
  for (let k = 0; k < inp.eligible.need.length; k++) options[inp.eligible.need[k]!]!.push(inp.eligible.project[k]!);
  const pick = new Int32Array(inp.needs.length);
  let best = 0;
  const visit = (i: number, w: number): void => {
    if (i === inp.needs.length) {
      if (w > best && violations(inp, pick).length === 0) best = w;
      return;
    }
    for (const j of options[i]!) {
      pick[i] = j;
      visit(i + 1, w + (j >= 0 ? weigh(inp.needs[i]!, uplift) : 0));
    }
  };
  visit(0, 0);
  return best;
}

/** Random instance: few households (so categories collide), small capacities and budgets. */
const randomInstance = (maxNeeds: number, maxProjects: number, pairChance: number) =>
  fc
    .record({
      needs: fc.array(fc.record({ household: fc.nat(4), category: fc.constantFrom('medical', 'education'), priority: fc.integer({ min: 1, max: 12 }), mountain: fc.boolean() }), { minLength: 1, maxLength: maxNeeds }),
      projects: fc.array(fc.record({ capacity: fc.nat(3), costYuan: fc.nat(3), budgetYuan: fc.nat(8), both: fc.boolean(), medical: fc.boolean() }), { minLength: 1, maxLength: maxProjects }),
      uplift: fc.constantFrom(0, 0.25, 0.5, 1),
      seed: fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: 400, maxLength: 400 }),
    })
    .map((g): MatchInput => {
      const needs: Need[] = g.needs.map((d, i) => ({ id: `n${i}`, householdId: `h${d.household}`, category: d.category, priority: d.priority, county: d.mountain ? '331127' : '330102', mountain: d.mountain }));
      const projects: Project[] = g.projects.map((p, j) => ({
        id: `p${j}`,
        capacity: p.capacity,
        budgetFen: p.budgetYuan * 100,
        costPerBeneficiaryFen: p.costYuan * 100,
        categories: p.both ? ['medical', 'education'] : [p.medical ? 'medical' : 'education'],
      }));
      const need: number[] = [];
      const proj: number[] = [];
      let r = 0;
      needs.forEach((d, i) =>
        projects.forEach((p, j) => {
          if (p.categories.includes(d.category) && g.seed[r++ % g.seed.length]! < pairChance) {
            need.push(i);
            proj.push(j);
          }
        }),
      );
      return { needs, projects, eligible: { need, project: proj }, options: { mountainUplift: g.uplift } };
    });

/** The explanation of every unmatched need holds on the raw input. */
function checkExplanations(inp: MatchInput, r: ReturnType<typeof matchNeeds>): void {
  const uplift = inp.options?.mountainUplift ?? 0;
  const idx = new Map(inp.needs.map((d, i) => [d.id, i]));
  const pidx = new Map(inp.projects.map((p, j) => [p.id, j]));
  const unmatchedIds = r.unmatched.map((u) => u.needId);
  expect(unmatchedIds).toEqual(inp.needs.filter((_, i) => r.projectOf[i]! < 0).map((d) => d.id));
  for (const u of r.unmatched) {
    const i = idx.get(u.needId)!;
    const mine = Array.from(inp.eligible.need).flatMap((n, k) => (n === i ? [inp.eligible.project[k]!] : []));
    if (u.reason.kind === 'no-eligible-project') expect(mine).toEqual([]);
    else if (u.reason.kind === 'household-category-served') {
      const s = idx.get(u.reason.servedBy)!;
      expect(r.projectOf[s]).toBeGreaterThanOrEqual(0);
      expect(inp.needs[s]!.householdId).toBe(inp.needs[i]!.householdId);
      expect(inp.needs[s]!.category).toBe(inp.needs[i]!.category);
    } else {
      expect(new Set(u.reason.projects.map((p) => pidx.get(p.projectId)))).toEqual(new Set(mine));
      for (const p of u.reason.projects) {
        const j = pidx.get(p.projectId)!;
        const takers = [...r.projectOf].flatMap((pj, t) => (pj === j ? [t] : []));
        const q = inp.projects[j]!;
        const places = Math.min(q.capacity, q.costPerBeneficiaryFen === 0 ? Infinity : Math.floor(q.budgetFen / q.costPerBeneficiaryFen));
        expect(takers.length).toBe(places);
        for (const t of takers) expect(weigh(inp.needs[t]!, uplift)).toBeGreaterThanOrEqual(weigh(inp.needs[i]!, uplift));
      }
    }
  }
}

describe('charity matching: properties', () => {
  it('equals brute force on tiny instances; respects every constraint; explanations hold; greedy is never better', () => {
    fc.assert(
      fc.property(randomInstance(6, 3, 0.6), (inp) => {
        const r = matchNeeds(inp);
        expect(violations(inp, r.projectOf)).toEqual([]);
        const best = bruteForce(inp);
        // Compare in the tests' own units (adjusted priority × 10000).
        expect(r.objectiveScaled * (10000 / r.scale)).toBe(best);
        checkExplanations(inp, r);
        const g = greedyFirstComeFirstServed(inp);
        expect(violations(inp, g.projectOf)).toEqual([]);
        expect(g.objectiveScaled).toBeLessThanOrEqual(r.objectiveScaled);
      }),
      { numRuns: 300 },
    );
  });

  it('equals a HiGHS integer program of the raw constraints (separate capacity, budget, need and household rows)', async () => {
    const h = await highs();
    fc.assert(
      fc.property(randomInstance(60, 8, 0.5), (inp) => {
        const r = matchNeeds(inp);
        expect(violations(inp, r.projectOf)).toEqual([]);
        checkExplanations(inp, r);
        const k = inp.eligible.need.length;
        if (k === 0) {
          expect(r.matched).toBe(0);
          return;
        }
        const uplift = inp.options?.mountainUplift ?? 0;
        // Rows: one per need, one per household category, one capacity and one budget row per project.
        const groupRow = new Map([...new Set(inp.needs.map((d) => `${d.householdId}/${d.category}`))].map((key, g) => [key, inp.needs.length + g]));
        const nRows0 = inp.needs.length + groupRow.size;
        const p = inp.projects.length;
        const numRows = nRows0 + 2 * p;
        const starts = new Int32Array(k + 1);
        const indices: number[] = [];
        const values: number[] = [];
        const colCost = new Float64Array(k);
        for (let c = 0; c < k; c++) {
          const i = inp.eligible.need[c]!;
          const j = inp.eligible.project[c]!;
          const d = inp.needs[i]!;
          colCost[c] = weigh(d, uplift);
          starts[c] = indices.length;
          const cost = inp.projects[j]!.costPerBeneficiaryFen;
          const rows: [number, number][] = [[i, 1], [groupRow.get(`${d.householdId}/${d.category}`)!, 1], [nRows0 + j, 1], [nRows0 + p + j, cost]];
          for (const [row, v] of rows.sort((a, b) => a[0] - b[0])) {
            if (v === 0) continue;
            indices.push(row);
            values.push(v);
          }
        }
        starts[k] = indices.length;
        const rowUpper = new Float64Array(numRows).fill(1);
        inp.projects.forEach((q, j) => {
          rowUpper[nRows0 + j] = q.capacity;
          rowUpper[nRows0 + p + j] = q.budgetFen;
        });
        const model = h.createModel({
          numCols: k,
          numRows,
          sense: h.constants.objectiveSense.maximize,
          colCost,
          colLower: new Float64Array(k),
          colUpper: new Float64Array(k).fill(1),
          rowLower: new Float64Array(numRows).fill(-h.infinity),
          rowUpper,
          matrix: { format: 'csc', numRows, numCols: k, starts, indices: Int32Array.from(indices), values: Float64Array.from(values) },
          integrality: new Int32Array(k).fill(h.constants.variableType.integer),
        });
        try {
          model.options.set({ output_flag: false });
          model.run();
          expect(model.getModelStatus()).toBe(h.constants.modelStatus.optimal);
          expect(r.objectiveScaled * (10000 / r.scale)).toBe(Math.round(model.getObjectiveValue()));
        } finally {
          model.dispose();
        }
      }),
      { numRuns: 80 },
    );
  });

  it('a synthetic county (2,000 needs, ~20 eligible projects each): the network optimum equals HiGHS on the LP, and beats first come, first served', async () => {
    const inp = syntheticMatching({ needs: 2000, projects: 40, counties: [{ code: '331127', city: '3311', mountain: true }], seed: 20261129 });
    const r = matchNeeds({ ...inp, options: { mountainUplift: 0.2 } });
    expect(violations(inp, r.projectOf)).toEqual([]);
    expect(inp.eligible.need.length / inp.needs.length).toBeGreaterThan(15);
    const h = await highs();
    const lp = matchingLp(buildMatchModel({ ...inp, options: { mountainUplift: 0.2 } }));
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
      model.options.set({ output_flag: false });
      model.run();
      expect(model.getModelStatus()).toBe(h.constants.modelStatus.optimal);
      expect(Math.round(model.getObjectiveValue())).toBe(r.objectiveScaled);
    } finally {
      model.dispose();
    }
    const g = greedyFirstComeFirstServed({ ...inp, options: { mountainUplift: 0.2 } });
    expect(g.objectiveScaled).toBeLessThan(r.objectiveScaled);
  });
});
