/**
 * Importing a department's event feed: every row is checked (fields, then the person behind the
 * ID number inside the caller's area, then the event against what the registry already holds)
 * before anything is written; then, in one transaction, the batch, each event's effect and a
 * record of each source record id (a record already applied is skipped, so a feed can be sent
 * again). The next monitoring run sees the change: an emergency or a new illness, disability or
 * death raises its trigger, a referral puts the household in the suspected group.
 */
import { sql } from 'kysely';
import { FEED_SOURCE_PATTERN } from '../../contracts/monitoring.js';
import { isEmergencyKind, parseFeedRows, type FeedEvent, type FeedIssue } from '../../core/feeds/event-feed.js';
import { hasPermission, requirePermission, type Actor } from '../auth/actor.js';
import type { AppContext } from '../context.js';
import { AppError } from '../errors.js';
import { newId } from '../new-id.js';
import { appendAudit } from '../audit/audit.js';

export const MAX_FEED_ROWS = 10_000;
/** Issues listed in an error (the count says how many there were). */
const MAX_ISSUES = 100;

export interface FeedResult {
  batchId: string | null;
  rows: number;
  applied: number;
  /** Rows whose record id this source had sent before (skipped). */
  alreadyApplied: number;
  /** Events that changed nothing (the registry already held them, e.g. the same date of death). */
  unchanged: number;
}

/** A refused feed: every issue with its row and field. */
export class FeedError extends AppError {
  constructor(readonly feedIssues: readonly FeedIssue[]) {
    const first = feedIssues[0]!;
    super('VALIDATION_FAILED', `row ${first.row}: ${first.field}: ${first.message}${feedIssues.length > 1 ? ` (and ${feedIssues.length - 1} more)` : ''}`, first.field,
      feedIssues.slice(0, MAX_ISSUES).map((i) => ({ field: `rows[${i.row}].${i.field}`, message: i.message })));
    this.name = 'FeedError';
  }
}

/**
 * Imports a feed from `source` (a department code). `actor` null is the operator console (the
 * whole province); otherwise the caller needs record.write (or household.write) and every person
 * must live in the caller's area.
 */
export async function importEventFeed(ctx: AppContext, actor: Actor | null, source: string, rows: readonly unknown[]): Promise<FeedResult> {
  if (actor && !hasPermission(actor, 'record.write')) requirePermission(actor, 'household.write');
  if (!FEED_SOURCE_PATTERN.test(source)) throw new AppError('VALIDATION_FAILED', 'source: must be a department code (lower-case letters, digits, _)', 'source');
  if (rows.length === 0) throw new AppError('VALIDATION_FAILED', 'rows: the feed is empty', 'rows');
  if (rows.length > MAX_FEED_ROWS) throw new AppError('VALIDATION_FAILED', `rows: at most ${MAX_FEED_ROWS} rows per feed`, 'rows');
  const { events, issues } = parseFeedRows(rows, ctx.today());
  if (issues.length > 0) throw new FeedError(issues);
  const scope = actor?.scopeRegion ?? '33';

  return ctx.db.transaction().execute(async (trx) => {
    // The person behind each ID number, in the caller's area. Unknown and out of area read the same.
    const ids = [...new Set(events.map((e) => e.idNumber))];
    const people = await trx
      .selectFrom('members as m').innerJoin('households as h', 'h.id', 'm.household_id')
      .select(['m.id', 'm.id_number', 'm.household_id', 'm.deceased_on', 'm.disability_grade', 'm.serious_illness'])
      .where('m.id_number', 'in', ids).where('h.region_code', 'like', `${scope}%`)
      .forUpdate('m')
      .execute();
    const byId = new Map(people.map((p) => [p.id_number, p]));
    const applied = new Set(
      (await trx.selectFrom('feed_records').select('record_id').where('source_dept', '=', source).where('record_id', 'in', events.map((e) => e.recordId)).execute()).map((r) => r.record_id),
    );
    const problems: FeedIssue[] = [];
    const todo: { e: FeedEvent; person: (typeof people)[number] }[] = [];
    for (const e of events) {
      const person = byId.get(e.idNumber);
      if (!person) {
        problems.push({ row: e.row, field: 'idNumber', message: 'no member of a household in your area has this ID number' });
        continue;
      }
      if (applied.has(e.recordId)) continue;
      if (person.deceased_on !== null && e.kind !== 'death' && e.occurredOn > person.deceased_on) {
        problems.push({ row: e.row, field: 'occurredOn', message: 'is after the date of death the registry holds for this member' });
        continue;
      }
      if (e.kind === 'death' && person.deceased_on !== null && person.deceased_on !== e.occurredOn) {
        problems.push({ row: e.row, field: 'occurredOn', message: 'the registry holds another date of death for this member' });
        continue;
      }
      todo.push({ e, person });
    }
    if (problems.length > 0) throw new FeedError(problems);

    const result: FeedResult = { batchId: null, rows: events.length, applied: 0, alreadyApplied: events.length - todo.length, unchanged: 0 };
    if (todo.length === 0) return result;
    const batchId = newId();
    result.batchId = batchId;
    await trx.insertInto('import_batches').values({ id: batchId, source_dept: source, kind: 'event_feed', row_count: todo.length, note: null }).execute();
    for (const { e, person } of todo) {
      let changed = true;
      if (isEmergencyKind(e.kind)) {
        await trx.insertInto('emergency_events').values({ id: newId(), household_id: person.household_id, kind: e.kind, occurred_on: e.occurredOn, source_dept: source, batch_id: batchId }).execute();
      } else if (e.kind === 'referral' || e.kind === 'rejected_application') {
        await trx.insertInto('referrals').values({
          id: newId(), household_id: person.household_id, reason: e.kind === 'referral' ? 'department_referral' : 'rejected_application', source_dept: source, referred_on: e.occurredOn, batch_id: batchId,
        }).execute();
      } else if (e.kind === 'death') {
        changed = person.deceased_on === null;
        if (changed) await trx.updateTable('members').set({ deceased_on: e.occurredOn }).where('id', '=', person.id).execute();
        person.deceased_on = e.occurredOn;
      } else if (e.kind === 'disability') {
        changed = person.disability_grade !== e.disabilityGrade;
        if (changed) await trx.updateTable('members').set({ disability_grade: e.disabilityGrade! }).where('id', '=', person.id).execute();
        person.disability_grade = e.disabilityGrade!;
      } else {
        changed = !person.serious_illness;
        if (changed) await trx.updateTable('members').set({ serious_illness: true }).where('id', '=', person.id).execute();
        person.serious_illness = true;
      }
      if (changed) await trx.updateTable('households').set({ updated_at: sql`now()` }).where('id', '=', person.household_id).execute();
      else result.unchanged++;
      result.applied++;
    }
    await trx.insertInto('feed_records').values(todo.map(({ e, person }) => ({
      source_dept: source, record_id: e.recordId, batch_id: batchId, household_id: person.household_id, kind: e.kind, occurred_on: e.occurredOn,
    }))).execute();
    await appendAudit(trx, {
      actorId: actor?.userId ?? null, role: actor?.role ?? 'operator', action: 'feed.import', objectType: 'batch', objectId: batchId,
      purpose: `${source}: ${result.applied} applied, ${result.alreadyApplied} already applied`, result: 'ok', requestId: actor?.requestId ?? null,
    });
    return result;
  });
}
