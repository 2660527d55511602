/**
 * Frozen migration: accounts, sessions, organisations, data-sharing agreements, consent, and the
 * append-only, hash-chained audit trail. Never edit after it has shipped.
 */
import { sql, type Kysely } from 'kysely';

const statements = [
  `ALTER TABLE members ADD COLUMN phone text`,

  `CREATE TABLE organisations (
    id uuid PRIMARY KEY,
    name text NOT NULL,
    kind text NOT NULL CHECK (kind IN ('charity','department','enterprise','social_organisation','charity_trust','foundation')),
    credit_code text UNIQUE,
    region_code text NOT NULL REFERENCES regions(code),
    created_at timestamptz NOT NULL DEFAULT now()
  )`,

  `CREATE TABLE users (
    id uuid PRIMARY KEY,
    username text NOT NULL UNIQUE,
    display_name text NOT NULL,
    password_hash text NOT NULL,
    role text NOT NULL,
    scope_region text NOT NULL REFERENCES regions(code),
    organisation_id uuid REFERENCES organisations(id),
    totp_secret text,
    totp_last_step bigint,
    disabled boolean NOT NULL DEFAULT false,
    locked_until timestamptz,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now()
  )`,

  `CREATE TABLE login_failures (
    user_id uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    at timestamptz NOT NULL
  )`,
  `CREATE INDEX login_failures_user_idx ON login_failures (user_id, at)`,

  // The session id is kept as its SHA-256 only: a copy of the table opens no session.
  `CREATE TABLE sessions (
    id_hash text PRIMARY KEY,
    user_id uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    csrf_token text NOT NULL,
    second_factor_done boolean NOT NULL DEFAULT false,
    created_at timestamptz NOT NULL,
    last_seen_at timestamptz NOT NULL,
    expires_at timestamptz NOT NULL
  )`,
  `CREATE INDEX sessions_user_idx ON sessions (user_id)`,

  `CREATE TABLE sharing_agreements (
    id uuid PRIMARY KEY,
    organisation_id uuid NOT NULL REFERENCES organisations(id),
    purpose text NOT NULL,
    allowed_fields text[] NOT NULL,
    region_code text NOT NULL REFERENCES regions(code),
    valid_from date NOT NULL,
    valid_until date NOT NULL,
    revoked_at timestamptz,
    created_by uuid REFERENCES users(id),
    created_at timestamptz NOT NULL DEFAULT now(),
    CHECK (valid_until >= valid_from)
  )`,
  `CREATE INDEX sharing_agreements_org_idx ON sharing_agreements (organisation_id)`,

  `CREATE TABLE consents (
    id uuid PRIMARY KEY,
    household_id uuid NOT NULL REFERENCES households(id) ON DELETE CASCADE,
    organisation_id uuid NOT NULL REFERENCES organisations(id),
    purpose text NOT NULL,
    given_on date NOT NULL,
    method text NOT NULL CHECK (method IN ('written','electronic','verbal_witnessed')),
    withdrawn_on date,
    recorded_by uuid REFERENCES users(id),
    created_at timestamptz NOT NULL DEFAULT now()
  )`,
  `CREATE INDEX consents_household_idx ON consents (household_id, organisation_id)`,

  `CREATE TABLE audit_log (
    seq bigint PRIMARY KEY,
    at timestamptz NOT NULL,
    actor_id uuid,
    role text,
    action text NOT NULL,
    object_type text NOT NULL,
    object_id text,
    purpose text,
    result text NOT NULL CHECK (result IN ('ok','denied','error')),
    request_id text,
    prev_hash text NOT NULL,
    hash text NOT NULL
  )`,
  `CREATE INDEX audit_log_at_idx ON audit_log (at)`,
  `CREATE INDEX audit_log_object_idx ON audit_log (object_type, object_id)`,
  // The last seq and hash, kept apart so that deleting the newest rows is detected too.
  `CREATE TABLE audit_head (
    id smallint PRIMARY KEY CHECK (id = 1),
    seq bigint NOT NULL,
    hash text NOT NULL
  )`,
  `INSERT INTO audit_head (id, seq, hash) VALUES (1, 0, '${'0'.repeat(64)}')`,
  // Append-only: no role, not even the table's owner, may change or remove a row (retention is
  // unlimited; rows are kept at least 180 days by construction).
  `CREATE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
   BEGIN RAISE EXCEPTION 'audit_log is append-only'; END $$`,
  `CREATE TRIGGER audit_log_no_update BEFORE UPDATE OR DELETE ON audit_log FOR EACH ROW EXECUTE FUNCTION audit_log_append_only()`,
  `CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log FOR EACH STATEMENT EXECUTE FUNCTION audit_log_append_only()`,
  `CREATE FUNCTION audit_head_forward_only() RETURNS trigger LANGUAGE plpgsql AS $$
   BEGIN
     IF TG_OP = 'DELETE' OR NEW.seq <= OLD.seq THEN RAISE EXCEPTION 'audit_head only moves forward'; END IF;
     RETURN NEW;
   END $$`,
  `CREATE TRIGGER audit_head_forward BEFORE UPDATE OR DELETE ON audit_head FOR EACH ROW EXECUTE FUNCTION audit_head_forward_only()`,
];

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const s of statements) await sql.raw(s).execute(db);
}
