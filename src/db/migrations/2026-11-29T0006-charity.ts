/**
 * Frozen migration: organisations as charities (recognised status, regions served), charity
 * projects with their lifecycle, household needs (the portrait, 精准画像), matching runs with
 * their per-need results, referrals to charities with delivery, and one plan per household
 * (一户一策) with its version history and department tasks.
 */
import { sql, type Kysely } from 'kysely';

const statements = [
  `ALTER TABLE organisations ADD COLUMN recognised_charity boolean NOT NULL DEFAULT false`,
  `ALTER TABLE organisations ADD COLUMN regions_served text[] NOT NULL DEFAULT '{}'`,

  `CREATE TABLE charity_projects (
    id uuid PRIMARY KEY,
    organisation_id uuid NOT NULL REFERENCES organisations(id),
    title text NOT NULL,
    description text NOT NULL DEFAULT '',
    brand text,
    categories text[] NOT NULL,
    eligibility jsonb NOT NULL,
    region_code text NOT NULL REFERENCES regions(code),
    capacity integer NOT NULL CHECK (capacity >= 1),
    budget_fen bigint NOT NULL CHECK (budget_fen >= 0),
    cost_per_beneficiary_fen bigint NOT NULL CHECK (cost_per_beneficiary_fen >= 0),
    starts_on date NOT NULL,
    ends_on date NOT NULL,
    status text NOT NULL DEFAULT 'draft' CHECK (status IN ('draft','submitted','approved','published','closed')),
    status_reason text,
    approved_by uuid REFERENCES users(id),
    created_by uuid REFERENCES users(id),
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    CHECK (ends_on >= starts_on),
    CHECK (budget_fen >= cost_per_beneficiary_fen)
  )`,
  `CREATE INDEX charity_projects_org_idx ON charity_projects (organisation_id)`,
  `CREATE INDEX charity_projects_status_idx ON charity_projects (status, region_code)`,

  `CREATE TABLE needs (
    id uuid PRIMARY KEY,
    household_id uuid NOT NULL REFERENCES households(id) ON DELETE CASCADE,
    region_code text NOT NULL,
    category text NOT NULL,
    severity smallint NOT NULL CHECK (severity BETWEEN 1 AND 3),
    source text NOT NULL CHECK (source IN ('derived','worker')),
    evidence jsonb NOT NULL,
    status text NOT NULL DEFAULT 'open' CHECK (status IN ('open','planned','met','closed')),
    status_reason text,
    edited_by_worker boolean NOT NULL DEFAULT false,
    opened_on date NOT NULL,
    created_by uuid REFERENCES users(id),
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now()
  )`,
  `CREATE UNIQUE INDEX needs_derived_uniq ON needs (household_id, category) WHERE source = 'derived'`,
  `CREATE INDEX needs_region_idx ON needs (region_code, status)`,

  `CREATE TABLE matching_runs (
    id uuid PRIMARY KEY,
    county_code text NOT NULL REFERENCES regions(code),
    as_of date NOT NULL,
    policy_version text NOT NULL,
    mountain_uplift double precision NOT NULL,
    status text NOT NULL,
    optimality_gap double precision NOT NULL,
    objective double precision NOT NULL,
    greedy_objective double precision NOT NULL,
    needs integer NOT NULL,
    projects integer NOT NULL,
    eligible_pairs integer NOT NULL,
    matched integer NOT NULL,
    greedy_matched integer NOT NULL,
    project_use jsonb NOT NULL,
    ms double precision NOT NULL,
    created_by uuid REFERENCES users(id),
    created_at timestamptz NOT NULL DEFAULT now()
  )`,
  `CREATE TABLE matching_results (
    run_id uuid NOT NULL REFERENCES matching_runs(id) ON DELETE CASCADE,
    need_id uuid NOT NULL REFERENCES needs(id) ON DELETE CASCADE,
    household_id uuid NOT NULL REFERENCES households(id) ON DELETE CASCADE,
    project_id uuid REFERENCES charity_projects(id),
    priority integer NOT NULL,
    adjusted_priority double precision NOT NULL,
    explanation jsonb NOT NULL,
    PRIMARY KEY (run_id, need_id)
  )`,

  `CREATE TABLE charity_referrals (
    id uuid PRIMARY KEY,
    run_id uuid REFERENCES matching_runs(id),
    need_id uuid NOT NULL REFERENCES needs(id) ON DELETE CASCADE,
    household_id uuid NOT NULL REFERENCES households(id) ON DELETE CASCADE,
    project_id uuid NOT NULL REFERENCES charity_projects(id),
    organisation_id uuid NOT NULL REFERENCES organisations(id),
    category text NOT NULL,
    status text NOT NULL DEFAULT 'proposed' CHECK (status IN ('proposed','accepted','declined','delivered')),
    explanation jsonb NOT NULL,
    decision_reason text,
    decided_by uuid REFERENCES users(id),
    decided_at timestamptz,
    delivered_on date,
    amount_fen bigint CHECK (amount_fen >= 0),
    items text,
    volunteer_hours double precision CHECK (volunteer_hours >= 0),
    created_at timestamptz NOT NULL DEFAULT now()
  )`,
  // A need has at most one live referral; a household at most one live project per category.
  `CREATE UNIQUE INDEX charity_referrals_need_live ON charity_referrals (need_id) WHERE status IN ('proposed','accepted','delivered')`,
  `CREATE UNIQUE INDEX charity_referrals_household_category_live ON charity_referrals (household_id, category) WHERE status IN ('proposed','accepted')`,
  `CREATE INDEX charity_referrals_org_idx ON charity_referrals (organisation_id, status)`,
  `CREATE INDEX charity_referrals_project_idx ON charity_referrals (project_id, status)`,

  `CREATE TABLE support_plans (
    household_id uuid PRIMARY KEY REFERENCES households(id) ON DELETE CASCADE,
    version integer NOT NULL,
    owner_id uuid REFERENCES users(id),
    review_on date,
    tasks jsonb NOT NULL DEFAULT '[]',
    updated_by uuid REFERENCES users(id),
    updated_at timestamptz NOT NULL DEFAULT now()
  )`,
  `CREATE TABLE support_plan_versions (
    household_id uuid NOT NULL REFERENCES households(id) ON DELETE CASCADE,
    version integer NOT NULL,
    owner_id uuid,
    review_on date,
    tasks jsonb NOT NULL,
    note text,
    changed_by uuid REFERENCES users(id),
    changed_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (household_id, version)
  )`,
];

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const s of statements) await sql.raw(s).execute(db);
}
