/**
 * Classification without a database: households given as JSON (see docs/classify-input.md) go
 * through the same validation and the same engine as the API. Each household gets either a
 * result or errors naming its fields; one bad household does not stop the others.
 */
import { OfflineClassifyInputSchema, type OfflineHousehold } from '../../contracts/households.js';
import { checkMemberInputs } from '../households/validate.js';
import { classifyHousehold, type Classification } from '../../core/means-test/index.js';
import type { Household } from '../../core/household/household.js';
import { parametersAt, type PolicyBook } from '../../core/policy/parameters.js';
import type { RegionIndex } from '../../core/regions/index.js';
import { dayNumber } from '../../core/dates/dates.js';
import type { FieldIssue } from '../errors.js';

export type OfflineResult =
  | { id: string; ok: true; result: Omit<Classification, 'facts'> & { facts: Classification['facts'] } }
  | { id: string | null; ok: false; errors: FieldIssue[] };

/** Parses the input document; a shape error of the document itself throws with the field path. */
export function parseOfflineInput(json: unknown): { asOf: string | undefined; households: unknown[] } {
  if (typeof json !== 'object' || json === null) throw new Error('input: must be a JSON object with "households" (and optionally "asOf")');
  const doc = json as { asOf?: unknown; households?: unknown };
  if (!Array.isArray(doc.households)) throw new Error('households: must be an array');
  const asOf = OfflineClassifyInputSchema.shape.asOf.safeParse(doc.asOf);
  if (!asOf.success) throw new Error('asOf: must be a date in YYYY-MM-DD form');
  return { asOf: asOf.data, households: doc.households };
}

function toHousehold(
  h: OfflineHousehold,
  index: number,
  regions: RegionIndex,
  today: string,
  registered: Map<string, string>,
): { household?: Household; errors: FieldIssue[] } {
  const at = `households[${index}]`;
  const errors: FieldIssue[] = [];
  const region = regions.get(h.regionCode);
  if (!region || region.level !== 'village') errors.push({ field: `${at}.regionCode`, message: region ? 'must be a village code' : 'unknown region code' });
  // The API's member checks: valid ID numbers, a person once, death not before birth, one head.
  const checked = checkMemberInputs(h.members, { today, field: (i) => `${at}.members[${i}]`, requireOneHead: true, membersField: `${at}.members` });
  errors.push(...checked.issues);
  // One person, one household: as the registry refuses a second household holding a registered
  // person, a person already in an earlier (accepted) household of the file refuses this one.
  for (const m of checked.members) {
    const earlier = registered.get(m.idNumber);
    if (earlier !== undefined) errors.push({ field: `${at}.members[${m.index}].idNumber`, message: `is already a member of ${earlier}` });
  }
  const memberIds = new Set<string>();
  const members = checked.members.map(({ input: m, index: i, idNumber, sex, birthDate }) => {
    const id = m.id ?? `m${i}`;
    if (memberIds.has(id)) errors.push({ field: `${at}.members[${i}].id`, message: 'is used by another member of this household' });
    memberIds.add(id);
    return {
      id, name: m.name, idNumber, relation: m.relation, sex, birthDate, disabilityGrade: m.disabilityGrade as 0 | 1 | 2 | 3 | 4,
      seriousIllness: m.seriousIllness, labourCapacity: m.labourCapacity, schooling: m.schooling, deceasedOn: m.deceasedOn ?? null,
    };
  });
  const checkRecord = (kind: string, i: number, r: { memberId?: string | undefined; periodStart?: string; periodEnd?: string }): void => {
    if (r.memberId !== undefined && !memberIds.has(r.memberId)) errors.push({ field: `${at}.${kind}[${i}].memberId`, message: 'is not a member of this household' });
    if (r.periodStart && r.periodEnd && dayNumber(r.periodEnd) < dayNumber(r.periodStart)) errors.push({ field: `${at}.${kind}[${i}].periodEnd`, message: 'ends before it starts' });
  };
  h.incomes.forEach((r, i) => checkRecord('incomes', i, r));
  h.assets.forEach((r, i) => checkRecord('assets', i, r));
  h.expenditures.forEach((r, i) => checkRecord('expenditures', i, r));
  if (errors.length > 0) return { errors };
  for (const m of checked.members) registered.set(m.idNumber, at);
  return {
    errors,
    household: {
      id: h.id,
      regionCode: h.regionCode,
      hasAbleSupporter: h.hasAbleSupporter,
      members,
      incomes: h.incomes.map((r, i) => ({ ...r, id: `i${i}`, memberId: r.memberId ?? null })),
      assets: h.assets.map((r, i) => ({ ...r, id: `a${i}`, memberId: r.memberId ?? null })),
      expenditures: h.expenditures.map((r, i) => ({ ...r, id: `x${i}`, memberId: r.memberId ?? null })),
      emergencies: h.emergencies,
    },
  };
}

/** Classifies each input household; yields one result per input, in order. */
export function* classifyOffline(
  input: { asOf: string | undefined; households: unknown[] },
  deps: { policy: PolicyBook; regions: RegionIndex; today: string },
): Generator<OfflineResult> {
  const asOf = input.asOf ?? deps.today;
  const registered = new Map<string, string>();
  for (let i = 0; i < input.households.length; i++) {
    const parsed = (OfflineClassifyInputSchema.shape.households.element).safeParse(input.households[i]);
    if (!parsed.success) {
      const raw = input.households[i] as { id?: unknown } | undefined;
      yield {
        id: typeof raw?.id === 'string' ? raw.id : null,
        ok: false,
        errors: parsed.error.issues.map((iss) => ({ field: `households[${i}]${iss.path.map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`)).join('')}`, message: iss.message })),
      };
      continue;
    }
    const { household, errors } = toHousehold(parsed.data, i, deps.regions, deps.today, registered);
    if (!household) {
      yield { id: parsed.data.id, ok: false, errors };
      continue;
    }
    let params;
    try {
      params = parametersAt(deps.policy, household.regionCode, asOf);
    } catch {
      yield { id: household.id, ok: false, errors: [{ field: 'asOf', message: `no policy parameters were in force on ${asOf}` }] };
      continue;
    }
    yield { id: household.id, ok: true, result: classifyHousehold(household, params, asOf) };
  }
}
