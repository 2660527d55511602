/** Checks that need the registry or the official lists (schemas already checked shapes and ranges). */
import { parseResidentId } from '../../core/ids/index.js';
import { dayNumber } from '../../core/dates/dates.js';
import type { MemberInput } from '../../contracts/households.js';
import type { MemberRow } from '../../db/schema.js';
import type { HouseholdRepository } from '../../db/repositories/household.repository.js';
import type { AppContext } from '../context.js';
import { AppError, invalid, type FieldIssue } from '../errors.js';
import { newId } from '../new-id.js';

/** Issues for a region code that is not a known village. */
export function checkVillage(ctx: AppContext, code: string | null | undefined, field: string): FieldIssue[] {
  if (code == null) return [];
  const r = ctx.regions.get(code);
  if (!r) return [{ field, message: 'unknown region code' }];
  if (r.level !== 'village') return [{ field, message: `must be a village (community) code, not a ${r.level}` }];
  return [];
}

/** Issues for a period that ends before it starts. */
export function checkPeriod(start: string, end: string, field = 'periodEnd'): FieldIssue[] {
  return dayNumber(end) < dayNumber(start) ? [{ field, message: 'ends before it starts' }] : [];
}

/** A member input whose ID number parsed, with the normalised number, sex and birth date. */
export interface CheckedMember<M extends MemberInput = MemberInput> {
  input: M;
  index: number;
  idNumber: string;
  sex: 'M' | 'F';
  birthDate: string;
}

/**
 * The member checks that need no database, shared by the API and `classify --input`: ID check
 * character, region and birth date; one person once (`seen` carries persons across households);
 * death not before birth; exactly one head when asked. Issues name the member's field, never a value.
 */
export function checkMemberInputs<M extends MemberInput>(
  inputs: readonly M[],
  options: { today: string; field: (i: number) => string; requireOneHead: boolean; membersField?: string; seen?: Map<string, string> },
): { issues: FieldIssue[]; members: CheckedMember<M>[] } {
  const issues: FieldIssue[] = [];
  const members: CheckedMember<M>[] = [];
  const seen = options.seen ?? new Map<string, string>();
  inputs.forEach((m, i) => {
    const f = options.field(i);
    const parsed = parseResidentId(m.idNumber, { today: options.today });
    if (!parsed.ok) {
      issues.push({ field: `${f}.idNumber`, message: parsed.message });
      return;
    }
    const id = parsed.value.idNumber;
    const first = seen.get(id);
    if (first !== undefined) issues.push({ field: `${f}.idNumber`, message: `is the same person as ${first}` });
    else seen.set(id, f);
    if (m.deceasedOn != null && dayNumber(m.deceasedOn) < dayNumber(parsed.value.birthDate)) {
      issues.push({ field: `${f}.deceasedOn`, message: 'is before the birth date' });
    }
    members.push({ input: m, index: i, idNumber: id, sex: parsed.value.sex, birthDate: parsed.value.birthDate });
  });
  if (options.requireOneHead) {
    const heads = inputs.filter((m) => m.relation === 'head').length;
    if (heads !== 1) issues.push({ field: options.membersField ?? 'members', message: `a household needs exactly one head (户主), found ${heads}` });
  }
  return { issues, members };
}

/**
 * Validates member inputs (checkMemberInputs, then one household per person in the registry) and
 * builds their rows. Throws AppError naming the member's field.
 */
export async function buildMemberRows(
  ctx: AppContext,
  repo: HouseholdRepository,
  householdId: string,
  inputs: readonly MemberInput[],
  options: { field: (i: number) => string; startPosition: number; requireOneHead: boolean },
): Promise<MemberRow[]> {
  const { issues, members } = checkMemberInputs(inputs, { today: ctx.today(), field: options.field, requireOneHead: options.requireOneHead });
  if (issues.length > 0) throw invalid(issues);
  const rows: MemberRow[] = members.map(({ input: m, index: i, idNumber, sex, birthDate }) => ({
    id: newId(),
    household_id: householdId,
    name: m.name,
    id_number: idNumber,
    relation: m.relation,
    sex,
    birth_date: birthDate,
    disability_grade: m.disabilityGrade,
    serious_illness: m.seriousIllness,
    labour_capacity: m.labourCapacity,
    schooling: m.schooling,
    deceased_on: m.deceasedOn ?? null,
    position: options.startPosition + i,
    phone: m.phone ?? null,
  }));
  const taken = await repo.findMembersByIdNumbers(rows.map((r) => r.id_number));
  if (taken.length > 0) {
    const takenSet = new Set(taken.map((t) => t.id_number));
    const clash = rows.findIndex((r) => takenSet.has(r.id_number));
    throw new AppError('PERSON_IN_OTHER_HOUSEHOLD', `${options.field(clash)}.idNumber: is already a member of another household`, `${options.field(clash)}.idNumber`);
  }
  return rows;
}
