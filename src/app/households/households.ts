/**
 * Registry use cases: create, read, update and list households and members, and add the income,
 * asset, expenditure and emergency records the means test reads. Each write is one transaction;
 * a refused request writes nothing.
 */
import type {
  AssetInput, EmergencyInput, ExpenditureInput, HouseholdCreate, HouseholdList, HouseholdListQuery, HouseholdPatch,
  HouseholdView, IncomeInput, MemberInput, MemberPatch, MemberView,
} from '../../contracts/households.js';
import { CATEGORIES } from '../../contracts/households.js';
import { ClassificationRepository } from '../../db/repositories/classification.repository.js';
import { HouseholdRepository } from '../../db/repositories/household.repository.js';
import type { AppContext } from '../context.js';
import { AppError, invalid, isUniqueViolation } from '../errors.js';
import { newId } from '../new-id.js';
import { presentClassification } from '../classification/present-classification.js';
import { buildMemberRows, checkPeriod, checkVillage } from './validate.js';
import { presentHousehold, presentMember } from './present.js';

const notFound = (): AppError => new AppError('HOUSEHOLD_NOT_FOUND', 'household not found');

/** Rethrows the database's one-person-one-household violation (a concurrent insert) as a 400. */
function mapUnique(e: unknown): never {
  if (isUniqueViolation(e, 'members_id_number_key')) {
    throw new AppError('PERSON_IN_OTHER_HOUSEHOLD', 'members.idNumber: is already a member of another household', 'members.idNumber');
  }
  throw e;
}

export async function getHousehold(ctx: AppContext, id: string): Promise<HouseholdView> {
  const agg = await new HouseholdRepository(ctx.db).findById(id);
  if (!agg) throw notFound();
  const latest = await new ClassificationRepository(ctx.db).latest(id);
  return presentHousehold(ctx, agg, latest ? await presentClassification(ctx, latest, agg.household.region_code) : null);
}

export async function createHousehold(ctx: AppContext, input: HouseholdCreate): Promise<HouseholdView> {
  const issues = [...checkVillage(ctx, input.regionCode, 'regionCode'), ...checkVillage(ctx, input.residenceRegionCode, 'residenceRegionCode')];
  if (issues.length > 0) throw invalid(issues);
  const id = newId();
  await ctx.db
    .transaction()
    .execute(async (trx) => {
      const repo = new HouseholdRepository(trx);
      const members = await buildMemberRows(ctx, repo, id, input.members, { field: (i) => `members[${i}]`, startPosition: 0, requireOneHead: true });
      await repo.insertHousehold({
        id,
        region_code: input.regionCode,
        county_code: input.regionCode.slice(0, 6),
        residence_region_code: input.residenceRegionCode ?? null,
        address: input.address ?? null,
        has_able_supporter: input.hasAbleSupporter,
      });
      await repo.insertMembers(members);
    })
    .catch(mapUnique);
  return getHousehold(ctx, id);
}

export async function updateHousehold(ctx: AppContext, id: string, patch: HouseholdPatch): Promise<HouseholdView> {
  const issues = [...checkVillage(ctx, patch.regionCode, 'regionCode'), ...checkVillage(ctx, patch.residenceRegionCode, 'residenceRegionCode')];
  if (issues.length > 0) throw invalid(issues);
  const ok = await new HouseholdRepository(ctx.db).updateHousehold(id, {
    ...(patch.regionCode !== undefined && { region_code: patch.regionCode, county_code: patch.regionCode.slice(0, 6) }),
    ...(patch.residenceRegionCode !== undefined && { residence_region_code: patch.residenceRegionCode }),
    ...(patch.address !== undefined && { address: patch.address }),
    ...(patch.hasAbleSupporter !== undefined && { has_able_supporter: patch.hasAbleSupporter }),
  });
  if (!ok) throw notFound();
  return getHousehold(ctx, id);
}

export async function addMember(ctx: AppContext, householdId: string, input: MemberInput): Promise<MemberView> {
  const row = await ctx.db
    .transaction()
    .execute(async (trx) => {
      const repo = new HouseholdRepository(trx);
      if (!(await repo.exists(householdId))) throw notFound();
      const position = (await repo.findById(householdId))?.members.length ?? 0;
      const [m] = await buildMemberRows(ctx, repo, householdId, [input], { field: () => 'member', startPosition: position, requireOneHead: false });
      await repo.insertMembers([m!]);
      await repo.touch(householdId);
      return m!;
    })
    .catch(mapUnique);
  return presentMember(row);
}

export async function updateMember(ctx: AppContext, householdId: string, memberId: string, patch: MemberPatch): Promise<HouseholdView> {
  const ok = await ctx.db.transaction().execute(async (trx) => {
    const repo = new HouseholdRepository(trx);
    const updated = await repo.updateMember(householdId, memberId, {
      ...(patch.name !== undefined && { name: patch.name }),
      ...(patch.relation !== undefined && { relation: patch.relation }),
      ...(patch.disabilityGrade !== undefined && { disability_grade: patch.disabilityGrade }),
      ...(patch.seriousIllness !== undefined && { serious_illness: patch.seriousIllness }),
      ...(patch.labourCapacity !== undefined && { labour_capacity: patch.labourCapacity }),
      ...(patch.schooling !== undefined && { schooling: patch.schooling }),
      ...(patch.deceasedOn !== undefined && { deceased_on: patch.deceasedOn }),
    });
    if (updated) await repo.touch(householdId);
    return updated;
  });
  if (!ok) throw new AppError('MEMBER_NOT_FOUND', 'member not found in this household');
  return getHousehold(ctx, householdId);
}

export type RecordInput =
  | { kind: 'income'; data: IncomeInput }
  | { kind: 'asset'; data: AssetInput }
  | { kind: 'expenditure'; data: ExpenditureInput }
  | { kind: 'emergency'; data: EmergencyInput };

/** Adds one income, asset, expenditure or emergency record to a household. Returns the new record's id. */
export async function addRecord(ctx: AppContext, householdId: string, input: RecordInput): Promise<string> {
  if (input.kind === 'income' || input.kind === 'expenditure') {
    const issues = checkPeriod(input.data.periodStart, input.data.periodEnd);
    if (issues.length > 0) throw invalid(issues);
  }
  const id = newId();
  await ctx.db.transaction().execute(async (trx) => {
    const repo = new HouseholdRepository(trx);
    if (!(await repo.exists(householdId))) throw notFound();
    const memberId = input.kind === 'emergency' ? null : (input.data.memberId ?? null);
    if (memberId !== null && !(await repo.memberBelongs(householdId, memberId))) {
      throw invalid([{ field: 'memberId', message: 'is not a member of this household' }]);
    }
    const base = { id, household_id: householdId, member_id: memberId, source_dept: input.data.sourceDept, batch_id: null };
    switch (input.kind) {
      case 'income': {
        const d = input.data;
        await repo.insertIncome({ ...base, category: d.category, subtype: d.subtype, amount_fen: d.amountFen, period_start: d.periodStart, period_end: d.periodEnd });
        break;
      }
      case 'asset': {
        const d = input.data;
        await repo.insertAsset({
          ...base, kind: d.kind, value_fen: d.valueFen, floor_area_m2: d.floorAreaM2 ?? null, is_disability_vehicle: d.isDisabilityVehicle ?? false, as_of: d.asOf,
        });
        break;
      }
      case 'expenditure': {
        const d = input.data;
        await repo.insertExpenditure({ ...base, category: d.category, amount_fen: d.amountFen, period_start: d.periodStart, period_end: d.periodEnd });
        break;
      }
      case 'emergency': {
        const d = input.data;
        await repo.insertEmergency({ id, household_id: householdId, kind: d.kind, occurred_on: d.occurredOn, source_dept: d.sourceDept, batch_id: null });
        break;
      }
    }
    await repo.touch(householdId);
  });
  return id;
}

export async function listHouseholds(ctx: AppContext, q: HouseholdListQuery): Promise<HouseholdList> {
  const { rows, total } = await new HouseholdRepository(ctx.db).list({
    regionPrefix: q.region,
    category: q.category,
    limit: q.pageSize,
    offset: (q.page - 1) * q.pageSize,
  });
  return {
    items: rows.map((r) => ({
      id: r.id,
      regionCode: r.region_code,
      villageName: r.village_name,
      countyCode: r.county_code,
      countyName: r.county_name,
      isMountainCounty: r.is_mountain_county,
      headName: r.head_name,
      memberCount: r.member_count,
      category: (r.category ?? null) as HouseholdList['items'][number]['category'],
      flags: (r.flags ?? []) as HouseholdList['items'][number]['flags'],
      paymentFen: r.payment_fen,
      classifiedAsOf: r.as_of,
    })),
    total,
    page: q.page,
    pageSize: q.pageSize,
  };
}

export async function categoryCounts(ctx: AppContext, region?: string): Promise<{ region: string; total: number; byCategory: Record<string, number> }> {
  const rows = await new HouseholdRepository(ctx.db).countByCategory(region);
  const byCategory: Record<string, number> = Object.fromEntries(CATEGORIES.map((c) => [c, 0]));
  let total = 0;
  for (const r of rows) {
    total += r.n;
    byCategory[r.category ?? 'unclassified'] = (byCategory[r.category ?? 'unclassified'] ?? 0) + r.n;
  }
  return { region: region ?? '33', total, byCategory };
}

export function listRegions(ctx: AppContext, parent: string): { code: string; name: string; level: 'province' | 'city' | 'county' | 'township' | 'village'; parentCode: string | null; isMountainCounty: boolean }[] {
  if (!ctx.regions.get(parent)) throw invalid([{ field: 'parent', message: 'unknown region code' }]);
  return ctx.regions.children(parent).map((r) => ({ code: r.code, name: r.name, level: r.level, parentCode: r.parentCode, isMountainCounty: r.isMountainCounty }));
}
