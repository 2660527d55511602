/**
 * The six monitoring dimensions (六维: family structure, income, property, expenditure,
 * assistance, offline visits), evaluated on columns for a whole population at once, and explained
 * for one household. Identification by the Alkire–Foster counting method: a household is at risk
 * when its weighted deprivation score reaches k; the level follows from thresholds (parameters).
 */
import type { PolicyParameters } from '../policy/parameters.js';
import { fullYears } from '../dates/dates.js';

export const DIMENSIONS = ['family', 'income', 'property', 'expenditure', 'assistance', 'visits'] as const;
export type Dimension = (typeof DIMENSIONS)[number];
export const RISK_LEVELS = ['green', 'yellow', 'orange', 'red'] as const;
export type RiskLevel = (typeof RISK_LEVELS)[number];

/** Per-household inputs, one typed array per field (money in fen). */
export interface RiskColumns {
  length: number;
  paramIndex: Uint16Array;
  members: Uint8Array;
  referenceMonths: Uint8Array;
  householdIncomeFen: Float64Array;
  monetaryAssetsFen: Float64Array;
  rigidExpenditureFen: Float64Array;
  /** Family-structure flags, bit per indicator (see FAMILY_FLAGS). */
  familyFlags: Uint8Array;
  /** Assistance flags: 1 eligible but not receiving, 2 recent exit. */
  assistanceFlags: Uint8Array;
  /** Days since the last home visit; 65535 = never visited. */
  daysSinceVisit: Uint16Array;
  /** Problems the last visit found (0 = none); unsafe housing counts for property too. */
  visitProblems: Uint8Array;
  unsafeHousing: Uint8Array;
}

export const FAMILY_FLAGS = ['no_labour_capacity', 'elderly_alone', 'severe_disability', 'serious_illness', 'minor_without_guardian', 'single_parent'] as const;
export type FamilyFlag = (typeof FAMILY_FLAGS)[number];
export const NEVER_VISITED = 65_535;

export interface RiskThresholds {
  weights: Float64Array; // 6, in DIMENSIONS order
  k: number;
  orange: number;
  red: number;
  standardFen: number;
  marginalLineFen: number;
  assetBufferFen: number;
  expenditureRatioBp: number;
  visitIntervalDays: number;
}

/** Thresholds of a parameter set; weights must sum to 6 (the number of dimensions). */
export function deriveRiskThresholds(p: PolicyParameters): RiskThresholds {
  const weights = Float64Array.from([p.riskWeightFamily, p.riskWeightIncome, p.riskWeightProperty, p.riskWeightExpenditure, p.riskWeightAssistance, p.riskWeightVisits]);
  const sum = weights.reduce((s, x) => s + x, 0);
  if (Math.abs(sum - 6) > 1e-9) throw new RangeError(`risk_weight_*: the six weights must sum to 6, not ${sum}`);
  if (!(p.riskK <= p.riskOrangeScore && p.riskOrangeScore <= p.riskRedScore)) throw new RangeError('risk_k ≤ risk_orange_score ≤ risk_red_score must hold');
  return {
    weights,
    k: p.riskK,
    orange: p.riskOrangeScore,
    red: p.riskRedScore,
    standardFen: p.dibaoStandardFen,
    marginalLineFen: Math.round(p.dibaoStandardFen * p.marginalMultiplier),
    assetBufferFen: Math.round(p.riskAssetBufferMonths * p.dibaoStandardFen),
    expenditureRatioBp: Math.round(p.riskExpenditureRatio * 10_000),
    visitIntervalDays: p.riskVisitIntervalDays,
  };
}

export interface RiskResult {
  /** Bit d set = deprived in DIMENSIONS[d]. */
  mask: Uint8Array;
  score: Float64Array;
  /** Index into RISK_LEVELS. */
  level: Uint8Array;
  /** Normalised gaps where the dimension is continuous (income, property); 0 when not deprived. */
  incomeGap: Float64Array;
  propertyGap: Float64Array;
}

const EPS = 1e-9;

/** Evaluates every household in one pass over the columns. */
export function evaluateRisk(c: RiskColumns, table: readonly RiskThresholds[], out?: RiskResult): RiskResult {
  const n = c.length;
  const r = out ?? { mask: new Uint8Array(n), score: new Float64Array(n), level: new Uint8Array(n), incomeGap: new Float64Array(n), propertyGap: new Float64Array(n) };
  // Per parameter set: its four thresholds side by side, and score and level for each of the 64
  // masks, so the loop has no per-dimension branches for weights and levels.
  const P = new Float64Array(table.length * 4);
  const scoreOf = new Float64Array(table.length * 64);
  const levelOf = new Uint8Array(table.length * 64);
  table.forEach((t, k) => {
    P.set([t.marginalLineFen, t.assetBufferFen, t.expenditureRatioBp, t.visitIntervalDays], k * 4);
    for (let mask = 0; mask < 64; mask++) {
      let score = 0;
      for (let d = 0; d < 6; d++) if (mask & (1 << d)) score += t.weights[d]!;
      scoreOf[k * 64 + mask] = score;
      levelOf[k * 64 + mask] = score >= t.red - EPS ? 3 : score >= t.orange - EPS ? 2 : score >= t.k - EPS ? 1 : 0;
    }
  });
  // Members and months are small integers: their reciprocals from a table.
  const inv = new Float64Array(256);
  for (let x = 1; x < 256; x++) inv[x] = 1 / x;
  const { paramIndex, members, referenceMonths, householdIncomeFen, monetaryAssetsFen, rigidExpenditureFen, familyFlags, assistanceFlags, daysSinceVisit, visitProblems, unsafeHousing } = c;
  // Outputs in locals: the loop then writes through no property loads.
  const { mask: oMask, score: oScore, level: oLevel, incomeGap: oIncomeGap, propertyGap: oPropertyGap } = r;
  // Households come in runs under one parameter set (the run sorts each chunk by set): each run is
  // evaluated with its thresholds in locals.
  for (let from = 0; from < n; ) {
    const k = paramIndex[from]!;
    let to = from + 1;
    while (to < n && paramIndex[to] === k) to++;
    const line = P[k * 4]!;
    const buffer = P[k * 4 + 1]!;
    const ratioBp = P[k * 4 + 2]!;
    const interval = P[k * 4 + 3]!;
    const at = k * 64;
    // Reciprocals instead of divisions in the loop.
    const invLine = line > 0 ? 1 / line : 0;
    const invBuffer = buffer > 0 ? 1 / buffer : 0;
    const hasBuffer = buffer > 0 ? 1 : 0;
    // Branch-free on purpose: on real data these comparisons are unpredictable, and mispredicted
    // branches, not memory, would set the speed. Small integers are tested with integer arithmetic
    // ((x + 255) >> 8 is 1 for a byte x > 0; (a − b) >>> 31 is 1 for a < b), money with
    // Number(bool) (a flag move); `|` and `&` replace `||` and `&&`; gaps are clamped at 0 with
    // (x + |x|) / 2.
    for (let i = from; i < to; i++) {
      const m = members[i]!;
      const mm = m + ((m - 1) >>> 31); // 0 members count as 1
      const months = referenceMonths[i]!;
      const income = householdIncomeFen[i]!;
      const assets = monetaryAssetsFen[i]!;
      const rigid = rigidExpenditureFen[i]!;
      const unsafe = unsafeHousing[i]!;
      const mask =
        ((familyFlags[i]! + 255) >> 8) |
        // Income: per-capita monthly income strictly below the marginal line.
        (Number(income < line * months * mm) << 1) |
        // Property: monetary assets per person below the buffer, or unsafe housing found on a visit.
        ((Number(assets < buffer * mm) | unsafe) << 2) |
        // Expenditure: rigid spending above the share of income.
        ((Number(rigid > 0) & Number(rigid * 10_000 > ratioBp * income)) << 3) |
        (((assistanceFlags[i]! + 255) >> 8) << 4) |
        ((((interval - daysSinceVisit[i]!) >>> 31) | ((visitProblems[i]! + 255) >> 8)) << 5);
      const im = inv[mm]!;
      const ig = 1 - income * inv[months]! * im * invLine;
      const sg = 1 - assets * im * invBuffer;
      oMask[i] = mask;
      oScore[i] = scoreOf[at + mask]!;
      oLevel[i] = levelOf[at + mask]!;
      oIncomeGap[i] = (ig + Math.abs(ig)) * 0.5;
      // Unsafe housing is the worst shortfall (gap 1); otherwise the savings shortfall.
      const pg = (sg + Math.abs(sg)) * 0.5 * hasBuffer;
      oPropertyGap[i] = pg + (1 - pg) * unsafe;
    }
    from = to;
  }
  return r;
}

export function allocateRiskColumns(n: number): RiskColumns {
  return {
    length: n,
    paramIndex: new Uint16Array(n),
    members: new Uint8Array(n),
    referenceMonths: new Uint8Array(n),
    householdIncomeFen: new Float64Array(n),
    monetaryAssetsFen: new Float64Array(n),
    rigidExpenditureFen: new Float64Array(n),
    familyFlags: new Uint8Array(n),
    assistanceFlags: new Uint8Array(n),
    daysSinceVisit: new Uint16Array(n),
    visitProblems: new Uint8Array(n),
    unsafeHousing: new Uint8Array(n),
  };
}

/** The dimensions a mask names. */
export function deprivedDimensions(mask: number): Dimension[] {
  return DIMENSIONS.filter((_, d) => (mask & (1 << d)) !== 0);
}

/** The family flags a bit set names. */
export function familyFlagNames(bits: number): FamilyFlag[] {
  return FAMILY_FLAGS.filter((_, b) => (bits & (1 << b)) !== 0);
}

export interface RegionIndices {
  households: number;
  H: number;
  A: number;
  M0: number;
  M1: number;
  M2: number;
}

/**
 * Alkire–Foster indices per group (village, township, county …) from an evaluated population:
 * `group[i]` is the group of household i (0 … groups−1). Non-continuous dimensions count a gap of
 * 1 when deprived; income and property use their normalised gaps (censored to those at risk).
 */
export function indicesByGroup(r: RiskResult, table: readonly RiskThresholds[], paramIndex: Uint16Array, group: Uint32Array, groups: number): RegionIndices[] {
  const acc = Array.from({ length: groups }, () => newIndexAccumulator());
  for (let i = 0; i < r.score.length; i++) addToIndices(acc[group[i]!]!, r, i, table[paramIndex[i]!]!);
  return acc.map(finishIndices);
}

/** Running sums for Alkire–Foster indices of one region. */
export interface IndexAccumulator {
  n: number;
  q: number;
  c: number;
  s1: number;
  s2: number;
}

export function newIndexAccumulator(): IndexAccumulator {
  return { n: 0, q: 0, c: 0, s1: 0, s2: 0 };
}

/** Adds household i of an evaluated population to a region's sums (censored to those at risk). */
export function addToIndices(acc: IndexAccumulator, r: RiskResult, i: number, t: RiskThresholds): void {
  acc.n++;
  if (r.level[i] === 0) return;
  const mask = r.mask[i]!;
  const w = t.weights;
  acc.q++;
  acc.c += r.score[i]!;
  for (let d = 0; d < 6; d++) {
    if ((mask & (1 << d)) === 0) continue;
    const gap = d === 1 ? r.incomeGap[i]! : d === 2 ? r.propertyGap[i]! : 1;
    acc.s1 += w[d]! * gap;
    acc.s2 += w[d]! * gap * gap;
  }
}

export function finishIndices(a: IndexAccumulator): RegionIndices {
  const nd = a.n * 6;
  return {
    households: a.n,
    H: a.n > 0 ? a.q / a.n : 0,
    A: a.q > 0 ? a.c / (a.q * 6) : 0,
    M0: nd > 0 ? a.c / nd : 0,
    M1: nd > 0 ? a.s1 / nd : 0,
    M2: nd > 0 ? a.s2 / nd : 0,
  };
}

/**
 * Family-structure indicators of a household on a date, as FAMILY_FLAGS bits: all members without
 * labour capacity, an elderly person living alone, a severely disabled or seriously ill member, a
 * minor with no adult in the household, a single parent (head with minor children and no spouse).
 */
export function familyFlagsOf(
  members: readonly { relation: string; birthDate: string; disabilityGrade: number; seriousIllness: boolean; labourCapacity: string; deceasedOn?: string | null }[],
  asOf: string,
  p: Pick<PolicyParameters, 'elderlyAge' | 'minorAge' | 'severeDisabilityMaxGrade'>,
): number {
  const living = members.filter((m) => m.deceasedOn == null || m.deceasedOn > asOf);
  if (living.length === 0) return 0;
  const ages = living.map((m) => fullYears(m.birthDate, asOf));
  const noCapacity = living.every((m, i) => ages[i]! >= p.elderlyAge || ages[i]! < p.minorAge || (m.disabilityGrade > 0 && m.disabilityGrade <= p.severeDisabilityMaxGrade) || m.labourCapacity === 'none');
  const minors = ages.filter((a) => a < 18).length;
  const adults = ages.filter((a) => a >= 18).length;
  const hasSpouse = living.some((m) => m.relation === 'spouse');
  const minorChildren = living.some((m, i) => m.relation === 'child' && ages[i]! < 18);
  let bits = 0;
  if (noCapacity) bits |= 1;
  if (living.length === 1 && ages[0]! >= p.elderlyAge) bits |= 2;
  if (living.some((m) => m.disabilityGrade > 0 && m.disabilityGrade <= p.severeDisabilityMaxGrade)) bits |= 4;
  if (living.some((m) => m.seriousIllness)) bits |= 8;
  if (minors > 0 && adults === 0) bits |= 16;
  if (minorChildren && !hasSpouse && adults >= 1) bits |= 32;
  return bits;
}
