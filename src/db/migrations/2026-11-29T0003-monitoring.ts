/**
 * Frozen migration: dynamic monitoring — home visits, monitoring runs, risk snapshots per household
 * and date, alerts (at most one open per household and cause, enforced by a partial unique index),
 * their history, and Alkire–Foster indices per region and run.
 */
import { sql, type Kysely } from 'kysely';

const statements = [
  `CREATE TABLE visits (
    id uuid PRIMARY KEY,
    household_id uuid NOT NULL REFERENCES households(id) ON DELETE CASCADE,
    alert_id uuid,
    worker_id uuid REFERENCES users(id),
    visited_on date NOT NULL,
    findings text[] NOT NULL DEFAULT '{}',
    notes text,
    created_at timestamptz NOT NULL DEFAULT now()
  )`,
  `CREATE INDEX visits_household_idx ON visits (household_id, visited_on DESC)`,

  `CREATE TABLE monitoring_runs (
    id uuid PRIMARY KEY,
    as_of date NOT NULL,
    region_code text NOT NULL,
    policy_version text NOT NULL REFERENCES policy_versions(version),
    started_at timestamptz NOT NULL,
    finished_at timestamptz,
    households integer NOT NULL DEFAULT 0,
    at_risk integer NOT NULL DEFAULT 0,
    alerts_created integer NOT NULL DEFAULT 0
  )`,

  `CREATE TABLE risk_snapshots (
    household_id uuid NOT NULL REFERENCES households(id) ON DELETE CASCADE,
    as_of date NOT NULL,
    run_id uuid NOT NULL REFERENCES monitoring_runs(id),
    score double precision NOT NULL,
    level text NOT NULL CHECK (level IN ('green','yellow','orange','red')),
    mask smallint NOT NULL,
    income_gap double precision NOT NULL,
    property_gap double precision NOT NULL,
    category text,
    snapshot jsonb NOT NULL,
    PRIMARY KEY (household_id, as_of)
  )`,

  `CREATE TABLE alerts (
    id uuid PRIMARY KEY,
    household_id uuid NOT NULL REFERENCES households(id) ON DELETE CASCADE,
    region_code text NOT NULL,
    cause text NOT NULL,
    level text NOT NULL CHECK (level IN ('red','orange','yellow')),
    status text NOT NULL CHECK (status IN ('new','assigned','visiting','resolved','dismissed')),
    assignee_id uuid REFERENCES users(id),
    raised_on date NOT NULL,
    due_on date NOT NULL,
    escalated boolean NOT NULL DEFAULT false,
    outcome text CHECK (outcome IN ('enrolled','referred','no_need','moved_away')),
    closing_reason text,
    reasons jsonb NOT NULL,
    run_id uuid REFERENCES monitoring_runs(id),
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now()
  )`,
  // One open alert per household and cause, whatever writes it.
  `CREATE UNIQUE INDEX alerts_one_open_per_cause ON alerts (household_id, cause) WHERE status IN ('new','assigned','visiting')`,
  `CREATE INDEX alerts_region_idx ON alerts (region_code text_pattern_ops, status)`,

  `CREATE TABLE alert_events (
    id uuid PRIMARY KEY,
    alert_id uuid NOT NULL REFERENCES alerts(id) ON DELETE CASCADE,
    action text NOT NULL,
    actor_id uuid REFERENCES users(id),
    at timestamptz NOT NULL DEFAULT now(),
    detail text
  )`,
  `CREATE INDEX alert_events_alert_idx ON alert_events (alert_id, at)`,

  `CREATE TABLE region_indices (
    run_id uuid NOT NULL REFERENCES monitoring_runs(id),
    region_code text NOT NULL,
    households integer NOT NULL,
    h double precision NOT NULL,
    a double precision NOT NULL,
    m0 double precision NOT NULL,
    m1 double precision NOT NULL,
    m2 double precision NOT NULL,
    PRIMARY KEY (run_id, region_code)
  )`,
];

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const s of statements) await sql.raw(s).execute(db);
}
