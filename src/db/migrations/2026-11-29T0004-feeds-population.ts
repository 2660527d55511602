/**
 * Frozen migration: department event feeds (each source record applied once), referrals of
 * households to monitoring (rejected applications, department referrals), and the population
 * group of each stored risk state (enrolled, suspected, general) with its counts per region.
 */
import { sql, type Kysely } from 'kysely';

const statements = [
  `CREATE TABLE feed_records (
    source_dept text NOT NULL,
    record_id text NOT NULL,
    batch_id uuid NOT NULL REFERENCES import_batches(id),
    household_id uuid NOT NULL REFERENCES households(id) ON DELETE CASCADE,
    kind text NOT NULL,
    occurred_on date NOT NULL,
    PRIMARY KEY (source_dept, record_id)
  )`,
  `CREATE TABLE referrals (
    id uuid PRIMARY KEY,
    household_id uuid NOT NULL REFERENCES households(id) ON DELETE CASCADE,
    reason text NOT NULL CHECK (reason IN ('rejected_application', 'department_referral')),
    source_dept text NOT NULL,
    referred_on date NOT NULL,
    batch_id uuid REFERENCES import_batches(id),
    created_at timestamptz NOT NULL DEFAULT now()
  )`,
  `CREATE INDEX referrals_household_idx ON referrals (household_id, referred_on DESC)`,
  `ALTER TABLE risk_snapshots ADD COLUMN population text NOT NULL DEFAULT 'general' CHECK (population IN ('enrolled', 'suspected', 'general'))`,
  `ALTER TABLE risk_snapshots ADD COLUMN population_reasons text[] NOT NULL DEFAULT '{}'`,
  `ALTER TABLE region_indices ADD COLUMN enrolled integer NOT NULL DEFAULT 0`,
  `ALTER TABLE region_indices ADD COLUMN suspected integer NOT NULL DEFAULT 0`,
];

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const s of statements) await sql.raw(s).execute(db);
}
