/**
 * Charity matching: which needs do the projects take on, so that the priority-weighted help is
 * as large as possible?
 *
 * Input: needs (household, category, integer priority, county, mountain-county flag), projects
 * (capacity in beneficiaries, budget and cost per beneficiary in fen, categories served) and the
 * eligible (need, project) pairs, decided by the caller.
 *
 * Constraints:
 * - a project takes at most `places` needs, places = min(capacity, ⌊budget / cost per
 *   beneficiary⌋) (no budget limit when the cost is 0). Every beneficiary of a project costs the
 *   same, so for a whole number k of beneficiaries, k·cost ≤ budget ⇔ k ≤ ⌊budget / cost⌋: the
 *   budget constraint is a capacity, exactly, not an approximation;
 * - a need gets at most one project;
 * - a household gets at most one project per need category (two needs of one household in the
 *   same category: at most one of them is matched).
 *
 * Objective: maximise Σ adjusted priority of the matched needs, where the adjusted priority is
 * priority × (1 + mountainUplift) for a need in a mountain-area county (regional fairness) and
 * priority otherwise. Adjusted priorities are kept as integers: the uplift is taken in whole
 * basis points and every priority is multiplied by the smallest common scale (10000 / gcd).
 *
 * Network (a pure min-cost flow, so integral and solved exactly by the network simplex):
 *
 *     group g (household, category) ─1→ need i ─1, cost −w(i)→ project j ─places(j)→ sink
 *        └────────────── 1, cost 0 (unmatched) ──────────────────────────────────────┘
 *
 * Each group has supply 1 and the sink demand = number of groups; the bypass arc makes every
 * instance feasible. The group node bounds a household's category to one unit of flow, and the
 * need node still knows which need the unit belongs to, so the pair arcs carry the need's weight.
 * A group with a single need is the need node itself.
 */
import { minCostFlow, type FlowNetwork } from './min-cost-flow.js';

export interface Need {
  id: string;
  householdId: string;
  category: string;
  /** Priority weight: a whole number from 1 to 1,000,000, higher = more urgent. */
  priority: number;
  /** County code (GB/T 2260); carried for reports. */
  county: string;
  /** True for a need in one of the 26 mountain-area counties (山区26县). */
  mountain: boolean;
}

export interface Project {
  id: string;
  /** Most beneficiaries the project takes. */
  capacity: number;
  /** Budget in fen. */
  budgetFen: number;
  /** Cost of one beneficiary in fen; 0 = the budget never binds. */
  costPerBeneficiaryFen: number;
  /** Need categories the project serves. */
  categories: readonly string[];
}

/**
 * Eligible pairs as two index columns into `needs` and `projects` (pair k = need[k], project[k]).
 * The order of one need's pairs is its order of preference in the first-come-first-served
 * baseline. A repeated pair is harmless.
 */
export interface EligiblePairs {
  need: ArrayLike<number>;
  project: ArrayLike<number>;
}

export interface MatchOptions {
  /**
   * Regional fairness: a need in a mountain-area county weighs priority × (1 + mountainUplift).
   * From 0 to 10 in whole basis points (0.0001). Default 0.
   */
  mountainUplift?: number;
}

export interface MatchInput {
  needs: readonly Need[];
  projects: readonly Project[];
  eligible: EligiblePairs;
  options?: MatchOptions;
}

/** Bad matching input; the message names the field and index. */
export class MatchInputError extends Error {}

/** What a matching delivers (optimum and baseline alike). */
export interface MatchSummary {
  /** Project index per need, −1 when the need is unmatched. */
  projectOf: Int32Array;
  matched: number;
  /** Matched needs in mountain-area counties. */
  mountainMatched: number;
  /** Σ priority of the matched needs (no uplift). */
  priorityServed: number;
  /** Σ adjusted priority of the matched needs = objectiveScaled / scale. */
  objective: number;
  /** The objective as an exact integer, in units of 1/scale of a priority point. */
  objectiveScaled: number;
  /** Adjusted priority of need i is weight[i] / scale. */
  scale: number;
}

export interface ProjectUse {
  projectId: string;
  /** min(capacity, ⌊budget / cost per beneficiary⌋). */
  places: number;
  limitedBy: 'capacity' | 'budget';
  used: number;
  /**
   * Upper bound on what one more place would add to the objective (adjusted priority), from the
   * dual solution: 0 for a project with room left.
   */
  marginalValue: number;
}

export interface FullProject {
  projectId: string;
  places: number;
  limitedBy: 'capacity' | 'budget';
  /** Lowest adjusted priority among the needs the project took (null: it has no places). */
  lowestAssignedPriority: number | null;
}

export type UnmatchedReason =
  | { kind: 'no-eligible-project' }
  | { kind: 'household-category-served'; servedBy: string }
  | { kind: 'capacity-taken'; projects: FullProject[] };

export interface UnmatchedNeed {
  needId: string;
  adjustedPriority: number;
  reason: UnmatchedReason;
  text: { zh: string; en: string };
}

export interface MatchResult extends MatchSummary {
  assignments: { needId: string; projectId: string }[];
  projects: ProjectUse[];
  /** One entry per unmatched need, in need order. */
  unmatched: UnmatchedNeed[];
  solver: { nodes: number; arcs: number; pivots: number };
}

/** The validated model: integer weights, places, groups and pairs by need. */
export interface MatchModel {
  needs: readonly Need[];
  projects: readonly Project[];
  /** Adjusted priority × scale, per need. */
  weight: Float64Array;
  scale: number;
  places: Int32Array;
  limitedBy: ('capacity' | 'budget')[];
  /** Group (household, category) index per need, and the group count. */
  group: Int32Array;
  groups: number;
  groupSize: Int32Array;
  /** Pairs sorted by need, stable: pairs of need i are pairStart[i]..pairStart[i+1]−1. */
  pairStart: Int32Array;
  pairProject: Int32Array;
  /** Input pair index of each sorted pair. */
  pairIndex: Int32Array;
}

const MAX_PRIORITY = 1_000_000;
const MAX_CAPACITY = 0x7fffffff;
const BP = 10_000;

function gcd(a: number, b: number): number {
  while (b !== 0) [a, b] = [b, a % b];
  return a;
}

const nonNegativeInt = (x: number): boolean => Number.isSafeInteger(x) && x >= 0;

/** Validates the input and builds the integer model. Throws MatchInputError naming the field. */
export function buildMatchModel(input: MatchInput): MatchModel {
  const { needs, projects, eligible } = input;
  const uplift = input.options?.mountainUplift ?? 0;
  if (!Number.isFinite(uplift) || uplift < 0 || uplift > 10) throw new MatchInputError('options.mountainUplift: must be a number from 0 to 10');
  const bp = Math.round(uplift * BP);
  if (Math.abs(uplift * BP - bp) > 1e-6) throw new MatchInputError('options.mountainUplift: must be in whole basis points (steps of 0.0001)');
  const g = gcd(BP, bp);
  const scale = BP / g;
  const mountainScale = (BP + bp) / g;

  const n = needs.length;
  const weight = new Float64Array(n);
  const group = new Int32Array(n);
  const groupIndex = new Map<string, number>();
  const needIds = new Set<string>();
  const sizes: number[] = [];
  let totalWeight = 0;
  for (let i = 0; i < n; i++) {
    const d = needs[i]!;
    if (typeof d.id !== 'string' || d.id === '') throw new MatchInputError(`needs[${i}].id: must be a non-empty string`);
    if (needIds.has(d.id)) throw new MatchInputError(`needs[${i}].id: ${d.id} is repeated`);
    needIds.add(d.id);
    if (typeof d.householdId !== 'string' || d.householdId === '') throw new MatchInputError(`needs[${i}].householdId: must be a non-empty string`);
    if (typeof d.category !== 'string' || d.category === '') throw new MatchInputError(`needs[${i}].category: must be a non-empty string`);
    if (!Number.isSafeInteger(d.priority) || d.priority < 1 || d.priority > MAX_PRIORITY) throw new MatchInputError(`needs[${i}].priority: must be a whole number from 1 to ${MAX_PRIORITY}`);
    if (typeof d.mountain !== 'boolean') throw new MatchInputError(`needs[${i}].mountain: must be true or false`);
    weight[i] = d.priority * (d.mountain ? mountainScale : scale);
    totalWeight += weight[i]!;
    const key = `${d.householdId}\u0000${d.category}`;
    let gi = groupIndex.get(key);
    if (gi === undefined) {
      gi = sizes.length;
      groupIndex.set(key, gi);
      sizes.push(0);
    }
    group[i] = gi;
    sizes[gi]!++;
  }
  if (!Number.isSafeInteger(totalWeight)) throw new MatchInputError('needs: total adjusted priority exceeds 2^53');

  const p = projects.length;
  const places = new Int32Array(p);
  const limitedBy: ('capacity' | 'budget')[] = new Array<'capacity' | 'budget'>(p);
  const projectIds = new Set<string>();
  const serves: Set<string>[] = [];
  for (let j = 0; j < p; j++) {
    const q = projects[j]!;
    if (typeof q.id !== 'string' || q.id === '') throw new MatchInputError(`projects[${j}].id: must be a non-empty string`);
    if (projectIds.has(q.id)) throw new MatchInputError(`projects[${j}].id: ${q.id} is repeated`);
    projectIds.add(q.id);
    if (!nonNegativeInt(q.capacity) || q.capacity > MAX_CAPACITY) throw new MatchInputError(`projects[${j}].capacity: must be a whole number from 0 to ${MAX_CAPACITY}`);
    if (!nonNegativeInt(q.budgetFen)) throw new MatchInputError(`projects[${j}].budgetFen: must be a whole number of fen, 0 or more`);
    if (!nonNegativeInt(q.costPerBeneficiaryFen)) throw new MatchInputError(`projects[${j}].costPerBeneficiaryFen: must be a whole number of fen, 0 or more`);
    if (!Array.isArray(q.categories)) throw new MatchInputError(`projects[${j}].categories: must be a list of need categories`);
    const byBudget = q.costPerBeneficiaryFen === 0 ? Infinity : Math.floor(q.budgetFen / q.costPerBeneficiaryFen);
    places[j] = Math.min(q.capacity, byBudget);
    limitedBy[j] = byBudget < q.capacity ? 'budget' : 'capacity';
    serves.push(new Set<string>(q.categories));
  }

  const k = eligible.need.length;
  if (eligible.project.length !== k) throw new MatchInputError(`eligible.project: has ${eligible.project.length} entries for ${k} in eligible.need`);
  const pairStart = new Int32Array(n + 1);
  for (let e = 0; e < k; e++) {
    const i = eligible.need[e]!;
    const j = eligible.project[e]!;
    if (!Number.isInteger(i) || i < 0 || i >= n) throw new MatchInputError(`eligible.need[${e}]: ${i} is not a need index (0..${n - 1})`);
    if (!Number.isInteger(j) || j < 0 || j >= p) throw new MatchInputError(`eligible.project[${e}]: ${j} is not a project index (0..${p - 1})`);
    if (!serves[j]!.has(needs[i]!.category)) {
      throw new MatchInputError(`eligible[${e}]: project ${projects[j]!.id} does not serve category ${needs[i]!.category} of need ${needs[i]!.id}`);
    }
    pairStart[i + 1]!++;
  }
  for (let i = 0; i < n; i++) pairStart[i + 1] = pairStart[i + 1]! + pairStart[i]!;
  const fill = pairStart.slice(0, n);
  const pairProject = new Int32Array(k);
  const pairIndex = new Int32Array(k);
  for (let e = 0; e < k; e++) {
    const pos = fill[eligible.need[e]!]!++;
    pairProject[pos] = eligible.project[e]!;
    pairIndex[pos] = e;
  }
  return { needs, projects, weight, scale, places, limitedBy, group, groups: sizes.length, groupSize: Int32Array.from(sizes), pairStart, pairProject, pairIndex };
}

/** Node layout of the matching network. */
export interface MatchingNetwork extends FlowNetwork {
  supply: Float64Array;
  from: Int32Array;
  to: Int32Array;
  capacity: Float64Array;
  cost: Float64Array;
  /** Arcs 0..pairs−1 are the pair arcs, in the model's sorted pair order. */
  pairs: number;
  projectNode0: number;
  sink: number;
}

/** The min-cost flow network of a model (see the module comment). */
export function matchingNetwork(model: MatchModel): MatchingNetwork {
  const n = model.needs.length;
  const p = model.projects.length;
  const k = model.pairProject.length;
  // Group nodes only for groups of two or more needs.
  const groupNode = new Int32Array(model.groups).fill(-1);
  let multi = 0;
  for (let gi = 0; gi < model.groups; gi++) if (model.groupSize[gi]! > 1) groupNode[gi] = n + multi++;
  let membership = 0;
  for (let i = 0; i < n; i++) if (groupNode[model.group[i]!]! >= 0) membership++;
  const projectNode0 = n + multi;
  const sink = projectNode0 + p;
  const nodes = sink + 1;
  const arcs = k + membership + model.groups + p;
  const supply = new Float64Array(nodes);
  const from = new Int32Array(arcs);
  const to = new Int32Array(arcs);
  const capacity = new Float64Array(arcs);
  const cost = new Float64Array(arcs);
  let a = 0;
  for (let i = 0; i < n; i++) {
    const w = model.weight[i]!;
    for (let e = model.pairStart[i]!; e < model.pairStart[i + 1]!; e++) {
      from[a] = i;
      to[a] = projectNode0 + model.pairProject[e]!;
      capacity[a] = 1;
      cost[a] = -w;
      a++;
    }
  }
  for (let i = 0; i < n; i++) {
    const gn = groupNode[model.group[i]!]!;
    if (gn >= 0) {
      from[a] = gn;
      to[a] = i;
      capacity[a] = 1;
      a++;
    } else supply[i] = 1;
  }
  for (let gi = 0; gi < model.groups; gi++) {
    const gn = groupNode[gi]!;
    if (gn >= 0) supply[gn] = 1;
  }
  // Bypass ("unmatched") arcs: one per group, from the group node or the lone need.
  const lone = new Int32Array(model.groups).fill(-1);
  for (let i = 0; i < n; i++) if (groupNode[model.group[i]!]! < 0) lone[model.group[i]!] = i;
  for (let gi = 0; gi < model.groups; gi++) {
    from[a] = groupNode[gi]! >= 0 ? groupNode[gi]! : lone[gi]!;
    to[a] = sink;
    capacity[a] = 1;
    a++;
  }
  for (let j = 0; j < p; j++) {
    from[a] = projectNode0 + j;
    to[a] = sink;
    capacity[a] = model.places[j]!;
    a++;
  }
  supply[sink] = -model.groups;
  return { nodes, supply, from, to, capacity, cost, pairs: k, projectNode0, sink };
}

function summarise(model: MatchModel, projectOf: Int32Array): MatchSummary {
  let matched = 0;
  let mountainMatched = 0;
  let priorityServed = 0;
  let objectiveScaled = 0;
  for (let i = 0; i < projectOf.length; i++) {
    if (projectOf[i]! < 0) continue;
    matched++;
    const d = model.needs[i]!;
    if (d.mountain) mountainMatched++;
    priorityServed += d.priority;
    objectiveScaled += model.weight[i]!;
  }
  return { projectOf, matched, mountainMatched, priorityServed, objective: objectiveScaled / model.scale, objectiveScaled, scale: model.scale };
}

/** An adjusted priority for a sentence: at most 4 decimals. */
const fmt = (x: number): string => String(Math.round(x * 1e4) / 1e4);

/**
 * The optimal matching, with an explanation for every unmatched need. Throws MatchInputError on
 * bad input.
 *
 * Explanations, checked on the solution before they are returned (an internal Error is thrown if
 * a check fails, which would be a solver bug):
 * - `no-eligible-project`: the need has no eligible pair;
 * - `household-category-served`: another need of the same household and category is matched;
 * - `capacity-taken`: every eligible project is full, and every need it took has an adjusted
 *   priority ≥ this need's. This holds in any optimal solution (otherwise adding this need, or
 *   swapping it for a lower one, would raise the objective), and it is verified here pair by pair.
 *   With ties the optimum may prefer either of two equal needs.
 */
export function matchNeeds(input: MatchInput): MatchResult {
  const model = buildMatchModel(input);
  const net = matchingNetwork(model);
  const r = minCostFlow(net);
  // Every group can take its bypass arc, so the network is always feasible and bounded.
  if (r.status !== 'optimal') throw new Error(`matching network reported ${r.status}; it is feasible by construction`);
  const n = model.needs.length;
  const projectOf = new Int32Array(n).fill(-1);
  let a = 0;
  for (let i = 0; i < n; i++) {
    for (let e = model.pairStart[i]!; e < model.pairStart[i + 1]!; e++, a++) {
      if (r.flow[a] === 1) projectOf[i] = model.pairProject[e]!;
    }
  }
  const summary = summarise(model, projectOf);
  if (summary.objectiveScaled !== -r.cost) throw new Error(`matching objective ${summary.objectiveScaled} ≠ flow cost ${-r.cost}`);
  return explain(model, summary, r.potential, net, r.pivots);
}

function explain(model: MatchModel, summary: MatchSummary, potential: Float64Array, net: MatchingNetwork, pivots: number): MatchResult {
  const { needs, projects, scale } = model;
  const { projectOf } = summary;
  const n = needs.length;
  const p = projects.length;
  const used = new Int32Array(p);
  const lowest = new Float64Array(p).fill(Infinity);
  const servedBy = new Int32Array(model.groups).fill(-1);
  const assignments: { needId: string; projectId: string }[] = [];
  for (let i = 0; i < n; i++) {
    const j = projectOf[i]!;
    if (j < 0) continue;
    assignments.push({ needId: needs[i]!.id, projectId: projects[j]!.id });
    used[j]!++;
    if (model.weight[i]! < lowest[j]!) lowest[j] = model.weight[i]!;
    const gi = model.group[i]!;
    if (servedBy[gi] !== -1) throw new Error(`household ${needs[i]!.householdId} matched twice in category ${needs[i]!.category}`);
    servedBy[gi] = i;
  }
  const uses: ProjectUse[] = [];
  for (let j = 0; j < p; j++) {
    if (used[j]! > model.places[j]!) throw new Error(`project ${projects[j]!.id} over its ${model.places[j]} places`);
    const lambda = potential[net.sink]! - potential[net.projectNode0 + j]!;
    uses.push({ projectId: projects[j]!.id, places: model.places[j]!, limitedBy: model.limitedBy[j]!, used: used[j]!, marginalValue: Math.max(0, lambda) / scale });
  }
  const unmatched: UnmatchedNeed[] = [];
  for (let i = 0; i < n; i++) {
    if (projectOf[i]! >= 0) continue;
    const d = needs[i]!;
    const w = model.weight[i]!;
    const adjustedPriority = w / scale;
    const start = model.pairStart[i]!;
    const end = model.pairStart[i + 1]!;
    if (start === end) {
      unmatched.push({ needId: d.id, adjustedPriority, reason: { kind: 'no-eligible-project' }, text: { zh: '没有符合条件的项目', en: 'no eligible project' } });
      continue;
    }
    const sibling = servedBy[model.group[i]!]!;
    if (sibling >= 0) {
      const s = needs[sibling]!.id;
      unmatched.push({
        needId: d.id,
        adjustedPriority,
        reason: { kind: 'household-category-served', servedBy: s },
        text: {
          zh: `本户“${d.category}”类需求已由需求 ${s} 获得帮扶（每户每类至多一个项目）`,
          en: `the household is already helped in category ${d.category} through need ${s} (one project per household and category)`,
        },
      });
      continue;
    }
    const full: FullProject[] = [];
    const seen = new Set<number>();
    for (let e = start; e < end; e++) {
      const j = model.pairProject[e]!;
      if (seen.has(j)) continue;
      seen.add(j);
      // The certificate: full, and nobody it took weighs less than this need.
      if (used[j]! < model.places[j]!) throw new Error(`optimality check failed: need ${d.id} unmatched while eligible project ${projects[j]!.id} has room`);
      if (used[j]! > 0 && lowest[j]! < w) throw new Error(`optimality check failed: project ${projects[j]!.id} took a need weighing less than unmatched need ${d.id}`);
      full.push({ projectId: projects[j]!.id, places: model.places[j]!, limitedBy: model.limitedBy[j]!, lowestAssignedPriority: used[j]! > 0 ? lowest[j]! / scale : null });
    }
    const zhParts = full.map((f) => (f.places === 0 ? `项目 ${f.projectId} 没有名额（${f.limitedBy === 'budget' ? '预算不足一人' : '容量为 0'}）` : `项目 ${f.projectId} 的 ${f.places} 个名额已由优先级不低于本需求的需求占满（其中最低 ${fmt(f.lowestAssignedPriority!)}）`));
    const enParts = full.map((f) => (f.places === 0 ? `project ${f.projectId} has no places (${f.limitedBy === 'budget' ? 'its budget does not cover one beneficiary' : 'capacity 0'})` : `all ${f.places} places of project ${f.projectId} are taken by needs with higher or equal priority (lowest ${fmt(f.lowestAssignedPriority!)})`));
    unmatched.push({
      needId: d.id,
      adjustedPriority,
      reason: { kind: 'capacity-taken', projects: full },
      text: { zh: `${zhParts.join('；')}（本需求 ${fmt(adjustedPriority)}）`, en: `${enParts.join('; ')} (this need: ${fmt(adjustedPriority)})` },
    });
  }
  return { ...summary, assignments, projects: uses, unmatched, solver: { nodes: net.nodes, arcs: net.from.length, pivots } };
}

/**
 * First come, first served: needs in their input (waiting) order, each takes the first of its
 * eligible projects (in pair order) that still has a place, unless its household already got a
 * project in that category. The baseline the optimum is compared with.
 */
export function greedyFirstComeFirstServed(input: MatchInput): MatchSummary {
  const model = buildMatchModel(input);
  const n = model.needs.length;
  const left = model.places.slice();
  const served = new Uint8Array(model.groups);
  const projectOf = new Int32Array(n).fill(-1);
  for (let i = 0; i < n; i++) {
    const gi = model.group[i]!;
    if (served[gi] === 1) continue;
    for (let e = model.pairStart[i]!; e < model.pairStart[i + 1]!; e++) {
      const j = model.pairProject[e]!;
      if (left[j]! > 0) {
        left[j]!--;
        projectOf[i] = j;
        served[gi] = 1;
        break;
      }
    }
  }
  return summarise(model, projectOf);
}

/**
 * The same model as a linear program, for an LP solver: one column per eligible pair (maximise
 * Σ weight·x, 0 ≤ x ≤ 1), one row per (household, category) group (Σ x ≤ 1; for a lone need this
 * is the one-project-per-need row) and one row per project (Σ x ≤ places). Each column has one
 * entry in a group row and one in a project row: the matrix is the incidence matrix of a
 * bipartite graph, totally unimodular, so the LP optimum is integral and equals the matching
 * optimum. Columns are in the model's sorted pair order; the objective is in scaled units.
 */
export function matchingLp(model: MatchModel): {
  numCols: number;
  numRows: number;
  colCost: Float64Array;
  colUpper: Float64Array;
  rowUpper: Float64Array;
  starts: Int32Array;
  indices: Int32Array;
  values: Float64Array;
} {
  const k = model.pairProject.length;
  const numRows = model.groups + model.projects.length;
  const colCost = new Float64Array(k);
  const colUpper = new Float64Array(k).fill(1);
  const rowUpper = new Float64Array(numRows);
  for (let gi = 0; gi < model.groups; gi++) rowUpper[gi] = 1;
  for (let j = 0; j < model.projects.length; j++) rowUpper[model.groups + j] = model.places[j]!;
  const starts = new Int32Array(k + 1);
  const indices = new Int32Array(2 * k);
  const values = new Float64Array(2 * k).fill(1);
  let c = 0;
  for (let i = 0; i < model.needs.length; i++) {
    for (let e = model.pairStart[i]!; e < model.pairStart[i + 1]!; e++, c++) {
      colCost[c] = model.weight[i]!;
      starts[c] = 2 * c;
      indices[2 * c] = model.group[i]!;
      indices[2 * c + 1] = model.groups + model.pairProject[e]!;
    }
  }
  starts[k] = 2 * k;
  return { numCols: k, numRows, colCost, colUpper, rowUpper, starts, indices, values };
}
