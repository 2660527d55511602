import { beforeAll, describe, expect, it } from 'vitest';
import { dayNumber } from '../dates/dates.js';
import { SOURCE_DEPARTMENTS, type Household } from '../household/household.js';
import { ageOn, parseResidentId } from '../ids/index.js';
import { zhejiangRegions } from '../regions/index.js';
import {
  generateHouseholds,
  generateLabelledHouseholds,
  labourCapacityFor,
  TARGET_TIERS,
  TIER_SHARES,
  villageKind,
  villagesForDemo,
  type DemoVillage,
  type TargetTier,
} from './index.js';

const AS_OF = '2025-06-15';
const WINDOW_START = '2024-06-15';
const WINDOW_END = '2025-06-14';
const SAMPLE = 50_000;
const COUNTY_SAMPLE = 20_000;

const INCOME_DEPARTMENTS: Readonly<Record<string, string>> = {
  'wages/wages': 'hrss',
  'business/self_employment': 'market_regulation',
  'property/rent_and_dividends': 'tax',
  'transfer/basic_pension': 'hrss',
  'transfer/care_allowance': 'civil_affairs',
  'transfer/one_off_award': 'civil_affairs',
  'transfer/family_support': 'self_declared',
  'deduction/social_insurance_paid': 'hrss',
};
const EXPENDITURE_DEPARTMENTS: Readonly<Record<string, string>> = {
  medical: 'healthcare_security',
  education: 'education',
  rehabilitation: 'disabled_federation',
  accident: 'self_declared',
};

type Check = 'ids' | 'money' | 'periods' | 'departments' | 'relations' | 'attributes';

/**
 * One streaming pass over the sample: holding 50k households in memory would make the GC (and
 * so the speed measurement) unrepresentative, so checks collect the first few problems and
 * counters instead.
 */
class Audit {
  readonly problems: Record<Check, string[]> = { ids: [], money: [], periods: [], departments: [], relations: [], attributes: [] };
  members = 0;
  records = 0;
  uniqueIdNumbers = 0;
  uniqueIds = 0;
  disabled = 0;
  ill = 0;
  children = 0;
  childrenWithHeadSurname = 0;
  straddling = 0;
  withEmergency = 0;
  incomeKinds = new Set<string>();
  assetKinds = new Set<string>();
  disabilityVehicles = 0;
  ordinaryVehicles = 0;
  tiers = new Map<TargetTier, number>();
  extreme = 0;
  extremeAllNone = 0;
  extremeWithoutSupporter = 0;
  othersWithSupporter = 0;
  upliftTooLarge = 0;
  countiesIn20k = new Set<string>();
  mountainIn20k = 0;
  ruralIn20k = 0;
  private readonly idNumbers = new Set<string>();
  private readonly ids = new Set<string>();

  /** Drops the id sets once counted, so later tests (the speed one) run on a small heap. */
  release(): void {
    this.idNumbers.clear();
    this.ids.clear();
  }

  problem(check: Check, message: string): void {
    if (this.problems[check].length < 5) this.problems[check].push(message);
  }

  add(index: number, h: Household, tier: TargetTier, mountainVillages: ReadonlySet<string>): void {
    this.tiers.set(tier, (this.tiers.get(tier) ?? 0) + 1);
    if (index < COUNTY_SAMPLE) {
      this.countiesIn20k.add(h.regionCode.slice(0, 6));
      if (mountainVillages.has(h.regionCode)) this.mountainIn20k += 1;
      if (villageKind(h.regionCode) === 'village') this.ruralIn20k += 1;
    }
    if (tier === 'extreme_poverty') {
      this.extreme += 1;
      if (h.members.every((m) => m.labourCapacity === 'none')) this.extremeAllNone += 1;
      if (!h.hasAbleSupporter) this.extremeWithoutSupporter += 1;
    } else if (h.hasAbleSupporter) this.othersWithSupporter += 1;
    if (tier === 'income_uplift' && h.members.length > 3) this.upliftTooLarge += 1;
    if (h.emergencies.length > 0) this.withEmergency += 1;
    this.identities(h);
    this.money(h);
    this.people(h);
  }

  private newId(id: string): void {
    this.records += 1;
    if (!this.ids.has(id)) this.uniqueIds += 1;
    this.ids.add(id);
  }

  private identities(h: Household): void {
    this.newId(h.id);
    for (const m of h.members) {
      this.newId(m.id);
      if (!this.idNumbers.has(m.idNumber)) this.uniqueIdNumbers += 1;
      this.idNumbers.add(m.idNumber);
      const parsed = parseResidentId(m.idNumber, { today: AS_OF });
      if (!parsed.ok) this.problem('ids', `${m.idNumber}: ${parsed.error}`);
      else if (parsed.value.regionCode !== h.regionCode.slice(0, 6) || parsed.value.birthDate !== m.birthDate || parsed.value.sex !== m.sex) {
        this.problem('ids', `${m.idNumber} does not match ${h.regionCode} ${m.birthDate} ${m.sex}`);
      }
    }
    for (const r of [...h.incomes, ...h.assets, ...h.expenditures]) this.newId(r.id);
  }

  private money(h: Household): void {
    const fen = (what: string, v: number): void => {
      if (!Number.isSafeInteger(v) || v < 0) this.problem('money', `${what} ${v}`);
    };
    let straddles = false;
    for (const r of h.incomes) {
      fen(`income ${r.subtype}`, r.amountFen);
      // Records lie in the window, or start before it and end inside it (to be pro-rated).
      if (r.periodStart > r.periodEnd || r.periodEnd < WINDOW_START || r.periodEnd > WINDOW_END) {
        this.problem('periods', `income ${r.periodStart}..${r.periodEnd}`);
      }
      if (r.periodStart < WINDOW_START) straddles = true;
      const key = `${r.category}/${r.subtype}`;
      this.incomeKinds.add(key);
      if (INCOME_DEPARTMENTS[key] !== r.sourceDept) this.problem('departments', `${key} from ${r.sourceDept}`);
    }
    if (straddles) this.straddling += 1;
    for (const r of h.expenditures) {
      fen(`expenditure ${r.category}`, r.amountFen);
      if (r.periodStart > r.periodEnd || r.periodStart < WINDOW_START || r.periodEnd > WINDOW_END) {
        this.problem('periods', `expenditure ${r.periodStart}..${r.periodEnd}`);
      }
      if (EXPENDITURE_DEPARTMENTS[r.category] !== r.sourceDept) this.problem('departments', `${r.category} from ${r.sourceDept}`);
    }
    for (const a of h.assets) {
      fen(`asset ${a.kind}`, a.valueFen);
      this.assetKinds.add(a.kind);
      if (!(a.sourceDept in SOURCE_DEPARTMENTS)) this.problem('departments', `${a.kind} from ${a.sourceDept}`);
      if (a.asOf >= AS_OF) this.problem('periods', `asset as of ${a.asOf}`);
      if ((a.kind === 'residence' || a.kind === 'commercial_property') && !(a.floorAreaM2 !== undefined && a.floorAreaM2 !== null && a.floorAreaM2 > 0)) {
        this.problem('money', `${a.kind} without floor area`);
      }
      if (a.kind === 'vehicle') {
        if (a.isDisabilityVehicle === true) this.disabilityVehicles += 1;
        else this.ordinaryVehicles += 1;
      }
    }
    for (const e of h.emergencies) {
      const daysBefore = dayNumber(AS_OF) - dayNumber(e.occurredOn);
      if (daysBefore < 1 || daysBefore > 90) this.problem('periods', `emergency on ${e.occurredOn}`);
    }
  }

  private people(h: Household): void {
    const size = h.members.length;
    this.members += size;
    if (size < 1 || size > 6) this.problem('relations', `size ${size}`);
    const head = h.members[0]!;
    if (head.relation !== 'head' || h.members.filter((m) => m.relation === 'head').length !== 1) this.problem('relations', 'not exactly one head, first');
    const headAge = ageOn(head.birthDate, AS_OF);
    const spouses = h.members.filter((m) => m.relation === 'spouse');
    if (spouses.length > 1) this.problem('relations', 'two spouses');
    for (const m of h.members) {
      const age = ageOn(m.birthDate, AS_OF);
      const gap = headAge - age;
      if (m.relation === 'spouse' && (m.sex === head.sex || Math.abs(gap) > 10)) this.problem('relations', `spouse ${m.sex}/${head.sex} gap ${gap}`);
      if (m.relation === 'child') {
        this.children += 1;
        if (m.name[0] === head.name[0]) this.childrenWithHeadSurname += 1;
        if (gap < 20 || gap > 40 || spouses.some((s) => ageOn(s.birthDate, AS_OF) - age < 20)) this.problem('relations', `child gap ${gap}`);
      }
      if (m.relation === 'grandchild' && gap < 38) this.problem('relations', `grandchild gap ${gap}`);
      if (m.relation === 'parent' && (-gap < 19 || -gap > 40)) this.problem('relations', `parent gap ${-gap}`);

      if (m.disabilityGrade > 0) this.disabled += 1;
      if (m.seriousIllness) this.ill += 1;
      if (m.labourCapacity !== labourCapacityFor(age, m.disabilityGrade)) this.problem('attributes', `capacity ${m.labourCapacity} at ${age}, grade ${m.disabilityGrade}`);
      const schoolingOk =
        age < 3 ? m.schooling === 'none' : age < 6 ? ['none', 'preschool'].includes(m.schooling) : age < 12 ? ['none', 'primary'].includes(m.schooling) : m.schooling !== 'college' || age >= 18;
      if (!schoolingOk) this.problem('attributes', `schooling ${m.schooling} at ${age}`);
      if (m.name.length < 2 || m.name.length > 3) this.problem('attributes', `name ${m.name}`);
    }
  }
}

let villages: DemoVillage[];
let audit: Audit;

beforeAll(() => {
  villages = villagesForDemo(zhejiangRegions());
  const mountainVillages = new Set(villages.filter((v) => v.isMountainCounty).map((v) => v.code));
  audit = new Audit();
  let index = 0;
  for (const { household, targetTier } of generateLabelledHouseholds({ seed: 20_250_615, households: SAMPLE, asOf: AS_OF, villages })) {
    audit.add(index, household, targetTier, mountainVillages);
    index += 1;
  }
  audit.release();
});

const first = (seed: number, count: number): Household[] => [...generateHouseholds({ seed, households: count, asOf: AS_OF, villages })];
const share = (part: number, whole: number): number => part / whole;

describe('villagesForDemo', () => {
  it('lists every Zhejiang village with its county mountain flag', () => {
    expect(villages.length).toBeGreaterThan(20_000);
    expect(villages.every((v) => /^33\d{10}$/.test(v.code))).toBe(true);
    expect(new Set(villages.map((v) => v.code.slice(0, 6))).size).toBe(90);
    expect(new Set(villages.filter((v) => v.isMountainCounty).map((v) => v.code.slice(0, 6))).size).toBe(26);
  });
});

describe('generateHouseholds', () => {
  it('is deterministic for a seed and differs between seeds', () => {
    const a = first(1, 100);
    expect(first(1, 150).slice(0, 100)).toEqual(a);
    const b = first(2, 100);
    expect(b).not.toEqual(a);
    expect(b.map((h) => h.id)).not.toEqual(a.map((h) => h.id));
    expect(b.flatMap((h) => h.members.map((m) => m.idNumber))).not.toEqual(a.flatMap((h) => h.members.map((m) => m.idNumber)));
  });

  it('validates its options', () => {
    const base = { seed: 1, households: 1, asOf: AS_OF, villages };
    expect(() => first(1, -1)).toThrow(RangeError);
    expect(() => [...generateHouseholds({ ...base, asOf: '2025-02-30' })]).toThrow(RangeError);
    expect(() => [...generateHouseholds({ ...base, villages: [] })]).toThrow(RangeError);
    expect(() => [...generateHouseholds({ ...base, villages: [{ code: '3301', isMountainCounty: false }] })]).toThrow(RangeError);
    expect(() => [...generateHouseholds({ ...base, dibaoStandardFen: 0 })]).toThrow(RangeError);
  });

  it('gives every member a valid ID number consistent with sex, birth date and county', () => {
    expect(audit.problems.ids).toEqual([]);
  });

  it(`never repeats an ID number or a record id in ${SAMPLE} households`, () => {
    expect(audit.uniqueIdNumbers).toBe(audit.members);
    expect(audit.uniqueIds).toBe(audit.records);
  });

  it('keeps all money in non-negative integer fen and every period ordered inside the window', () => {
    expect(audit.problems.money).toEqual([]);
    expect(audit.problems.periods).toEqual([]);
    expect(share(audit.straddling, SAMPLE)).toBeGreaterThan(0.05);
  });

  it('names the source department the brief assigns to each kind of record', () => {
    expect(audit.problems.departments).toEqual([]);
    expect([...audit.incomeKinds].sort()).toEqual(Object.keys(INCOME_DEPARTMENTS).sort());
    expect([...audit.assetKinds].sort()).toEqual(['cash', 'commercial_property', 'deposit', 'insurance_cash_value', 'residence', 'securities', 'vehicle']);
    expect(audit.disabilityVehicles).toBeGreaterThan(0);
    expect(audit.ordinaryVehicles).toBeGreaterThan(0);
  });

  it('builds households of 1–6 with consistent relations, mean size 2.3–2.6', () => {
    expect(audit.problems.relations).toEqual([]);
    const mean = audit.members / SAMPLE;
    expect(mean).toBeGreaterThanOrEqual(2.3);
    expect(mean).toBeLessThanOrEqual(2.6);
  });

  it('derives labour capacity, schooling and health from age and disability', () => {
    expect(audit.problems.attributes).toEqual([]);
    expect(share(audit.disabled, audit.members)).toBeGreaterThanOrEqual(0.08);
    expect(share(audit.disabled, audit.members)).toBeLessThanOrEqual(0.12);
    expect(share(audit.ill, audit.members)).toBeGreaterThanOrEqual(0.06);
    expect(share(audit.ill, audit.members)).toBeLessThanOrEqual(0.1);
    expect(share(audit.childrenWithHeadSurname, audit.children)).toBeGreaterThan(0.85);
  });

  it('draws the target tiers in the calibrated mix, extreme poverty without labour capacity or supporter', () => {
    for (const tier of TARGET_TIERS) {
      expect(Math.abs(share(audit.tiers.get(tier) ?? 0, SAMPLE) - TIER_SHARES[tier])).toBeLessThan(0.015);
    }
    expect(audit.extremeAllNone).toBe(audit.extreme);
    expect(share(audit.extremeWithoutSupporter, audit.extreme)).toBeGreaterThan(0.85);
    expect(share(audit.othersWithSupporter, SAMPLE - audit.extreme)).toBeGreaterThan(0.75);
    // Income-uplift households stay small enough for the 100,000-yuan ceiling to be reachable.
    expect(audit.upliftTooLarge).toBe(0);
    const emergencies = share(audit.withEmergency, SAMPLE);
    expect(emergencies > 0.015 && emergencies < 0.025).toBe(true);
  });

  it('covers all 90 counties in 20k households, favouring mountain counties and rural villages', () => {
    expect(audit.countiesIn20k.size).toBe(90);
    const mountainVillages = share(villages.filter((v) => v.isMountainCounty).length, villages.length);
    expect(share(audit.mountainIn20k, COUNTY_SAMPLE)).toBeGreaterThan(mountainVillages + 0.08);
    const ruralVillages = share(villages.filter((v) => villageKind(v.code) === 'village').length, villages.length);
    expect(share(audit.ruralIn20k, COUNTY_SAMPLE)).toBeGreaterThan(ruralVillages);
  });

  it('streams quickly (rate printed)', () => {
    const count = 200_000;
    const started = performance.now();
    let members = 0;
    for (const h of generateHouseholds({ seed: 99, households: count, asOf: AS_OF, villages })) members += h.members.length;
    const seconds = (performance.now() - started) / 1000;
    const rate = Math.round(count / seconds);
    console.log(`demo generator: ${count} households (${members} members) in ${seconds.toFixed(2)} s = ${rate} households/s`);
    // Generous bound for slow CI machines; the brief asks for well under 30 s per million.
    expect(seconds).toBeLessThan(30);
  });
});
