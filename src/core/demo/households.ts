/**
 * Seeded, reproducible generator of a synthetic Zhejiang low-income-monitoring population: the
 * registry's Household objects (members, incomes, assets, expenditures, emergencies), streamed
 * one at a time. Every figure it uses is in calibration.ts and explained in docs/demo-data.md.
 *
 * Pure: the seed supplies all randomness and the as-of date all time; nothing is read or written.
 */
import { isIsoDate } from '../dates/dates.js';
import type {
  AssetKind,
  AssetRecord,
  DisabilityGrade,
  EmergencyEvent,
  EmergencyKind,
  ExpenditureCategory,
  ExpenditureRecord,
  Household,
  IncomeCategory,
  IncomeRecord,
  LabourCapacity,
  Member,
  Relation,
  Schooling,
  SourceDepartment,
} from '../household/household.js';
import { makeResidentId } from '../ids/index.js';
import {
  ARCHETYPE_MIX,
  ARCHETYPES,
  type Archetype,
  BACKGROUND_HEALTH,
  COUNTY_EVEN_SHARE,
  DEFAULT_MEANS_TEST,
  EMERGENCY_SHARE,
  EMERGENCY_WINDOW_DAYS,
  MAX_AGE,
  MOUNTAIN_COUNTY_MULTIPLIER,
  RESIDENCE_ELSEWHERE_SHARE,
  TARGET_TIERS,
  type TargetTier,
  TIER_SHARES,
  UPLIFT_MAX_SIZE,
} from './calibration.js';
import { drawGivenName, drawSurname } from './names.js';
import { type DemoVillage, VILLAGE_KIND_WEIGHT, villageKind } from './regions.js';
import { createRng, type Rng, WeightedTable } from './rng.js';
import { seededUuidV7 } from './uuid.js';
import { Calendar, type Period } from './calendar.js';
import { SequenceAllocator } from './sequences.js';

/** Options of generateHouseholds. Means-test parameters default to DEFAULT_MEANS_TEST. */
export interface GenerateHouseholdsOptions {
  seed: number;
  /** How many households to yield. */
  households: number;
  /** Reference date YYYY-MM-DD: ages, the 12-month income window and emergencies are relative to it. */
  asOf: string;
  /** Villages to place households in (see villagesForDemo); at least one. */
  villages: readonly DemoVillage[];
  /** Dibao standard per person per month, in fen (default 114,900). */
  dibaoStandardFen?: number;
  /** Marginal line as a multiple of the standard (default 2). */
  marginalMultiplier?: number;
  /** Per-capita disposable income per year used by the rigid-expenditure tier, in fen (default 6,383,000). */
  disposableIncomePerCapitaFen?: number;
  /** Household annual income ceiling of the income-uplift tier, in fen (default 10,000,000). */
  incomeUpliftCeilingFen?: number;
}

/** A generated household with the latent tier and composition it was built to realise. */
export interface LabelledHousehold {
  household: Household;
  targetTier: TargetTier;
  archetype: Archetype;
}

const YUAN = 100;
const MOBILE_SECOND_DIGITS = ['3', '5', '7', '8', '9'] as const;
/** Income records: which period layout a source uses (see Calendar). */
type Pattern = 'monthly' | 'yearly' | 'straddle';

interface County {
  code: string;
  index: number;
  mountain: boolean;
  villages: readonly string[];
  villageTable: WeightedTable<string>;
}

/** A member before dates, IDs and names are assigned. */
interface Draft {
  relation: Relation;
  male: boolean;
  age: number;
  grade: DisabilityGrade;
  ill: boolean;
  /** Health fixed by the composition (e.g. the disabled member); background draws leave it alone. */
  designated: boolean;
  /** Takes the head's surname (children, the head's father) rather than drawing one. */
  headSurname: boolean;
}

/** A materialised member with the derived facts the income and expenditure drafts need. */
interface Person {
  member: Member;
  age: number;
  capacity: LabourCapacity;
  student: boolean;
}

const HIGH_INCOME_NONE_SHARE = 0.55;

/**
 * Labour capacity from age and disability: none for grade 1–2, under 16 or 70 and over; partial
 * for 60–69 or grade 3–4; full otherwise.
 */
export function labourCapacityFor(age: number, grade: DisabilityGrade): LabourCapacity {
  if (grade === 1 || grade === 2) return 'none';
  if (age < 16 || age >= 70) return 'none';
  if (age >= 60 || grade >= 3) return 'partial';
  return 'full';
}

const SCHOOLING_BY_AGE: readonly { maxAge: number; table: WeightedTable<Schooling> }[] = [
  { maxAge: 2, table: new WeightedTable<Schooling>([['none', 1]]) },
  { maxAge: 5, table: new WeightedTable<Schooling>([['preschool', 9], ['none', 1]]) },
  { maxAge: 11, table: new WeightedTable<Schooling>([['primary', 1]]) },
  { maxAge: 14, table: new WeightedTable<Schooling>([['junior', 1]]) },
  { maxAge: 17, table: new WeightedTable<Schooling>([['senior', 60], ['vocational', 35], ['junior', 5]]) },
  { maxAge: 22, table: new WeightedTable<Schooling>([['college', 35], ['vocational', 20], ['senior', 25], ['junior', 20]]) },
  { maxAge: 39, table: new WeightedTable<Schooling>([['primary', 5], ['junior', 30], ['senior', 25], ['vocational', 20], ['college', 20]]) },
  { maxAge: 59, table: new WeightedTable<Schooling>([['none', 2], ['primary', 20], ['junior', 50], ['senior', 18], ['vocational', 7], ['college', 3]]) },
  { maxAge: 74, table: new WeightedTable<Schooling>([['none', 15], ['primary', 50], ['junior', 28], ['senior', 7]]) },
  { maxAge: Infinity, table: new WeightedTable<Schooling>([['none', 45], ['primary', 45], ['junior', 9], ['senior', 1]]) },
];

/**
 * Schooling consistent with age: the current stage for children and students, the highest level
 * reached for adults (older cohorts had less schooling). Children with a grade 1 disability are
 * sometimes out of school.
 */
function drawSchooling(rng: Rng, age: number, grade: DisabilityGrade): { schooling: Schooling; student: boolean } {
  if (grade === 1 && age >= 6 && age <= 17 && rng.chance(0.3)) return { schooling: 'none', student: false };
  const band = SCHOOLING_BY_AGE.find((b) => age <= b.maxAge)!;
  const schooling = band.table.pick(rng);
  // 15–17-year-olds in senior/vocational school are students; 18–22 only when in college or vocational school.
  const student =
    (age >= 15 && age <= 17 && schooling !== 'junior') || (age >= 18 && age <= 22 && (schooling === 'college' || schooling === 'vocational'));
  return { schooling, student };
}

const DISABILITY_GRADES_BACKGROUND = new WeightedTable<DisabilityGrade>([[1, 10], [2, 20], [3, 30], [4, 40]]);
const DISABILITY_GRADES_SEVERE_SKEW = new WeightedTable<DisabilityGrade>([[1, 30], [2, 40], [3, 18], [4, 12]]);
/** How an asset-rich 'none' household fails the asset tests. */
const ASSET_TEST_FAILURES = new WeightedTable<'deposits' | 'vehicle' | 'commercial' | 'second_residence'>([
  ['deposits', 45],
  ['vehicle', 30],
  ['commercial', 15],
  ['second_residence', 10],
]);
const ONE_TO_THREE_CHILDREN = new WeightedTable([[1, 55], [2, 37], [3, 8]] as const);
const ZERO_TO_THREE_CHILDREN = new WeightedTable([[0, 20], [1, 45], [2, 30], [3, 5]] as const);
const GRANDCHILDREN = new WeightedTable([[1, 60], [2, 35], [3, 5]] as const);
const EMERGENCY_KINDS_TABLE = new WeightedTable<EmergencyKind>([
  ['sudden_illness', 35],
  ['accident', 25],
  ['death_of_earner', 18],
  ['fire', 12],
  ['natural_disaster', 10],
]);

/** The run: setup shared by all households plus the single random stream. */
class PopulationGenerator {
  private readonly rng: Rng;
  private readonly cal: Calendar;
  private readonly counties: County[];
  private readonly countyTable: WeightedTable<County>;
  private readonly tierTable: WeightedTable<TargetTier>;
  private readonly archetypeTables: Record<TargetTier, WeightedTable<Archetype>>;
  private readonly sequences: SequenceAllocator;
  private readonly baseMs: number;
  private readonly annualStandard: number;
  private readonly annualMarginal: number;
  private readonly disposable: number;
  private readonly upliftCeiling: number;
  private readonly marginalMultiplier: number;
  private readonly standard: number;

  constructor(options: GenerateHouseholdsOptions) {
    this.rng = createRng(options.seed);
    this.cal = new Calendar(options.asOf);
    this.standard = options.dibaoStandardFen ?? DEFAULT_MEANS_TEST.dibaoStandardFen;
    this.marginalMultiplier = options.marginalMultiplier ?? DEFAULT_MEANS_TEST.marginalMultiplier;
    this.annualStandard = this.standard * 12;
    this.annualMarginal = this.annualStandard * this.marginalMultiplier;
    this.disposable = options.disposableIncomePerCapitaFen ?? DEFAULT_MEANS_TEST.disposableIncomePerCapitaFen;
    this.upliftCeiling = options.incomeUpliftCeilingFen ?? DEFAULT_MEANS_TEST.incomeUpliftCeilingFen;
    this.baseMs = this.cal.asOfDay * 86_400_000;
    this.sequences = new SequenceAllocator(this.cal.minDay, this.cal.asOfDay);
    this.counties = buildCounties(options.villages);
    this.countyTable = countyWeights(this.counties);
    this.tierTable = new WeightedTable(TARGET_TIERS.map((t) => [t, TIER_SHARES[t]] as const));
    const tables = {} as Record<TargetTier, WeightedTable<Archetype>>;
    for (const tier of TARGET_TIERS) {
      tables[tier] = new WeightedTable(ARCHETYPES.map((a) => [a, ARCHETYPE_MIX[tier][a] ?? 0] as const));
    }
    this.archetypeTables = tables;
  }

  /** The index-th household of the run (households must be requested in order 0, 1, 2, …). */
  next(index: number): LabelledHousehold {
    const rng = this.rng;
    const ts = this.baseMs + index;
    const targetTier = this.tierTable.pick(rng);
    const archetype = this.archetypeTables[targetTier].pick(rng);
    const county = this.countyTable.pick(rng);
    const regionCode = county.villageTable.pick(rng);
    let residenceRegionCode: string | null = null;
    if (county.villages.length > 1 && rng.chance(RESIDENCE_ELSEWHERE_SHARE)) {
      const other = rng.pick(county.villages);
      if (other !== regionCode) residenceRegionCode = other;
    }

    const extreme = targetTier === 'extreme_poverty';
    let drafts = buildDrafts(rng, archetype, extreme);
    if (targetTier === 'income_uplift' && drafts.length > UPLIFT_MAX_SIZE) drafts = drafts.slice(0, UPLIFT_MAX_SIZE);
    this.backgroundHealth(drafts, extreme);
    if (targetTier === 'rigid_expenditure' && !drafts.some((d) => d.ill || (d.grade > 0 && d.grade <= 2))) {
      // Rigid-expenditure hardship needs someone whose care costs money.
      rng.pick(drafts).ill = true;
    }

    const persons = this.materialise(drafts, county, ts);
    const allNone = persons.every((p) => p.capacity === 'none');
    // 特困 requires no able supporter; the other tiers mostly have one (and must, when nobody in
    // the household can work, or they would be extreme poverty instead).
    const hasAbleSupporter = extreme ? rng.chance(0.08) : allNone ? rng.chance(0.97) : rng.chance(0.8);
    const noneKind: 'high_income' | 'assets' | null =
      targetTier !== 'none'
        ? null
        : rng.chance(archetype === 'elderly_alone' || archetype === 'elderly_couple' ? 0.25 : HIGH_INCOME_NONE_SHARE)
          ? 'high_income'
          : 'assets';
    const annualIncome = this.targetIncome(targetTier, persons.length, noneKind);
    const incomes = this.incomes(persons, targetTier, annualIncome, hasAbleSupporter, ts);
    const assets = this.assets(persons, targetTier, noneKind, regionCode, ts);
    const expenditures: ExpenditureRecord[] = [];
    this.expenditures(expenditures, persons, targetTier, annualIncome, ts);
    const emergencies: EmergencyEvent[] = [];
    if (rng.chance(EMERGENCY_SHARE)) this.emergency(emergencies, expenditures, persons, ts);

    const household: Household = {
      id: seededUuidV7(rng, ts),
      regionCode,
      residenceRegionCode,
      hasAbleSupporter,
      members: persons.map((p) => p.member),
      incomes,
      assets,
      expenditures,
      emergencies,
    };
    return { household, targetTier, archetype };
  }

  private backgroundHealth(drafts: Draft[], extreme: boolean): void {
    const rng = this.rng;
    for (const d of drafts) {
      if (d.designated) continue;
      const rates = d.age < 16 ? BACKGROUND_HEALTH.child : d.age < 60 ? BACKGROUND_HEALTH.adult : d.age < 70 ? BACKGROUND_HEALTH.youngOld : BACKGROUND_HEALTH.old;
      // Extreme-poverty members are already without labour capacity; a mild background grade
      // for a working-age member would give them some, so extreme drafts only get severe grades.
      if (rng.chance(rates.disability)) d.grade = extreme && d.age >= 16 && d.age < 70 ? (rng.chance(0.4) ? 1 : 2) : DISABILITY_GRADES_BACKGROUND.pick(rng);
      if (rng.chance(rates.illness)) d.ill = true;
    }
  }

  private materialise(drafts: readonly Draft[], county: County, ts: number): Person[] {
    const rng = this.rng;
    const cal = this.cal;
    const headSurname = drawSurname(rng);
    const persons: Person[] = [];
    for (const d of drafts) {
      const low = cal.bandLow[d.age]!;
      const high = cal.bandHigh[d.age]!;
      const width = high - low + 1;
      let day = low + Math.floor(rng.float() * width);
      let sequence = this.sequences.next(county.index, day, d.male);
      // A full (county, day, sex) bucket means 499 namesakes by birth; move along the age band.
      for (let tries = 1; sequence < 0 && tries < width; tries++) {
        day = low + ((day - low + 1) % width);
        sequence = this.sequences.next(county.index, day, d.male);
      }
      if (sequence < 0) throw new RangeError('demo generator ran out of ID sequence numbers for one county and age');
      const birthDate = cal.day(day);
      const sex = d.male ? 'M' : 'F';
      const surname = d.headSurname || d.relation === 'head' ? headSurname : drawSurname(rng);
      const { schooling, student } = drawSchooling(rng, d.age, d.grade);
      const capacity = labourCapacityFor(d.age, d.grade);
      persons.push({
        member: {
          id: seededUuidV7(rng, ts),
          name: surname + drawGivenName(rng, sex, Number(birthDate.slice(0, 4))),
          idNumber: makeResidentId(county.code, birthDate, sequence),
          relation: d.relation,
          sex,
          birthDate,
          disabilityGrade: d.grade,
          seriousIllness: d.ill,
          labourCapacity: capacity,
          schooling,
          // Most adults have a mobile number on file (the registry's contact field).
          phone: d.age >= 18 && d.age <= 85 && rng.chance(0.8) ? `1${rng.pick(MOBILE_SECOND_DIGITS)}${String(rng.int(0, 999_999_999)).padStart(9, '0')}` : null,
        },
        age: d.age,
        capacity,
        student,
      });
    }
    return persons;
  }

  /** Counted household income over the 12-month window (fen) that realises the tier. */
  private targetIncome(tier: TargetTier, size: number, noneKind: 'high_income' | 'assets' | null): number {
    const rng = this.rng;
    const s = this.annualStandard;
    const m = this.annualMarginal;
    let perCapita: number;
    switch (tier) {
      case 'extreme_poverty':
        perCapita = s * (rng.chance(0.1) ? rng.range(0.9, 1.04) : rng.range(0.08, 0.9));
        break;
      case 'dibao':
        perCapita = s * (rng.chance(0.12) ? rng.range(0.92, 1.05) : rng.range(0.15, 0.92));
        break;
      case 'marginal': {
        const u = rng.float();
        perCapita = u < 0.08 ? s * rng.range(0.97, 1.03) : u < 0.16 ? m * rng.range(0.97, 1.03) : rng.range(s, m);
        break;
      }
      case 'rigid_expenditure': {
        const u = rng.float();
        const high = Math.max(m * 1.05, this.disposable);
        perCapita = u < 0.1 ? this.disposable * rng.range(0.96, 1.03) : u < 0.18 ? m * rng.range(0.97, 1.03) : rng.range(m, high);
        break;
      }
      case 'income_uplift': {
        const low = m * size;
        const high = this.upliftCeiling;
        if (high <= low) return Math.round(low * rng.range(1, 1.1));
        const u = rng.float();
        return Math.round(u < 0.1 ? low * rng.range(0.97, 1.04) : u < 0.2 ? high * rng.range(0.96, 1.02) : rng.range(low, high));
      }
      case 'none':
        if (noneKind === 'high_income') {
          return Math.round(Math.max(this.upliftCeiling * rng.range(1, 2.4), m * size * rng.range(1.05, 1.8)));
        }
        perCapita = s * rng.range(0.3, 4);
        break;
    }
    return Math.round(perCapita * size);
  }

  private incomes(persons: readonly Person[], tier: TargetTier, target: number, hasAbleSupporter: boolean, ts: number): IncomeRecord[] {
    const rng = this.rng;
    const out: IncomeRecord[] = [];
    const wellOff = tier === 'income_uplift' || tier === 'none';

    // Pensions first: they are what the elderly actually receive, whatever the target.
    const pensioners: Person[] = [];
    const pensions: number[] = [];
    let pensionTotal = 0;
    for (const p of persons) {
      if (p.age < 60) continue;
      const employee = rng.chance(wellOff ? 0.45 : tier === 'marginal' ? 0.08 : 0);
      const monthlyYuan = employee ? clamp(rng.lognormalMedian(2800, 0.3), 1500, 6000) : clamp(rng.lognormalMedian(330, 0.25), 200, 700);
      const annual = Math.round(monthlyYuan * YUAN) * 12;
      pensioners.push(p);
      pensions.push(annual);
      pensionTotal += annual;
    }
    const earners = persons.filter((p) => p.capacity !== 'none' && p.age >= 16 && p.age <= 64 && !p.student);
    if (pensionTotal > target && pensionTotal > 0) {
      // The target wins: pensions this high would put the household in another tier.
      const scale = (target * (earners.length > 0 ? rng.range(0.2, 0.6) : rng.range(0.55, 1))) / pensionTotal;
      pensionTotal = 0;
      for (let i = 0; i < pensions.length; i++) {
        pensions[i] = Math.round(pensions[i]! * scale);
        pensionTotal += pensions[i]!;
      }
    }
    let rest = Math.max(0, target - pensionTotal);
    if (rest > 0 && rest < 600 * YUAN && pensions.length > 0) {
      // A remainder of a few yuan a month would be an odd separate record; fold it into a pension.
      pensions[0] = pensions[0]! + rest;
      rest = 0;
    }
    for (let i = 0; i < pensioners.length; i++) {
      this.addIncome(out, ts, pensioners[i]!.member.id, 'transfer', 'basic_pension', 'hrss', pensions[i]!, rng.chance(0.4) ? 'monthly' : 'yearly');
    }

    if (rest > 0) {
      const property = Math.round(rng.chance(earners.length > 0 ? 0.15 : 0.3) ? rest * rng.range(0.03, 0.15) : 0);
      const family = Math.round(
        hasAbleSupporter ? (earners.length > 0 ? (rng.chance(0.15) ? rest * rng.range(0.05, 0.25) : 0) : (rest - property) * rng.range(0.6, 1)) : 0,
      );
      rest -= property + family;
      if (earners.length === 0) {
        // Nobody works: what is left comes from land rent and village collective dividends.
        this.addIncome(out, ts, null, 'property', 'rent_and_dividends', 'tax', property + rest, rng.chance(0.2) ? 'straddle' : 'yearly');
        rest = 0;
      } else if (property > 0) {
        this.addIncome(out, ts, null, 'property', 'rent_and_dividends', 'tax', property, rng.chance(0.2) ? 'straddle' : 'yearly');
      }
      if (family > 0) this.addIncome(out, ts, null, 'transfer', 'family_support', 'self_declared', family, rng.chance(0.4) ? 'monthly' : 'yearly');
      if (rest > 0) this.earnings(out, earners, rest, wellOff, ts);
    }

    // Excluded transfers: they appear in the data but the means test must not count them.
    for (const p of persons) {
      if (p.member.disabilityGrade === 1 || p.member.disabilityGrade === 2) {
        const monthly = Math.round((this.standard * 0.25) / YUAN) * YUAN;
        this.addIncome(out, ts, p.member.id, 'transfer', 'care_allowance', 'civil_affairs', monthly * 12, rng.chance(0.3) ? 'monthly' : 'yearly');
      }
    }
    if (rng.chance(0.03)) {
      const day = this.cal.day(this.cal.windowStartDay + rng.int(0, this.cal.windowDays - 1));
      out.push(this.income(ts, persons[0]!.member.id, 'transfer', 'one_off_award', 'civil_affairs', rng.int(5, 50) * 100 * YUAN, day, day));
    }
    return out;
  }

  /** Splits the household's earned income between its workers as wages or business income. */
  private earnings(out: IncomeRecord[], earners: readonly Person[], amount: number, wellOff: boolean, ts: number): void {
    const rng = this.rng;
    const weights = earners.map((p) => (p.capacity === 'full' ? 1 : 0.4) * rng.range(0.6, 1.4));
    const total = weights.reduce((a, b) => a + b, 0);
    let left = amount;
    for (let i = 0; i < earners.length; i++) {
      const p = earners[i]!;
      const share = i === earners.length - 1 ? left : Math.round((amount * weights[i]!) / total);
      left -= share;
      if (share <= 0) continue;
      if (p.age >= 22 && rng.chance(0.18)) {
        this.addIncome(out, ts, p.member.id, 'business', 'self_employment', 'market_regulation', share, rng.chance(0.3) ? 'straddle' : 'yearly');
        continue;
      }
      const pattern: Pattern = rng.chance(0.45) ? 'monthly' : rng.chance(0.65) ? 'yearly' : 'straddle';
      if (rng.chance(wellOff ? 0.7 : 0.4)) {
        // Formal job: the employee's social-insurance contributions (about 8–10.5 % of gross) are
        // deducted, so gross wages are grossed up to keep the counted (net) amount on target.
        const rate = rng.range(0.08, 0.105);
        const gross = Math.round(share / (1 - rate));
        this.addIncome(out, ts, p.member.id, 'wages', 'wages', 'hrss', gross, pattern);
        this.addIncome(out, ts, p.member.id, 'deduction', 'social_insurance_paid', 'hrss', gross - share, 'yearly');
      } else {
        this.addIncome(out, ts, p.member.id, 'wages', 'wages', 'hrss', share, pattern);
      }
    }
  }

  /**
   * Emits records that sum, pro-rated by days over the window, to `annual`: twelve monthly
   * records, one yearly record, or a yearly record that starts 1–6 months before the window plus
   * one for the rest of the window (its amount is set so the in-window share is exact).
   */
  private addIncome(
    out: IncomeRecord[],
    ts: number,
    memberId: string | null,
    category: IncomeCategory,
    subtype: string,
    dept: SourceDepartment,
    annual: number,
    pattern: Pattern,
  ): void {
    if (annual <= 0) return;
    const cal = this.cal;
    if (pattern === 'monthly') {
      const base = Math.floor(annual / 12);
      const extra = annual - base * 12;
      for (let m = 0; m < 12; m++) {
        const period = cal.months[m]!;
        out.push(this.income(ts, memberId, category, subtype, dept, base + (m < extra ? 1 : 0), period.start, period.end));
      }
    } else if (pattern === 'yearly') {
      out.push(this.income(ts, memberId, category, subtype, dept, annual, cal.window.start, cal.window.end));
    } else {
      const s = cal.straddles[this.rng.int(0, cal.straddles.length - 1)]!;
      const inFirst = Math.round((annual * s.firstInDays) / cal.windowDays);
      const first = Math.round((inFirst * s.firstTotalDays) / s.firstInDays);
      out.push(this.income(ts, memberId, category, subtype, dept, first, s.first.start, s.first.end));
      out.push(this.income(ts, memberId, category, subtype, dept, annual - inFirst, s.second.start, s.second.end));
    }
  }

  private income(
    ts: number,
    memberId: string | null,
    category: IncomeCategory,
    subtype: string,
    sourceDept: SourceDepartment,
    amountFen: number,
    periodStart: string,
    periodEnd: string,
  ): IncomeRecord {
    return { id: seededUuidV7(this.rng, ts), memberId, category, subtype, amountFen, periodStart, periodEnd, sourceDept };
  }

  private assets(persons: readonly Person[], tier: TargetTier, noneKind: 'high_income' | 'assets' | null, regionCode: string, ts: number): AssetRecord[] {
    const rng = this.rng;
    const out: AssetRecord[] = [];
    const size = persons.length;
    const headId = persons[0]!.member.id;
    const marginalLimitYears = DEFAULT_MEANS_TEST.marginalAssetLimitYears * this.marginalMultiplier;
    // Failing asset tests is how the asset-rich part of the 'none' tier is built.
    const fail = noneKind === 'assets' ? ASSET_TEST_FAILURES.pick(rng) : null;

    // Monetary assets per person, in years of the dibao standard.
    let years: number;
    switch (tier) {
      case 'extreme_poverty':
        years = Math.min(2, rng.lognormalMedian(0.12, 0.9));
        break;
      case 'dibao':
        years = rng.chance(0.04) ? rng.range(2.7, 3.3) : Math.min(2.4, rng.lognormalMedian(0.25, 0.9));
        break;
      case 'marginal':
        years = rng.chance(0.04) ? marginalLimitYears * rng.range(0.92, 1.08) : Math.min(marginalLimitYears * 0.85, rng.lognormalMedian(0.6, 0.9));
        break;
      case 'rigid_expenditure':
        years = Math.min(marginalLimitYears * 0.8, rng.lognormalMedian(0.8, 0.9));
        break;
      case 'income_uplift':
        years = Math.min(marginalLimitYears * 0.9, rng.lognormalMedian(1.5, 0.9));
        break;
      case 'none':
        years = fail === 'deposits' ? marginalLimitYears * rng.range(1.3, 4) : rng.lognormalMedian(noneKind === 'high_income' ? 3 : 1.5, 0.9);
        break;
    }
    const poor = tier === 'extreme_poverty' || tier === 'dibao';
    let monetary = poor && rng.chance(0.1) ? 0 : Math.round(years * this.annualStandard * size);
    const asOf = (): string => this.cal.day(this.cal.asOfDay - rng.int(1, 60));
    const push = (memberId: string | null, kind: AssetKind, valueFen: number, dept: SourceDepartment, extra?: Partial<AssetRecord>): void => {
      out.push({ id: seededUuidV7(rng, ts), memberId, kind, valueFen, floorAreaM2: null, asOf: asOf(), sourceDept: dept, ...extra });
    };
    if (monetary > 0) {
      const rich = tier === 'none';
      if (rng.chance(rich ? 0.25 : 0.03)) {
        const v = Math.round(monetary * rng.range(0.1, 0.4));
        push(headId, 'securities', v, 'bank');
        monetary -= v;
      }
      if (rng.chance(rich ? 0.2 : 0.06)) {
        const v = Math.round(monetary * rng.range(0.05, 0.3));
        push(headId, 'insurance_cash_value', v, 'bank');
        monetary -= v;
      }
      if (rng.chance(0.1)) {
        const v = Math.min(Math.round(monetary * 0.05), 2000 * YUAN);
        push(headId, 'cash', v, 'self_declared');
        monetary -= v;
      }
      // Savings are often split between two accounts (e.g. the head's and the spouse's).
      if (size > 1 && rng.chance(0.3)) {
        const v = Math.round(monetary * rng.range(0.2, 0.5));
        push(persons[1]!.member.id, 'deposit', v, 'bank');
        monetary -= v;
      }
      push(headId, 'deposit', monetary, 'bank');
    }

    // Vehicles: a car fails the dibao/marginal vehicle rule unless it is a disabled person's
    // adapted vehicle, so only the 'none' tier owns ordinary cars.
    const disabled = persons.find((p) => p.member.disabilityGrade > 0 && p.member.disabilityGrade <= 3 && p.age >= 16 && p.age <= 75);
    if (disabled !== undefined && rng.chance(0.12)) {
      push(disabled.member.id, 'vehicle', rng.int(30, 150) * 100 * YUAN, 'public_security', { isDisabilityVehicle: true });
    }
    if (fail === 'vehicle' || (noneKind === 'high_income' && rng.chance(0.5))) {
      push(headId, 'vehicle', Math.round(clamp(rng.lognormalMedian(60_000, 0.6), 8_000, 400_000)) * YUAN, 'public_security', { isDisabilityVehicle: false });
    }
    if (fail === 'commercial' || (noneKind === 'high_income' && rng.chance(0.08))) {
      const area = rng.int(20, 200);
      push(headId, 'commercial_property', Math.round(area * rng.range(5_000, 20_000)) * YUAN, 'natural_resources', { floorAreaM2: area });
    }

    // Homes: a self-built rural house is large and cheap per m², an urban flat small and dear.
    const rural = villageKind(regionCode) !== 'community';
    const homes = (rng.chance(tier === 'extreme_poverty' ? 0.8 : 0.9) ? 1 : 0) + (fail === 'second_residence' ? 1 : 0);
    for (let h = 0; h < homes; h++) {
      const area = Math.round(rural ? clamp(rng.lognormalMedian(140, 0.35), 40, 400) : clamp(rng.lognormalMedian(70, 0.3), 30, 160));
      const perM2 = rural ? rng.range(800, 2_500) : rng.range(8_000, 30_000);
      push(null, 'residence', Math.round(area * perM2) * YUAN, 'housing', { floorAreaM2: area });
    }
    return out;
  }

  private expenditures(out: ExpenditureRecord[], persons: readonly Person[], tier: TargetTier, income: number, ts: number): void {
    const rng = this.rng;
    const drafts: { person: Person; category: ExpenditureCategory; amount: number }[] = [];
    for (const p of persons) {
      const m = p.member;
      if (m.seriousIllness) drafts.push({ person: p, category: 'medical', amount: clamp(rng.lognormalMedian(12_000, 0.7), 2_000, 80_000) * YUAN });
      else if (p.age >= 60 && rng.chance(0.35)) drafts.push({ person: p, category: 'medical', amount: clamp(rng.lognormalMedian(1_500, 0.6), 200, 10_000) * YUAN });
      if (m.disabilityGrade > 0 && m.disabilityGrade <= 2 && rng.chance(0.25)) {
        drafts.push({ person: p, category: 'rehabilitation', amount: clamp(rng.lognormalMedian(4_000, 0.6), 500, 30_000) * YUAN });
      }
      if (p.student && rng.chance(0.4)) drafts.push({ person: p, category: 'education', amount: clamp(rng.lognormalMedian(5_000, 0.5), 800, 25_000) * YUAN });
    }

    let scaleTo: number | null = null;
    if (tier === 'rigid_expenditure') {
      // Rigid spending above 70 % of income (a few just below, to test the line).
      scaleTo = income * (rng.chance(0.12) ? rng.range(0.62, 0.78) : rng.range(0.75, 1.5));
      if (drafts.length === 0) {
        const ill = persons.find((p) => p.member.seriousIllness) ?? persons[0]!;
        drafts.push({ person: ill, category: 'medical', amount: 1 });
      }
      // Medical care dominates the hardship, so it takes the largest part of the total.
      for (const d of drafts) if (d.category === 'medical' && d.person.member.seriousIllness) d.amount *= 4;
    } else if (tier === 'income_uplift' || tier === 'none') {
      // Keep households above the marginal line well clear of the rigid-expenditure test.
      const total = drafts.reduce((a, d) => a + d.amount, 0);
      const cap = income * 0.45;
      if (total > cap) scaleTo = cap;
    }
    if (scaleTo !== null) {
      const total = drafts.reduce((a, d) => a + d.amount, 0);
      for (const d of drafts) d.amount = (d.amount * scaleTo) / total;
    }

    for (const d of drafts) {
      const amount = Math.round(d.amount);
      if (amount <= 0) continue;
      const id = d.person.member.id;
      if (d.category === 'medical') this.medical(out, ts, id, amount);
      else if (d.category === 'rehabilitation') this.split(out, ts, id, 'rehabilitation', 'disabled_federation', amount, rng.chance(0.5) ? this.cal.quarters : [this.cal.window]);
      else this.split(out, ts, id, 'education', 'education', amount, rng.chance(0.6) ? this.cal.halves : [this.cal.window]);
    }
  }

  /** Medical spending as a yearly settlement or as one to three hospital stays inside the window. */
  private medical(out: ExpenditureRecord[], ts: number, memberId: string, amount: number): void {
    const rng = this.rng;
    const cal = this.cal;
    if (rng.chance(0.4)) {
      out.push(this.expenditure(ts, memberId, 'medical', 'healthcare_security', amount, cal.window.start, cal.window.end));
      return;
    }
    const stays = rng.int(1, 3);
    let left = amount;
    for (let s = 0; s < stays; s++) {
      const part = s === stays - 1 ? left : Math.round(amount / stays);
      left -= part;
      const length = rng.int(2, 25);
      const start = cal.windowStartDay + rng.int(0, cal.windowDays - 1 - length);
      out.push(this.expenditure(ts, memberId, 'medical', 'healthcare_security', part, cal.day(start), cal.day(start + length)));
    }
  }

  /** Spreads an amount evenly over consecutive periods (the last takes the rounding remainder). */
  private split(
    out: ExpenditureRecord[],
    ts: number,
    memberId: string,
    category: ExpenditureCategory,
    dept: SourceDepartment,
    amount: number,
    periods: readonly Period[],
  ): void {
    const each = Math.floor(amount / periods.length);
    for (let i = 0; i < periods.length; i++) {
      const part = i === periods.length - 1 ? amount - each * (periods.length - 1) : each;
      out.push(this.expenditure(ts, memberId, category, dept, part, periods[i]!.start, periods[i]!.end));
    }
  }

  private expenditure(
    ts: number,
    memberId: string,
    category: ExpenditureCategory,
    sourceDept: SourceDepartment,
    amountFen: number,
    periodStart: string,
    periodEnd: string,
  ): ExpenditureRecord {
    return { id: seededUuidV7(this.rng, ts), memberId, category, amountFen, periodStart, periodEnd, sourceDept };
  }

  /** An emergency in the last 90 days; illness and accidents also leave a bill behind. */
  private emergency(events: EmergencyEvent[], out: ExpenditureRecord[], persons: readonly Person[], ts: number): void {
    const rng = this.rng;
    const cal = this.cal;
    const kind = EMERGENCY_KINDS_TABLE.pick(rng);
    const day = cal.asOfDay - rng.int(1, EMERGENCY_WINDOW_DAYS);
    events.push({ kind, occurredOn: cal.day(day) });
    if (kind === 'sudden_illness' || kind === 'accident') {
      const who = rng.pick(persons).member.id;
      const end = Math.min(day + rng.int(3, 20), cal.windowEndDay);
      const amount = Math.round(clamp(rng.lognormalMedian(kind === 'accident' ? 15_000 : 20_000, 0.7), 1_000, 200_000)) * YUAN;
      out.push(
        kind === 'accident'
          ? this.expenditure(ts, who, 'accident', 'self_declared', amount, cal.day(day), cal.day(end))
          : this.expenditure(ts, who, 'medical', 'healthcare_security', amount, cal.day(day), cal.day(end)),
      );
    }
  }
}

function clamp(x: number, lo: number, hi: number): number {
  return x < lo ? lo : x > hi ? hi : x;
}

function buildCounties(villages: readonly DemoVillage[]): County[] {
  const byCounty = new Map<string, { mountain: boolean; codes: string[] }>();
  for (const v of villages) {
    if (!/^\d{12}$/.test(v.code)) throw new RangeError('village codes must be 12 digits');
    const code = v.code.slice(0, 6);
    const entry = byCounty.get(code);
    if (entry === undefined) byCounty.set(code, { mountain: v.isMountainCounty, codes: [v.code] });
    else {
      entry.codes.push(v.code);
      entry.mountain ||= v.isMountainCounty;
    }
  }
  // Sorted so the result does not depend on the order the caller listed villages in.
  const codes = [...byCounty.keys()].sort();
  return codes.map((code, index) => {
    const entry = byCounty.get(code)!;
    const villageCodes = [...new Set(entry.codes)].sort();
    let entries = villageCodes.map((c) => [c, VILLAGE_KIND_WEIGHT[villageKind(c)]] as const);
    if (!entries.some(([, w]) => w > 0)) entries = villageCodes.map((c) => [c, 1] as const);
    return { code, index, mountain: entry.mountain, villages: villageCodes, villageTable: new WeightedTable(entries) };
  });
}

function countyWeights(counties: readonly County[]): WeightedTable<County> {
  const villageWeight = counties.map((c) => c.villages.reduce((sum, v) => sum + VILLAGE_KIND_WEIGHT[villageKind(v)], 0));
  const totalWeight = villageWeight.reduce((a, b) => a + b, 0) || 1;
  return new WeightedTable(
    counties.map((c, i) => {
      const share = COUNTY_EVEN_SHARE / counties.length + ((1 - COUNTY_EVEN_SHARE) * villageWeight[i]!) / totalWeight;
      return [c, share * (c.mountain ? MOUNTAIN_COUNTY_MULTIPLIER : 1)] as const;
    }),
  );
}

// ---------------------------------------------------------------------------------------------
// Household compositions. Ages are whole years on the as-of date; gaps follow the brief: one head,
// a spouse of the opposite sex within a few years, children 20–40 years younger than both parents,
// grandchildren at least 38 years younger, parents 20–40 years older.

function draft(relation: Relation, male: boolean, age: number, headSurname: boolean): Draft {
  return { relation, male, age, grade: 0, ill: false, designated: false, headSurname };
}

/** Elderly age skewed towards the younger end (there are fewer people at 90 than at 70). */
function elderlyAge(rng: Rng, min: number, max: number): number {
  return min + Math.floor(rng.float() ** 1.4 * (max - min + 1));
}

function addSpouse(rng: Rng, members: Draft[], minAge: number): Draft {
  const head = members[0]!;
  // Husbands are on average about 2.5 years older than their wives.
  const gap = clamp(Math.round(rng.normal(2.5, 2.5)), -4, 10);
  const age = clamp(head.male ? head.age - gap : head.age + gap, minAge, MAX_AGE);
  const spouse = draft('spouse', !head.male, age, false);
  members.push(spouse);
  return spouse;
}

/** Adds a child of the head (and spouse) when an age in [minAge, maxAge] fits the parents. */
function addChild(rng: Rng, members: Draft[], minAge: number, maxAge: number): Draft | null {
  const parents = members.filter((m) => m.relation === 'head' || m.relation === 'spouse');
  const oldest = Math.max(...parents.map((m) => m.age));
  const youngest = Math.min(...parents.map((m) => m.age));
  const lo = Math.max(minAge, oldest - 40);
  const hi = Math.min(maxAge, youngest - 20);
  if (hi < lo) return null;
  // Children usually take the head's surname (when the head is the father, or a mother whose
  // children carry her name); the rest carry the absent parent's.
  const child = draft('child', rng.chance(0.52), rng.int(lo, hi), rng.chance(0.92));
  members.push(child);
  return child;
}

function addGrandchild(rng: Rng, members: Draft[], minAge: number, maxAge: number): Draft | null {
  const head = members[0]!;
  const lo = Math.max(minAge, head.age - 75);
  const hi = Math.min(maxAge, head.age - 38);
  if (hi < lo) return null;
  const child = draft('grandchild', rng.chance(0.52), rng.int(lo, hi), rng.chance(0.85));
  members.push(child);
  return child;
}

function designate(rng: Rng, d: Draft, severe: boolean): void {
  d.designated = true;
  if (severe) d.grade = DISABILITY_GRADES_SEVERE_SKEW.pick(rng);
  else d.ill = true;
}

/** Members of one household of the given composition (the head first). */
function buildDrafts(rng: Rng, archetype: Archetype, extreme: boolean): Draft[] {
  const members: Draft[] = [];
  switch (archetype) {
    case 'elderly_alone': {
      // Widows outnumber widowers among the elderly living alone.
      members.push(draft('head', rng.chance(0.38), extreme ? elderlyAge(rng, 70, 96) : elderlyAge(rng, 60, 95), true));
      break;
    }
    case 'elderly_couple': {
      const head = draft('head', rng.chance(0.88), extreme ? elderlyAge(rng, 72, 94) : elderlyAge(rng, 60, 90), true);
      members.push(head);
      addSpouse(rng, members, extreme ? 70 : 56);
      break;
    }
    case 'disabled_alone': {
      const head = draft('head', rng.chance(0.6), rng.int(18, extreme ? 59 : 66), true);
      head.designated = true;
      head.grade = extreme ? (rng.chance(0.45) ? 1 : 2) : DISABILITY_GRADES_SEVERE_SKEW.pick(rng);
      head.ill = rng.chance(0.15);
      members.push(head);
      break;
    }
    case 'single_parent': {
      // Mostly widowed or divorced mothers.
      members.push(draft('head', rng.chance(0.3), rng.int(26, 55), true));
      const children = ONE_TO_THREE_CHILDREN.pick(rng);
      for (let c = 0; c < children; c++) addChild(rng, members, 0, 22);
      if (members.length > 1 && rng.chance(0.15)) designate(rng, members[1]!, rng.chance(0.6));
      break;
    }
    case 'ill_or_disabled_family': {
      members.push(draft('head', rng.chance(0.75), rng.int(28, 68), true));
      if (rng.chance(0.85)) addSpouse(rng, members, 20);
      const children = ZERO_TO_THREE_CHILDREN.pick(rng);
      // Adult children with a disability often stay with their parents, hence up to 40.
      for (let c = 0; c < children; c++) addChild(rng, members, 0, 40);
      designate(rng, rng.pick(members.slice(0, Math.min(3, members.length))), rng.chance(0.5));
      break;
    }
    case 'three_generation': {
      const head = draft('head', rng.chance(0.85), rng.int(32, 58), true);
      members.push(head);
      if (rng.chance(0.92)) addSpouse(rng, members, 22);
      const children = rng.chance(0.55) ? 1 : 2;
      for (let c = 0; c < children; c++) addChild(rng, members, 0, 30);
      const parents = rng.chance(0.6) ? 1 : 2;
      const fatherAge = head.age + rng.int(22, 38);
      if (parents === 2) {
        if (fatherAge <= MAX_AGE) members.push(draft('parent', true, fatherAge, true));
        const motherAge = clamp(fatherAge - clamp(Math.round(rng.normal(2.5, 2.5)), -4, 10), head.age + 19, Math.min(head.age + 40, MAX_AGE));
        members.push(draft('parent', false, motherAge, false));
      } else {
        // A surviving parent is more often the mother.
        const male = rng.chance(0.35);
        members.push(draft('parent', male, Math.min(MAX_AGE, head.age + rng.int(20, 36)), male));
      }
      break;
    }
    case 'grandparents_with_minors': {
      // Orphans and children whose parents are absent (事实无人抚养儿童) living with grandparents.
      members.push(draft('head', rng.chance(0.55), extreme ? elderlyAge(rng, 70, 86) : elderlyAge(rng, 56, 82), true));
      if (rng.chance(0.55)) addSpouse(rng, members, extreme ? 70 : 54);
      const children = GRANDCHILDREN.pick(rng);
      for (let c = 0; c < children; c++) addGrandchild(rng, members, 2, extreme ? 15 : 17);
      break;
    }
    case 'nuclear': {
      members.push(draft('head', rng.chance(0.85), rng.int(26, 56), true));
      if (rng.chance(0.95)) addSpouse(rng, members, 20);
      const children = rng.chance(0.5) ? 1 : 2;
      for (let c = 0; c < children; c++) addChild(rng, members, 0, 25);
      break;
    }
  }
  return members;
}

/**
 * Household generator with the latent tier and composition of each household, for checking a
 * means test against what the data was built to be. Same seed and options ⇒ same output.
 */
export function* generateLabelledHouseholds(options: GenerateHouseholdsOptions): Generator<LabelledHousehold> {
  validate(options);
  const generator = new PopulationGenerator(options);
  for (let i = 0; i < options.households; i++) yield generator.next(i);
}

/**
 * Yields `options.households` synthetic households, one at a time (nothing is kept between
 * households but per-county ID-sequence counters), for a monitored low-income population
 * spread over `options.villages`. Same seed and options ⇒ identical households.
 */
export function* generateHouseholds(options: GenerateHouseholdsOptions): Generator<Household> {
  for (const labelled of generateLabelledHouseholds(options)) yield labelled.household;
}

function validate(options: GenerateHouseholdsOptions): void {
  if (!Number.isSafeInteger(options.households) || options.households < 0) throw new RangeError('households must be a non-negative integer');
  if (!isIsoDate(options.asOf)) throw new RangeError('asOf must be a calendar date YYYY-MM-DD');
  if (options.villages.length === 0) throw new RangeError('villages must not be empty');
  for (const [key, value] of [
    ['dibaoStandardFen', options.dibaoStandardFen],
    ['disposableIncomePerCapitaFen', options.disposableIncomePerCapitaFen],
    ['incomeUpliftCeilingFen', options.incomeUpliftCeilingFen],
  ] as const) {
    if (value !== undefined && (!Number.isSafeInteger(value) || value <= 0)) throw new RangeError(`${key} must be a positive integer (fen)`);
  }
  if (options.marginalMultiplier !== undefined && !(options.marginalMultiplier >= 1)) throw new RangeError('marginalMultiplier must be at least 1');
}
