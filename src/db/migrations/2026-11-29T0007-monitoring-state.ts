/**
 * Frozen migration: the monitoring run compares a household's members with its stored state in
 * the database (ADR 0005, compact read): each stored state keeps the members as the run read them
 * (`members_state`, the compact text the read statement builds), so the previous members cross the
 * wire only when they changed. Deceased members are found by a partial index (their income stops
 * counting).
 */
import { sql, type Kysely } from 'kysely';

const statements = [
  `ALTER TABLE risk_snapshots ADD COLUMN members_state text`,
  `CREATE INDEX members_deceased_idx ON members (household_id) WHERE deceased_on IS NOT NULL`,
];

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const s of statements) await sql.raw(s).execute(db);
}
