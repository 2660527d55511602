/**
 * Registry use cases: create, read, update and list households and members, and add the records
 * the means test reads. Every use case takes the actor: permission is checked here, the region
 * scope is part of every query (out of scope answers exactly like missing), and each change or
 * read of personal data writes its audit row in the same transaction.
 */
import type { Transaction } from 'kysely';
import type {
  AssetInput, EmergencyInput, ExpenditureInput, HouseholdCreate, HouseholdList, HouseholdListQuery, HouseholdPatch,
  HouseholdView, IncomeInput, MemberInput, MemberPatch, MemberView,
} from '../../contracts/households.js';
import { CATEGORIES } from '../../contracts/households.js';
import type { RevealRequestSchema, RevealResponseSchema } from '../../contracts/security.js';
import type { z } from 'zod';
import { ClassificationRepository } from '../../db/repositories/classification.repository.js';
import { HouseholdRepository } from '../../db/repositories/household.repository.js';
import type { Database } from '../../db/schema.js';
import type { AppContext } from '../context.js';
import { AppError, invalid, isUniqueViolation, staleVersion, type FieldIssue } from '../errors.js';
import { newId } from '../new-id.js';
import { appendAudit, appendAuditAlone, type AuditInput } from '../audit/audit.js';
import { hasPermission, requirePermission, type Actor } from '../auth/actor.js';
import { presentClassification } from '../classification/present-classification.js';
import { buildMemberRows, checkPeriod, checkVillage } from './validate.js';
import { presentHousehold, presentMember } from './present.js';
import { sourceNamesOf } from '../access/source-names.js';
import { maskName, MOBILE_PATTERN, RESIDENT_ID_PATTERN } from '../../core/security/index.js';

const notFound = (): AppError => new AppError('HOUSEHOLD_NOT_FOUND', 'household not found');

/** Rethrows the database's one-person-one-household violation (a concurrent insert) as a 400. */
function mapUnique(e: unknown): never {
  if (isUniqueViolation(e, 'members_id_number_key')) {
    throw new AppError('PERSON_IN_OTHER_HOUSEHOLD', 'members.idNumber: is already a member of another household', 'members.idNumber');
  }
  throw e;
}

const auditOf = (actor: Actor, action: string, objectId: string | null, purpose: string | null = null): AuditInput => ({
  actorId: actor.userId, role: actor.role, action, objectType: 'household', objectId, purpose, result: 'ok', requestId: actor.requestId,
});

/** A refused access to a household outside scope or missing: recorded, then answered as not found. */
async function denied(ctx: AppContext, actor: Actor, action: string, id: string): Promise<never> {
  await appendAuditAlone(ctx.db, { ...auditOf(actor, action, id), result: 'denied' });
  throw notFound();
}

/** Village codes outside the actor's region scope read as unknown regions. */
function checkScopedVillage(ctx: AppContext, actor: Actor, code: string | null | undefined, field: string): FieldIssue[] {
  const issues = checkVillage(ctx, code, field);
  if (issues.length === 0 && code != null && !code.startsWith(actor.scopeRegion)) return [{ field, message: 'is outside your area' }];
  return issues;
}

async function readHousehold(ctx: AppContext, trx: Transaction<Database>, actor: Actor, id: string): Promise<HouseholdView | undefined> {
  const agg = await new HouseholdRepository(trx).findById(id, actor.scopeRegion);
  if (!agg) return undefined;
  const latest = await new ClassificationRepository(trx).latest(id);
  const names = await sourceNamesOf(trx, [...agg.incomes, ...agg.assets, ...agg.expenditures, ...agg.emergencies].map((r) => r.source_dept));
  return presentHousehold(ctx, agg, latest ? await presentClassification(ctx, latest, agg.household.region_code) : null, names);
}

export async function getHousehold(ctx: AppContext, actor: Actor, id: string): Promise<HouseholdView> {
  requirePermission(actor, 'household.read');
  const view = await ctx.db.transaction().execute(async (trx) => {
    const v = await readHousehold(ctx, trx, actor, id);
    if (v) await appendAudit(trx, auditOf(actor, 'household.read', id));
    return v;
  });
  return view ?? denied(ctx, actor, 'household.read', id);
}

export async function createHousehold(ctx: AppContext, actor: Actor, input: HouseholdCreate): Promise<HouseholdView> {
  requirePermission(actor, 'household.write');
  const issues = [...checkScopedVillage(ctx, actor, input.regionCode, 'regionCode'), ...checkScopedVillage(ctx, actor, input.residenceRegionCode, 'residenceRegionCode')];
  if (issues.length > 0) throw invalid(issues);
  const id = newId();
  return ctx.db
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
      await appendAudit(trx, auditOf(actor, 'household.create', id));
      return (await readHousehold(ctx, trx, actor, id))!;
    })
    .catch(mapUnique);
}

/**
 * Writes take `ifMatch`, the version the client read (If-Match): a household changed since is
 * refused with PRECONDITION_FAILED (412) and nothing is written. Without it the write applies to
 * the current household (its row locked: concurrent writes run one after another, each fully).
 */
export async function updateHousehold(ctx: AppContext, actor: Actor, id: string, patch: HouseholdPatch, ifMatch?: number): Promise<HouseholdView> {
  requirePermission(actor, 'household.write');
  const view = await ctx.db.transaction().execute(async (trx) => {
    const repo = new HouseholdRepository(trx);
    if (!(await repo.exists(id, actor.scopeRegion))) return undefined;
    const issues = [...checkScopedVillage(ctx, actor, patch.regionCode, 'regionCode'), ...checkScopedVillage(ctx, actor, patch.residenceRegionCode, 'residenceRegionCode')];
    if (issues.length > 0) throw invalid(issues);
    if (!(await repo.touch(id, ifMatch))) throw staleVersion();
    await repo.updateHousehold(id, {
      ...(patch.regionCode !== undefined && { region_code: patch.regionCode, county_code: patch.regionCode.slice(0, 6) }),
      ...(patch.residenceRegionCode !== undefined && { residence_region_code: patch.residenceRegionCode }),
      ...(patch.address !== undefined && { address: patch.address }),
      ...(patch.hasAbleSupporter !== undefined && { has_able_supporter: patch.hasAbleSupporter }),
    });
    await appendAudit(trx, auditOf(actor, 'household.update', id));
    return readHousehold(ctx, trx, actor, id);
  });
  return view ?? denied(ctx, actor, 'household.update', id);
}

export async function addMember(ctx: AppContext, actor: Actor, householdId: string, input: MemberInput, ifMatch?: number): Promise<MemberView> {
  requirePermission(actor, 'household.write');
  const row = await ctx.db
    .transaction()
    .execute(async (trx) => {
      const repo = new HouseholdRepository(trx);
      if (!(await repo.exists(householdId, actor.scopeRegion))) return undefined;
      // The household row is locked (next version) before the members are read: members added
      // at once take their positions one after another (unique per household since migration 0009).
      if (!(await repo.touch(householdId, ifMatch))) throw staleVersion();
      const agg = (await repo.findById(householdId))!;
      const next = agg.members.reduce((max, x) => Math.max(max, x.position + 1), 0);
      const [m] = await buildMemberRows(ctx, repo, householdId, [input], { field: () => 'member', startPosition: next, requireOneHead: false });
      await repo.insertMembers([m!]);
      await appendAudit(trx, auditOf(actor, 'household.add_member', householdId));
      return m!;
    })
    .catch(mapUnique);
  return row ? presentMember(row) : denied(ctx, actor, 'household.add_member', householdId);
}

export async function updateMember(ctx: AppContext, actor: Actor, householdId: string, memberId: string, patch: MemberPatch, ifMatch?: number): Promise<HouseholdView> {
  requirePermission(actor, 'household.write');
  const view = await ctx.db.transaction().execute(async (trx) => {
    const repo = new HouseholdRepository(trx);
    if (!(await repo.exists(householdId, actor.scopeRegion))) return undefined;
    // A member is part of the household: its version (If-Match) covers them.
    if (!(await repo.touch(householdId, ifMatch))) throw staleVersion();
    const updated = await repo.updateMember(householdId, memberId, {
      ...(patch.name !== undefined && { name: patch.name }),
      ...(patch.relation !== undefined && { relation: patch.relation }),
      ...(patch.disabilityGrade !== undefined && { disability_grade: patch.disabilityGrade }),
      ...(patch.seriousIllness !== undefined && { serious_illness: patch.seriousIllness }),
      ...(patch.labourCapacity !== undefined && { labour_capacity: patch.labourCapacity }),
      ...(patch.schooling !== undefined && { schooling: patch.schooling }),
      ...(patch.deceasedOn !== undefined && { deceased_on: patch.deceasedOn }),
      ...(patch.phone !== undefined && { phone: patch.phone }),
    });
    if (!updated) throw new AppError('MEMBER_NOT_FOUND', 'member not found in this household');
    await appendAudit(trx, auditOf(actor, 'household.update_member', householdId));
    return readHousehold(ctx, trx, actor, householdId);
  });
  return view ?? denied(ctx, actor, 'household.update_member', householdId);
}

export type RecordInput =
  | { kind: 'income'; data: IncomeInput }
  | { kind: 'asset'; data: AssetInput }
  | { kind: 'expenditure'; data: ExpenditureInput }
  | { kind: 'emergency'; data: EmergencyInput };

/** Adds one income, asset, expenditure or emergency record to a household. Returns the new record's id. */
export async function addRecord(ctx: AppContext, actor: Actor, householdId: string, input: RecordInput): Promise<string> {
  if (!hasPermission(actor, 'record.write')) requirePermission(actor, 'household.write');
  if (input.kind === 'income' || input.kind === 'expenditure') {
    const issues = checkPeriod(input.data.periodStart, input.data.periodEnd);
    if (issues.length > 0) throw invalid(issues);
  }
  const id = newId();
  const ok = await ctx.db.transaction().execute(async (trx) => {
    const repo = new HouseholdRepository(trx);
    if (!(await repo.exists(householdId, actor.scopeRegion))) return false;
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
    await appendAudit(trx, auditOf(actor, `household.add_${input.kind}`, householdId));
    return true;
  });
  return ok ? id : denied(ctx, actor, `household.add_${input.kind}`, householdId);
}

/** The region filter narrowed to the actor's scope; null when the two do not overlap. */
function scopedRegion(actor: Actor, region: string | undefined): string | null {
  if (!region || actor.scopeRegion.startsWith(region)) return actor.scopeRegion;
  if (region.startsWith(actor.scopeRegion)) return region;
  return null;
}

export async function listHouseholds(ctx: AppContext, actor: Actor, q: HouseholdListQuery): Promise<HouseholdList> {
  requirePermission(actor, 'household.read');
  const region = scopedRegion(actor, q.region);
  if (region === null) return { items: [], total: 0, page: q.page, pageSize: q.pageSize };
  // One statement, no transaction: the read's audit row joins the shared batch (ADR 0006) and has
  // committed before the page leaves (a failed audit commit fails the request).
  const { rows, total } = await new HouseholdRepository(ctx.db).list({ regionPrefix: region, category: q.category, limit: q.pageSize, offset: (q.page - 1) * q.pageSize });
  await appendAuditAlone(ctx.db, auditOf(actor, 'household.list', null, `region=${region};category=${q.category ?? '*'};page=${q.page}`));
  return {
    items: rows.map((r) => ({
      id: r.id,
      regionCode: r.region_code,
      villageName: r.village_name,
      countyCode: r.county_code,
      countyName: r.county_name,
      isMountainCounty: r.is_mountain_county,
      headName: r.head_name == null ? null : maskName(r.head_name),
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

export async function categoryCounts(ctx: AppContext, actor: Actor, region?: string): Promise<{ region: string; total: number; byCategory: Record<string, number> }> {
  requirePermission(actor, 'household.read');
  const scoped = scopedRegion(actor, region);
  const byCategory: Record<string, number> = Object.fromEntries(CATEGORIES.map((c) => [c, 0]));
  let total = 0;
  if (scoped !== null) {
    for (const r of await new HouseholdRepository(ctx.db).countByCategory(scoped)) {
      total += r.n;
      byCategory[r.category ?? 'unclassified'] = (byCategory[r.category ?? 'unclassified'] ?? 0) + r.n;
    }
  }
  return { region: scoped ?? region ?? actor.scopeRegion, total, byCategory };
}

/** Full names, ID numbers and phones of a household's members, for a stated reason (audited). */
export async function revealHousehold(ctx: AppContext, actor: Actor, id: string, req: z.infer<typeof RevealRequestSchema>): Promise<z.infer<typeof RevealResponseSchema>> {
  requirePermission(actor, 'household.unmask');
  // The note goes into the audit trail, which the audit administrator reads unmasked.
  if (req.note && (new RegExp(RESIDENT_ID_PATTERN.source).test(req.note) || new RegExp(MOBILE_PATTERN.source).test(req.note))) {
    throw invalid([{ field: 'note', message: 'must not contain an ID number or a phone number (it is kept in the audit trail)' }]);
  }
  const purpose = req.note ? `${req.reason}: ${req.note}` : req.reason;
  const out = await ctx.db.transaction().execute(async (trx) => {
    const agg = await new HouseholdRepository(trx).findById(id, actor.scopeRegion);
    if (!agg) return undefined;
    await appendAudit(trx, auditOf(actor, 'household.reveal', id, purpose));
    return { members: agg.members.map((m) => ({ id: m.id, name: m.name, idNumber: m.id_number, phone: m.phone })) };
  });
  return out ?? denied(ctx, actor, 'household.reveal', id);
}

export function listRegions(ctx: AppContext, parent: string): { code: string; name: string; level: 'province' | 'city' | 'county' | 'township' | 'village'; parentCode: string | null; isMountainCounty: boolean }[] {
  if (!ctx.regions.get(parent)) throw invalid([{ field: 'parent', message: 'unknown region code' }]);
  return ctx.regions.children(parent).map((r) => ({ code: r.code, name: r.name, level: r.level, parentCode: r.parentCode, isMountainCounty: r.isMountainCounty }));
}
