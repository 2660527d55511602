/**
 * Importing ledger records from a source system: every row is checked before anything is written;
 * then each record is linked to a registry member — the exact ID number first, then the
 * Fellegi–Sunter match of src/core/linkage for the rest (name and pinyin, birth date, ID number
 * with typos, county) — and the batch, the records (linked or "unlinked" for review) and the audit
 * row are written in one transaction. A record id this source sent before is skipped.
 *
 * The source is the caller's organisation, never the request's say (as for event feeds, ADR 0007):
 * a department cannot pass for another, and its record ids are its own. Civil-affairs staff
 * relaying a department's file, and the CLI, name the department.
 */
import { sourceOfOrganisation } from '../access/source-names.js';
import { LEDGER_SOURCE_PATTERN } from '../../contracts/ledger.js';
import { birthDateOfId, linkRecords, parseLedgerRows, PLATFORM_CHARITY_SOURCE, type LedgerIssue, type LedgerRow, type LinkEvidence, type LinkPerson } from '../../core/ledger/index.js';
import { hasPermission, requirePermission, type Actor } from '../auth/actor.js';
import type { AppContext } from '../context.js';
import { AppError } from '../errors.js';
import { newId } from '../new-id.js';
import { appendAudit } from '../audit/audit.js';
import { bulkInsert, type PgType } from '../../db/bulk.js';

export const MAX_LEDGER_ROWS = 10_000;
const MAX_ISSUES = 100;

export interface LedgerImportResult {
  /** The source the records are kept under (the caller's organisation, or the code given). */
  source: string;
  batchId: string | null;
  rows: number;
  alreadyImported: number;
  linkedExact: number;
  linkedProbabilistic: number;
  unlinked: number;
}

/** A refused import: every issue with its row and field (never a value). */
export class LedgerImportError extends AppError {
  constructor(readonly ledgerIssues: readonly LedgerIssue[]) {
    const first = ledgerIssues[0]!;
    super('VALIDATION_FAILED', `row ${first.row}: ${first.field}: ${first.message}${ledgerIssues.length > 1 ? ` (and ${ledgerIssues.length - 1} more)` : ''}`, first.field,
      ledgerIssues.slice(0, MAX_ISSUES).map((i) => ({ field: `rows[${i.row}].${i.field}`, message: i.message })));
    this.name = 'LedgerImportError';
  }
}

/**
 * The source a caller's records are kept under: its organisation's (`org_` and the id's hex, as
 * for feeds), or for civil-affairs staff and the operator, the code they give.
 */
export function ledgerSourceOf(actor: Actor | null, given: string | undefined): string {
  if (actor?.organisationId) return sourceOfOrganisation(actor.organisationId);
  if (given === undefined || !LEDGER_SOURCE_PATTERN.test(given)) throw new AppError('VALIDATION_FAILED', 'source: must be a department or organisation code (lower-case letters, digits, _ or -)', 'source');
  if (given === PLATFORM_CHARITY_SOURCE) throw new AppError('VALIDATION_FAILED', `source: ${PLATFORM_CHARITY_SOURCE} is reserved for the charity deliveries recorded in the platform`, 'source');
  return given;
}

/**
 * Imports ledger records. `actor` null is the operator console (the whole province, `given`
 * source); otherwise the caller needs record.write or household.write, the source is its
 * organisation's (`given` is used only for callers without one: civil-affairs staff relaying a
 * department's file), and records are linked only to members of households in the caller's area
 * (the rest stay unlinked).
 */
export async function importLedger(ctx: AppContext, actor: Actor | null, given: string | undefined, rows: readonly unknown[], options: { kind?: string } = {}): Promise<LedgerImportResult> {
  if (actor && !hasPermission(actor, 'record.write')) requirePermission(actor, 'household.write');
  const source = ledgerSourceOf(actor, given);
  if (rows.length === 0) throw new AppError('VALIDATION_FAILED', 'rows: the file is empty', 'rows');
  if (rows.length > MAX_LEDGER_ROWS) throw new AppError('VALIDATION_FAILED', `rows: at most ${MAX_LEDGER_ROWS} rows per import`, 'rows');
  const parsed = parseLedgerRows(rows, source, ctx.today());
  if (parsed.issues.length > 0) throw new LedgerImportError(parsed.issues);
  const scope = actor?.scopeRegion ?? '33';

  return ctx.db.transaction().execute(async (trx) => {
    const known = new Set((await trx.selectFrom('ledger_entries').select('record_id').where('source_dept', '=', source).where('record_id', 'in', parsed.rows.map((r) => r.recordId)).execute()).map((r) => r.record_id));
    const todo = parsed.rows.filter((r) => !known.has(r.recordId));
    const result: LedgerImportResult = { source, batchId: null, rows: parsed.rows.length, alreadyImported: parsed.rows.length - todo.length, linkedExact: 0, linkedProbabilistic: 0, unlinked: 0 };
    if (todo.length === 0) return result;
    const links = await linkRows(trx, scope, todo);
    const batchId = newId();
    result.batchId = batchId;
    await trx.insertInto('import_batches').values({ id: batchId, source_dept: source, kind: options.kind ?? 'ledger', row_count: todo.length, note: null }).execute();
    const cols = {
      id: [] as unknown[], source_dept: [] as unknown[], record_id: [] as unknown[], batch_id: [] as unknown[], household_id: [] as unknown[], member_id: [] as unknown[],
      link_status: [] as unknown[], link_method: [] as unknown[], link_probability: [] as unknown[], link_explanation: [] as unknown[], id_number: [] as unknown[], name: [] as unknown[],
      programme: [] as unknown[], need_category: [] as unknown[], provider: [] as unknown[], provider_region: [] as unknown[], amount_fen: [] as unknown[], in_kind: [] as unknown[],
      basis_fen: [] as unknown[], period_start: [] as unknown[], period_end: [] as unknown[],
    };
    for (const r of todo) {
      const l = links.get(r.recordId);
      if (!l) result.unlinked++;
      else if (l.evidence.method === 'exact_id') result.linkedExact++;
      else result.linkedProbabilistic++;
      const v: Record<keyof typeof cols, unknown> = {
        id: newId(), source_dept: source, record_id: r.recordId, batch_id: batchId, household_id: l?.householdId ?? null, member_id: l?.memberId ?? null,
        link_status: l ? 'linked' : 'unlinked', link_method: l?.evidence.method ?? null, link_probability: l?.evidence.probability ?? null,
        link_explanation: l && l.evidence.method === 'probabilistic' ? l.evidence.fields : null, id_number: r.idNumber, name: r.name,
        programme: r.programme, need_category: r.needCategory, provider: r.provider, provider_region: r.providerRegion, amount_fen: r.amountFen, in_kind: r.inKind,
        basis_fen: r.basisFen, period_start: r.periodStart, period_end: r.periodEnd,
      };
      for (const k of Object.keys(cols) as (keyof typeof cols)[]) cols[k].push(v[k]);
    }
    const types: Record<keyof typeof cols, PgType> = {
      id: 'uuid', source_dept: 'text', record_id: 'text', batch_id: 'uuid', household_id: 'uuid', member_id: 'uuid', link_status: 'text', link_method: 'text',
      link_probability: 'double precision', link_explanation: 'jsonb', id_number: 'text', name: 'text', programme: 'text', need_category: 'text', provider: 'text',
      provider_region: 'text', amount_fen: 'bigint', in_kind: 'boolean', basis_fen: 'bigint', period_start: 'date', period_end: 'date',
    };
    await bulkInsert(trx, 'ledger_entries', (Object.keys(cols) as (keyof typeof cols)[]).map((k) => ({ name: k, type: types[k], values: cols[k] })));
    await appendAudit(trx, {
      actorId: actor?.userId ?? null, role: actor?.role ?? 'operator', action: 'ledger.import', objectType: 'batch', objectId: batchId,
      purpose: `${source}: ${todo.length} records, ${result.linkedExact} exact, ${result.linkedProbabilistic} by linkage, ${result.unlinked} unlinked`, result: 'ok', requestId: actor?.requestId ?? null,
    });
    return result;
  });
}

/** Links rows to members in scope: exact ID number, then probabilistic linkage for the rest. */
async function linkRows(trx: AppContext['db'], scope: string, rows: readonly LedgerRow[]): Promise<Map<string, { memberId: string; householdId: string; evidence: LinkEvidence }>> {
  const out = new Map<string, { memberId: string; householdId: string; evidence: LinkEvidence }>();
  const exact = await trx.selectFrom('members as m').innerJoin('households as h', 'h.id', 'm.household_id')
    .select(['m.id', 'm.household_id', 'm.id_number']).where('m.id_number', 'in', [...new Set(rows.map((r) => r.idNumber))]).where('h.region_code', 'like', `${scope}%`).execute();
  const byId = new Map(exact.map((m) => [m.id_number, m]));
  const rest: LinkPerson[] = [];
  for (const r of rows) {
    const m = byId.get(r.idNumber);
    if (m) out.set(r.recordId, { memberId: m.id, householdId: m.household_id, evidence: { method: 'exact_id', probability: 1, fields: [] } });
    else rest.push({ key: r.recordId, name: r.name, idNumber: r.idNumber, birthDate: birthDateOfId(r.idNumber), county: r.idNumber.slice(0, 6) });
  }
  if (rest.length === 0) return out;
  // The registry side: members in scope (the linkage engine blocks, so all of them is fine at registry sizes).
  const members = await trx.selectFrom('members as m').innerJoin('households as h', 'h.id', 'm.household_id')
    .select(['m.id', 'm.household_id', 'm.name', 'm.id_number', 'm.birth_date', 'h.county_code']).where('h.region_code', 'like', `${scope}%`).execute();
  const householdOf = new Map(members.map((m) => [m.id, m.household_id]));
  const linked = linkRecords(rest, members.map((m) => ({ key: m.id, name: m.name, idNumber: m.id_number, birthDate: m.birth_date, county: m.county_code })));
  for (const [recordId, l] of linked.links) out.set(recordId, { memberId: l.memberKey, householdId: householdOf.get(l.memberKey)!, evidence: l.evidence });
  return out;
}
