/**
 * Frozen migration: optimistic concurrency and member order under concurrent writes.
 * A `version` on households and needs, bumped by every change, read back as the ETag a client
 * sends in `If-Match` (the household plan has its version already). Members get a unique
 * (household, position): positions made twice by concurrent adds before this migration are
 * renumbered first, in their order (position, then id), so the index can be built.
 */
import { sql, type Kysely } from 'kysely';

const statements = [
  `ALTER TABLE households ADD COLUMN version integer NOT NULL DEFAULT 1`,
  `ALTER TABLE needs ADD COLUMN version integer NOT NULL DEFAULT 1`,
  `UPDATE members m SET position = d.rn - 1
     FROM (SELECT id, row_number() OVER (PARTITION BY household_id ORDER BY position, id) AS rn FROM members
           WHERE household_id IN (SELECT household_id FROM members GROUP BY household_id, position HAVING count(*) > 1)) d
    WHERE m.id = d.id AND m.position <> d.rn - 1`,
  `CREATE UNIQUE INDEX members_household_position_key ON members (household_id, position)`,
];

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const s of statements) await sql.raw(s).execute(db);
}
