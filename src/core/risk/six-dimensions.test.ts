import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { parametersAt } from '../policy/parameters.js';
import { testPolicyBook } from '../means-test/fixtures.js';
import { alkireFoster } from './alkire-foster.js';
import {
  allocateRiskColumns, deprivedDimensions, deriveRiskThresholds, evaluateRisk, familyFlagNames, familyFlagsOf, indicesByGroup, NEVER_VISITED, RISK_LEVELS, type RiskColumns,
} from './six-dimensions.js';

const params = parametersAt(testPolicyBook(), '330106', '2025-06-30').values;
const t = deriveRiskThresholds(params);
// Marginal line 2,298.00 yuan; asset buffer 6 × 1,149 = 6,894.00 yuan per person; 40 %; 90 days.

/** One household that is deprived in nothing, then the override applied. */
function one(o: Partial<Record<keyof Omit<RiskColumns, 'length' | 'paramIndex'>, number>> = {}): { dims: string[]; score: number; level: string } {
  const c = allocateRiskColumns(1);
  c.members[0] = o.members ?? 2;
  c.referenceMonths[0] = 12;
  c.householdIncomeFen[0] = o.householdIncomeFen ?? 229_800 * 12 * 2;
  c.monetaryAssetsFen[0] = o.monetaryAssetsFen ?? 689_400 * 2;
  c.rigidExpenditureFen[0] = o.rigidExpenditureFen ?? 0;
  c.familyFlags[0] = o.familyFlags ?? 0;
  c.assistanceFlags[0] = o.assistanceFlags ?? 0;
  c.daysSinceVisit[0] = o.daysSinceVisit ?? 90;
  c.visitProblems[0] = o.visitProblems ?? 0;
  c.unsafeHousing[0] = o.unsafeHousing ?? 0;
  const r = evaluateRisk(c, [t]);
  return { dims: deprivedDimensions(r.mask[0]!), score: r.score[0]!, level: RISK_LEVELS[r.level[0]!]! };
}

describe('six dimensions: every indicator at its cutoff', () => {
  it('nothing deprived at exactly the cutoffs (strict comparisons)', () => {
    expect(one()).toEqual({ dims: [], score: 0, level: 'green' });
  });
  it('income: one fen below the marginal line over the period', () => {
    expect(one({ householdIncomeFen: 229_800 * 24 - 1 }).dims).toEqual(['income']);
  });
  it('property: assets one fen below 6 months of the standard per person, or unsafe housing', () => {
    expect(one({ monetaryAssetsFen: 689_400 * 2 - 1 }).dims).toEqual(['property']);
    expect(one({ unsafeHousing: 1 }).dims).toEqual(['property']);
  });
  it('expenditure: rigid spending strictly above 40 % of income; any spending with no income', () => {
    const income = 229_800 * 24;
    expect(one({ rigidExpenditureFen: income * 0.4 }).dims).toEqual([]);
    expect(one({ rigidExpenditureFen: income * 0.4 + 1 }).dims).toEqual(['expenditure']);
  });
  it('family, assistance: any flag', () => {
    expect(one({ familyFlags: 0b100 }).dims).toEqual(['family']);
    expect(one({ assistanceFlags: 2 }).dims).toEqual(['assistance']);
  });
  it('visits: more than 90 days, never, or problems found', () => {
    expect(one({ daysSinceVisit: 91 }).dims).toEqual(['visits']);
    expect(one({ daysSinceVisit: NEVER_VISITED }).dims).toEqual(['visits']);
    expect(one({ visitProblems: 1 }).dims).toEqual(['visits']);
  });
  it('identification at k = 2 and the levels (yellow ≥ 2, orange ≥ 3, red ≥ 4)', () => {
    expect(one({ daysSinceVisit: 91 }).level).toBe('green');
    expect(one({ daysSinceVisit: 91, familyFlags: 1 })).toMatchObject({ score: 2, level: 'yellow' });
    expect(one({ daysSinceVisit: 91, familyFlags: 1, assistanceFlags: 1 })).toMatchObject({ score: 3, level: 'orange' });
    expect(one({ daysSinceVisit: 91, familyFlags: 1, assistanceFlags: 1, unsafeHousing: 1 })).toMatchObject({ score: 4, level: 'red' });
  });
  it('refuses weights that do not sum to 6', () => {
    expect(() => deriveRiskThresholds({ ...params, riskWeightVisits: 2 })).toThrow(/must sum to 6/);
  });
});

describe('indices by region', () => {
  it('equal the generic Alkire–Foster engine on the same achievement matrix', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 60 }), fc.integer({ min: 1, max: 4 }), fc.integer(), (n, groups, seed) => {
        let s = seed >>> 0;
        const rnd = (): number => ((s = (Math.imul(s, 1_664_525) + 1_013_904_223) >>> 0) / 2 ** 32);
        const c = allocateRiskColumns(n);
        const group = new Uint32Array(n);
        for (let i = 0; i < n; i++) {
          c.members[i] = 1 + Math.floor(rnd() * 4);
          c.referenceMonths[i] = 12;
          c.householdIncomeFen[i] = Math.floor(rnd() * 229_800 * 12 * 2 * c.members[i]!);
          c.monetaryAssetsFen[i] = Math.floor(rnd() * 689_400 * 2 * c.members[i]!);
          c.rigidExpenditureFen[i] = Math.floor(rnd() * 1_000_000);
          c.familyFlags[i] = rnd() < 0.4 ? 1 : 0;
          c.assistanceFlags[i] = rnd() < 0.2 ? 1 : 0;
          c.daysSinceVisit[i] = Math.floor(rnd() * 200);
          c.unsafeHousing[i] = rnd() < 0.1 ? 1 : 0;
          group[i] = Math.floor(rnd() * groups);
        }
        const r = evaluateRisk(c, [t]);
        const got = indicesByGroup(r, [t], c.paramIndex, group, groups);
        for (let g = 0; g < groups; g++) {
          const rows: number[][] = [];
          for (let i = 0; i < n; i++) {
            if (group[i] !== g) continue;
            const m = c.members[i]!;
            const bin = (d: number): number => ((r.mask[i]! & (1 << d)) !== 0 ? 0 : 1);
            rows.push([
              bin(0),
              c.householdIncomeFen[i]! / (229_800 * 12 * m),
              c.unsafeHousing[i] ? 0 : c.monetaryAssetsFen[i]! / (689_400 * m),
              bin(3),
              bin(4),
              bin(5),
            ]);
          }
          if (rows.length === 0) continue;
          const ref = alkireFoster({ achievements: rows, cutoffs: [1, 1, 1, 1, 1, 1], k: 2 });
          expect(got[g]!.H).toBeCloseTo(ref.H, 12);
          expect(got[g]!.A).toBeCloseTo(ref.A, 12);
          expect(got[g]!.M0).toBeCloseTo(ref.M0, 12);
          expect(got[g]!.M1).toBeCloseTo(ref.M1, 9);
          expect(got[g]!.M2).toBeCloseTo(ref.M2, 9);
        }
      }),
      { numRuns: 200 },
    );
  });
});

describe('parameter sets in one population', () => {
  // A second set with other lines, interval and weights: households under either, interleaved in
  // any order, evaluate as each would alone under its own set (runs of one set are evaluated together).
  const t2 = deriveRiskThresholds({ ...params, dibaoStandardFen: 98_000, riskVisitIntervalDays: 30, riskWeightFamily: 2, riskWeightVisits: 0 });
  it('equal one household at a time', () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ k: fc.integer({ min: 0, max: 1 }), members: fc.integer({ min: 0, max: 6 }), income: fc.integer({ min: 0, max: 8_000_000 }), assets: fc.integer({ min: 0, max: 3_000_000 }), rigid: fc.integer({ min: 0, max: 2_000_000 }), flags: fc.integer({ min: 0, max: 255 }), days: fc.integer({ min: 0, max: NEVER_VISITED }) }), { minLength: 1, maxLength: 40 }),
        (hs) => {
          const fill = (c: RiskColumns, i: number, h: (typeof hs)[number]): void => {
            c.paramIndex[i] = h.k;
            c.members[i] = h.members;
            c.referenceMonths[i] = 12;
            c.householdIncomeFen[i] = h.income;
            c.monetaryAssetsFen[i] = h.assets;
            c.rigidExpenditureFen[i] = h.rigid;
            c.familyFlags[i] = h.flags & 63;
            c.assistanceFlags[i] = h.flags >> 6;
            c.daysSinceVisit[i] = h.days;
            c.visitProblems[i] = (h.flags >> 3) & 1;
            c.unsafeHousing[i] = (h.flags >> 4) & 1;
          };
          const all = allocateRiskColumns(hs.length);
          hs.forEach((h, i) => fill(all, i, h));
          const r = evaluateRisk(all, [t, t2]);
          hs.forEach((h, i) => {
            const c = allocateRiskColumns(1);
            fill(c, 0, { ...h, k: 0 });
            const alone = evaluateRisk(c, [h.k === 0 ? t : t2]);
            expect([r.mask[i], r.score[i], r.level[i], r.incomeGap[i], r.propertyGap[i]]).toEqual([alone.mask[0], alone.score[0], alone.level[0], alone.incomeGap[0], alone.propertyGap[0]]);
          });
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('family-structure indicators', () => {
  const P = { elderlyAge: 60, minorAge: 16, severeDisabilityMaxGrade: 2 };
  const m = (relation: string, birthDate: string, o: Partial<{ disabilityGrade: number; seriousIllness: boolean; labourCapacity: string; deceasedOn: string | null }> = {}) => ({
    relation, birthDate, disabilityGrade: 0, seriousIllness: false, labourCapacity: 'full', deceasedOn: null, ...o,
  });
  const names = (ms: ReturnType<typeof m>[]) => familyFlagNames(familyFlagsOf(ms, '2026-11-29', P));
  it('elderly living alone (60 on the day) and no labour capacity', () => {
    expect(names([m('head', '1966-11-29')])).toEqual(['no_labour_capacity', 'elderly_alone']);
    expect(names([m('head', '1966-11-30')])).toEqual([]);
  });
  it('severe disability (grade 2, not 3) and serious illness', () => {
    expect(names([m('head', '1980-01-01'), m('child', '2005-01-01', { disabilityGrade: 2 })])).toEqual(['severe_disability']);
    expect(names([m('head', '1980-01-01'), m('child', '2005-01-01', { disabilityGrade: 3 })])).toEqual([]);
    expect(names([m('head', '1980-01-01', { seriousIllness: true })])).toEqual(['serious_illness']);
  });
  it('minors without an adult, and a single parent', () => {
    expect(names([m('head', '2011-01-01'), m('sibling', '2012-01-01')])).toEqual(['no_labour_capacity', 'minor_without_guardian']);
    expect(names([m('head', '1990-01-01'), m('child', '2015-01-01')])).toEqual(['single_parent']);
    expect(names([m('head', '1990-01-01'), m('spouse', '1991-01-01'), m('child', '2015-01-01')])).toEqual([]);
    // A spouse who has died no longer counts.
    expect(names([m('head', '1990-01-01'), m('spouse', '1991-01-01', { deceasedOn: '2026-01-01' }), m('child', '2015-01-01')])).toEqual(['single_parent']);
  });
});
