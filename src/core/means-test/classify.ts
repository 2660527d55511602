/**
 * Step two of the means test: classify a household into an assistance tier, with a trace of every
 * rule checked, the numbers it used and the parameter (version, region, effective date) behind it.
 *
 * Order of tiers (each later tier applies only when the earlier ones do not):
 * extreme poverty 特困 → dibao 低保 → marginal 低边 → rigid-expenditure hardship 刚性支出困难
 * → income uplift 提低 → none. Temporary-assistance flags 临时救助 are independent of the tier.
 */
import type { EmergencyKind, Household } from '../household/household.js';
import type { ParameterName, ResolvedParameters } from '../policy/parameters.js';
import { computeFacts, type HouseholdFacts } from './facts.js';
import { deriveThresholds, roundDiv, type Thresholds } from './thresholds.js';

export const CATEGORIES = ['none', 'extreme_poverty', 'dibao', 'marginal', 'rigid_expenditure', 'income_uplift'] as const;
export type Category = (typeof CATEGORIES)[number];
export const TEMPORARY_FLAGS = ['emergency', 'sudden_expenditure'] as const;
export type TemporaryFlag = (typeof TEMPORARY_FLAGS)[number];

export type RuleId =
  | 'household.members'
  | 'assets.monetary'
  | 'assets.vehicles'
  | 'assets.commercial_property'
  | 'assets.housing'
  | 'extreme.no_labour_capacity'
  | 'extreme.no_able_supporter'
  | 'dibao.income_below_standard'
  | 'marginal.income_below_line'
  | 'marginal.monetary_assets'
  | 'rigid.income_below_disposable'
  | 'rigid.expenditure_ratio'
  | 'rigid.medical_ratio'
  | 'uplift.income_below_ceiling'
  | 'temporary.emergency'
  | 'temporary.sudden_expenditure';

export interface ParameterRef {
  name: ParameterName;
  value: number | boolean | readonly string[];
  regionCode: string;
  effectiveFrom: string;
}

export interface TraceStep {
  rule: RuleId;
  passed: boolean;
  /** The check as a sentence a social worker can read to the family. */
  text: { zh: string; en: string };
  /** The numbers the rule used (money in fen). */
  values: Record<string, number | boolean | string>;
  parameters: ParameterRef[];
}

export interface Classification {
  asOf: string;
  category: Category;
  flags: TemporaryFlag[];
  /** Monthly payment in fen: the dibao gap × members, or the extreme-poverty support; 0 otherwise. */
  paymentFen: number;
  perCapitaMonthlyIncomeFen: number;
  parameterVersion: string;
  facts: HouseholdFacts;
  trace: TraceStep[];
}

/** Formats integer fen as yuan with two decimals, e.g. 81240 → "812.40". */
export function formatYuan(fen: number): string {
  const sign = fen < 0 ? '-' : '';
  const a = Math.abs(Math.round(fen));
  return `${sign}${Math.floor(a / 100)}.${String(a % 100).padStart(2, '0')}`;
}

const tick = (ok: boolean): string => (ok ? '✓' : '✗');
const EMERGENCY_NAMES: Record<EmergencyKind, { zh: string; en: string }> = {
  fire: { zh: '火灾', en: 'fire' },
  accident: { zh: '意外事故', en: 'accident' },
  sudden_illness: { zh: '突发重病', en: 'sudden serious illness' },
  natural_disaster: { zh: '自然灾害', en: 'natural disaster' },
  death_of_earner: { zh: '主要劳动力死亡', en: 'death of an earner' },
};
const pct = (bpValue: number): string => `${(bpValue / 100).toFixed(bpValue % 100 === 0 ? 0 : 2)}%`;
/** A ratio of two amounts in percent for display; "∞" when the base is zero. */
const ratioPct = (num: number, den: number): string => (den === 0 ? (num === 0 ? '0%' : '∞') : `${((num * 100) / den).toFixed(1)}%`);

/** Classifies one household on `asOf` under the parameters resolved for its region and that date. */
export function classifyHousehold(h: Household, params: ResolvedParameters, asOf: string): Classification {
  return classifyFacts(computeFacts(h, params.values, asOf), params);
}

/** Classifies precomputed facts; the trace names every rule, the numbers and the parameters. */
export function classifyFacts(f: HouseholdFacts, params: ResolvedParameters): Classification {
  const t: Thresholds = deriveThresholds(params.values);
  const ref = (...names: ParameterName[]): ParameterRef[] =>
    names.map((name) => ({ name, value: params.values[name], ...params.sources[name] }));
  const trace: TraceStep[] = [];
  const step = (rule: RuleId, passed: boolean, zh: string, en: string, values: TraceStep['values'], parameters: ParameterRef[]): boolean => {
    trace.push({ rule, passed, text: { zh: `${zh} ${tick(passed)}`, en: `${en} ${tick(passed)}` }, values, parameters });
    return passed;
  };

  const n = f.members;
  const months = f.referenceMonths;
  const income = f.householdIncomeFen;
  const perCapita = n > 0 ? roundDiv(income, months * n) : 0;
  const pcText = formatYuan(perCapita);
  const hasMembers = step('household.members', n > 0, `在册成员 ${n} 人 ≥ 1`, `living members ${n} ≥ 1`, { members: n }, []);

  // Asset tests (浙江省最低生活保障办法 2015; limits are parameters).
  const assetLimit = f.hasVulnerableMember ? t.assetLimitVulnerableFen : t.assetLimitFen;
  const assetsPc = n > 0 ? roundDiv(f.monetaryAssetsFen, n) : f.monetaryAssetsFen;
  const monetaryOk = step(
    'assets.monetary',
    f.monetaryAssetsFen < assetLimit * Math.max(n, 1),
    `人均货币财产 ${formatYuan(assetsPc)} 元 < 上限 ${formatYuan(assetLimit)} 元（低保标准 × ${f.hasVulnerableMember ? params.values.monetaryAssetLimitYearsVulnerable : params.values.monetaryAssetLimitYears} 年）`,
    `monetary assets per person ${formatYuan(assetsPc)} yuan < limit ${formatYuan(assetLimit)} yuan`,
    { monetaryAssetsFen: f.monetaryAssetsFen, perCapitaFen: assetsPc, limitPerCapitaFen: assetLimit, vulnerable: f.hasVulnerableMember },
    ref('dibaoStandardFen', f.hasVulnerableMember ? 'monetaryAssetLimitYearsVulnerable' : 'monetaryAssetLimitYears'),
  );
  const vehiclesOk = step(
    'assets.vehicles',
    t.vehiclesAllowed || f.countedVehicles === 0,
    `机动车辆、船舶（不含残疾人代步车）${f.countedVehicles} 辆${t.vehiclesAllowed ? '（政策允许）' : ' = 0'}`,
    `vehicles and boats (disability vehicles exempt): ${f.countedVehicles}${t.vehiclesAllowed ? ' (allowed)' : ' = 0'}`,
    { countedVehicles: f.countedVehicles },
    ref('vehiclesAllowed', 'disabilityVehicleExempt'),
  );
  const commercialOk = step(
    'assets.commercial_property',
    t.commercialPropertyAllowed || f.commercialProperties === 0,
    `经营性房产 ${f.commercialProperties} 处${t.commercialPropertyAllowed ? '（政策允许）' : ' = 0'}`,
    `commercial properties: ${f.commercialProperties}${t.commercialPropertyAllowed ? ' (allowed)' : ' = 0'}`,
    { commercialProperties: f.commercialProperties },
    ref('commercialPropertyAllowed'),
  );
  const floorOk = t.maxFloorAreaPerCapitaM2 === 0 || f.floorAreaM2 <= t.maxFloorAreaPerCapitaM2 * Math.max(n, 1);
  const housingOk = step(
    'assets.housing',
    f.residences <= t.maxResidences && floorOk,
    `住房 ${f.residences} 套 ≤ ${t.maxResidences} 套` +
      (t.maxFloorAreaPerCapitaM2 > 0 ? `，人均面积 ${(f.floorAreaM2 / Math.max(n, 1)).toFixed(1)} ㎡ ≤ ${t.maxFloorAreaPerCapitaM2} ㎡` : ''),
    `residences ${f.residences} ≤ ${t.maxResidences}` +
      (t.maxFloorAreaPerCapitaM2 > 0 ? `, floor area per person ${(f.floorAreaM2 / Math.max(n, 1)).toFixed(1)} m² ≤ ${t.maxFloorAreaPerCapitaM2} m²` : ''),
    { residences: f.residences, floorAreaM2: f.floorAreaM2 },
    ref('maxResidences', 'maxFloorAreaPerCapitaM2'),
  );
  const otherAssetsOk = vehiclesOk && commercialOk && housingOk;

  // Extreme poverty (《特困人员认定办法》2021): no labour capacity, no able supporter, income below the standard.
  const noLabour = step(
    'extreme.no_labour_capacity',
    n > 0 && f.membersWithoutLabourCapacity === n,
    `无劳动能力成员 ${f.membersWithoutLabourCapacity} 人 = 全部 ${n} 人`,
    `members without labour capacity ${f.membersWithoutLabourCapacity} = all ${n}`,
    { membersWithoutLabourCapacity: f.membersWithoutLabourCapacity, members: n },
    ref('elderlyAge', 'minorAge', 'severeDisabilityMaxGrade'),
  );
  const noSupporter = step(
    'extreme.no_able_supporter',
    !f.hasAbleSupporter,
    f.hasAbleSupporter ? '有具备赡养、抚养、扶养能力的法定义务人' : '无具备赡养、抚养、扶养能力的法定义务人',
    f.hasAbleSupporter ? 'has a legal supporter able to support' : 'no legal supporter able to support',
    { hasAbleSupporter: f.hasAbleSupporter },
    [],
  );

  // Dibao (最低生活保障): per-capita monthly income below the standard (strictly).
  const belowStandard = step(
    'dibao.income_below_standard',
    n > 0 && income < t.standardFen * months * n,
    `人均月收入 ${pcText} 元 < 低保标准 ${formatYuan(t.standardFen)} 元`,
    `income per person per month ${pcText} yuan < dibao standard ${formatYuan(t.standardFen)} yuan`,
    { householdIncomeFen: income, referenceMonths: months, members: n, perCapitaMonthlyIncomeFen: perCapita, standardFen: t.standardFen },
    ref('dibaoStandardFen', 'incomeReferenceMonths', 'incomeExclusions', 'incomeDeductions'),
  );

  // Marginal (低保边缘): below multiplier × standard, assets within the marginal limit.
  const belowLine = step(
    'marginal.income_below_line',
    n > 0 && income < t.marginalLineFen * months * n,
    `人均月收入 ${pcText} 元 < 低边标准 ${formatYuan(t.marginalLineFen)} 元（低保标准 × ${params.values.marginalMultiplier}）`,
    `income per person per month ${pcText} yuan < marginal line ${formatYuan(t.marginalLineFen)} yuan (standard × ${params.values.marginalMultiplier})`,
    { perCapitaMonthlyIncomeFen: perCapita, marginalLineFen: t.marginalLineFen },
    ref('dibaoStandardFen', 'marginalMultiplier'),
  );
  const marginalAssetsOk = step(
    'marginal.monetary_assets',
    f.monetaryAssetsFen < t.marginalAssetLimitFen * Math.max(n, 1),
    `人均货币财产 ${formatYuan(assetsPc)} 元 < 低边上限 ${formatYuan(t.marginalAssetLimitFen)} 元（低边标准 × ${params.values.marginalAssetLimitYears} 年）`,
    `monetary assets per person ${formatYuan(assetsPc)} yuan < marginal limit ${formatYuan(t.marginalAssetLimitFen)} yuan`,
    { perCapitaFen: assetsPc, limitPerCapitaFen: t.marginalAssetLimitFen },
    ref('marginalAssetLimitYears', 'marginalMultiplier'),
  );

  // Rigid-expenditure hardship (支出型困难): income below last year's disposable income and rigid spending above a share of income.
  const annualPc = n > 0 ? roundDiv(income * 12, months * n) : 0;
  const belowDisposable = step(
    'rigid.income_below_disposable',
    n > 0 && income * 12 < t.disposableIncomePerCapitaFen * months * n,
    `人均年收入 ${formatYuan(annualPc)} 元 < 上年度人均可支配收入 ${formatYuan(t.disposableIncomePerCapitaFen)} 元`,
    `income per person per year ${formatYuan(annualPc)} yuan < last year's disposable income per person ${formatYuan(t.disposableIncomePerCapitaFen)} yuan`,
    { perCapitaAnnualIncomeFen: annualPc, disposableIncomePerCapitaFen: t.disposableIncomePerCapitaFen },
    ref('disposableIncomePerCapitaFen'),
  );
  const rigidRatio = step(
    'rigid.expenditure_ratio',
    f.rigidExpenditureFen * 10_000 > t.rigidRatioBp * income,
    `医疗、教育、康复、意外支出 ${formatYuan(f.rigidExpenditureFen)} 元 占家庭收入 ${formatYuan(income)} 元 的 ${ratioPct(f.rigidExpenditureFen, income)} > ${pct(t.rigidRatioBp)}`,
    `medical, education, rehabilitation and accident spending ${formatYuan(f.rigidExpenditureFen)} yuan is ${ratioPct(f.rigidExpenditureFen, income)} of income ${formatYuan(income)} yuan > ${pct(t.rigidRatioBp)}`,
    { rigidExpenditureFen: f.rigidExpenditureFen, householdIncomeFen: income, ratioBp: t.rigidRatioBp },
    ref('rigidExpenditureRatio'),
  );
  const medicalRatio = step(
    'rigid.medical_ratio',
    f.medicalAccidentFen * 10_000 > t.rigidMedicalRatioBp * income,
    `医疗和意外支出 ${formatYuan(f.medicalAccidentFen)} 元 占家庭收入的 ${ratioPct(f.medicalAccidentFen, income)} > ${pct(t.rigidMedicalRatioBp)}`,
    `medical and accident spending ${formatYuan(f.medicalAccidentFen)} yuan is ${ratioPct(f.medicalAccidentFen, income)} of income > ${pct(t.rigidMedicalRatioBp)}`,
    { medicalAccidentFen: f.medicalAccidentFen, householdIncomeFen: income, ratioBp: t.rigidMedicalRatioBp },
    ref('rigidMedicalRatio'),
  );

  // Income uplift (提低): above the marginal line, household income under the ceiling per year.
  const annualHousehold = roundDiv(income * 12, months);
  const belowCeiling = step(
    'uplift.income_below_ceiling',
    income * 12 < t.upliftCeilingFen * months,
    `家庭年收入 ${formatYuan(annualHousehold)} 元 < 提低上限 ${formatYuan(t.upliftCeilingFen)} 元`,
    `household income per year ${formatYuan(annualHousehold)} yuan < income-uplift ceiling ${formatYuan(t.upliftCeilingFen)} yuan`,
    { annualHouseholdIncomeFen: annualHousehold, ceilingFen: t.upliftCeilingFen },
    ref('incomeUpliftCeilingFen'),
  );

  // Temporary assistance (临时救助): a recent emergency, or recent rigid spending beyond what income can bear.
  const emergency = step(
    'temporary.emergency',
    f.recentEmergencies.length > 0,
    f.recentEmergencies.length > 0 ? `近 ${params.values.temporaryEventWindowDays} 天内发生急难事件：${f.recentEmergencies.map((k) => EMERGENCY_NAMES[k].zh).join('、')}` : `近 ${params.values.temporaryEventWindowDays} 天内无急难事件`,
    f.recentEmergencies.length > 0 ? `emergency in the last ${params.values.temporaryEventWindowDays} days: ${f.recentEmergencies.map((k) => EMERGENCY_NAMES[k].en).join(', ')}` : `no emergency in the last ${params.values.temporaryEventWindowDays} days`,
    { events: f.recentEmergencies.join(',') },
    ref('temporaryEventWindowDays'),
  );
  const sudden = step(
    'temporary.sudden_expenditure',
    f.recentRigidExpenditureFen > 0 && f.recentRigidExpenditureFen * 10_000 > t.temporaryExpenditureRatioBp * f.recentIncomeFen,
    `近 ${params.values.temporaryExpenditureMonths} 个月刚性支出 ${formatYuan(f.recentRigidExpenditureFen)} 元 > 同期收入 ${formatYuan(f.recentIncomeFen)} 元 × ${params.values.temporaryExpenditureRatio}`,
    `rigid spending in the last ${params.values.temporaryExpenditureMonths} months ${formatYuan(f.recentRigidExpenditureFen)} yuan > income ${formatYuan(f.recentIncomeFen)} yuan × ${params.values.temporaryExpenditureRatio}`,
    { recentRigidExpenditureFen: f.recentRigidExpenditureFen, recentIncomeFen: f.recentIncomeFen },
    ref('temporaryExpenditureMonths', 'temporaryExpenditureRatio'),
  );

  const dibaoAssetsOk = monetaryOk && otherAssetsOk;
  let category: Category = 'none';
  let paymentFen = 0;
  if (hasMembers && noLabour && noSupporter && belowStandard && dibaoAssetsOk) {
    category = 'extreme_poverty';
    paymentFen = t.extremeSupportPerPersonFen * n;
  } else if (hasMembers && belowStandard && dibaoAssetsOk) {
    category = 'dibao';
    paymentFen = (t.standardFen - perCapita) * n;
  } else if (hasMembers && belowLine && marginalAssetsOk && otherAssetsOk) {
    category = 'marginal';
  } else if (hasMembers && belowDisposable && (rigidRatio || medicalRatio)) {
    category = 'rigid_expenditure';
  } else if (hasMembers && !belowLine && belowCeiling) {
    category = 'income_uplift';
  }
  const flags: TemporaryFlag[] = [];
  if (emergency) flags.push('emergency');
  if (sudden) flags.push('sudden_expenditure');

  return {
    asOf: f.asOf,
    category,
    flags,
    paymentFen,
    perCapitaMonthlyIncomeFen: perCapita,
    parameterVersion: params.version,
    facts: f,
    trace,
  };
}
