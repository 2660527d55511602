/**
 * The monitoring run (动态监测): every household in the region, enrolled or not, on one date —
 * means-test facts, six-dimension risk on columns, change triggers against the previous snapshot,
 * alerts (one open per household and cause), and Alkire–Foster indices per region. One run at a
 * time (a database lock); re-running the same date changes nothing: households under a region that
 * a finished run already covered on that date are skipped.
 *
 * The database reduces each chunk of households to one row (db/repositories/monitoring.repository.ts):
 * the records never cross the wire. On PostgreSQL the next chunk is read on a second connection
 * while this one is evaluated and written. A household's state is stored only when it changed
 * since its previous snapshot (ADR 0005), and a risk alert is raised when a household becomes at
 * risk or its level rises; a level that stays the same raises nothing new.
 */
import { sql, type Transaction } from 'kysely';
import type { Database } from '../../db/schema.js';
import { dayNumber, fromDayNumber } from '../../core/dates/dates.js';
import { ParameterTable } from '../../core/means-test/index.js';
import type { PolicyParameters, ResolvedParameters } from '../../core/policy/parameters.js';
import {
  addToIndices, allocateRiskColumns, deprivedDimensions, deriveRiskThresholds, detectTriggers, evaluateRisk, factWindows, familyFlagNames,
  finishIndices, mergeFindings, populationOf, newIndexAccumulator, NEVER_VISITED, RISK_LEVELS, stateMoved, type FactWindows, type IndexAccumulator,
  type MonitoringMember, type MonitoringSnapshot, type RunFinding, type SnapshotMember, type Trigger, type TriggerParams,
} from '../../core/risk/index.js';
import { MonitoringRepository, type MonitoringRow } from '../../db/repositories/monitoring.repository.js';
import { bulkInsert } from '../../db/bulk.js';
import type { AppContext } from '../context.js';
import { AppError } from '../errors.js';
import { newId } from '../new-id.js';
import { appendAudit } from '../audit/audit.js';

export interface MonitorOptions {
  asOf?: string | undefined;
  region?: string | undefined;
  chunkSize?: number;
  /** PostgreSQL: chunks read at once, each on its own connection, while the run evaluates and writes (default 2). */
  readAhead?: number;
  onProgress?: (done: number, total: number) => void;
}

export interface MonitorResult {
  runId: string;
  asOf: string;
  households: number;
  skipped: number;
  atRisk: number;
  alertsCreated: number;
  alertsUpdated: number;
  /** Open alerts found overdue and escalated to the county in this run. */
  escalated: number;
  /** Households whose state changed since their previous snapshot (a snapshot row was written). */
  changed: number;
}

const MONITOR_LOCK = 7_320_001;
const ELIGIBLE = new Set(['dibao', 'extreme_poverty']);

/** Alert level of a trigger: those that flag temporary assistance are red, the others orange. */
const triggerLevel = (t: Trigger): 'red' | 'orange' => (t.temporaryAssistance ? 'red' : 'orange');

export async function runMonitoring(ctx: AppContext, options: MonitorOptions = {}): Promise<MonitorResult> {
  const asOf = options.asOf ?? ctx.today();
  const region = options.region ?? '33';
  if (!ctx.regions.get(region)) throw new AppError('VALIDATION_FAILED', 'region: unknown region code', 'region');
  const chunkSize = options.chunkSize ?? 10_000;
  const inScope = sql<boolean>`region_code LIKE ${`${region}%`}`;
  const total = (await ctx.db.selectFrom('households').select((eb) => eb.fn.countAll<number>().as('n')).where(inScope).executeTakeFirst())?.n ?? 0;

  const paramTable = new ParameterTable(ctx.policy, asOf, deriveRiskThresholds);
  const table = paramTable.thresholds;
  const paramsFor = (regionCode: string): { params: ResolvedParameters; index: number } => {
    try {
      return paramTable.forRegion(regionCode);
    } catch {
      throw new AppError('POLICY_NOT_IN_FORCE', `no policy parameters were in force on ${asOf}`, 'asOf');
    }
  };
  // The windows of every county in scope: the database pro-rates income and spending to them.
  const counties = await ctx.db.selectFrom('households').select('county_code').distinct().where(inScope).execute();
  const windows = new Map<string, FactWindows>(counties.map((c) => [c.county_code, factWindows(paramsFor(c.county_code).params.values, asOf)]));

  const runId = newId();
  const result: MonitorResult = { runId, asOf, households: 0, skipped: 0, atRisk: 0, alertsCreated: 0, alertsUpdated: 0, escalated: 0, changed: 0 };
  /** Index sums and population counts per region code (village to province). */
  const indices = new Map<string, RegionTally>();
  const asOfDay = dayNumber(asOf);
  /** Whether a finished run already covered some region on this date (its states may be stored). */
  let runToday = false;
  /** What a household's region needs, resolved once per region code: parameters, trigger parameters, the tallies it adds to. */
  const regionCache = new Map<string, RegionContext>();
  const regionContext = (regionCode: string): RegionContext => {
    let c = regionCache.get(regionCode);
    if (c) return c;
    const { params, index } = paramsFor(regionCode);
    const p = params.values;
    const tallies = [regionCode.slice(0, 9), regionCode.slice(0, 6), regionCode.slice(0, 4), '33'].map((code) => {
      let t = indices.get(code);
      if (!t) indices.set(code, (t = { acc: newIndexAccumulator(), enrolled: 0, suspected: 0 }));
      return t;
    });
    const dueDays = { red: p.alertDueDaysRed, orange: p.alertDueDaysOrange, yellow: p.alertDueDaysYellow };
    c = {
      p, index, tallies,
      trigger: { incomeDropRatio: p.triggerIncomeDropRatio, largeMedicalBillFen: p.triggerLargeMedicalBillFen, severeDisabilityMaxGrade: p.severeDisabilityMaxGrade },
      due: (level) => fromDayNumber(asOfDay + dueDays[level]),
    };
    regionCache.set(regionCode, c);
    return c;
  };

  await ctx.db.transaction().execute(async (trx) => {
    await sql`SELECT pg_advisory_xact_lock(${MONITOR_LOCK})`.execute(trx);
    // Regions a finished run already covered on this date (read under the lock).
    const covered = (await trx.selectFrom('monitoring_runs').select('region_code').where('as_of', '=', asOf).where('finished_at', 'is not', null).execute()).map((r) => r.region_code);
    runToday = covered.length > 0;
    await trx.insertInto('monitoring_runs').values({ id: runId, as_of: asOf, region_code: region, policy_version: ctx.policy.version, started_at: new Date(), households: 0, at_risk: 0, alerts_created: 0 }).execute();
    if (covered.some((c) => region.startsWith(c))) {
      result.skipped = total;
      options.onProgress?.(total, total);
    } else {
      // PostgreSQL: the next chunks are read on other connections (`readAhead` at once) while this
      // one is evaluated and written (committed data; the lock keeps other runs out). PGlite has
      // one connection: one chunk at a time.
      const reader = new MonitoringRepository(ctx.singleConnection ? trx : ctx.db);
      const ranges = await reader.chunkRanges(region, chunkSize);
      const ahead = ctx.singleConnection ? 1 : Math.max(1, options.readAhead ?? 2);
      const pending: Promise<MonitoringRow[]>[] = [];
      const read = (k: number): void => {
        const range = ranges[k];
        if (range === undefined) return;
        const p = reader.readRange(asOf, windows, range, region);
        p.catch(() => undefined); // awaited below; a failure surfaces there
        pending.push(p);
      };
      for (let k = 0; k < ahead; k++) read(k);
      let seen = 0;
      for (let k = 0; k < ranges.length; k++) {
        const chunk = await pending.shift()!;
        read(k + ahead);
        seen += chunk.length;
        const todo = chunk.filter((h) => !covered.some((c) => h.regionCode.startsWith(c)));
        result.skipped += chunk.length - todo.length;
        if (todo.length > 0) await monitorChunk(trx, todo);
        options.onProgress?.(seen, total);
      }
    }

    if (indices.size > 0) {
      const codes = [...indices.keys()];
      const vals = codes.map((c) => finishIndices(indices.get(c)!.acc));
      await bulkInsert(trx, 'region_indices', [
        { name: 'run_id', type: 'uuid', values: codes.map(() => runId) },
        { name: 'region_code', type: 'text', values: codes },
        { name: 'households', type: 'integer', values: vals.map((v) => v.households) },
        { name: 'h', type: 'double precision', values: vals.map((v) => v.H) },
        { name: 'a', type: 'double precision', values: vals.map((v) => v.A) },
        { name: 'm0', type: 'double precision', values: vals.map((v) => v.M0) },
        { name: 'm1', type: 'double precision', values: vals.map((v) => v.M1) },
        { name: 'm2', type: 'double precision', values: vals.map((v) => v.M2) },
        { name: 'enrolled', type: 'integer', values: codes.map((c) => indices.get(c)!.enrolled) },
        { name: 'suspected', type: 'integer', values: codes.map((c) => indices.get(c)!.suspected) },
      ]);
    }
    // Open alerts past their due date escalate to the county (once), with an event in their history.
    const escalated = await sql<{ id: string }>`
      UPDATE alerts SET escalated = true, updated_at = now()
      WHERE status IN ('new','assigned','visiting') AND NOT escalated AND due_on < ${asOf} AND ${inScope}
      RETURNING id`.execute(trx);
    if (escalated.rows.length > 0) {
      await bulkInsert(trx, 'alert_events', [
        { name: 'id', type: 'uuid', values: escalated.rows.map(() => newId()) },
        { name: 'alert_id', type: 'uuid', values: escalated.rows.map((r) => r.id) },
        { name: 'action', type: 'text', values: escalated.rows.map(() => 'escalate') },
        { name: 'detail', type: 'text', values: escalated.rows.map(() => `overdue on ${asOf}: escalated to the county`) },
      ]);
    }
    result.escalated = escalated.rows.length;
    await trx
      .updateTable('monitoring_runs')
      .set({ finished_at: new Date(), households: result.households, at_risk: result.atRisk, alerts_created: result.alertsCreated })
      .where('id', '=', runId)
      .execute();
    await appendAudit(trx, { actorId: null, role: 'operator', action: 'run.monitor', objectType: 'run', objectId: runId, purpose: `region ${region}, as of ${asOf}`, result: 'ok', requestId: null });
  });
  return result;

  /** Evaluates one chunk on columns, then writes the changed states, the alerts and the index sums. */
  async function monitorChunk(trx: Transaction<Database>, rows: MonitoringRow[]): Promise<void> {
    // Households of one parameter set side by side: the core evaluates each run of them with its
    // thresholds in registers (a stable sort; the order of a chunk's writes does not matter).
    const keyed = rows.map((h) => ({ h, rc: regionContext(h.regionCode) })).sort((a, b) => a.rc.index - b.rc.index);
    const todo = keyed.map((x) => x.h);
    const regions = keyed.map((x) => x.rc);
    const n = todo.length;
    const cols = allocateRiskColumns(n);
    const populations = new Array<ReturnType<typeof populationOf>>(n);
    const triggers = new Array<Trigger[]>(n);
    const moved = new Uint8Array(n);
    for (let i = 0; i < n; i++) {
      const h = todo[i]!;
      const rc = regions[i]!;
      const p = rc.p;
      const visit = h.lastVisit;
      const eligibleNow = h.category !== null && ELIGIBLE.has(h.category);
      const prev = h.previous;
      cols.paramIndex[i] = rc.index;
      cols.members[i] = Math.min(255, h.livingMembers);
      cols.referenceMonths[i] = p.incomeReferenceMonths;
      cols.householdIncomeFen[i] = h.householdIncomeFen;
      cols.monetaryAssetsFen[i] = h.monetaryAssetsFen;
      cols.rigidExpenditureFen[i] = h.rigidExpenditureFen;
      cols.familyFlags[i] = h.familyFlags;
      cols.assistanceFlags[i] = (eligibleNow && !h.receivingAssistance ? 1 : 0) | (prev?.category && ELIGIBLE.has(prev.category) && !eligibleNow ? 2 : 0);
      cols.daysSinceVisit[i] = visit ? Math.min(NEVER_VISITED - 1, asOfDay - dayNumber(visit.visitedOn)) : NEVER_VISITED;
      cols.visitProblems[i] = visit ? Math.min(255, visit.findings.filter((x) => x !== 'none').length) : 0;
      cols.unsafeHousing[i] = visit?.findings.includes('unsafe_housing') ? 1 : 0;
      populations[i] = populationOf({ category: h.category, enrolledInLookback: h.enrolledInLookback, referrals: h.referrals });
      // The triggers compare with the stored state. Its members come back only when they differ
      // from today's; equal members raise no member trigger, so both sides leave them out then.
      const membersChanged = prev !== null && prev.changedMembers !== null;
      const cur = snapshotOf(h, membersChanged ? snapshotMembers(h.members ?? []) : []);
      const before: MonitoringSnapshot | null = prev && {
        asOf: prev.asOf, householdIncomeFen: prev.householdIncomeFen, wagesFen: prev.wagesFen, recentMedicalFen: prev.recentMedicalFen,
        members: prev.changedMembers ?? [], emergencies: prev.emergencies,
      };
      triggers[i] = detectTriggers(before, cur, rc.trigger);
      moved[i] = before === null || membersChanged || triggers[i]!.length > 0 || stateMoved(before, cur, rc.trigger) ? 1 : 0;
    }
    const r = evaluateRisk(cols, table);

    // The state is stored when there is none yet, when the level, the deprived dimensions, the
    // score, the category or the population changed, when a trigger fired, or when a watched amount
    // or the members moved (stateMoved).
    let changed: number[] = [];
    for (let i = 0; i < n; i++) {
      const prev = todo[i]!.previous;
      const pop = populations[i]!;
      if (moved[i] || prev!.level !== RISK_LEVELS[r.level[i]!] || prev!.mask !== r.mask[i] || prev!.category !== todo[i]!.category
        || prev!.population !== pop.group || prev!.populationReasons.join() !== pop.reasons.join() || Math.abs(prev!.score - r.score[i]!) > 1e-9) {
        changed.push(i);
      }
    }
    if (changed.length > 0 && runToday) {
      // A household a finished run already stored on this date, in the area it lived in then (it
      // moved since): that state stands (one state per household and date).
      const stored = await sql<{ household_id: string }>`
        SELECT household_id FROM risk_snapshots WHERE as_of = ${asOf}::date AND household_id = ANY(${changed.map((i) => todo[i]!.id)}::uuid[])`.execute(trx);
      if (stored.rows.length > 0) {
        const skip = new Set(stored.rows.map((x) => x.household_id));
        changed = changed.filter((i) => !skip.has(todo[i]!.id));
      }
    }
    if (changed.length > 0) {
      await bulkInsert(trx, 'risk_snapshots', [
        { name: 'household_id', type: 'uuid', values: changed.map((i) => todo[i]!.id) },
        { name: 'as_of', type: 'date', values: changed.map(() => asOf) },
        { name: 'run_id', type: 'uuid', values: changed.map(() => runId) },
        { name: 'score', type: 'double precision', values: changed.map((i) => r.score[i]) },
        { name: 'level', type: 'text', values: changed.map((i) => RISK_LEVELS[r.level[i]!]) },
        { name: 'mask', type: 'smallint', values: changed.map((i) => r.mask[i]) },
        { name: 'income_gap', type: 'double precision', values: changed.map((i) => r.incomeGap[i]) },
        { name: 'property_gap', type: 'double precision', values: changed.map((i) => r.propertyGap[i]) },
        { name: 'category', type: 'text', values: changed.map((i) => todo[i]!.category) },
        { name: 'population', type: 'text', values: changed.map((i) => populations[i]!.group) },
        { name: 'population_reasons', type: 'text[]', values: changed.map((i) => populations[i]!.reasons) },
        { name: 'members_state', type: 'text', values: changed.map((i) => todo[i]!.membersState) },
        { name: 'income_fen', type: 'bigint', values: changed.map((i) => todo[i]!.householdIncomeFen) },
        { name: 'wages_fen', type: 'bigint', values: changed.map((i) => todo[i]!.wagesFen) },
        { name: 'medical_fen', type: 'bigint', values: changed.map((i) => todo[i]!.recentMedicalFen) },
        { name: 'emergencies', type: 'text[]', values: changed.map((i) => todo[i]!.recentEmergencies) },
      ]);
      // Members equal to the stored state's came without their text: the new state keeps the stored one.
      const same = changed.filter((i) => todo[i]!.membersState === null && todo[i]!.previous !== null).map((i) => todo[i]!.id);
      if (same.length > 0) {
        await sql`
          UPDATE risk_snapshots s SET members_state = (
            SELECT p.members_state FROM risk_snapshots p WHERE p.household_id = s.household_id AND p.as_of < s.as_of ORDER BY p.as_of DESC LIMIT 1)
          WHERE s.household_id = ANY(${same}::uuid[]) AND s.as_of = ${asOf}::date`.execute(trx);
      }
    }
    result.changed += changed.length;

    // Alerts: a household that became at risk or whose level rose, and each change trigger — one
    // open alert per household and cause: findings of one cause for one household in this run
    // (two members' new disabilities, two emergencies) are merged first (mergeFindings), as one
    // upsert cannot touch the same open alert twice.
    const found: (RunFinding & { regionCode: string })[] = [];
    for (let i = 0; i < n; i++) {
      const h = todo[i]!;
      const rc = regions[i]!;
      const lvl = RISK_LEVELS[r.level[i]!]!;
      if (lvl !== 'green') {
        result.atRisk++;
        if (h.previous === null || r.level[i]! > RISK_LEVELS.indexOf(h.previous.level)) {
          found.push({
            householdId: h.id, regionCode: h.regionCode, cause: 'risk', level: lvl, dueOn: rc.due(lvl),
            reasons: { population: populations[i]!.group, populationReasons: populations[i]!.reasons, score: r.score[i], dimensions: deprivedDimensions(r.mask[i]!), family: familyFlagNames(cols.familyFlags[i]!), incomeGap: r.incomeGap[i], propertyGap: r.propertyGap[i], daysSinceVisit: cols.daysSinceVisit[i] === NEVER_VISITED ? null : cols.daysSinceVisit[i] },
          });
        }
      }
      for (const t of triggers[i]!) {
        const level = triggerLevel(t);
        found.push({ householdId: h.id, regionCode: h.regionCode, cause: `trigger:${t.kind}`, level, dueOn: rc.due(level), reasons: t });
      }
      const group = populations[i]!.group;
      for (const t of rc.tallies) {
        addToIndices(t.acc, r, i, table[rc.index]!);
        if (group === 'enrolled') t.enrolled++;
        else if (group === 'suspected') t.suspected++;
      }
    }
    const alerts = mergeFindings(found).map((f) => ({ ...f, id: newId() }));
    if (alerts.length > 0) {
      const rows = await sql<{ inserted: boolean }>`
        INSERT INTO alerts (id, household_id, region_code, cause, level, status, raised_on, due_on, reasons, run_id)
        SELECT u.id, u.household_id, u.region_code, u.cause, u.level, 'new', ${asOf}::date, u.due, u.reasons::jsonb, ${runId}::uuid
        FROM unnest(${alerts.map((a) => a.id)}::uuid[], ${alerts.map((a) => a.householdId)}::uuid[], ${alerts.map((a) => a.regionCode)}::text[],
                    ${alerts.map((a) => a.cause)}::text[], ${alerts.map((a) => a.level)}::text[], ${alerts.map((a) => a.dueOn)}::date[],
                    ${alerts.map((a) => JSON.stringify(a.reasons))}::text[]) AS u(id, household_id, region_code, cause, level, due, reasons)
        ON CONFLICT (household_id, cause) WHERE status IN ('new','assigned','visiting') DO UPDATE SET
          level = CASE WHEN array_position(ARRAY['yellow','orange','red'], excluded.level) > array_position(ARRAY['yellow','orange','red'], alerts.level) THEN excluded.level ELSE alerts.level END,
          due_on = LEAST(alerts.due_on, excluded.due_on),
          reasons = excluded.reasons,
          updated_at = now()
        RETURNING (xmax = 0) AS inserted`.execute(trx);
      for (const row of rows.rows) {
        if (row.inserted) result.alertsCreated++;
        else result.alertsUpdated++;
      }
    }
    result.households += n;
  }

  function snapshotOf(h: MonitoringRow, members: SnapshotMember[]): MonitoringSnapshot {
    return { asOf, householdIncomeFen: h.householdIncomeFen, wagesFen: h.wagesFen, recentMedicalFen: h.recentMedicalFen, members, emergencies: h.recentEmergencies };
  }
}

interface RegionTally {
  acc: IndexAccumulator;
  enrolled: number;
  suspected: number;
}

interface RegionContext {
  p: PolicyParameters;
  index: number;
  trigger: TriggerParams;
  /** Tallies of the village, township, county and province. */
  tallies: RegionTally[];
  due: (level: 'red' | 'orange' | 'yellow') => string;
}

const snapshotMembers = (members: readonly MonitoringMember[]): SnapshotMember[] =>
  members.map((m) => ({ id: m.id, disabilityGrade: m.disabilityGrade, seriousIllness: m.seriousIllness, labourCapacity: m.labourCapacity, deceased: m.deceased }));
