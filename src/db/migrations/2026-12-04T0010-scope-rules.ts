/**
 * Frozen migration: a department feed's record that names nobody in the caller's area is kept
 * like any other (its source and record id, so a feed sent again is skipped alike whether or not
 * the person is registered), without a household. Records stay unique per source: the key is
 * (source_dept, record_id) since migration 0004.
 */
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`ALTER TABLE feed_records ALTER COLUMN household_id DROP NOT NULL`.execute(db);
}
