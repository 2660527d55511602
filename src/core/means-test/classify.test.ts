import { describe, expect, it } from 'vitest';
import { parametersAt } from '../policy/parameters.js';
import { classifyHousehold, formatYuan, type RuleId } from './classify.js';
import { household, income, member, testPolicyBook } from './fixtures.js';
import type { Household } from '../household/household.js';

const book = testPolicyBook();
const AS_OF = '2025-06-30';
// The 12-month reference period that ends on AS_OF.
const FROM = '2024-07-01';
const XIHU = '330106001001'; // 2.0× county (province default)
const CHUNAN = '330127100201'; // 1.5× county in the test book

function classify(h: Household, asOf = AS_OF) {
  return classifyHousehold(h, parametersAt(book, h.regionCode, asOf), asOf);
}
function wagesHousehold(totalFen: number, members = 1, extra: Partial<Household> = {}): Household {
  return household({
    members: Array.from({ length: members }, () => member()),
    incomes: [income(totalFen, FROM, AS_OF)],
    ...extra,
  });
}
function step(r: ReturnType<typeof classify>, rule: RuleId) {
  const s = r.trace.find((x) => x.rule === rule);
  if (!s) throw new Error(`no trace step ${rule}`);
  return s;
}

describe('dibao (低保): per-capita income strictly below the standard', () => {
  it('computes the payment as (standard − per-capita income) × members, in fen', () => {
    // 812.40 yuan per person per month, 2 people, 12 months.
    const r = classify(wagesHousehold(81_240 * 24, 2));
    expect(r.category).toBe('dibao');
    expect(r.perCapitaMonthlyIncomeFen).toBe(81_240);
    expect(r.paymentFen).toBe((114_900 - 81_240) * 2);
    expect(step(r, 'dibao.income_below_standard').text.zh).toBe('人均月收入 812.40 元 < 低保标准 1149.00 元 ✓');
    expect(step(r, 'dibao.income_below_standard').parameters[0]).toEqual({
      name: 'dibaoStandardFen', value: 114_900, regionCode: '33', effectiveFrom: '2024-07-01',
    });
    expect(r.parameterVersion).toBe('test-1');
  });
  it('income exactly at the standard is not dibao; one fen below is', () => {
    const at = classify(wagesHousehold(114_900 * 24, 2));
    expect(at.category).toBe('marginal');
    expect(step(at, 'dibao.income_below_standard').passed).toBe(false);
    const below = classify(wagesHousehold(114_900 * 24 - 1, 2));
    expect(below.category).toBe('dibao');
  });
  it('zero income pays the full standard per member', () => {
    const r = classify(wagesHousehold(0, 3));
    expect(r.category).toBe('dibao');
    expect(r.paymentFen).toBe(114_900 * 3);
  });
});

describe('marginal (低边): below multiplier × standard', () => {
  it('1800 yuan per person is marginal in a 2.0× county and income uplift in a 1.5× county', () => {
    const inXihu = classify(wagesHousehold(180_000 * 12, 1, { regionCode: XIHU }));
    expect(inXihu.category).toBe('marginal');
    expect(step(inXihu, 'marginal.income_below_line').text.zh).toContain('低边标准 2298.00 元（低保标准 × 2）');
    const inChunan = classify(wagesHousehold(180_000 * 12, 1, { regionCode: CHUNAN }));
    expect(inChunan.category).toBe('income_uplift');
    expect(step(inChunan, 'marginal.income_below_line').parameters[1]).toMatchObject({ name: 'marginalMultiplier', value: 1.5, regionCode: '330127' });
  });
  it('income exactly at the 1.5× line (1723.50) is not marginal; one fen below is', () => {
    expect(classify(wagesHousehold(172_350 * 12, 1, { regionCode: CHUNAN })).category).toBe('income_uplift');
    expect(classify(wagesHousehold(172_350 * 12 - 1, 1, { regionCode: CHUNAN })).category).toBe('marginal');
  });
  it('exactly at the 2.0× line (2298.00) is not marginal', () => {
    expect(classify(wagesHousehold(229_800 * 12)).category).toBe('income_uplift');
    expect(classify(wagesHousehold(229_800 * 12 - 1)).category).toBe('marginal');
  });
});

describe('asset tests', () => {
  const withDeposit = (valueFen: number, m = member()) =>
    household({ members: [m], assets: [{ id: 'a', kind: 'deposit', valueFen, asOf: '2025-06-01', sourceDept: 'bank' }] });
  it('monetary assets per person must be strictly below 3 years of the standard (41,364 yuan)', () => {
    expect(classify(withDeposit(4_136_400 - 1)).category).toBe('dibao');
    const at = classify(withDeposit(4_136_400));
    expect(step(at, 'assets.monetary').passed).toBe(false);
    expect(at.category).toBe('marginal'); // the marginal asset limit is 3 years of 2298 yuan
  });
  it('a household with an elderly, severely disabled or seriously ill member gets 4 years (55,152 yuan)', () => {
    const ill = member({ seriousIllness: true });
    expect(classify(withDeposit(5_515_200 - 1, ill)).category).toBe('dibao');
    expect(classify(withDeposit(5_515_200, ill)).category).toBe('marginal');
  });
  it('fails dibao and marginal above the marginal asset limit (3 × 12 × 2298 = 82,728 yuan)', () => {
    expect(classify(withDeposit(8_272_800 - 1)).category).toBe('marginal');
    expect(classify(withDeposit(8_272_800)).category).toBe('none');
  });
  it('a private car fails; a disability vehicle is exempt', () => {
    const car = household({ assets: [{ id: 'v', kind: 'vehicle', valueFen: 3_000_000, asOf: '2025-01-01', sourceDept: 'public_security' }] });
    const r = classify(car);
    expect(step(r, 'assets.vehicles').passed).toBe(false);
    expect(r.category).toBe('none');
    const exempt = household({
      assets: [{ id: 'v', kind: 'vehicle', valueFen: 3_000_000, asOf: '2025-01-01', sourceDept: 'public_security', isDisabilityVehicle: true }],
    });
    expect(classify(exempt).category).toBe('dibao');
  });
  it('commercial property and a second residence fail the asset test', () => {
    const shop = household({ assets: [{ id: 's', kind: 'commercial_property', valueFen: 1, asOf: '2025-01-01', sourceDept: 'natural_resources' }] });
    expect(classify(shop).category).toBe('none');
    const home = { kind: 'residence' as const, valueFen: 1, floorAreaM2: 60, asOf: '2025-01-01', sourceDept: 'housing' };
    expect(classify(household({ assets: [{ id: 'r1', ...home }] })).category).toBe('dibao');
    expect(classify(household({ assets: [{ id: 'r1', ...home }, { id: 'r2', ...home }] })).category).toBe('none');
  });
  it('ignores assets recorded after the as-of date', () => {
    const later = household({ assets: [{ id: 'a', kind: 'deposit', valueFen: 99_999_999, asOf: '2025-07-01', sourceDept: 'bank' }] });
    expect(classify(later).category).toBe('dibao');
  });
});

describe('rigid-expenditure hardship (刚性支出困难)', () => {
  // 30,000 yuan a year for one person: 2,500 a month, above the 2,298 marginal line.
  const base = (category: 'education' | 'medical', amountFen: number, incomeFen = 3_000_000) =>
    household({
      incomes: [income(incomeFen, FROM, AS_OF)],
      expenditures: [{ id: 'x', category, amountFen, periodStart: FROM, periodEnd: AS_OF, sourceDept: 'education' }],
    });
  it('rigid spending must exceed 70 % of household income (strictly)', () => {
    expect(classify(base('education', 2_100_000)).category).toBe('income_uplift');
    const r = classify(base('education', 2_100_001));
    expect(r.category).toBe('rigid_expenditure');
    expect(step(r, 'rigid.expenditure_ratio').text.zh).toContain('> 70%');
  });
  it('medical and accident spending above 60 % is enough', () => {
    expect(classify(base('medical', 1_800_000)).category).toBe('income_uplift');
    const r = classify(base('medical', 1_800_001));
    expect(r.category).toBe('rigid_expenditure');
    expect(step(r, 'rigid.medical_ratio').passed).toBe(true);
    expect(step(r, 'rigid.expenditure_ratio').passed).toBe(false);
  });
  it('needs per-capita income below last year’s disposable income (63,830 yuan)', () => {
    expect(classify(base('medical', 9_000_000, 6_383_000)).category).toBe('income_uplift');
    expect(classify(base('medical', 9_000_000, 6_383_000 - 1)).category).toBe('rigid_expenditure');
  });
});

describe('income uplift (提低) and none', () => {
  it('household income strictly under 100,000 yuan a year', () => {
    expect(classify(wagesHousehold(10_000_000 - 1, 2)).category).toBe('income_uplift');
    const r = classify(wagesHousehold(10_000_000, 2));
    expect(r.category).toBe('none');
    expect(step(r, 'uplift.income_below_ceiling').passed).toBe(false);
  });
});

describe('extreme poverty (特困)', () => {
  it('all members without labour capacity, no able supporter, income below the standard', () => {
    const h = household({ hasAbleSupporter: false, members: [member({ birthDate: '1950-01-01' })] });
    const r = classify(h);
    expect(r.category).toBe('extreme_poverty');
    expect(r.paymentFen).toBe(149_370); // 1149 × 1.3 = 1493.70
  });
  it('is dibao when an able supporter exists, and when one member can work', () => {
    expect(classify(household({ hasAbleSupporter: true, members: [member({ birthDate: '1950-01-01' })] })).category).toBe('dibao');
    const mixed = household({ hasAbleSupporter: false, members: [member({ birthDate: '1950-01-01' }), member()] });
    expect(classify(mixed).category).toBe('dibao');
  });
  it('age 60 on the as-of date counts as no labour capacity; 59 does not (unless disabled)', () => {
    const at60 = household({ hasAbleSupporter: false, members: [member({ birthDate: '1965-06-30' })] });
    expect(classify(at60).category).toBe('extreme_poverty');
    const at59 = household({ hasAbleSupporter: false, members: [member({ birthDate: '1965-07-01' })] });
    expect(classify(at59).category).toBe('dibao');
    const grade2 = household({ hasAbleSupporter: false, members: [member({ birthDate: '1965-07-01', disabilityGrade: 2 })] });
    expect(classify(grade2).category).toBe('extreme_poverty');
    const grade3 = household({ hasAbleSupporter: false, members: [member({ birthDate: '1965-07-01', disabilityGrade: 3 })] });
    expect(classify(grade3).category).toBe('dibao');
  });
});

describe('income: exclusions, deductions, pro-rating, members', () => {
  it('excludes listed transfers and subtracts listed deductions', () => {
    const h = household({
      incomes: [
        income(1_200_000, FROM, AS_OF),
        income(500_000, FROM, AS_OF, { category: 'transfer', subtype: 'care_allowance' }),
        income(200_000, FROM, AS_OF, { category: 'deduction', subtype: 'social_insurance_paid' }),
        income(300_000, FROM, AS_OF, { category: 'deduction', subtype: 'not_a_deduction' }),
      ],
    });
    const r = classify(h);
    expect(r.facts.householdIncomeFen).toBe(1_000_000);
    expect(r.facts.excludedIncomeFen).toBe(500_000);
    expect(r.facts.deductionsFen).toBe(200_000);
  });
  it('pro-rates a record by the days of its period inside the reference period', () => {
    // 2025-01-01..2025-12-31 (365 days) at 1,000 fen a day; 181 days fall inside 2024-07-01..2025-06-30.
    const r = classify(household({ incomes: [income(365_000, '2025-01-01', '2025-12-31')] }));
    expect(r.facts.householdIncomeFen).toBe(181_000);
    expect(r.facts.periodStart).toBe('2024-07-01');
  });
  it('does not count a member who died before the as-of date, nor that member’s income', () => {
    const dead = member({ deceasedOn: '2025-01-01' });
    const h = household({ members: [member(), dead], incomes: [income(5_000_000, FROM, AS_OF, { memberId: dead.id })] });
    const r = classify(h);
    expect(r.facts.members).toBe(1);
    expect(r.facts.householdIncomeFen).toBe(0);
  });
  it('a household with no living member is none, and says why', () => {
    const r = classify(household({ members: [member({ deceasedOn: '2020-01-01' })] }));
    expect(r.category).toBe('none');
    expect(step(r, 'household.members').passed).toBe(false);
  });
});

describe('a parameter change on a date', () => {
  // 1,120 yuan per person: above the old standard (1,100), below the new one (1,149 from 2024-07-01).
  const on = (asOf: string, from: string) => classify(household({ incomes: [income(112_000 * 12, from, asOf)] }), asOf);
  it('classifies under the standard in force on the as-of date', () => {
    const before = on('2024-06-30', '2023-07-01');
    expect(before.category).toBe('marginal');
    expect(step(before, 'dibao.income_below_standard').parameters[0]).toMatchObject({ value: 110_000, effectiveFrom: '2023-07-01' });
    const after = on('2024-07-01', '2023-07-02');
    expect(after.category).toBe('dibao');
    expect(after.paymentFen).toBe(114_900 - 112_000);
    expect(step(after, 'dibao.income_below_standard').parameters[0]).toMatchObject({ value: 114_900, effectiveFrom: '2024-07-01' });
  });
});

describe('temporary assistance (临时救助) flags', () => {
  it('flags an emergency in the 90 days ending on the as-of date (2025-04-02..06-30), not before', () => {
    const fire = classify(household({ emergencies: [{ kind: 'fire', occurredOn: '2025-06-20' }] }));
    expect(fire.flags).toEqual(['emergency']);
    expect(fire.trace.find((s) => s.rule === 'temporary.emergency')!.text.zh).toBe('近 90 天内发生急难事件：火灾 ✓');
    expect(classify(household({ emergencies: [{ kind: 'fire', occurredOn: '2025-04-02' }] })).flags).toEqual(['emergency']);
    expect(classify(household({ emergencies: [{ kind: 'fire', occurredOn: '2025-04-01' }] })).flags).toEqual([]);
    expect(classify(household({ emergencies: [{ kind: 'fire', occurredOn: '2025-07-01' }] })).flags).toEqual([]);
  });
  it('flags rigid spending in the last 3 months above income in that time', () => {
    const h = household({
      incomes: [income(6_000_000, FROM, AS_OF)],
      expenditures: [{ id: 'm', category: 'medical', amountFen: 1_600_000, periodStart: '2025-05-01', periodEnd: '2025-05-31', sourceDept: 'healthcare_security' }],
    });
    const r = classify(h);
    // The 3 months ending 2025-06-30 are 2025-03-31..06-30, 92 days: 92/365 of 60,000 yuan = 15,123.29 < 16,000 spent.
    expect(r.facts.recentIncomeFen).toBe(1_512_329);
    expect(r.flags).toEqual(['sudden_expenditure']);
  });
});

describe('formatYuan', () => {
  it('formats integer fen', () => {
    expect(formatYuan(0)).toBe('0.00');
    expect(formatYuan(5)).toBe('0.05');
    expect(formatYuan(114_900)).toBe('1149.00');
    expect(formatYuan(-81_240)).toBe('-812.40');
  });
});
