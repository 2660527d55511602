import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { checkProject, failedCriteria, needPriority, placesOf, projectBudget, transitionProject, type Eligibility, type ProjectFields } from './model.js';
import { HOUSEHOLD_CATEGORY_TEXT, householdCategoryText, VISIT_FINDING_CODES, VISIT_FINDING_TEXT, visitFindingText } from './labels.js';
import { HOUSEHOLD_CATEGORIES } from './model.js';
import { deriveNeeds, type PortraitFacts } from './portrait.js';

const anyone: Eligibility = { householdCategories: [], minAge: null, maxAge: null, disability: false, illness: false, regionCode: '330106', minRiskLevel: null };
const project = (over: Partial<ProjectFields> = {}): ProjectFields => ({
  title: '助学', categories: ['education'], eligibility: anyone, capacity: 10, budgetFen: 100_000, costPerBeneficiaryFen: 10_000, startsOn: '2026-01-01', endsOn: '2026-12-31', ...over,
});
const org = { kind: 'foundation', regionsServed: ['330106'], regionCode: '3301' };
const known = (c: string): boolean => /^33\d*$/.test(c);

describe('projects', () => {
  it('accepts a good project and names the field of every problem', () => {
    expect(checkProject(project(), org, known)).toEqual([]);
    expect(checkProject(project({ budgetFen: 9_999 }), org, known)).toEqual([{ field: 'budgetFen', message: 'is below the cost of one beneficiary' }]);
    expect(checkProject(project({ endsOn: '2025-12-31' }), org, known)).toEqual([{ field: 'endsOn', message: 'ends before it starts' }]);
    expect(checkProject(project({ eligibility: { ...anyone, regionCode: '330302' } }), org, known)).toEqual([{ field: 'eligibility.regionCode', message: 'is outside the regions the organisation serves' }]);
    expect(checkProject(project({ categories: ['education', 'party'] }), org, known)).toEqual([{ field: 'categories[1]', message: 'unknown need category party' }]);
    expect(checkProject(project(), { ...org, kind: 'department' }, known)[0]!.field).toBe('organisationId');
    expect(checkProject(project({ eligibility: { ...anyone, minAge: 18, maxAge: 6 } }), org, known)).toEqual([{ field: 'eligibility.maxAge', message: 'is below the minimum age' }]);
    // Without regions served, the organisation's own region is its scope.
    expect(checkProject(project(), { ...org, regionsServed: [] }, known)).toEqual([]);
  });

  it('places are min(capacity, ⌊budget / cost⌋), and never exceed the budget (property)', () => {
    expect(placesOf({ capacity: 10, budgetFen: 35_000, costPerBeneficiaryFen: 10_000 })).toBe(3);
    expect(placesOf({ capacity: 2, budgetFen: 35_000, costPerBeneficiaryFen: 10_000 })).toBe(2);
    expect(placesOf({ capacity: 4, budgetFen: 0, costPerBeneficiaryFen: 0 })).toBe(4);
    fc.assert(fc.property(fc.nat(1000), fc.nat(10_000_000), fc.integer({ min: 1, max: 1_000_000 }), (capacity, budgetFen, cost) => {
      const k = placesOf({ capacity, budgetFen, costPerBeneficiaryFen: cost });
      expect(k).toBeLessThanOrEqual(capacity);
      expect(k * cost).toBeLessThanOrEqual(budgetFen);
      expect(Math.min(capacity, k + 1) === k || (k + 1) * cost > budgetFen).toBe(true);
    }));
  });

  it('budget: open referrals reserve the cost, delivered ones count what they delivered, declined ones nothing (hand computed)', () => {
    const p = { capacity: 5, budgetFen: 20_000, costPerBeneficiaryFen: 10_000 };
    // Two open referrals: the budget (2 places), not the capacity (5), binds.
    expect(projectBudget(p, { open: 2, delivered: 0, deliveredFen: 0 })).toEqual({ placesTaken: 2, placesLeft: 0, budgetReservedFen: 20_000, budgetUsedFen: 0, budgetRemainingFen: 0 });
    // Both delivered at 5,000: half the budget is back, one more place.
    expect(projectBudget(p, { open: 0, delivered: 2, deliveredFen: 10_000 })).toEqual({ placesTaken: 2, placesLeft: 1, budgetReservedFen: 0, budgetUsedFen: 10_000, budgetRemainingFen: 10_000 });
    // Delivered at the full cost: nothing is freed.
    expect(projectBudget(p, { open: 0, delivered: 2, deliveredFen: 20_000 }).placesLeft).toBe(0);
    // Capacity counts beneficiaries, delivered or not: 5 taken, none left whatever the budget.
    expect(projectBudget({ ...p, budgetFen: 1_000_000 }, { open: 1, delivered: 4, deliveredFen: 0 })).toMatchObject({ placesTaken: 5, placesLeft: 0, budgetRemainingFen: 990_000 });
    // Cost 0: only capacity binds.
    expect(projectBudget({ capacity: 3, budgetFen: 0, costPerBeneficiaryFen: 0 }, { open: 1, delivered: 1, deliveredFen: 0 }).placesLeft).toBe(1);
    // Nothing taken: the project's places.
    expect(projectBudget(p, { open: 0, delivered: 0, deliveredFen: 0 }).placesLeft).toBe(placesOf(p));
  });

  it('budget: filling the places left never overspends the budget nor the capacity (property)', () => {
    fc.assert(fc.property(fc.integer({ min: 1, max: 50 }), fc.integer({ min: 1, max: 100_000 }), fc.integer({ min: 0, max: 50 }), fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { maxLength: 50 }),
      (capacity, cost, budgetPlaces, deliveredShares) => {
        const p = { capacity, budgetFen: budgetPlaces * cost + (cost >> 1), costPerBeneficiaryFen: cost };
        // Deliver as many as the project allows (each at most the cost), then fill the rest with open referrals.
        const delivered = deliveredShares.slice(0, placesOf(p)).map((x) => Math.floor(x * cost));
        const use = { open: 0, delivered: delivered.length, deliveredFen: delivered.reduce((a, b) => a + b, 0) };
        const b = projectBudget(p, use);
        const full = projectBudget(p, { ...use, open: b.placesLeft });
        expect(full.placesTaken).toBeLessThanOrEqual(capacity);
        expect(full.budgetReservedFen + full.budgetUsedFen).toBeLessThanOrEqual(p.budgetFen);
        expect(full.placesLeft).toBe(0);
        expect(b.placesTaken + b.placesLeft).toBeGreaterThanOrEqual(placesOf(p));
      }));
  });

  it('follows the lifecycle draft → submitted → approved (consortium) → published → closed', () => {
    expect(transitionProject('draft', 'submit', 'charity')).toEqual({ ok: true, status: 'submitted' });
    expect(transitionProject('submitted', 'approve', 'charity')).toEqual({ ok: false, error: 'type: only the county consortium may approve a project' });
    expect(transitionProject('submitted', 'approve', 'consortium')).toEqual({ ok: true, status: 'approved' });
    expect(transitionProject('submitted', 'return', 'consortium')).toEqual({ ok: false, error: 'reason: say why the project is returned' });
    expect(transitionProject('submitted', 'return', 'consortium', '预算不清')).toEqual({ ok: true, status: 'draft' });
    expect(transitionProject('draft', 'publish', 'charity')).toEqual({ ok: false, error: 'type: a draft project cannot be published' });
    expect(transitionProject('approved', 'publish', 'charity')).toEqual({ ok: true, status: 'published' });
    expect(transitionProject('published', 'close', 'charity')).toEqual({ ok: true, status: 'closed' });
    expect(transitionProject('closed', 'close', 'charity').ok).toBe(false);
  });
});

describe('eligibility and priority', () => {
  const h = { householdId: 'h', regionCode: '330106002051', category: 'dibao', riskLevel: 'orange' as const, members: [{ age: 45, disabilityGrade: 0, seriousIllness: true }, { age: 12, disabilityGrade: 0, seriousIllness: false }] };
  it('names every criterion that fails', () => {
    expect(failedCriteria(anyone, h)).toEqual([]);
    expect(failedCriteria({ ...anyone, householdCategories: ['extreme_poverty'], regionCode: '330302', minAge: 60, maxAge: null, disability: true, illness: true, minRiskLevel: 'red' }, h))
      .toEqual(['category', 'region', 'age', 'disability', 'risk']);
    expect(failedCriteria({ ...anyone, minAge: 6, maxAge: 18, illness: true, minRiskLevel: 'orange' }, h)).toEqual([]);
    expect(failedCriteria({ ...anyone, householdCategories: ['none'] }, { ...h, category: null })).toEqual([]);
  });
  it('priority = 100 × severity + 40 × risk rank + whole weeks waited (≤ 26)', () => {
    expect(needPriority(3, 'red', 20)).toBe(300 + 120 + 2);
    expect(needPriority(1, null, 0)).toBe(100);
    expect(needPriority(2, 'yellow', 1000)).toBe(200 + 40 + 26);
    fc.assert(fc.property(fc.integer({ min: 1, max: 3 }), fc.constantFrom('green', 'yellow', 'orange', 'red' as const), fc.nat(5000), (s, l, d) => {
      const p = needPriority(s, l, d);
      expect(p).toBeGreaterThanOrEqual(100);
      expect(p).toBeLessThanOrEqual(446);
      // A more severe need always outranks a less severe one, whatever the risk and waiting time.
      if (s < 3) expect(needPriority(s + 1, 'green', 0)).toBeGreaterThan(needPriority(s, 'orange', 5000) - 40);
    }));
  });
});

describe('household portrait', () => {
  const base: PortraitFacts = { category: null, members: [], risk: null, openAlertCauses: [], lastVisit: null };
  it('derives nothing for a household with nothing to go on', () => {
    expect(deriveNeeds({ ...base, members: [{ age: 40, disabilityGrade: 0, seriousIllness: false, labourCapacity: 'full' }] })).toEqual([]);
  });

  it('a dibao family: ill father, a pupil, income gap 0.3, rigid spending deprived (hand computed)', () => {
    const needs = deriveNeeds({
      category: 'dibao',
      members: [
        { age: 48, disabilityGrade: 0, seriousIllness: true, labourCapacity: 'partial' },
        { age: 45, disabilityGrade: 0, seriousIllness: false, labourCapacity: 'full' },
        { age: 14, disabilityGrade: 0, seriousIllness: false, labourCapacity: 'none' },
      ],
      risk: { level: 'orange', dimensions: ['income', 'expenditure'], incomeGap: 0.3 },
      openAlertCauses: [],
      lastVisit: { visitedOn: '2026-11-01', findings: ['unsafe_housing'] },
    });
    expect(needs.map((n) => [n.category, n.severity, n.evidence.map((e) => e.rule)])).toEqual([
      ['basic_living', 2, ['classification']],
      ['income', 2, ['risk.income_gap']], // 0.25 ≤ 0.3 < 0.5
      ['medical', 3, ['members.serious_illness']], // ill + expenditure deprived
      ['education', 2, ['members.school_age']],
      ['housing', 3, ['visit.unsafe_housing']],
      ['employment', 2, ['members.working_age']], // the 48- and 45-year-olds can work
    ]);
    expect(needs[2]!.evidence[0]!.values).toEqual({ members: 1, expenditureDeprived: true });
    expect(needs[5]!.evidence[0]!.values).toEqual({ members: 2, reason: 'income deprived' });
    // The text names the category and the visit finding by their labels; the codes stay in the values.
    expect(needs[0]!.evidence[0]).toEqual({ rule: 'classification', values: { category: 'dibao' }, text: { zh: '认定类别：低保', en: 'classified as dibao (minimum living guarantee)' } });
    expect(needs[4]!.evidence[0]).toEqual({
      rule: 'visit.unsafe_housing', values: { visitedOn: '2026-11-01', finding: 'unsafe_housing' },
      text: { zh: '入户探访（2026-11-01）发现：住房不安全', en: 'home visit on 2026-11-01 found unsafe housing' },
    });
  });

  it('an 82-year-old living alone: care 3 (no carer), social integration 1; a visit raises severity and adds evidence', () => {
    const alone = { ...base, category: 'extreme_poverty', members: [{ age: 82, disabilityGrade: 0, seriousIllness: false, labourCapacity: 'none' as const }] };
    expect(deriveNeeds(alone).map((n) => [n.category, n.severity])).toEqual([['basic_living', 3], ['care', 3], ['social_integration', 1]]);
    const withVisit = deriveNeeds({ ...alone, lastVisit: { visitedOn: '2026-10-10', findings: ['elderly_uncared', 'mental_distress'] } });
    expect(withVisit.find((n) => n.category === 'care')!.evidence.map((e) => e.rule)).toEqual(['members.dependants', 'visit.elderly_uncared']);
    expect(withVisit.find((n) => n.category === 'mental_care')!.severity).toBe(2);
    expect(withVisit[0]!.evidence[0]!.text).toEqual({ zh: '认定类别：特困', en: 'classified as extreme poverty (tekun support)' });
    expect(withVisit.find((n) => n.category === 'mental_care')!.evidence[0]!.text.zh).toBe('入户探访（2026-10-10）发现：心理困扰');
  });

  it('labels every household category and visit finding in both languages; an unknown code reads as itself', () => {
    expect(Object.keys(HOUSEHOLD_CATEGORY_TEXT).sort()).toEqual([...HOUSEHOLD_CATEGORIES].sort());
    expect(Object.keys(VISIT_FINDING_TEXT).sort()).toEqual([...VISIT_FINDING_CODES].sort());
    for (const l of [...Object.values(HOUSEHOLD_CATEGORY_TEXT), ...Object.values(VISIT_FINDING_TEXT)]) {
      expect(l.zh).toMatch(/^[\u4e00-\u9fff]+$/);
      expect(l.en).toMatch(/^[a-z][a-z ()-]*$/);
    }
    expect(householdCategoryText('marginal')).toEqual({ zh: '低边', en: 'marginal (near the dibao line)' });
    expect(householdCategoryText('party')).toEqual({ zh: 'party', en: 'party' });
    expect(householdCategoryText('toString')).toEqual({ zh: 'toString', en: 'toString' });
    expect(visitFindingText('elderly_uncared')).toEqual({ zh: '老人无人照料', en: 'an older person without care' });
    expect(visitFindingText('flood')).toEqual({ zh: 'flood', en: 'flood' });
  });

  it('income severity steps at gap 0.25 and 0.5; a job-loss alert makes an employment need', () => {
    const m = [{ age: 30, disabilityGrade: 0, seriousIllness: false, labourCapacity: 'full' as const }];
    const sev = (gap: number): number => deriveNeeds({ ...base, members: m, risk: { level: 'yellow', dimensions: ['income'], incomeGap: gap } })[0]!.severity;
    expect([sev(0.1), sev(0.25), sev(0.49), sev(0.5)]).toEqual([1, 2, 2, 3]);
    expect(deriveNeeds({ ...base, members: m, openAlertCauses: ['job_loss'] }).map((n) => n.category)).toEqual(['employment']);
  });

  it('always one need per category, severity 1–3 (property)', () => {
    const member = fc.record({ age: fc.nat(100), disabilityGrade: fc.nat(4), seriousIllness: fc.boolean(), labourCapacity: fc.constantFrom('full', 'partial', 'none' as const) });
    fc.assert(fc.property(
      fc.record({
        category: fc.constantFrom(null, 'none', 'extreme_poverty', 'dibao', 'marginal'),
        members: fc.array(member, { maxLength: 6 }),
        risk: fc.option(fc.record({ level: fc.constantFrom('green', 'yellow', 'orange', 'red' as const), dimensions: fc.subarray(['family', 'income', 'property', 'expenditure', 'assistance', 'visits']), incomeGap: fc.double({ min: 0, max: 1, noNaN: true }) })),
        openAlertCauses: fc.subarray(['job_loss', 'risk']),
        lastVisit: fc.option(fc.record({ visitedOn: fc.constant('2026-11-01'), findings: fc.subarray(['unsafe_housing', 'illness_untreated', 'elderly_uncared', 'child_out_of_school', 'no_income', 'mental_distress']) })),
      }),
      (f) => {
        const needs = deriveNeeds(f);
        expect(new Set(needs.map((n) => n.category)).size).toBe(needs.length);
        for (const n of needs) {
          expect([1, 2, 3]).toContain(n.severity);
          expect(n.evidence.length).toBeGreaterThan(0);
          // No code (a word with an underscore, or a bare category) inside the human text.
          for (const e of n.evidence) expect(`${e.text.zh} ${e.text.en}`).not.toMatch(/[a-z]+_[a-z_]+|：(dibao|marginal|none)/);
        }
      },
    ));
  });
});
