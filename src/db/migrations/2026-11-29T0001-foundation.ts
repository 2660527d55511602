/**
 * Frozen migration: the registry, policy parameters and classification results.
 * Never edit after it has shipped; add a new migration instead.
 */
import { sql, type Kysely } from 'kysely';

const statements = [
  `CREATE TABLE regions (
    code text PRIMARY KEY,
    name text NOT NULL,
    level text NOT NULL CHECK (level IN ('province','city','county','township','village')),
    parent_code text REFERENCES regions(code),
    is_mountain_county boolean NOT NULL DEFAULT false
  )`,
  `CREATE INDEX regions_parent_idx ON regions (parent_code)`,

  `CREATE TABLE policy_versions (
    version text PRIMARY KEY,
    jurisdiction text NOT NULL,
    document jsonb NOT NULL,
    sha256 text NOT NULL,
    loaded_at timestamptz NOT NULL DEFAULT now()
  )`,

  `CREATE TABLE import_batches (
    id uuid PRIMARY KEY,
    source_dept text NOT NULL,
    kind text NOT NULL,
    row_count integer NOT NULL DEFAULT 0,
    note text,
    created_at timestamptz NOT NULL DEFAULT now()
  )`,

  `CREATE TABLE households (
    id uuid PRIMARY KEY,
    region_code text NOT NULL REFERENCES regions(code),
    county_code text NOT NULL,
    residence_region_code text REFERENCES regions(code),
    address text,
    has_able_supporter boolean NOT NULL DEFAULT false,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    CHECK (county_code = substr(region_code, 1, 6))
  )`,
  `CREATE INDEX households_region_idx ON households (region_code text_pattern_ops)`,
  `CREATE INDEX households_county_idx ON households (county_code)`,

  `CREATE TABLE members (
    id uuid PRIMARY KEY,
    household_id uuid NOT NULL REFERENCES households(id) ON DELETE CASCADE,
    name text NOT NULL,
    id_number text NOT NULL,
    relation text NOT NULL,
    sex char(1) NOT NULL CHECK (sex IN ('M','F')),
    birth_date date NOT NULL,
    disability_grade smallint NOT NULL DEFAULT 0 CHECK (disability_grade BETWEEN 0 AND 4),
    serious_illness boolean NOT NULL DEFAULT false,
    labour_capacity text NOT NULL CHECK (labour_capacity IN ('full','partial','none')),
    schooling text NOT NULL,
    deceased_on date,
    position smallint NOT NULL DEFAULT 0
  )`,
  // A person belongs to one household only.
  `CREATE UNIQUE INDEX members_id_number_key ON members (id_number)`,
  `CREATE INDEX members_household_idx ON members (household_id)`,

  `CREATE TABLE income_records (
    id uuid PRIMARY KEY,
    household_id uuid NOT NULL REFERENCES households(id) ON DELETE CASCADE,
    member_id uuid REFERENCES members(id) ON DELETE CASCADE,
    category text NOT NULL CHECK (category IN ('wages','business','property','transfer','deduction')),
    subtype text NOT NULL,
    amount_fen bigint NOT NULL CHECK (amount_fen >= 0),
    period_start date NOT NULL,
    period_end date NOT NULL,
    source_dept text NOT NULL,
    batch_id uuid REFERENCES import_batches(id),
    created_at timestamptz NOT NULL DEFAULT now(),
    CHECK (period_end >= period_start)
  )`,
  `CREATE INDEX income_records_household_idx ON income_records (household_id)`,

  `CREATE TABLE asset_records (
    id uuid PRIMARY KEY,
    household_id uuid NOT NULL REFERENCES households(id) ON DELETE CASCADE,
    member_id uuid REFERENCES members(id) ON DELETE CASCADE,
    kind text NOT NULL,
    value_fen bigint NOT NULL CHECK (value_fen >= 0),
    floor_area_m2 double precision,
    is_disability_vehicle boolean NOT NULL DEFAULT false,
    as_of date NOT NULL,
    source_dept text NOT NULL,
    batch_id uuid REFERENCES import_batches(id),
    created_at timestamptz NOT NULL DEFAULT now()
  )`,
  `CREATE INDEX asset_records_household_idx ON asset_records (household_id)`,

  `CREATE TABLE expenditure_records (
    id uuid PRIMARY KEY,
    household_id uuid NOT NULL REFERENCES households(id) ON DELETE CASCADE,
    member_id uuid REFERENCES members(id) ON DELETE CASCADE,
    category text NOT NULL CHECK (category IN ('medical','education','rehabilitation','accident','other')),
    amount_fen bigint NOT NULL CHECK (amount_fen >= 0),
    period_start date NOT NULL,
    period_end date NOT NULL,
    source_dept text NOT NULL,
    batch_id uuid REFERENCES import_batches(id),
    created_at timestamptz NOT NULL DEFAULT now(),
    CHECK (period_end >= period_start)
  )`,
  `CREATE INDEX expenditure_records_household_idx ON expenditure_records (household_id)`,

  `CREATE TABLE emergency_events (
    id uuid PRIMARY KEY,
    household_id uuid NOT NULL REFERENCES households(id) ON DELETE CASCADE,
    kind text NOT NULL,
    occurred_on date NOT NULL,
    source_dept text NOT NULL,
    batch_id uuid REFERENCES import_batches(id),
    created_at timestamptz NOT NULL DEFAULT now()
  )`,
  `CREATE INDEX emergency_events_household_idx ON emergency_events (household_id)`,

  `CREATE TABLE classification_runs (
    id uuid PRIMARY KEY,
    as_of date NOT NULL,
    region_code text NOT NULL,
    policy_version text NOT NULL REFERENCES policy_versions(version),
    started_at timestamptz NOT NULL,
    finished_at timestamptz,
    households integer NOT NULL DEFAULT 0
  )`,

  // History is kept: a result is never updated or overwritten; the newest row is the current one.
  `CREATE TABLE classification_results (
    id uuid PRIMARY KEY,
    household_id uuid NOT NULL REFERENCES households(id) ON DELETE CASCADE,
    run_id uuid REFERENCES classification_runs(id),
    as_of date NOT NULL,
    category text NOT NULL,
    flags text[] NOT NULL DEFAULT '{}',
    payment_fen bigint NOT NULL,
    per_capita_income_fen bigint NOT NULL,
    policy_version text NOT NULL REFERENCES policy_versions(version),
    facts jsonb NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now()
  )`,
  `CREATE INDEX classification_results_household_idx ON classification_results (household_id, created_at DESC, id DESC)`,

  // The current classification per household, kept in step by the writers of classification_results
  // so that lists and counts over a million households need no per-household subquery.
  `CREATE TABLE household_status (
    household_id uuid PRIMARY KEY REFERENCES households(id) ON DELETE CASCADE,
    result_id uuid NOT NULL REFERENCES classification_results(id),
    category text NOT NULL,
    flags text[] NOT NULL DEFAULT '{}',
    payment_fen bigint NOT NULL,
    as_of date NOT NULL
  )`,
  `CREATE INDEX household_status_category_idx ON household_status (category)`,
];

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const s of statements) await sql.raw(s).execute(db);
}
