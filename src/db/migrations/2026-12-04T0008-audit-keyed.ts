/**
 * Frozen migration: where the keyed audit chain starts (ADR 0006). Rows before `keyed_from` were
 * hashed with plain SHA-256; rows from it on carry HMAC-SHA256 under a key kept outside the
 * database. `key_id` (the key's public fingerprint) is recorded on the first start with a key.
 * Never edit after it has shipped.
 */
import { sql, type Kysely } from 'kysely';

const statements = [
  `CREATE TABLE audit_keyed (
    id smallint PRIMARY KEY CHECK (id = 1),
    keyed_from bigint NOT NULL CHECK (keyed_from >= 1),
    key_id text
  )`,
  // Every row written from now on is keyed; the ones already there keep their SHA-256 hashes.
  `INSERT INTO audit_keyed (id, keyed_from, key_id) SELECT 1, seq + 1, NULL FROM audit_head WHERE id = 1`,
  // The boundary never moves and the key id is set once.
  `CREATE FUNCTION audit_keyed_fixed() RETURNS trigger LANGUAGE plpgsql AS $$
   BEGIN
     IF TG_OP <> 'UPDATE' THEN RAISE EXCEPTION 'audit_keyed is fixed once set'; END IF;
     IF NEW.id <> OLD.id OR NEW.keyed_from <> OLD.keyed_from OR OLD.key_id IS NOT NULL THEN
       RAISE EXCEPTION 'audit_keyed is fixed once set';
     END IF;
     RETURN NEW;
   END $$`,
  `CREATE TRIGGER audit_keyed_fixed BEFORE UPDATE OR DELETE ON audit_keyed FOR EACH ROW EXECUTE FUNCTION audit_keyed_fixed()`,
  `CREATE TRIGGER audit_keyed_no_truncate BEFORE TRUNCATE ON audit_keyed FOR EACH STATEMENT EXECUTE FUNCTION audit_keyed_fixed()`,
];

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const s of statements) await sql.raw(s).execute(db);
}
