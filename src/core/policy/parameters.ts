/**
 * Policy parameters as dated values scoped to a region (OpenFisca style), with inheritance
 * province default → city → county override. See policies/zhejiang.yaml for the data.
 */
import { parse as parseYaml } from 'yaml';
import { dayNumber, isIsoDate } from '../dates/dates.js';

export type ParameterKind = 'money' | 'ratio' | 'integer' | 'boolean' | 'list';

/** The parameters the means test needs, their YAML keys and kinds. */
export const PARAMETER_SPECS = {
  dibaoStandardFen: { key: 'dibao_standard', kind: 'money', min: 1 },
  marginalMultiplier: { key: 'marginal_multiplier', kind: 'ratio', min: 1, max: 5 },
  incomeReferenceMonths: { key: 'income_reference_months', kind: 'integer', min: 1, max: 36 },
  incomeExclusions: { key: 'income_exclusions', kind: 'list' },
  incomeDeductions: { key: 'income_deductions', kind: 'list' },
  monetaryAssetLimitYears: { key: 'monetary_asset_limit_years', kind: 'ratio', min: 0, max: 50 },
  monetaryAssetLimitYearsVulnerable: { key: 'monetary_asset_limit_years_vulnerable', kind: 'ratio', min: 0, max: 50 },
  marginalAssetLimitYears: { key: 'marginal_asset_limit_years', kind: 'ratio', min: 0, max: 50 },
  vehiclesAllowed: { key: 'vehicles_allowed', kind: 'boolean' },
  disabilityVehicleExempt: { key: 'disability_vehicle_exempt', kind: 'boolean' },
  commercialPropertyAllowed: { key: 'commercial_property_allowed', kind: 'boolean' },
  maxResidences: { key: 'max_residences', kind: 'integer', min: 0, max: 100 },
  maxFloorAreaPerCapitaM2: { key: 'max_floor_area_per_capita_m2', kind: 'ratio', min: 0, max: 10_000 },
  rigidExpenditureRatio: { key: 'rigid_expenditure_ratio', kind: 'ratio', min: 0, max: 10 },
  rigidMedicalRatio: { key: 'rigid_medical_ratio', kind: 'ratio', min: 0, max: 10 },
  disposableIncomePerCapitaFen: { key: 'disposable_income_per_capita', kind: 'money', min: 1 },
  incomeUpliftCeilingFen: { key: 'income_uplift_ceiling', kind: 'money', min: 1 },
  extremePovertySupportMultiplier: { key: 'extreme_poverty_support_multiplier', kind: 'ratio', min: 1, max: 5 },
  elderlyAge: { key: 'elderly_age', kind: 'integer', min: 40, max: 100 },
  minorAge: { key: 'minor_age', kind: 'integer', min: 1, max: 25 },
  severeDisabilityMaxGrade: { key: 'severe_disability_max_grade', kind: 'integer', min: 0, max: 4 },
  temporaryEventWindowDays: { key: 'temporary_event_window_days', kind: 'integer', min: 1, max: 3650 },
  temporaryExpenditureMonths: { key: 'temporary_expenditure_months', kind: 'integer', min: 1, max: 36 },
  temporaryExpenditureRatio: { key: 'temporary_expenditure_ratio', kind: 'ratio', min: 0, max: 100 },
  // Dynamic monitoring (六维).
  riskWeightFamily: { key: 'risk_weight_family', kind: 'ratio', min: 0, max: 6 },
  riskWeightIncome: { key: 'risk_weight_income', kind: 'ratio', min: 0, max: 6 },
  riskWeightProperty: { key: 'risk_weight_property', kind: 'ratio', min: 0, max: 6 },
  riskWeightExpenditure: { key: 'risk_weight_expenditure', kind: 'ratio', min: 0, max: 6 },
  riskWeightAssistance: { key: 'risk_weight_assistance', kind: 'ratio', min: 0, max: 6 },
  riskWeightVisits: { key: 'risk_weight_visits', kind: 'ratio', min: 0, max: 6 },
  riskK: { key: 'risk_k', kind: 'ratio', min: 0.01, max: 6 },
  riskOrangeScore: { key: 'risk_orange_score', kind: 'ratio', min: 0.01, max: 6 },
  riskRedScore: { key: 'risk_red_score', kind: 'ratio', min: 0.01, max: 6 },
  riskAssetBufferMonths: { key: 'risk_asset_buffer_months', kind: 'ratio', min: 0, max: 120 },
  riskExpenditureRatio: { key: 'risk_expenditure_ratio', kind: 'ratio', min: 0, max: 10 },
  riskVisitIntervalDays: { key: 'risk_visit_interval_days', kind: 'integer', min: 1, max: 3650 },
  triggerIncomeDropRatio: { key: 'trigger_income_drop_ratio', kind: 'ratio', min: 0, max: 1 },
  triggerLargeMedicalBillFen: { key: 'trigger_large_medical_bill', kind: 'money', min: 1 },
  alertDueDaysRed: { key: 'alert_due_days_red', kind: 'integer', min: 1, max: 365 },
  alertDueDaysOrange: { key: 'alert_due_days_orange', kind: 'integer', min: 1, max: 365 },
  alertDueDaysYellow: { key: 'alert_due_days_yellow', kind: 'integer', min: 1, max: 365 },
  suspectedLookbackMonths: { key: 'suspected_lookback_months', kind: 'integer', min: 1, max: 60 },
  // Benefit ledger (避免重复救助或多头救助).
  duplicateAssistanceCapRatio: { key: 'duplicate_assistance_cap_ratio', kind: 'ratio', min: 0.1, max: 10 },
  // Charity matching (慈善匹配): the fairness uplift of the 26 mountain-area counties, in whole basis points.
  matchingMountainUplift: { key: 'matching_mountain_uplift', kind: 'ratio', min: 0, max: 10 },
} as const satisfies Record<string, { key: string; kind: ParameterKind; min?: number; max?: number }>;

export type ParameterName = keyof typeof PARAMETER_SPECS;
type ValueOfKind<K extends ParameterKind> = K extends 'list' ? readonly string[] : K extends 'boolean' ? boolean : number;
/** The parameter values in force for one region on one date. Money in fen. */
export type PolicyParameters = { -readonly [N in ParameterName]: ValueOfKind<(typeof PARAMETER_SPECS)[N]['kind']> };
type ParameterValue = PolicyParameters[ParameterName];

/** Where a value came from: the region that set it and the date it took effect. */
export interface ParameterSource {
  regionCode: string;
  effectiveFrom: string;
}

export interface ResolvedParameters {
  version: string;
  regionCode: string;
  date: string;
  values: PolicyParameters;
  sources: Record<ParameterName, ParameterSource>;
}

interface DatedValue {
  effectiveFrom: string;
  day: number;
  value: ParameterValue;
}

export interface ParameterDefinition {
  name: ParameterName;
  key: string;
  kind: ParameterKind;
  label: string;
  source: string;
  /** Region code → values sorted by date ascending. */
  byRegion: ReadonlyMap<string, readonly DatedValue[]>;
}

/** A validated policy file. */
export interface PolicyBook {
  version: string;
  jurisdiction: string;
  parameters: ReadonlyMap<ParameterName, ParameterDefinition>;
}

/** A policy file failed validation; `problems` name each key and what is wrong with it. */
export class PolicyValidationError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`policy file is invalid:\n- ${problems.join('\n- ')}`);
    this.name = 'PolicyValidationError';
  }
}

export interface PolicyParseOptions {
  /** Whether a region code (2, 4 or 6 digits) exists. */
  isKnownRegion: (code: string) => boolean;
}

const specByKey = new Map<string, ParameterName>(
  (Object.keys(PARAMETER_SPECS) as ParameterName[]).map((n) => [PARAMETER_SPECS[n].key, n]),
);

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function convertValue(name: ParameterName, raw: unknown, at: string, problems: string[]): ParameterValue | undefined {
  const spec: { kind: ParameterKind; min?: number; max?: number } = PARAMETER_SPECS[name];
  switch (spec.kind) {
    case 'boolean':
      if (typeof raw === 'boolean') return raw;
      problems.push(`${at}: must be true or false`);
      return undefined;
    case 'list':
      if (Array.isArray(raw) && raw.every((x) => typeof x === 'string' && /^[a-z][a-z0-9_]*$/.test(x))) return raw as string[];
      problems.push(`${at}: must be a list of snake_case item names`);
      return undefined;
    case 'money':
    case 'ratio':
    case 'integer': {
      if (typeof raw !== 'number' || !Number.isFinite(raw)) {
        problems.push(`${at}: must be a number`);
        return undefined;
      }
      if (spec.kind === 'integer' && !Number.isInteger(raw)) {
        problems.push(`${at}: must be a whole number`);
        return undefined;
      }
      if (spec.kind === 'money' && Math.abs(Math.round(raw * 100) - raw * 100) > 1e-6) {
        problems.push(`${at}: must be an amount in yuan with at most two decimals`);
        return undefined;
      }
      if (spec.min !== undefined && raw < spec.min) problems.push(`${at}: must be at least ${spec.min}`);
      else if (spec.max !== undefined && raw > spec.max) problems.push(`${at}: must be at most ${spec.max}`);
      else return spec.kind === 'money' ? Math.round(raw * 100) : raw;
      return undefined;
    }
  }
}

/**
 * Validates a parsed policy document. Every problem is collected and reported with the path of
 * the key (e.g. `parameters.dibao_standard.values.3301.2024-13-01: not a calendar date`).
 */
export function validatePolicyDocument(doc: unknown, options: PolicyParseOptions): PolicyBook {
  const problems: string[] = [];
  if (!isRecord(doc)) throw new PolicyValidationError(['(root): must be a mapping with version, jurisdiction and parameters']);
  const version = doc.version;
  if (typeof version !== 'string' || version.trim() === '') problems.push('version: must be a non-empty string');
  const jurisdiction = doc.jurisdiction;
  if (typeof jurisdiction !== 'string' || !/^\d{2}$/.test(jurisdiction)) problems.push('jurisdiction: must be a 2-digit province code');
  const params = doc.parameters;
  const parameters = new Map<ParameterName, ParameterDefinition>();
  if (!isRecord(params)) {
    problems.push('parameters: must be a mapping of parameter names');
  } else {
    for (const [key, def] of Object.entries(params)) {
      const name = specByKey.get(key);
      const at = `parameters.${key}`;
      if (!name) {
        problems.push(`${at}: unknown parameter`);
        continue;
      }
      if (!isRecord(def)) {
        problems.push(`${at}: must be a mapping with label, kind, source and values`);
        continue;
      }
      const spec = PARAMETER_SPECS[name];
      if (def.kind !== spec.kind) problems.push(`${at}.kind: must be "${spec.kind}"`);
      if (typeof def.label !== 'string' || def.label === '') problems.push(`${at}.label: must be a non-empty string`);
      if (typeof def.source !== 'string' || def.source === '') problems.push(`${at}.source: must cite a policy source or say it is a local choice`);
      if (!isRecord(def.values) || Object.keys(def.values).length === 0) {
        problems.push(`${at}.values: must map region codes to dated values`);
        continue;
      }
      const byRegion = new Map<string, DatedValue[]>();
      for (const [region, dated] of Object.entries(def.values)) {
        const rat = `${at}.values.${region}`;
        if (!/^(\d{2}|\d{4}|\d{6})$/.test(region)) {
          problems.push(`${rat}: region must be a province (2), city (4) or county (6) code`);
          continue;
        }
        if (typeof jurisdiction === 'string' && !region.startsWith(jurisdiction)) {
          problems.push(`${rat}: region is outside jurisdiction ${jurisdiction}`);
          continue;
        }
        if (!options.isKnownRegion(region)) {
          problems.push(`${rat}: unknown region code`);
          continue;
        }
        if (!isRecord(dated) || Object.keys(dated).length === 0) {
          problems.push(`${rat}: must map effective dates (YYYY-MM-DD) to values`);
          continue;
        }
        const list: DatedValue[] = [];
        for (const [date, raw] of Object.entries(dated)) {
          if (!isIsoDate(date)) {
            problems.push(`${rat}.${date}: not a calendar date (YYYY-MM-DD)`);
            continue;
          }
          const value = convertValue(name, raw, `${rat}.${date}`, problems);
          if (value !== undefined) list.push({ effectiveFrom: date, day: dayNumber(date), value });
        }
        list.sort((a, b) => a.day - b.day);
        byRegion.set(region, list);
      }
      if (typeof jurisdiction === 'string' && !byRegion.has(jurisdiction)) {
        problems.push(`${at}.values: needs a province default under "${jurisdiction}"`);
      }
      parameters.set(name, {
        name,
        key,
        kind: spec.kind,
        label: typeof def.label === 'string' ? def.label : key,
        source: typeof def.source === 'string' ? def.source : '',
        byRegion,
      });
    }
    for (const name of Object.keys(PARAMETER_SPECS) as ParameterName[]) {
      if (!parameters.has(name)) problems.push(`parameters.${PARAMETER_SPECS[name].key}: missing`);
    }
  }
  if (problems.length > 0) throw new PolicyValidationError(problems);
  return { version: version as string, jurisdiction: jurisdiction as string, parameters };
}

/** Parses and validates policy YAML text. */
export function parsePolicyYaml(text: string, options: PolicyParseOptions): PolicyBook {
  let doc: unknown;
  try {
    doc = parseYaml(text);
  } catch (e) {
    throw new PolicyValidationError([`(yaml): ${e instanceof Error ? e.message.split('\n')[0] : 'cannot parse'}`]);
  }
  return validatePolicyDocument(doc, options);
}

/** The region chain a parameter lookup walks, most specific first: county, city, province. */
export function policyRegionChain(regionCode: string): string[] {
  const chain: string[] = [];
  for (const len of [6, 4, 2]) if (regionCode.length >= len) chain.push(regionCode.slice(0, len));
  return chain;
}

/**
 * The parameters that applied in `regionCode` (any level; villages and townships inherit from
 * their county) on `date`. Throws when a parameter had no value yet on that date.
 */
export function parametersAt(book: PolicyBook, regionCode: string, date: string): ResolvedParameters {
  const day = dayNumber(date);
  const chain = policyRegionChain(regionCode);
  const values: Partial<Record<ParameterName, ParameterValue>> = {};
  const sources: Partial<Record<ParameterName, ParameterSource>> = {};
  for (const [name, def] of book.parameters) {
    let found: DatedValue | undefined;
    let foundRegion = '';
    for (const code of chain) {
      const list = def.byRegion.get(code);
      if (!list) continue;
      for (let i = list.length - 1; i >= 0; i--) {
        const v = list[i]!;
        if (v.day <= day) {
          found = v;
          break;
        }
      }
      if (found) {
        foundRegion = code;
        break;
      }
    }
    if (!found) throw new RangeError(`parameter ${def.key} has no value in force on ${date} for region ${regionCode}`);
    values[name] = found.value;
    sources[name] = { regionCode: foundRegion, effectiveFrom: found.effectiveFrom };
  }
  return {
    version: book.version,
    regionCode,
    date,
    values: values as PolicyParameters,
    sources: sources as Record<ParameterName, ParameterSource>,
  };
}

/** A key that identifies a resolved parameter set, so households sharing one can be batched. */
export function resolvedKey(r: ResolvedParameters): string {
  return (Object.keys(r.sources) as ParameterName[])
    .map((n) => `${r.sources[n].regionCode}@${r.sources[n].effectiveFrom}`)
    .join('|');
}

/** The policy book as plain JSON (for storage in the database); `validatePolicyDocument` reads it back. */
export function policyBookToDocument(book: PolicyBook): Record<string, unknown> {
  const parameters: Record<string, unknown> = {};
  for (const def of book.parameters.values()) {
    const values: Record<string, Record<string, unknown>> = {};
    for (const [region, list] of def.byRegion) {
      values[region] = Object.fromEntries(
        list.map((v) => [v.effectiveFrom, def.kind === 'money' ? (v.value as number) / 100 : v.value]),
      );
    }
    parameters[def.key] = { label: def.label, kind: def.kind, source: def.source, values };
  }
  return { version: book.version, jurisdiction: book.jurisdiction, parameters };
}
