/** Builders shared by the means-test tests and benchmarks: a small policy book and households. */
import type { Household, IncomeRecord, Member } from '../household/household.js';
import { validatePolicyDocument, type PolicyBook } from '../policy/parameters.js';

/** A test policy: Zhejiang defaults, plus a county at 1.5× (330127) and a dibao change on 2024-07-01. */
export function testPolicyBook(overrides: Record<string, unknown> = {}): PolicyBook {
  const v = (values: Record<string, Record<string, unknown>>, kind: string) => ({ label: 'x', source: 'test', kind, values });
  const doc = {
    version: 'test-1',
    jurisdiction: '33',
    parameters: {
      dibao_standard: v({ '33': { '2023-07-01': 1100, '2024-07-01': 1149 } }, 'money'),
      marginal_multiplier: v({ '33': { '2022-01-01': 2.0 }, '330127': { '2022-01-01': 1.5 } }, 'ratio'),
      income_reference_months: v({ '33': { '2021-01-01': 12 } }, 'integer'),
      income_exclusions: v({ '33': { '2021-01-01': ['care_allowance', 'one_off_award', 'basic_pension_base'] } }, 'list'),
      income_deductions: v({ '33': { '2021-01-01': ['social_insurance_paid'] } }, 'list'),
      monetary_asset_limit_years: v({ '33': { '2015-01-01': 3 } }, 'ratio'),
      monetary_asset_limit_years_vulnerable: v({ '33': { '2015-01-01': 4 } }, 'ratio'),
      marginal_asset_limit_years: v({ '33': { '2015-01-01': 3 } }, 'ratio'),
      vehicles_allowed: v({ '33': { '2015-01-01': false } }, 'boolean'),
      disability_vehicle_exempt: v({ '33': { '2015-01-01': true } }, 'boolean'),
      commercial_property_allowed: v({ '33': { '2015-01-01': false } }, 'boolean'),
      max_residences: v({ '33': { '2015-01-01': 1 } }, 'integer'),
      max_floor_area_per_capita_m2: v({ '33': { '2015-01-01': 0 } }, 'ratio'),
      rigid_expenditure_ratio: v({ '33': { '2020-01-01': 0.7 } }, 'ratio'),
      rigid_medical_ratio: v({ '33': { '2020-01-01': 0.6 } }, 'ratio'),
      disposable_income_per_capita: v({ '33': { '2024-01-01': 63830 } }, 'money'),
      income_uplift_ceiling: v({ '33': { '2024-01-01': 100000 } }, 'money'),
      extreme_poverty_support_multiplier: v({ '33': { '2016-01-01': 1.3 } }, 'ratio'),
      elderly_age: v({ '33': { '2021-01-01': 60 } }, 'integer'),
      minor_age: v({ '33': { '2021-01-01': 16 } }, 'integer'),
      severe_disability_max_grade: v({ '33': { '2021-01-01': 2 } }, 'integer'),
      temporary_event_window_days: v({ '33': { '2021-01-01': 90 } }, 'integer'),
      temporary_expenditure_months: v({ '33': { '2021-01-01': 3 } }, 'integer'),
      temporary_expenditure_ratio: v({ '33': { '2021-01-01': 1.0 } }, 'ratio'),
      risk_weight_family: v({ '33': { '2021-01-01': 1 } }, 'ratio'),
      risk_weight_income: v({ '33': { '2021-01-01': 1 } }, 'ratio'),
      risk_weight_property: v({ '33': { '2021-01-01': 1 } }, 'ratio'),
      risk_weight_expenditure: v({ '33': { '2021-01-01': 1 } }, 'ratio'),
      risk_weight_assistance: v({ '33': { '2021-01-01': 1 } }, 'ratio'),
      risk_weight_visits: v({ '33': { '2021-01-01': 1 } }, 'ratio'),
      risk_k: v({ '33': { '2021-01-01': 2 } }, 'ratio'),
      risk_orange_score: v({ '33': { '2021-01-01': 3 } }, 'ratio'),
      risk_red_score: v({ '33': { '2021-01-01': 4 } }, 'ratio'),
      risk_asset_buffer_months: v({ '33': { '2021-01-01': 6 } }, 'ratio'),
      risk_expenditure_ratio: v({ '33': { '2021-01-01': 0.4 } }, 'ratio'),
      risk_visit_interval_days: v({ '33': { '2021-01-01': 90 } }, 'integer'),
      trigger_income_drop_ratio: v({ '33': { '2021-01-01': 0.3 } }, 'ratio'),
      trigger_large_medical_bill: v({ '33': { '2021-01-01': 20000 } }, 'money'),
      alert_due_days_red: v({ '33': { '2021-01-01': 3 } }, 'integer'),
      alert_due_days_orange: v({ '33': { '2021-01-01': 7 } }, 'integer'),
      alert_due_days_yellow: v({ '33': { '2021-01-01': 15 } }, 'integer'),
      suspected_lookback_months: v({ '33': { '2021-01-01': 12 } }, 'integer'),
      duplicate_assistance_cap_ratio: v({ '33': { '2021-01-01': 1.0 } }, 'ratio'),
      matching_mountain_uplift: v({ '33': { '2021-01-01': 0.2 } }, 'ratio'),
      ...overrides,
    },
  };
  return validatePolicyDocument(doc, { isKnownRegion: () => true });
}

let seq = 0;
const nextId = (): string => `t-${++seq}`;

/** A working-age adult with full labour capacity unless overridden. */
export function member(overrides: Partial<Member> = {}): Member {
  return {
    id: nextId(),
    name: '测试',
    idNumber: '',
    relation: 'head',
    sex: 'M',
    birthDate: '1985-05-05',
    disabilityGrade: 0,
    seriousIllness: false,
    labourCapacity: 'full',
    schooling: 'senior',
    ...overrides,
  };
}

/** An income record over [start, end]. */
export function income(amountFen: number, start: string, end: string, overrides: Partial<IncomeRecord> = {}): IncomeRecord {
  return { id: nextId(), category: 'wages', subtype: 'salary', amountFen, periodStart: start, periodEnd: end, sourceDept: 'hrss', ...overrides };
}

/** A household in a 2.0× county (330106, 西湖区) unless overridden. */
export function household(overrides: Partial<Household> = {}): Household {
  return {
    id: nextId(),
    regionCode: '330106001001',
    hasAbleSupporter: true,
    members: [member()],
    incomes: [],
    assets: [],
    expenditures: [],
    emergencies: [],
    ...overrides,
  };
}
