/**
 * `zhongfu match --model FILE.json`: a needs-to-projects matching model in JSON, solved by the core
 * `matchNeeds` (exact optimum with an explanation per unmatched need) next to first come, first
 * served (`greedyFirstComeFirstServed`) on the same input. The shape (docs/matching.md):
 *
 *     {
 *       "mountainUplift": 0.2,                       optional, 0–10 in steps of 0.0001, default 0
 *       "needs": [{ "id": "N1", "household": "H1", "category": "education",
 *                   "priority": 250 }                a whole number 1–1,000,000, or:
 *                 { …, "severity": 2, "riskLevel": "orange", "waitingDays": 30 }
 *                                                    needPriority: 100 × severity + 40 × risk rank + weeks waited (≤ 26)
 *                 + optional "county" (text, carried) and "mountain" (true/false, default false)],
 *       "projects": [{ "id": "P1", "capacity": 3, "budgetFen": 100000, "costPerBeneficiaryFen": 50000,
 *                      "categories": ["education"] }],
 *       "eligible": [{ "need": "N1", "project": "P1" }]
 *                                                    optional; default: every project that serves the
 *                                                    need's category, in project order. The order of a
 *                                                    need's pairs is its preference for first come, first served.
 *     }
 *
 * Needs are in waiting order (first come, first served takes them in file order). Every field is
 * checked (zod) before anything is solved; a bad file is refused naming the path of the first
 * problems, e.g. `needs[3].severity: must be an integer 1–3`, never echoing a value.
 */
import { z } from 'zod';
import { readInputFile } from './read-input.js';
import { needPriority, RISK_ORDER } from '../../core/charity/model.js';
import { greedyFirstComeFirstServed, MatchInputError, matchNeeds, type MatchInput } from '../../core/matching/match-needs.js';

const MAX_ISSUES = 10;

/** zod's error text: "is required" for a missing field, the given text otherwise. */
const required = (text: string) => (iss: { input?: unknown }): string => (iss.input === undefined ? 'is required' : text);
const idText = 'must be a non-empty string of at most 200 characters';
const Id = z.string({ error: required(idText) }).min(1, idText).max(200, idText);
const wholeIn = (lo: number, hi: number, text: string) => z.number({ error: required(text) }).int(text).min(lo, text).max(hi, text);
const FenText = 'must be a whole number of fen, 0 or more';
const Fen = wholeIn(0, Number.MAX_SAFE_INTEGER, FenText);

const ModelNeedSchema = z.strictObject({
  id: Id,
  household: Id,
  category: Id,
  priority: wholeIn(1, 1_000_000, 'must be an integer 1–1,000,000').optional(),
  severity: wholeIn(1, 3, 'must be an integer 1–3').optional(),
  riskLevel: z.enum(RISK_ORDER, { error: `must be one of ${RISK_ORDER.join(', ')}` }).optional(),
  waitingDays: wholeIn(0, 1_000_000, 'must be a whole number of days, 0 or more').optional(),
  county: z.string({ error: 'must be text' }).max(20, 'must be at most 20 characters').optional(),
  mountain: z.boolean({ error: 'must be true or false' }).optional(),
}, { error: 'must be an object {id, household, category, priority | severity, …}' }).superRefine((n, c) => {
  if ((n.priority === undefined) === (n.severity === undefined)) c.addIssue({ code: 'custom', path: ['priority'], message: 'give exactly one of priority and severity' });
  if (n.priority !== undefined && n.riskLevel !== undefined) c.addIssue({ code: 'custom', path: ['riskLevel'], message: 'is used with severity only (priority is given)' });
  if (n.priority !== undefined && n.waitingDays !== undefined) c.addIssue({ code: 'custom', path: ['waitingDays'], message: 'is used with severity only (priority is given)' });
});

const ModelProjectSchema = z.strictObject({
  id: Id,
  capacity: wholeIn(0, 0x7fffffff, 'must be a whole number from 0 to 2,147,483,647'),
  budgetFen: Fen,
  costPerBeneficiaryFen: Fen,
  categories: z.array(Id, { error: 'must be a list of need categories' }).min(1, 'name at least one need category'),
}, { error: 'must be an object {id, capacity, budgetFen, costPerBeneficiaryFen, categories}' });

const ModelPairSchema = z.strictObject({ need: Id, project: Id }, { error: 'must be an object {need, project}' });

/** The JSON matching model of `zhongfu match --model`. */
export const MatchingModelSchema = z.strictObject({
  mountainUplift: z.number({ error: 'must be a number from 0 to 10' }).min(0, 'must be a number from 0 to 10').max(10, 'must be a number from 0 to 10')
    .refine((u) => Math.abs(u * 10_000 - Math.round(u * 10_000)) <= 1e-6, 'must be in whole basis points (steps of 0.0001)').optional(),
  needs: z.array(ModelNeedSchema, { error: required('must be a list of needs') }),
  projects: z.array(ModelProjectSchema, { error: required('must be a list of projects') }),
  eligible: z.array(ModelPairSchema, { error: 'must be a list of {need, project} pairs' }).optional(),
}).superRefine((m, c) => {
  // Cross-references, on a model whose every part has the right shape (zod may run this after
  // non-aborting problems such as a number out of range).
  const isObject = (x: unknown): boolean => typeof x === 'object' && x !== null;
  if (!m.needs.every(isObject) || !m.projects.every((p) => isObject(p) && Array.isArray(p.categories)) || !(m.eligible ?? []).every(isObject)) return;
  const needAt = new Map<string, number>();
  m.needs.forEach((n, i) => {
    const first = needAt.get(n.id);
    if (first !== undefined) c.addIssue({ code: 'custom', path: ['needs', i, 'id'], message: `repeats needs[${first}].id` });
    else needAt.set(n.id, i);
  });
  const projectAt = new Map<string, number>();
  m.projects.forEach((p, j) => {
    const first = projectAt.get(p.id);
    if (first !== undefined) c.addIssue({ code: 'custom', path: ['projects', j, 'id'], message: `repeats projects[${first}].id` });
    else projectAt.set(p.id, j);
  });
  m.eligible?.forEach((e, k) => {
    const i = needAt.get(e.need);
    const j = projectAt.get(e.project);
    if (i === undefined) c.addIssue({ code: 'custom', path: ['eligible', k, 'need'], message: 'names no need of the model' });
    if (j === undefined) c.addIssue({ code: 'custom', path: ['eligible', k, 'project'], message: 'names no project of the model' });
    if (i !== undefined && j !== undefined && !m.projects[j]!.categories.includes(m.needs[i]!.category)) {
      c.addIssue({ code: 'custom', path: ['eligible', k, 'project'], message: `does not serve the category of needs[${i}]` });
    }
  });
});
export type MatchingModel = z.infer<typeof MatchingModelSchema>;

/** `needs[3].severity` from zod's path. */
export function issuePath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const p of path) out += typeof p === 'number' ? `[${p}]` : `${out === '' ? '' : '.'}${String(p)}`;
  return out === '' ? '(model)' : out;
}

/** One line per problem (at most MAX_ISSUES), each naming the field's path; never a value. */
export function modelIssues(error: z.ZodError): string[] {
  const lines = error.issues.flatMap((i) => {
    if (i.code === 'unrecognized_keys') return i.keys.map((k) => `${issuePath([...i.path, k])}: is not a field of the model`);
    if (i.code === 'invalid_type' && i.path.length === 0) return ['(model): must be a JSON object {needs, projects, eligible?, mountainUplift?}'];
    return [`${issuePath(i.path)}: ${i.message}`];
  });
  return lines.length > MAX_ISSUES ? [...lines.slice(0, MAX_ISSUES), `… and ${lines.length - MAX_ISSUES} more problems`] : lines;
}

/** The core's input from a checked model: priorities from severity where given, pairs by index. */
export function matchInputOf(m: MatchingModel): MatchInput {
  const needs = m.needs.map((n) => ({
    id: n.id, householdId: n.household, category: n.category, county: n.county ?? '', mountain: n.mountain ?? false,
    priority: n.priority ?? needPriority(n.severity!, n.riskLevel ?? null, n.waitingDays ?? 0),
  }));
  const projects = m.projects.map((p) => ({ id: p.id, capacity: p.capacity, budgetFen: p.budgetFen, costPerBeneficiaryFen: p.costPerBeneficiaryFen, categories: p.categories }));
  const need: number[] = [];
  const project: number[] = [];
  if (m.eligible) {
    const needAt = new Map(m.needs.map((n, i) => [n.id, i]));
    const projectAt = new Map(m.projects.map((p, j) => [p.id, j]));
    for (const e of m.eligible) {
      need.push(needAt.get(e.need)!);
      project.push(projectAt.get(e.project)!);
    }
  } else {
    needs.forEach((n, i) => projects.forEach((p, j) => {
      if (p.categories.includes(n.category)) {
        need.push(i);
        project.push(j);
      }
    }));
  }
  return { needs, projects, eligible: { need: Int32Array.from(need), project: Int32Array.from(project) }, options: { mountainUplift: m.mountainUplift ?? 0 } };
}

export interface ModelOutput {
  status: 'optimal';
  /** Σ adjusted priority of the matched needs (the optimum). */
  objective: number;
  /** The same for first come, first served on the same input. */
  fcfsObjective: number;
  matched: number;
  fcfsMatched: number;
  /** Σ priority of the matched needs, without the uplift. */
  priorityServed: number;
  mountainMatched: number;
  needs: number;
  projects: number;
  eligiblePairs: number;
  ms: number;
  matches: { need: string; project: string; household: string; category: string; priority: number; adjustedPriority: number }[];
  unmatched: { need: string; reason: string; adjustedPriority: number; servedBy?: string; projects?: unknown[]; text: { zh: string; en: string } }[];
  projectUse: { project: string; places: number; used: number; limitedBy: 'capacity' | 'budget'; marginalValue: number }[];
}

/** Solves a checked model. */
export function solveModel(m: MatchingModel): ModelOutput {
  const input = matchInputOf(m);
  const t0 = performance.now();
  const r = matchNeeds(input);
  const ms = Math.round((performance.now() - t0) * 10) / 10;
  const g = greedyFirstComeFirstServed(input);
  const uplift = input.options?.mountainUplift ?? 0;
  const adjusted = (i: number): number => {
    const n = input.needs[i]!;
    return Math.round(n.priority * (n.mountain ? 1 + uplift : 1) * 10_000) / 10_000;
  };
  const matches: ModelOutput['matches'] = [];
  r.projectOf.forEach((j, i) => {
    if (j < 0) return;
    const n = input.needs[i]!;
    matches.push({ need: n.id, project: input.projects[j]!.id, household: n.householdId, category: n.category, priority: n.priority, adjustedPriority: adjusted(i) });
  });
  return {
    status: 'optimal', objective: r.objective, fcfsObjective: g.objective, matched: r.matched, fcfsMatched: g.matched, priorityServed: r.priorityServed, mountainMatched: r.mountainMatched,
    needs: input.needs.length, projects: input.projects.length, eligiblePairs: input.eligible.need.length, ms,
    matches,
    unmatched: r.unmatched.map((u) => ({
      need: u.needId, reason: u.reason.kind, adjustedPriority: u.adjustedPriority,
      ...(u.reason.kind === 'household-category-served' && { servedBy: u.reason.servedBy }),
      ...(u.reason.kind === 'capacity-taken' && { projects: u.reason.projects }),
      text: u.text,
    })),
    projectUse: r.projects.map((p) => ({ project: p.projectId, places: p.places, used: p.used, limitedBy: p.limitedBy, marginalValue: p.marginalValue })),
  };
}

/** Reads, checks and solves a model file; throws an Error naming the file and the bad fields. */
export function solveModelFile(file: string): ModelOutput {
  const text = readInputFile(file);
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    // JSON.parse quotes the text around the problem; say only where it is.
    const at = /position (\d+)/.exec(e instanceof Error ? e.message : '');
    const where = at ? (() => {
      const before = text.slice(0, Number(at[1]));
      const line = before.split('\n').length;
      return ` (line ${line}, column ${before.length - before.lastIndexOf('\n')})`;
    })() : '';
    throw new Error(`${file}: is not valid JSON${where}`);
  }
  const parsed = MatchingModelSchema.safeParse(json);
  if (!parsed.success) throw new Error(modelIssues(parsed.error).map((l) => `${file}: ${l}`).join('\n'));
  try {
    return solveModel(parsed.data);
  } catch (e) {
    // The core's own checks (e.g. the model too large for exact arithmetic) name the field too.
    if (e instanceof MatchInputError || e instanceof RangeError) throw new Error(`${file}: ${e.message}`);
    throw e;
  }
}
