/**
 * The registry's household model as the means test sees it. Money is integer fen, dates are
 * ISO `YYYY-MM-DD` strings (calendar dates, no time zone).
 */

export const RELATIONS = ['head', 'spouse', 'child', 'parent', 'grandchild', 'grandparent', 'sibling', 'other'] as const;
export type Relation = (typeof RELATIONS)[number];

export const LABOUR_CAPACITIES = ['full', 'partial', 'none'] as const;
export type LabourCapacity = (typeof LABOUR_CAPACITIES)[number];

export const SCHOOLING = ['none', 'preschool', 'primary', 'junior', 'senior', 'vocational', 'college'] as const;
export type Schooling = (typeof SCHOOLING)[number];

/** Disability grade under GB/T 26341-2010: 1 (most severe) to 4; 0 = no certified disability. */
export type DisabilityGrade = 0 | 1 | 2 | 3 | 4;

export interface Member {
  id: string;
  name: string;
  idNumber: string;
  relation: Relation;
  /** Derived from the ID number. */
  sex: 'M' | 'F';
  /** Derived from the ID number. */
  birthDate: string;
  disabilityGrade: DisabilityGrade;
  seriousIllness: boolean;
  labourCapacity: LabourCapacity;
  schooling: Schooling;
  /** Date of death when the registry knows it; the member then no longer counts. */
  deceasedOn?: string | null;
  /** Mobile number when known (11 digits). */
  phone?: string | null;
}

/** The four income categories of the means test, plus deductions that reduce it. */
export const INCOME_CATEGORIES = ['wages', 'business', 'property', 'transfer', 'deduction'] as const;
export type IncomeCategory = (typeof INCOME_CATEGORIES)[number];

export interface IncomeRecord {
  id: string;
  memberId?: string | null;
  category: IncomeCategory;
  /** Finer kind, e.g. `basic_pension`, `care_allowance`, `one_off_award`, `social_insurance_paid`. */
  subtype: string;
  amountFen: number;
  periodStart: string;
  periodEnd: string;
  sourceDept: string;
  batchId?: string | null;
}

export const ASSET_KINDS = [
  'deposit', 'securities', 'insurance_cash_value', 'cash', 'vehicle', 'boat', 'commercial_property', 'residence',
] as const;
export type AssetKind = (typeof ASSET_KINDS)[number];
/** Asset kinds that count as monetary assets (货币财产). */
export const MONETARY_ASSET_KINDS: readonly AssetKind[] = ['deposit', 'securities', 'insurance_cash_value', 'cash'];

export interface AssetRecord {
  id: string;
  memberId?: string | null;
  kind: AssetKind;
  valueFen: number;
  /** For a residence: floor area in square metres. */
  floorAreaM2?: number | null;
  /** A vehicle adapted for a disabled member (exempt under the vehicle rule when the policy says so). */
  isDisabilityVehicle?: boolean;
  asOf: string;
  sourceDept: string;
  batchId?: string | null;
}

export const EXPENDITURE_CATEGORIES = ['medical', 'education', 'rehabilitation', 'accident', 'other'] as const;
export type ExpenditureCategory = (typeof EXPENDITURE_CATEGORIES)[number];

export interface ExpenditureRecord {
  id: string;
  memberId?: string | null;
  category: ExpenditureCategory;
  /** Out-of-pocket amount after insurance reimbursement. */
  amountFen: number;
  periodStart: string;
  periodEnd: string;
  sourceDept: string;
  batchId?: string | null;
}

export const EMERGENCY_KINDS = ['fire', 'accident', 'sudden_illness', 'natural_disaster', 'death_of_earner'] as const;
export type EmergencyKind = (typeof EMERGENCY_KINDS)[number];

export interface EmergencyEvent {
  kind: EmergencyKind;
  occurredOn: string;
}

export interface Household {
  id: string;
  /** 12-digit village (community) code of registration (户籍地). */
  regionCode: string;
  /** 12-digit village code of residence when it differs (floating population, 流动人口). */
  residenceRegionCode?: string | null;
  address?: string | null;
  /** Whether a legal supporter (法定赡养、抚养、扶养义务人) able to support the household exists. */
  hasAbleSupporter: boolean;
  members: Member[];
  incomes: IncomeRecord[];
  assets: AssetRecord[];
  expenditures: ExpenditureRecord[];
  emergencies: EmergencyEvent[];
}

/** Departments that supply registry data (provenance of every income, asset and expenditure record). */
export const SOURCE_DEPARTMENTS = {
  civil_affairs: '民政',
  hrss: '人力社保',
  tax: '税务',
  market_regulation: '市场监管',
  healthcare_security: '医保',
  education: '教育',
  disabled_federation: '残联',
  housing: '住建',
  public_security: '公安',
  natural_resources: '自然资源',
  bank: '金融机构',
  self_declared: '本人申报',
  home_visit: '入户核查',
} as const;
export type SourceDepartment = keyof typeof SOURCE_DEPARTMENTS;
