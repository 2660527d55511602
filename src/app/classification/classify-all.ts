/**
 * Classify every household (or those under a region) on one date: read in chunks, compute facts,
 * classify each chunk on columns, write the results in bulk, then make them current — in one
 * transaction, so a failed run leaves nothing half-written.
 */
import {
  allocateFactColumns, classifyBatch, computeFacts, decodeCategory, decodeFlags, ParameterTable, setFactRow,
} from '../../core/means-test/index.js';
import type { ResolvedParameters } from '../../core/policy/parameters.js';
import { ClassificationRepository, type NewClassification } from '../../db/repositories/classification.repository.js';
import { HouseholdRepository } from '../../db/repositories/household.repository.js';
import type { AppContext } from '../context.js';
import { AppError } from '../errors.js';
import { newId } from '../new-id.js';
import { appendAudit } from '../audit/audit.js';

export interface ClassifyAllOptions {
  asOf?: string | undefined;
  /** Only households whose village code starts with this region code. */
  region?: string | undefined;
  chunkSize?: number;
  onProgress?: (done: number, total: number) => void;
}

export interface ClassifyAllResult {
  runId: string;
  asOf: string;
  households: number;
  policyVersion: string;
}

export async function classifyAll(ctx: AppContext, options: ClassifyAllOptions = {}): Promise<ClassifyAllResult> {
  const asOf = options.asOf ?? ctx.today();
  const region = options.region ?? '33';
  if (!ctx.regions.get(region)) throw new AppError('VALIDATION_FAILED', 'region: unknown region code', 'region');
  // A run is of a day that has come; an earlier date joins the history and leaves a later current status in place.
  if (asOf > ctx.today()) throw new AppError('VALIDATION_FAILED', 'asOf: is in the future: classify as of today or an earlier date', 'asOf');
  const chunkSize = options.chunkSize ?? 5_000;
  const runId = newId();
  let q = ctx.db.selectFrom('households').select((eb) => eb.fn.countAll<number>().as('n'));
  if (region !== '33') q = q.where('region_code', 'like', `${region}%`);
  const total = (await q.executeTakeFirst())?.n ?? 0;

  const table = new ParameterTable(ctx.policy, asOf);
  const paramsFor = (villageCode: string): { params: ResolvedParameters; index: number } => {
    try {
      return table.forRegion(villageCode);
    } catch {
      throw new AppError('POLICY_NOT_IN_FORCE', `no policy parameters were in force on ${asOf}`, 'asOf');
    }
  };

  let done = 0;
  // Reads go through the pool, outside the write transaction, one chunk ahead: on PostgreSQL the
  // next chunk is fetched while this one is classified and written (PGlite simply queues them).
  const scope = region === '33' ? undefined : region;
  await ctx.db.transaction().execute(async (trx) => {
    const reader = new HouseholdRepository(ctx.singleConnection ? trx : ctx.db);
    const results = new ClassificationRepository(trx);
    await results.startRun({ id: runId, as_of: asOf, region_code: region, policy_version: ctx.policy.version });
    let next = reader.findMeansTestChunk(null, chunkSize, scope);
    for (;;) {
      const chunk = await next;
      if (chunk.length === 0) break;
      next = reader.findMeansTestChunk(chunk[chunk.length - 1]!.id, chunkSize, scope);
      const cols = allocateFactColumns(chunk.length);
      const facts = chunk.map((h, i) => {
        const { params, index } = paramsFor(h.regionCode);
        const f = computeFacts(h, params.values, asOf);
        setFactRow(cols, i, f, index);
        return f;
      });
      const out = classifyBatch(cols, table.thresholds);
      const rows: NewClassification[] = chunk.map((h, i) => ({
        id: newId(),
        household_id: h.id,
        run_id: runId,
        as_of: asOf,
        category: decodeCategory(out.category[i]!),
        flags: decodeFlags(out.flags[i]!),
        payment_fen: out.paymentFen[i]!,
        per_capita_income_fen: out.perCapitaMonthlyIncomeFen[i]!,
        policy_version: ctx.policy.version,
        facts: facts[i],
      }));
      await results.insertMany(rows);
      done += chunk.length;
      options.onProgress?.(done, total);
    }
    await results.setCurrentStatusForRun(runId);
    await results.finishRun(runId, done);
    await appendAudit(trx, { actorId: null, role: 'operator', action: 'run.classify', objectType: 'run', objectId: runId, purpose: `region ${region}, as of ${asOf}`, result: 'ok', requestId: null });
  });
  return { runId, asOf, households: done, policyVersion: ctx.policy.version };
}

/** Households per county and category, as the CLI prints after a run. */
export async function classificationSummary(ctx: AppContext, region?: string) {
  return new ClassificationRepository(ctx.db).summaryByCounty(region === '33' ? undefined : region);
}
