/** Classification results (history, never overwritten), runs, and each household's current status. */
import { sql, type Kysely } from 'kysely';
import type { ClassificationRow, Database } from '../schema.js';
import { bulkInsert } from '../bulk.js';

export interface NewClassification {
  id: string;
  household_id: string;
  run_id: string | null;
  as_of: string;
  category: string;
  flags: string[];
  payment_fen: number;
  per_capita_income_fen: number;
  policy_version: string;
  facts: unknown;
}

export class ClassificationRepository {
  constructor(private readonly db: Kysely<Database>) {}

  /**
   * Stores one result and makes it the household's current status unless the current one is of a
   * later date: a back-dated result joins the history only (the latest as-of date is current).
   */
  async insert(r: NewClassification): Promise<ClassificationRow> {
    const row = await this.db
      .insertInto('classification_results')
      .values({ ...r, facts: JSON.stringify(r.facts) })
      .returningAll()
      .executeTakeFirstOrThrow();
    await this.db
      .insertInto('household_status')
      .values({ household_id: r.household_id, result_id: r.id, category: r.category, flags: r.flags, payment_fen: r.payment_fen, as_of: r.as_of })
      .onConflict((oc) =>
        oc.column('household_id').doUpdateSet((eb) => ({
          result_id: eb.ref('excluded.result_id'),
          category: eb.ref('excluded.category'),
          flags: eb.ref('excluded.flags'),
          payment_fen: eb.ref('excluded.payment_fen'),
          as_of: eb.ref('excluded.as_of'),
        })).where((eb) => eb('household_status.as_of', '<=', eb.ref('excluded.as_of'))),
      )
      .execute();
    return row;
  }

  /** Stores many results of one run in bulk; `setCurrentStatusForRun` then updates the status table. */
  async insertMany(rows: readonly NewClassification[]): Promise<void> {
    await bulkInsert(this.db, 'classification_results', [
      { name: 'id', type: 'uuid', values: rows.map((r) => r.id) },
      { name: 'household_id', type: 'uuid', values: rows.map((r) => r.household_id) },
      { name: 'run_id', type: 'uuid', values: rows.map((r) => r.run_id) },
      { name: 'as_of', type: 'date', values: rows.map((r) => r.as_of) },
      { name: 'category', type: 'text', values: rows.map((r) => r.category) },
      { name: 'flags', type: 'text[]', values: rows.map((r) => r.flags) },
      { name: 'payment_fen', type: 'bigint', values: rows.map((r) => r.payment_fen) },
      { name: 'per_capita_income_fen', type: 'bigint', values: rows.map((r) => r.per_capita_income_fen) },
      { name: 'policy_version', type: 'text', values: rows.map((r) => r.policy_version) },
      { name: 'facts', type: 'jsonb', values: rows.map((r) => r.facts) },
    ]);
  }

  /** Makes a run's results the current status of their households, set-based, except where the current status is of a later date. */
  async setCurrentStatusForRun(runId: string): Promise<void> {
    await sql`
      INSERT INTO household_status (household_id, result_id, category, flags, payment_fen, as_of)
      SELECT household_id, id, category, flags, payment_fen, as_of FROM classification_results WHERE run_id = ${runId}
      ON CONFLICT (household_id) DO UPDATE SET result_id = excluded.result_id, category = excluded.category,
        flags = excluded.flags, payment_fen = excluded.payment_fen, as_of = excluded.as_of
      WHERE household_status.as_of <= excluded.as_of`.execute(this.db);
  }

  async startRun(run: { id: string; as_of: string; region_code: string; policy_version: string }): Promise<void> {
    await this.db.insertInto('classification_runs').values({ ...run, started_at: new Date(), households: 0 }).execute();
  }

  async finishRun(id: string, households: number): Promise<void> {
    await this.db.updateTable('classification_runs').set({ finished_at: new Date(), households }).where('id', '=', id).execute();
  }

  /** A household's results, newest first. */
  async history(householdId: string, limit = 50): Promise<ClassificationRow[]> {
    return this.db
      .selectFrom('classification_results')
      .selectAll()
      .where('household_id', '=', householdId)
      .orderBy('created_at', 'desc')
      .orderBy('id', 'desc')
      .limit(limit)
      .execute();
  }

  /** The household's current result: the one its status names (the latest as-of date), not the last computed. */
  async latest(householdId: string): Promise<ClassificationRow | undefined> {
    return this.db.selectFrom('household_status as s').innerJoin('classification_results as r', 'r.id', 's.result_id').selectAll('r')
      .where('s.household_id', '=', householdId).executeTakeFirst();
  }

  /** Households per county and category for a run's region (for the CLI summary). */
  async summaryByCounty(regionPrefix?: string): Promise<{ county_code: string; county_name: string; category: string; n: number }[]> {
    let q = this.db
      .selectFrom('household_status as s')
      .innerJoin('households as h', 'h.id', 's.household_id')
      .innerJoin('regions as c', 'c.code', 'h.county_code')
      .select(['h.county_code', 'c.name as county_name', 's.category'])
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .groupBy(['h.county_code', 'c.name', 's.category'])
      .orderBy('h.county_code');
    if (regionPrefix) q = q.where('h.region_code', 'like', `${regionPrefix}%`);
    return q.execute();
  }
}
