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
import type { ResolvedParameters } from '../../core/policy/parameters.js';
import {
  addToIndices, allocateRiskColumns, countedIncome, deprivedDimensions, deriveRiskThresholds, detectTriggers, evaluateRisk, factWindows, familyFlagNames,
  familyFlagsOf, finishIndices, livingMembers, populationOf, newIndexAccumulator, NEVER_VISITED, RISK_LEVELS, stateMoved, type FactWindows, type IndexAccumulator,
  type MonitoringSnapshot, type Trigger,
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
  const chunkSize = options.chunkSize ?? 5_000;
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
  const indices = new Map<string, IndexAccumulator>();
  /** Households per region and population group ("code:group"). */
  const groups = new Map<string, number>();
  const asOfDay = dayNumber(asOf);

  await ctx.db.transaction().execute(async (trx) => {
    await sql`SELECT pg_advisory_xact_lock(${MONITOR_LOCK})`.execute(trx);
    // Regions a finished run already covered on this date (read under the lock).
    const covered = (await trx.selectFrom('monitoring_runs').select('region_code').where('as_of', '=', asOf).where('finished_at', 'is not', null).execute()).map((r) => r.region_code);
    await trx.insertInto('monitoring_runs').values({ id: runId, as_of: asOf, region_code: region, policy_version: ctx.policy.version, started_at: new Date(), households: 0, at_risk: 0, alerts_created: 0 }).execute();
    if (covered.some((c) => region.startsWith(c))) {
      result.skipped = total;
      options.onProgress?.(total, total);
    } else {
      // PostgreSQL: read the next chunk on another connection while this one is evaluated and
      // written (committed data; the lock keeps other runs out). PGlite has one connection.
      const reader = new MonitoringRepository(ctx.singleConnection ? trx : ctx.db);
      const read = (after: string | null): Promise<MonitoringRow[]> => {
        const p = reader.readChunk(asOf, windows, after, chunkSize, region);
        p.catch(() => undefined); // awaited below; a failure surfaces there
        return p;
      };
      let next = read(null);
      let seen = 0;
      for (;;) {
        const chunk = await next;
        if (chunk.length === 0) break;
        seen += chunk.length;
        next = chunk.length < chunkSize ? Promise.resolve([]) : read(chunk[chunk.length - 1]!.id);
        const todo = chunk.filter((h) => !covered.some((c) => h.regionCode.startsWith(c)));
        result.skipped += chunk.length - todo.length;
        if (todo.length > 0) await monitorChunk(trx, todo);
        options.onProgress?.(seen, total);
      }
    }

    if (indices.size > 0) {
      const codes = [...indices.keys()];
      const vals = codes.map((c) => finishIndices(indices.get(c)!));
      await bulkInsert(trx, 'region_indices', [
        { name: 'run_id', type: 'uuid', values: codes.map(() => runId) },
        { name: 'region_code', type: 'text', values: codes },
        { name: 'households', type: 'integer', values: vals.map((v) => v.households) },
        { name: 'h', type: 'double precision', values: vals.map((v) => v.H) },
        { name: 'a', type: 'double precision', values: vals.map((v) => v.A) },
        { name: 'm0', type: 'double precision', values: vals.map((v) => v.M0) },
        { name: 'm1', type: 'double precision', values: vals.map((v) => v.M1) },
        { name: 'm2', type: 'double precision', values: vals.map((v) => v.M2) },
        { name: 'enrolled', type: 'integer', values: codes.map((c) => groups.get(`${c}:enrolled`) ?? 0) },
        { name: 'suspected', type: 'integer', values: codes.map((c) => groups.get(`${c}:suspected`) ?? 0) },
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
  async function monitorChunk(trx: Transaction<Database>, todo: MonitoringRow[]): Promise<void> {
    const cols = allocateRiskColumns(todo.length);
    const snapshots: MonitoringSnapshot[] = [];
    const populations = todo.map((h) => populationOf({ category: h.category, enrolledInLookback: h.enrolledInLookback, referrals: h.referrals }));
    const triggers: Trigger[][] = [];
    todo.forEach((h, i) => {
      const { params, index } = paramsFor(h.regionCode);
      const p = params.values;
      const income = countedIncome(h.incomeSums, p);
      const visit = h.lastVisit;
      const eligibleNow = h.category !== null && ELIGIBLE.has(h.category);
      cols.paramIndex[i] = index;
      cols.members[i] = Math.min(255, livingMembers(h.members, asOf).length);
      cols.referenceMonths[i] = p.incomeReferenceMonths;
      cols.householdIncomeFen[i] = income.householdIncomeFen;
      cols.monetaryAssetsFen[i] = h.monetaryAssetsFen;
      cols.rigidExpenditureFen[i] = h.rigidExpenditureFen;
      cols.familyFlags[i] = familyFlagsOf(h.members, asOf, p);
      cols.assistanceFlags[i] = (eligibleNow && !h.receivingAssistance ? 1 : 0) | (h.previous?.category && ELIGIBLE.has(h.previous.category) && !eligibleNow ? 2 : 0);
      cols.daysSinceVisit[i] = visit ? Math.min(NEVER_VISITED - 1, asOfDay - dayNumber(visit.visitedOn)) : NEVER_VISITED;
      cols.visitProblems[i] = visit ? Math.min(255, visit.findings.filter((x) => x !== 'none').length) : 0;
      cols.unsafeHousing[i] = visit?.findings.includes('unsafe_housing') ? 1 : 0;
      const snap: MonitoringSnapshot = {
        asOf,
        householdIncomeFen: income.householdIncomeFen,
        wagesFen: income.wagesFen,
        recentMedicalFen: h.recentMedicalFen,
        members: h.members.map((m) => ({
          id: m.id, disabilityGrade: m.disabilityGrade, seriousIllness: m.seriousIllness, labourCapacity: m.labourCapacity, deceased: m.deceasedOn != null && m.deceasedOn <= asOf,
        })),
        emergencies: h.recentEmergencies,
      };
      snapshots.push(snap);
      triggers.push(
        detectTriggers(h.previous?.snapshot ?? null, snap, {
          incomeDropRatio: p.triggerIncomeDropRatio, largeMedicalBillFen: p.triggerLargeMedicalBillFen, severeDisabilityMaxGrade: p.severeDisabilityMaxGrade,
        }),
      );
    });
    const r = evaluateRisk(cols, table);

    // The state is stored when there is none yet, when the level, the deprived dimensions, the
    // score or the category changed, when a trigger fired, or when a watched amount moved (stateMoved).
    const changed: number[] = [];
    todo.forEach((h, i) => {
      const prev = h.previous;
      const p = paramsFor(h.regionCode).params.values;
      const pop = populations[i]!;
      const moved = prev === null || prev.level !== RISK_LEVELS[r.level[i]!] || prev.mask !== r.mask[i] || prev.category !== h.category
        || prev.population !== pop.group || prev.populationReasons.join() !== pop.reasons.join()
        || Math.abs(prev.score - r.score[i]!) > 1e-9 || triggers[i]!.length > 0
        || stateMoved(prev.snapshot, snapshots[i]!, { incomeDropRatio: p.triggerIncomeDropRatio, largeMedicalBillFen: p.triggerLargeMedicalBillFen, severeDisabilityMaxGrade: p.severeDisabilityMaxGrade });
      if (moved) changed.push(i);
    });
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
        { name: 'snapshot', type: 'jsonb', values: changed.map((i) => snapshots[i]) },
        { name: 'population', type: 'text', values: changed.map((i) => populations[i]!.group) },
        { name: 'population_reasons', type: 'text[]', values: changed.map((i) => populations[i]!.reasons) },
      ]);
    }
    result.changed += changed.length;

    // Alerts: a household that became at risk or whose level rose, and each change trigger — one
    // open alert per household and cause.
    const alerts: { id: string; household_id: string; region_code: string; cause: string; level: string; due: string; reasons: unknown }[] = [];
    todo.forEach((h, i) => {
      const { params } = paramsFor(h.regionCode);
      const p = params.values;
      const due = (level: string): string => fromDayNumber(asOfDay + (level === 'red' ? p.alertDueDaysRed : level === 'orange' ? p.alertDueDaysOrange : p.alertDueDaysYellow));
      const lvl = RISK_LEVELS[r.level[i]!]!;
      if (lvl !== 'green') {
        result.atRisk++;
        if (h.previous === null || r.level[i]! > RISK_LEVELS.indexOf(h.previous.level)) {
          alerts.push({
            id: newId(), household_id: h.id, region_code: h.regionCode, cause: 'risk', level: lvl, due: due(lvl),
            reasons: { population: populations[i]!.group, populationReasons: populations[i]!.reasons, score: r.score[i], dimensions: deprivedDimensions(r.mask[i]!), family: familyFlagNames(cols.familyFlags[i]!), incomeGap: r.incomeGap[i], propertyGap: r.propertyGap[i], daysSinceVisit: cols.daysSinceVisit[i] === NEVER_VISITED ? null : cols.daysSinceVisit[i] },
          });
        }
      }
      for (const t of triggers[i]!) {
        const level = triggerLevel(t);
        alerts.push({ id: newId(), household_id: h.id, region_code: h.regionCode, cause: `trigger:${t.kind}`, level, due: due(level), reasons: t });
      }
      for (const code of [h.regionCode.slice(0, 9), h.regionCode.slice(0, 6), h.regionCode.slice(0, 4), '33']) {
        let acc = indices.get(code);
        if (!acc) indices.set(code, (acc = newIndexAccumulator()));
        addToIndices(acc, r, i, table[cols.paramIndex[i]!]!);
        const group = populations[i]!.group;
        if (group !== 'general') groups.set(`${code}:${group}`, (groups.get(`${code}:${group}`) ?? 0) + 1);
      }
    });
    if (alerts.length > 0) {
      const rows = await sql<{ inserted: boolean }>`
        INSERT INTO alerts (id, household_id, region_code, cause, level, status, raised_on, due_on, reasons, run_id)
        SELECT u.id, u.household_id, u.region_code, u.cause, u.level, 'new', ${asOf}::date, u.due, u.reasons::jsonb, ${runId}::uuid
        FROM unnest(${alerts.map((a) => a.id)}::uuid[], ${alerts.map((a) => a.household_id)}::uuid[], ${alerts.map((a) => a.region_code)}::text[],
                    ${alerts.map((a) => a.cause)}::text[], ${alerts.map((a) => a.level)}::text[], ${alerts.map((a) => a.due)}::date[],
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
    result.households += todo.length;
  }
}
