/**
 * The monitoring run (动态监测): every household in the region, enrolled or not, on one date —
 * means-test facts, six-dimension risk on columns, change triggers against the previous snapshot,
 * alerts (one open per household and cause), and Alkire–Foster indices per region. One run at a
 * time (a database lock); re-running the same date changes nothing: households that already have a
 * snapshot for that date are skipped.
 */
import { sql } from 'kysely';
import { addMonths, dayNumber, fromDayNumber } from '../../core/dates/dates.js';
import { computeFacts, ParameterTable, prorateFen } from '../../core/means-test/index.js';
import type { ResolvedParameters } from '../../core/policy/parameters.js';
import {
  addToIndices, allocateRiskColumns, deprivedDimensions, deriveRiskThresholds, detectTriggers, evaluateRisk, familyFlagNames, familyFlagsOf,
  finishIndices, newIndexAccumulator, NEVER_VISITED, RISK_LEVELS, type IndexAccumulator, type MonitoringSnapshot, type Trigger,
} from '../../core/risk/index.js';
import { HouseholdRepository } from '../../db/repositories/household.repository.js';
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
  const scope = region === '33' ? undefined : region;
  let q = ctx.db.selectFrom('households').select((eb) => eb.fn.countAll<number>().as('n'));
  if (scope) q = q.where('region_code', 'like', `${scope}%`);
  const total = (await q.executeTakeFirst())?.n ?? 0;

  const paramTable = new ParameterTable(ctx.policy, asOf, deriveRiskThresholds);
  const table = paramTable.thresholds;
  const paramsFor = (villageCode: string): { params: ResolvedParameters; index: number } => {
    try {
      return paramTable.forRegion(villageCode);
    } catch {
      throw new AppError('POLICY_NOT_IN_FORCE', `no policy parameters were in force on ${asOf}`, 'asOf');
    }
  };

  const runId = newId();
  const result: MonitorResult = { runId, asOf, households: 0, skipped: 0, atRisk: 0, alertsCreated: 0, alertsUpdated: 0, escalated: 0 };
  const indices = new Map<string, IndexAccumulator>();
  const asOfDay = dayNumber(asOf);

  await ctx.db.transaction().execute(async (trx) => {
    await sql`SELECT pg_advisory_xact_lock(${MONITOR_LOCK})`.execute(trx);
    await trx.insertInto('monitoring_runs').values({ id: runId, as_of: asOf, region_code: region, policy_version: ctx.policy.version, started_at: new Date(), households: 0, at_risk: 0, alerts_created: 0 }).execute();
    const reader = new HouseholdRepository(trx);
    let after: string | null = null;
    let seen = 0;
    for (;;) {
      const chunk = await reader.findMeansTestChunk(after, chunkSize, scope);
      if (chunk.length === 0) break;
      after = chunk[chunk.length - 1]!.id;
      seen += chunk.length;
      const ids = chunk.map((h) => h.id);
      const inIds = sql<boolean>`household_id = ANY(${ids}::uuid[])`;
      const [done, status, prevRows, visitRows] = await Promise.all([
        trx.selectFrom('risk_snapshots').select('household_id').where(inIds).where('as_of', '=', asOf).execute(),
        trx.selectFrom('household_status').select(['household_id', 'category']).where(inIds).execute(),
        sql<{ household_id: string; category: string | null; snapshot: MonitoringSnapshot }>`
          SELECT DISTINCT ON (household_id) household_id, category, snapshot FROM risk_snapshots
          WHERE household_id = ANY(${ids}::uuid[]) AND as_of < ${asOf} ORDER BY household_id, as_of DESC`.execute(trx),
        sql<{ household_id: string; visited_on: string; findings: string[] }>`
          SELECT DISTINCT ON (household_id) household_id, visited_on, findings FROM visits
          WHERE household_id = ANY(${ids}::uuid[]) AND visited_on <= ${asOf} ORDER BY household_id, visited_on DESC`.execute(trx),
      ]);
      const already = new Set(done.map((d) => d.household_id));
      const categoryOf = new Map(status.map((s) => [s.household_id, s.category]));
      const prevOf = new Map(prevRows.rows.map((r) => [r.household_id, r]));
      const visitOf = new Map(visitRows.rows.map((r) => [r.household_id, r]));
      const todo = chunk.filter((h) => !already.has(h.id));
      result.skipped += chunk.length - todo.length;
      if (todo.length === 0) {
        options.onProgress?.(seen, total);
        continue;
      }

      const cols = allocateRiskColumns(todo.length);
      const snapshots: MonitoringSnapshot[] = [];
      const triggers: Trigger[][] = [];
      todo.forEach((h, i) => {
        const { params, index } = paramsFor(h.regionCode);
        const p = params.values;
        const f = computeFacts(h, p, asOf);
        const recentStart = dayNumber(addMonths(asOf, -p.temporaryExpenditureMonths)) + 1;
        const category = categoryOf.get(h.id) ?? null;
        const prev = prevOf.get(h.id);
        const receiving = h.incomes.some((r) => r.subtype === 'social_assistance' && dayNumber(r.periodEnd) >= recentStart && dayNumber(r.periodStart) <= asOfDay);
        const visit = visitOf.get(h.id);
        cols.paramIndex[i] = index;
        cols.members[i] = Math.min(255, f.members);
        cols.referenceMonths[i] = f.referenceMonths;
        cols.householdIncomeFen[i] = f.householdIncomeFen;
        cols.monetaryAssetsFen[i] = f.monetaryAssetsFen;
        cols.rigidExpenditureFen[i] = f.rigidExpenditureFen;
        cols.familyFlags[i] = familyFlagsOf(h.members, asOf, p);
        cols.assistanceFlags[i] = (category !== null && ELIGIBLE.has(category) && !receiving ? 1 : 0) | (prev?.category && ELIGIBLE.has(prev.category) && !(category && ELIGIBLE.has(category)) ? 2 : 0);
        cols.daysSinceVisit[i] = visit ? Math.min(NEVER_VISITED - 1, asOfDay - dayNumber(visit.visited_on)) : NEVER_VISITED;
        cols.visitProblems[i] = visit ? Math.min(255, visit.findings.filter((x) => x !== 'none').length) : 0;
        cols.unsafeHousing[i] = visit?.findings.includes('unsafe_housing') ? 1 : 0;
        const snap: MonitoringSnapshot = {
          asOf,
          householdIncomeFen: f.householdIncomeFen,
          wagesFen: f.incomeFen.wages,
          recentMedicalFen: h.expenditures
            .filter((x) => x.category === 'medical')
            .reduce((s, x) => s + prorateFen(x.amountFen, dayNumber(x.periodStart), dayNumber(x.periodEnd), recentStart, asOfDay), 0),
          members: h.members.map((m) => ({
            id: m.id, disabilityGrade: m.disabilityGrade, seriousIllness: m.seriousIllness, labourCapacity: m.labourCapacity,
            deceased: m.deceasedOn != null && dayNumber(m.deceasedOn) <= asOfDay,
          })),
          emergencies: f.recentEmergencies,
        };
        snapshots.push(snap);
        triggers.push(
          detectTriggers(prev?.snapshot ?? null, snap, {
            incomeDropRatio: p.triggerIncomeDropRatio, largeMedicalBillFen: p.triggerLargeMedicalBillFen, severeDisabilityMaxGrade: p.severeDisabilityMaxGrade,
          }),
        );
      });
      const r = evaluateRisk(cols, table);

      await bulkInsert(trx, 'risk_snapshots', [
        { name: 'household_id', type: 'uuid', values: todo.map((h) => h.id) },
        { name: 'as_of', type: 'date', values: todo.map(() => asOf) },
        { name: 'run_id', type: 'uuid', values: todo.map(() => runId) },
        { name: 'score', type: 'double precision', values: Array.from(r.score) },
        { name: 'level', type: 'text', values: Array.from(r.level, (l) => RISK_LEVELS[l]) },
        { name: 'mask', type: 'smallint', values: Array.from(r.mask) },
        { name: 'income_gap', type: 'double precision', values: Array.from(r.incomeGap) },
        { name: 'property_gap', type: 'double precision', values: Array.from(r.propertyGap) },
        { name: 'category', type: 'text', values: todo.map((h) => categoryOf.get(h.id) ?? null) },
        { name: 'snapshot', type: 'jsonb', values: snapshots },
      ]);

      // Alerts: the risk level, and each change trigger, one open alert per household and cause.
      const alerts: { id: string; household_id: string; region_code: string; cause: string; level: string; due: string; reasons: unknown }[] = [];
      todo.forEach((h, i) => {
        const { params } = paramsFor(h.regionCode);
        const p = params.values;
        const due = (level: string): string => fromDayNumber(asOfDay + (level === 'red' ? p.alertDueDaysRed : level === 'orange' ? p.alertDueDaysOrange : p.alertDueDaysYellow));
        const lvl = RISK_LEVELS[r.level[i]!]!;
        if (lvl !== 'green') {
          result.atRisk++;
          alerts.push({
            id: newId(), household_id: h.id, region_code: h.regionCode, cause: 'risk', level: lvl, due: due(lvl),
            reasons: { score: r.score[i], dimensions: deprivedDimensions(r.mask[i]!), family: familyFlagNames(cols.familyFlags[i]!), incomeGap: r.incomeGap[i], propertyGap: r.propertyGap[i], daysSinceVisit: cols.daysSinceVisit[i] === NEVER_VISITED ? null : cols.daysSinceVisit[i] },
          });
        }
        for (const t of triggers[i]!) {
          const level = triggerLevel(t);
          alerts.push({ id: newId(), household_id: h.id, region_code: h.regionCode, cause: `trigger:${t.kind}`, level, due: due(level), reasons: t });
        }
        for (const code of [h.regionCode.slice(0, 9), h.regionCode.slice(0, 6), h.regionCode.slice(0, 4), '33']) {
          let acc = indices.get(code);
          if (!acc) indices.set(code, (acc = newIndexAccumulator()));
          addToIndices(acc, r, i, table[cols.paramIndex[i]!]!);
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
      options.onProgress?.(seen, total);
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
      ]);
    }
    // Open alerts past their due date escalate to the county (once), with an event in their history.
    const escalated = await sql<{ id: string }>`
      UPDATE alerts SET escalated = true, updated_at = now()
      WHERE status IN ('new','assigned','visiting') AND NOT escalated AND due_on < ${asOf}
        ${scope ? sql`AND region_code LIKE ${`${scope}%`}` : sql``}
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
}
