/**
 * Importing a department's event feed: every row's fields are checked before anything is written
 * (a malformed feed is refused, naming rows and fields); then, in one transaction, the batch, each
 * event's effect and a record of each source record id (a record already received is skipped, so
 * a feed can be sent again). The next monitoring run sees the change: an emergency or a new
 * illness, disability or death raises its trigger, a referral puts the household in the suspected
 * group.
 *
 * A feed is no oracle of who is registered (docs/security.md): a row naming nobody in the caller's
 * area, or contradicting the date of death the registry holds, is received and recorded like any
 * other and is not applied; a department is told how many rows were received, never how many
 * matched. The source is the caller's organisation, never the request's say (ADR 0007).
 */
import { sourceOfOrganisation } from '../access/source-names.js';
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
  /** The source the records are kept under (a department's organisation, or the code given). */
  source: string;
  batchId: string | null;
  rows: number;
  /** Rows with a record id this source had not sent before: received and recorded. */
  received: number;
  /** Rows whose record id this source had sent before (skipped). */
  alreadyApplied: number;
  /**
   * Of the received: applied to a member in the caller's area; of those, events that changed nothing
   * (the registry already held them); not applied (nobody in the area, or another date of death).
   * Null for a caller who may not read households (a department): these counts would tell who is registered.
   */
  applied: number | null;
  unchanged: number | null;
  notApplied: number | null;
}

/** The source a caller's feed is kept under: its organisation's (`org_` and the id's hex), or for civil-affairs staff and the operator, the code they give. */
export function feedSourceOf(actor: Actor | null, given: string | undefined): string {
  if (actor?.organisationId) return sourceOfOrganisation(actor.organisationId);
  if (given === undefined || !FEED_SOURCE_PATTERN.test(given)) throw new AppError('VALIDATION_FAILED', 'source: must be a department code (lower-case letters, digits, _)', 'source');
  return given;
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
 * Imports a feed. `actor` null is the operator console (the whole province, `given` source);
 * otherwise the caller needs record.write (or household.write), the source is its organisation's
 * (`given` is used only for civil-affairs staff, who relay a department's file), and only persons
 * living in the caller's area are applied.
 */
export async function importEventFeed(ctx: AppContext, actor: Actor | null, given: string | undefined, rows: readonly unknown[]): Promise<FeedResult> {
  if (actor && !hasPermission(actor, 'record.write')) requirePermission(actor, 'household.write');
  const source = feedSourceOf(actor, given);
  if (rows.length === 0) throw new AppError('VALIDATION_FAILED', 'rows: the feed is empty', 'rows');
  if (rows.length > MAX_FEED_ROWS) throw new AppError('VALIDATION_FAILED', `rows: at most ${MAX_FEED_ROWS} rows per feed`, 'rows');
  const { events, issues } = parseFeedRows(rows, ctx.today());
  if (issues.length > 0) throw new FeedError(issues);
  const scope = actor?.scopeRegion ?? '33';

  return ctx.db.transaction().execute(async (trx) => {
    // The person behind each ID number, in the caller's area. Unknown and out of area read the same.
    const ids = [...new Set(events.map((e) => e.idNumber))];
    // Their households' rows first, in id order, then the members': the order every registry write
    // takes (a member edit bumps the household's version, then changes the member), so a feed and
    // an edit of one household never wait on each other in a circle (a deadlock: a 500).
    await trx.selectFrom('households').select('id')
      .where('id', 'in', (eb) => eb.selectFrom('members').select('household_id').where('id_number', 'in', ids))
      .where('region_code', 'like', `${scope}%`).orderBy('id').forNoKeyUpdate().execute();
    const people = await trx
      .selectFrom('members as m').innerJoin('households as h', 'h.id', 'm.household_id')
      .select(['m.id', 'm.id_number', 'm.household_id', 'm.deceased_on', 'm.disability_grade', 'm.serious_illness'])
      .where('m.id_number', 'in', ids).where('h.region_code', 'like', `${scope}%`)
      // NO KEY UPDATE (only non-key columns change): a record being added against the member holds
      // its row in key-share, and waiting on it here while it waits on the household is a deadlock.
      .forNoKeyUpdate('m')
      .execute();
    const byId = new Map(people.map((p) => [p.id_number, p]));
    const applied = new Set(
      (await trx.selectFrom('feed_records').select('record_id').where('source_dept', '=', source).where('record_id', 'in', events.map((e) => e.recordId)).execute()).map((r) => r.record_id),
    );
    // Every new record is received alike; it is applied only to a member in the area whose
    // registered date of death it does not contradict. Nothing here answers differently for a
    // registered person: the difference shows only in counts a department is not given.
    const received: FeedEvent[] = [];
    const todo: { e: FeedEvent; person: (typeof people)[number] }[] = [];
    for (const e of events) {
      if (applied.has(e.recordId)) continue; // (a record id appears once in a feed: parseFeedRows)
      received.push(e);
      const person = byId.get(e.idNumber);
      if (!person) continue;
      if (person.deceased_on !== null && e.kind !== 'death' && e.occurredOn > person.deceased_on) continue;
      if (e.kind === 'death' && person.deceased_on !== null && person.deceased_on !== e.occurredOn) continue;
      todo.push({ e, person });
    }

    const result = { source, batchId: null as string | null, rows: events.length, received: received.length, alreadyApplied: events.length - received.length, applied: 0, unchanged: 0, notApplied: received.length - todo.length };
    const answer = (): FeedResult => (actor === null || hasPermission(actor, 'household.read') ? result : { ...result, applied: null, unchanged: null, notApplied: null });
    if (received.length === 0) return answer();
    const batchId = newId();
    result.batchId = batchId;
    await trx.insertInto('import_batches').values({ id: batchId, source_dept: source, kind: 'event_feed', row_count: received.length, note: null }).execute();
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
      // A changed member is a change of the household: its version moves (a stale If-Match is refused).
      if (changed) await trx.updateTable('households').set({ updated_at: sql`now()`, version: sql<number>`version + 1` }).where('id', '=', person.household_id).execute();
      else result.unchanged++;
      result.applied++;
    }
    // Every received record id is kept (with its household when applied, none otherwise), so a feed
    // sent again is skipped alike for registered and unregistered persons.
    const householdOf = new Map(todo.map(({ e, person }) => [e.recordId, person.household_id]));
    await trx.insertInto('feed_records').values(received.map((e) => ({
      source_dept: source, record_id: e.recordId, batch_id: batchId, household_id: householdOf.get(e.recordId) ?? null, kind: e.kind, occurred_on: e.occurredOn,
    }))).execute();
    await appendAudit(trx, {
      actorId: actor?.userId ?? null, role: actor?.role ?? 'operator', action: 'feed.import', objectType: 'batch', objectId: batchId,
      purpose: `${source}: ${result.received} received, ${result.applied} applied, ${result.notApplied} not applied, ${result.alreadyApplied} already applied`, result: 'ok', requestId: actor?.requestId ?? null,
    });
    return answer();
  });
}
