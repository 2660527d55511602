/**
 * Frozen migration: a stored risk state keeps what the triggers compare as plain columns (ADR 0005,
 * compact read) instead of a JSON document: the members as the run read them (`members_state`, the
 * compact text the read statement builds, so the previous members cross the wire only when they
 * changed), the counted income, the wages, the recent medical spending and the recent emergencies.
 * States stored before keep their JSON `snapshot` (now optional) and are read through it.
 * Deceased members are found by a partial index (their income stops counting); the look-back of
 * classifications is read from a covering index.
 */
import { sql, type Kysely } from 'kysely';

const statements = [
  `ALTER TABLE risk_snapshots ADD COLUMN members_state text, ADD COLUMN income_fen bigint, ADD COLUMN wages_fen bigint, ADD COLUMN medical_fen bigint,
     ADD COLUMN emergencies text[]`,
  `ALTER TABLE risk_snapshots ALTER COLUMN snapshot DROP NOT NULL`,
  `CREATE INDEX members_deceased_idx ON members (household_id) WHERE deceased_on IS NOT NULL`,
  // The suspected population's look-back (enrolled at some time in the window) from the index alone.
  `CREATE INDEX classification_results_lookback_idx ON classification_results (household_id, as_of, category)`,
];

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const s of statements) await sql.raw(s).execute(db);
}
