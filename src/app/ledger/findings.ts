/**
 * Reading the ledger and handling duplicate-assistance findings: a household's ledger (one
 * timeline), the findings list and one finding with its records side by side, and the auditor's
 * resolution (confirmed → a recovery task; false positive → a reason that is remembered). The
 * household's region scope decides who sees what (out of scope = not found); names and ID numbers
 * are masked for every role; every read and change is audited in its transaction.
 */
import { sql, type Kysely, type Selectable } from 'kysely';
import type { z } from 'zod';
import type { FindingDetailSchema, FindingListQuerySchema, FindingListSchema, FindingResolutionSchema, FindingView, HouseholdLedgerSchema, LedgerEntryView } from '../../contracts/ledger.js';
import { PLATFORM_CHARITY_SOURCE, PROGRAMMES, referralIdOfRecord, sectorOf, type Programme } from '../../core/ledger/index.js';
import { maskIdNumber, maskName, MOBILE_PATTERN, RESIDENT_ID_PATTERN } from '../../core/security/index.js';
import type { Database, LedgerEntriesTable, LedgerFindingsTable, RecoveryTasksTable } from '../../db/schema.js';
import { appendAudit, appendAuditAlone } from '../audit/audit.js';
import { requirePermission, type Actor } from '../auth/actor.js';
import type { AppContext } from '../context.js';
import { AppError, invalid } from '../errors.js';
import { newId } from '../new-id.js';
import { sourceNamesOf } from '../access/source-names.js';

type EntryRow = Selectable<LedgerEntriesTable>;
type FindingRow = Selectable<LedgerFindingsTable>;
type TaskRow = Selectable<RecoveryTasksTable>;
const iso = (d: Date | string | null): string | null => (d === null ? null : d instanceof Date ? d.toISOString() : d);

export function presentEntry(ctx: AppContext, e: EntryRow, names: EntryNames = NO_NAMES): LedgerEntryView {
  const programme = e.programme as Programme;
  const fields = (e.link_explanation ?? []) as { field: string; levelName: string; weight: number }[];
  return {
    id: e.id, source: e.source_dept, sourceName: names.sources.get(e.source_dept) ?? null, recordId: e.record_id, householdId: e.household_id, memberId: e.member_id,
    name: maskName(e.name), idNumber: maskIdNumber(e.id_number), programme, sector: sectorOf(programme), needCategory: e.need_category as LedgerEntryView['needCategory'],
    provider: e.provider, providerName: names.providers.get(e.id) ?? names.sources.get(e.provider) ?? null, providerRegion: e.provider_region, providerRegionName: ctx.regions.get(e.provider_region)?.name ?? e.provider_region,
    amountFen: e.amount_fen, inKind: e.in_kind, basisFen: e.basis_fen, periodStart: e.period_start, periodEnd: e.period_end,
    link: e.link_method === null ? null : { method: e.link_method, probability: e.link_probability ?? 1, fields },
  };
}

/**
 * The names the ledger knows: `providers`, the organisation of each of the platform's own charity
 * records (by entry id, through its referral); `sources`, the organisation behind a source or
 * provider code that is an organisation's (`org_<hex>`: a department's or charity's own import,
 * access/source-names.ts), by code. Known department codes are left to the web's labels.
 */
interface EntryNames {
  providers: ReadonlyMap<string, string>;
  sources: ReadonlyMap<string, string>;
}
const NO_NAMES: EntryNames = { providers: new Map(), sources: new Map() };

async function providerNamesOf(db: Kysely<Database>, entries: readonly EntryRow[]): Promise<EntryNames> {
  const sources = await sourceNamesOf(db, entries.flatMap((e) => [e.source_dept, e.provider]));
  return { providers: await platformCharityNamesOf(db, entries), sources };
}

/** The organisation names of the platform's own charity records (by entry id), through their referrals. */
async function platformCharityNamesOf(db: Kysely<Database>, entries: readonly EntryRow[]): Promise<Map<string, string>> {
  const referralOf = new Map<string, string>();
  for (const e of entries) {
    const rid = e.source_dept === PLATFORM_CHARITY_SOURCE ? referralIdOfRecord(e.record_id) : null;
    if (rid !== null && UUID.test(rid)) referralOf.set(e.id, rid);
  }
  if (referralOf.size === 0) return new Map();
  const rows = await db.selectFrom('charity_referrals as r').innerJoin('organisations as o', 'o.id', 'r.organisation_id').select(['r.id', 'o.name'])
    .where('r.id', 'in', [...new Set(referralOf.values())]).execute();
  const nameOf = new Map(rows.map((r) => [r.id, r.name]));
  const out = new Map<string, string>();
  for (const [entryId, rid] of referralOf) {
    const n = nameOf.get(rid);
    if (n !== undefined) out.set(entryId, n);
  }
  return out;
}
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A finding shown with its household's current village (`region`), not the one it was raised in (ADR 0007). */
function presentFinding(ctx: AppContext, f: FindingRow, task: TaskRow | undefined, minP: number | null, region: string): FindingView {
  return {
    id: f.id, kind: f.kind, status: f.status, householdId: f.household_id, memberId: f.member_id, regionCode: region,
    villageName: ctx.regions.get(region)?.name ?? region, needCategory: f.need_category as FindingView['needCategory'],
    overlapStart: f.overlap_start, overlapEnd: f.overlap_end, overlapDays: f.overlap_days, totalFen: f.total_fen, excessFen: f.excess_fen, entryCount: f.entry_ids.length,
    minLinkProbability: minP, detail: (f.detail ?? {}) as FindingView['detail'], raisedOn: f.raised_on, reason: f.reason, resolvedAt: iso(f.resolved_at),
    recovery: task ? { id: task.id, amountFen: task.amount_fen, department: task.department, status: task.status, createdAt: iso(task.created_at)! } : null,
  };
}

const minProbability = sql<number | null>`(SELECT min(e.link_probability) FROM ledger_entries e WHERE e.id = ANY(f.entry_ids) AND e.link_method = 'probabilistic')`;

/** Findings in the actor's area: open first, then by the amount at stake. */
export async function listFindings(ctx: AppContext, actor: Actor, q: z.infer<typeof FindingListQuerySchema>): Promise<z.infer<typeof FindingListSchema>> {
  requirePermission(actor, 'finding.read');
  return ctx.db.transaction().execute(async (trx) => {
    // Scope follows the household: its current village, never the one the finding was raised in (ADR 0007).
    let base = trx.selectFrom('ledger_findings as f').innerJoin('households as h', 'h.id', 'f.household_id').where('h.region_code', 'like', `${actor.scopeRegion}%`);
    if (q.kind) base = base.where('f.kind', '=', q.kind);
    if (q.status) base = base.where('f.status', '=', q.status);
    const total = (await base.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirst())?.n ?? 0;
    const rows = await base.selectAll('f').select(minProbability.as('min_p')).select('h.region_code as household_region')
      .orderBy(sql`CASE WHEN f.status = 'open' THEN 0 ELSE 1 END`).orderBy('f.excess_fen', 'desc').orderBy('f.id')
      .limit(q.pageSize).offset((q.page - 1) * q.pageSize).execute();
    const tasks = rows.length === 0 ? [] : await trx.selectFrom('recovery_tasks').selectAll().where('finding_id', 'in', rows.map((r) => r.id)).execute();
    const taskOf = new Map(tasks.map((t) => [t.finding_id, t]));
    await appendAudit(trx, { actorId: actor.userId, role: actor.role, action: 'finding.list', objectType: 'finding', purpose: `kind=${q.kind ?? '*'};status=${q.status ?? '*'}`, result: 'ok', requestId: actor.requestId });
    return { items: rows.map((r) => presentFinding(ctx, r, taskOf.get(r.id), r.min_p, r.household_region)), total, page: q.page, pageSize: q.pageSize };
  });
}

const findingNotFound = (): AppError => new AppError('NOT_FOUND', 'finding not found');

async function findingInScope(db: Kysely<Database>, actor: Actor, id: string, lock = false) {
  let q = db.selectFrom('ledger_findings as f').innerJoin('households as h', 'h.id', 'f.household_id')
    .selectAll('f').select(minProbability.as('min_p')).select('h.region_code as household_region').where('f.id', '=', id).where('h.region_code', 'like', `${actor.scopeRegion}%`);
  if (lock) q = q.forUpdate('f');
  return q.executeTakeFirst();
}

/** One finding with its records side by side and the registry member (masked). */
export async function getFinding(ctx: AppContext, actor: Actor, id: string): Promise<z.infer<typeof FindingDetailSchema>> {
  requirePermission(actor, 'finding.read');
  const out = await ctx.db.transaction().execute(async (trx) => {
    const f = await findingInScope(trx, actor, id);
    if (!f) return undefined;
    const [entries, task, member] = await Promise.all([
      f.entry_ids.length === 0 ? Promise.resolve([]) : trx.selectFrom('ledger_entries').selectAll().where('id', 'in', f.entry_ids).orderBy('period_start').orderBy('provider_region').execute(),
      trx.selectFrom('recovery_tasks').selectAll().where('finding_id', '=', f.id).executeTakeFirst(),
      f.member_id === null ? Promise.resolve(undefined) : trx.selectFrom('members').select(['id', 'name', 'id_number', 'birth_date', 'deceased_on']).where('id', '=', f.member_id).executeTakeFirst(),
    ]);
    const names = await providerNamesOf(trx, entries);
    await appendAudit(trx, { actorId: actor.userId, role: actor.role, action: 'finding.read', objectType: 'finding', objectId: f.id, result: 'ok', requestId: actor.requestId });
    return {
      ...presentFinding(ctx, f, task, f.min_p, f.household_region),
      entries: entries.map((e) => presentEntry(ctx, e, names)),
      member: member ? { id: member.id, name: maskName(member.name), idNumber: maskIdNumber(member.id_number), birthDate: member.birth_date, deceasedOn: member.deceased_on } : null,
    };
  });
  if (out) return out;
  await appendAuditAlone(ctx.db, { actorId: actor.userId, role: actor.role, action: 'finding.read', objectType: 'finding', objectId: id, result: 'denied', requestId: actor.requestId });
  throw findingNotFound();
}

const carriesPersonalData = (s: string): boolean => new RegExp(RESIDENT_ID_PATTERN.source).test(s) || new RegExp(MOBILE_PATTERN.source).test(s);

/** The auditor's decision on an open finding. */
export async function resolveFinding(ctx: AppContext, actor: Actor, id: string, body: z.infer<typeof FindingResolutionSchema>): Promise<FindingView> {
  requirePermission(actor, 'finding.resolve');
  const text = body.outcome === 'confirmed' ? body.note ?? '' : body.reason;
  if (carriesPersonalData(text)) throw invalid([{ field: body.outcome === 'confirmed' ? 'note' : 'reason', message: 'must not contain an ID number or a phone number' }]);
  const out = await ctx.db.transaction().execute(async (trx) => {
    const f = await findingInScope(trx, actor, id, true);
    if (!f) return undefined;
    if (f.status !== 'open') throw new AppError('CONFLICT', `the finding is already ${f.status === 'confirmed' ? 'confirmed' : 'judged a false positive'}`);
    const reason = body.outcome === 'confirmed' ? (body.note ?? null) : body.reason;
    const updated = await trx.updateTable('ledger_findings').set({ status: body.outcome, resolved_by: actor.userId, resolved_at: new Date(), reason, updated_at: new Date() })
      .where('id', '=', id).returningAll().executeTakeFirstOrThrow();
    let task: TaskRow | undefined;
    if (body.outcome === 'confirmed') {
      task = await trx.insertInto('recovery_tasks').values({ id: newId(), finding_id: id, amount_fen: body.recoveryAmountFen, department: body.department, status: 'open', created_by: actor.userId })
        .returningAll().executeTakeFirstOrThrow();
    }
    await appendAudit(trx, { actorId: actor.userId, role: actor.role, action: `finding.${body.outcome}`, objectType: 'finding', objectId: id, result: 'ok', requestId: actor.requestId });
    return presentFinding(ctx, updated, task, f.min_p, f.household_region);
  });
  if (out) return out;
  await appendAuditAlone(ctx.db, { actorId: actor.userId, role: actor.role, action: `finding.${body.outcome}`, objectType: 'finding', objectId: id, result: 'denied', requestId: actor.requestId });
  throw findingNotFound();
}

/** A household's ledger: every receipt of help, newest first, with totals and open findings. */
export async function householdLedger(ctx: AppContext, actor: Actor, householdId: string): Promise<z.infer<typeof HouseholdLedgerSchema>> {
  requirePermission(actor, 'household.read');
  const out = await ctx.db.transaction().execute(async (trx) => {
    const h = await trx.selectFrom('households').select('id').where('id', '=', householdId).where('region_code', 'like', `${actor.scopeRegion}%`).executeTakeFirst();
    if (!h) return undefined;
    const [entries, open] = await Promise.all([
      trx.selectFrom('ledger_entries').selectAll().where('household_id', '=', householdId).orderBy('period_start', 'desc').orderBy('programme').orderBy('id').execute(),
      trx.selectFrom('ledger_findings').select((eb) => eb.fn.countAll<number>().as('n')).where('household_id', '=', householdId).where('status', '=', 'open').executeTakeFirst(),
    ]);
    await appendAudit(trx, { actorId: actor.userId, role: actor.role, action: 'household.read_ledger', objectType: 'household', objectId: householdId, result: 'ok', requestId: actor.requestId });
    const names = await providerNamesOf(trx, entries);
    const views = entries.map((e) => presentEntry(ctx, e, names));
    return {
      entries: views,
      totals: {
        governmentFen: views.filter((e) => e.sector === 'government').reduce((t, e) => t + e.amountFen, 0),
        charityFen: views.filter((e) => e.sector === 'charity').reduce((t, e) => t + e.amountFen, 0),
      },
      openFindings: open?.n ?? 0,
    };
  });
  if (out) return out;
  await appendAuditAlone(ctx.db, { actorId: actor.userId, role: actor.role, action: 'household.read_ledger', objectType: 'household', objectId: householdId, result: 'denied', requestId: actor.requestId });
  throw new AppError('HOUSEHOLD_NOT_FOUND', 'household not found');
}

export const programmeLabel = (p: Programme): string => PROGRAMMES[p].label;
