/** Stored rows → API views. Money stays integer fen; dates stay ISO strings. */
import type { HouseholdView, MemberView } from '../../contracts/households.js';
import type { HouseholdAggregate } from '../../db/repositories/household.repository.js';
import type { MemberRow } from '../../db/schema.js';
import type { AppContext } from '../context.js';
import { maskIdNumber, maskName, maskPhone } from '../../core/security/index.js';

const iso = (d: Date | string): string => (d instanceof Date ? d.toISOString() : d);

/** A member as the API shows it: name, ID number and phone masked (full values only through reveal). */
export function presentMember(m: MemberRow): MemberView {
  return {
    id: m.id,
    name: maskName(m.name),
    idNumber: maskIdNumber(m.id_number),
    relation: m.relation as MemberView['relation'],
    sex: m.sex,
    birthDate: m.birth_date,
    disabilityGrade: m.disability_grade,
    seriousIllness: m.serious_illness,
    labourCapacity: m.labour_capacity,
    schooling: m.schooling as MemberView['schooling'],
    deceasedOn: m.deceased_on,
    phone: m.phone == null ? null : maskPhone(m.phone),
  };
}

export function regionPath(ctx: AppContext, code: string): HouseholdView['regionPath'] {
  return ctx.regions.ancestors(code).map((r) => ({ code: r.code, name: r.name, level: r.level, parentCode: r.parentCode, isMountainCounty: r.isMountainCounty }));
}

/**
 * A household as the API shows it. `sourceNames`: the organisation names of the records' sources
 * that are organisations (`org_<hex>`, access/source-names.ts), shown as `sourceName`.
 */
export function presentHousehold(ctx: AppContext, a: HouseholdAggregate, latest: HouseholdView['latestClassification'], sourceNames: ReadonlyMap<string, string> = new Map()): HouseholdView {
  const h = a.household;
  const nameOf = (code: string): string | null => sourceNames.get(code) ?? null;
  return {
    id: h.id,
    regionCode: h.region_code,
    regionPath: regionPath(ctx, h.region_code),
    residenceRegionCode: h.residence_region_code,
    address: h.address,
    hasAbleSupporter: h.has_able_supporter,
    version: h.version,
    createdAt: iso(h.created_at),
    updatedAt: iso(h.updated_at),
    members: a.members.map(presentMember),
    incomes: a.incomes.map((r) => ({
      id: r.id, memberId: r.member_id, category: r.category as HouseholdView['incomes'][number]['category'], subtype: r.subtype,
      amountFen: r.amount_fen, periodStart: r.period_start, periodEnd: r.period_end, sourceDept: r.source_dept, sourceName: nameOf(r.source_dept),
      batchId: r.batch_id, createdAt: iso(r.created_at),
    })),
    assets: a.assets.map((r) => ({
      id: r.id, memberId: r.member_id, kind: r.kind as HouseholdView['assets'][number]['kind'], valueFen: r.value_fen,
      floorAreaM2: r.floor_area_m2, isDisabilityVehicle: r.is_disability_vehicle, asOf: r.as_of, sourceDept: r.source_dept, sourceName: nameOf(r.source_dept),
      batchId: r.batch_id, createdAt: iso(r.created_at),
    })),
    expenditures: a.expenditures.map((r) => ({
      id: r.id, memberId: r.member_id, category: r.category as HouseholdView['expenditures'][number]['category'], amountFen: r.amount_fen,
      periodStart: r.period_start, periodEnd: r.period_end, sourceDept: r.source_dept, sourceName: nameOf(r.source_dept), batchId: r.batch_id, createdAt: iso(r.created_at),
    })),
    emergencies: a.emergencies.map((e) => ({
      id: e.id, kind: e.kind as HouseholdView['emergencies'][number]['kind'], occurredOn: e.occurred_on, sourceDept: e.source_dept, sourceName: nameOf(e.source_dept),
      batchId: e.batch_id, createdAt: iso(e.created_at),
    })),
    latestClassification: latest,
  };
}
