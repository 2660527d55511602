/**
 * Frozen migration: the benefit ledger (一户一条救助链) — every receipt of help, linked to a registry
 * member (or kept unlinked for review) — duplicate and multi-source assistance findings with their
 * resolution, and recovery tasks for confirmed findings.
 */
import { sql, type Kysely } from 'kysely';

const statements = [
  `CREATE TABLE ledger_entries (
    id uuid PRIMARY KEY,
    source_dept text NOT NULL,
    record_id text NOT NULL,
    batch_id uuid NOT NULL REFERENCES import_batches(id),
    household_id uuid REFERENCES households(id) ON DELETE CASCADE,
    member_id uuid REFERENCES members(id) ON DELETE CASCADE,
    link_status text NOT NULL CHECK (link_status IN ('linked', 'unlinked')),
    link_method text CHECK (link_method IN ('exact_id', 'probabilistic')),
    link_probability double precision,
    link_explanation jsonb,
    id_number text NOT NULL,
    name text NOT NULL,
    programme text NOT NULL,
    need_category text NOT NULL,
    provider text NOT NULL,
    provider_region text NOT NULL,
    amount_fen bigint NOT NULL CHECK (amount_fen >= 0),
    in_kind boolean NOT NULL DEFAULT false,
    basis_fen bigint CHECK (basis_fen >= 0),
    period_start date NOT NULL,
    period_end date NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    UNIQUE (source_dept, record_id),
    CHECK (period_end >= period_start),
    CHECK ((link_status = 'linked') = (member_id IS NOT NULL AND household_id IS NOT NULL))
  )`,
  `CREATE INDEX ledger_entries_household_idx ON ledger_entries (household_id, period_start)`,
  `CREATE INDEX ledger_entries_member_idx ON ledger_entries (member_id)`,
  `CREATE INDEX ledger_entries_unlinked_idx ON ledger_entries (link_status) WHERE link_status = 'unlinked'`,
  `CREATE TABLE ledger_findings (
    id uuid PRIMARY KEY,
    kind text NOT NULL CHECK (kind IN ('dibao_two_places', 'multi_provider', 'over_cap', 'after_death')),
    group_key text NOT NULL,
    evidence_key text NOT NULL,
    household_id uuid NOT NULL REFERENCES households(id) ON DELETE CASCADE,
    member_id uuid REFERENCES members(id) ON DELETE CASCADE,
    region_code text NOT NULL,
    need_category text,
    entry_ids uuid[] NOT NULL,
    overlap_start date NOT NULL,
    overlap_end date NOT NULL,
    overlap_days integer NOT NULL,
    total_fen bigint NOT NULL,
    excess_fen bigint NOT NULL,
    detail jsonb NOT NULL,
    status text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'confirmed', 'false_positive')),
    raised_on date NOT NULL,
    resolved_by uuid REFERENCES users(id),
    resolved_at timestamptz,
    reason text,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now()
  )`,
  `CREATE UNIQUE INDEX ledger_findings_open_group_idx ON ledger_findings (group_key) WHERE status = 'open'`,
  `CREATE INDEX ledger_findings_evidence_idx ON ledger_findings (evidence_key)`,
  `CREATE INDEX ledger_findings_region_idx ON ledger_findings (region_code text_pattern_ops, status)`,
  `CREATE TABLE recovery_tasks (
    id uuid PRIMARY KEY,
    finding_id uuid NOT NULL UNIQUE REFERENCES ledger_findings(id) ON DELETE CASCADE,
    amount_fen bigint NOT NULL CHECK (amount_fen >= 0),
    department text NOT NULL,
    status text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'in_progress', 'recovered', 'written_off')),
    created_by uuid REFERENCES users(id),
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now()
  )`,
];

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const s of statements) await sql.raw(s).execute(db);
}
