/** The administrative divisions table, seeded from the official codes. */
import type { Kysely } from 'kysely';
import type { Database, RegionsTable } from '../schema.js';
import { bulkInsert } from '../bulk.js';

export class RegionRepository {
  constructor(private readonly db: Kysely<Database>) {}

  async count(): Promise<number> {
    const r = await this.db.selectFrom('regions').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirst();
    return r?.n ?? 0;
  }

  /** Inserts regions parents-first (the caller orders them province → village). */
  async insertMany(rows: readonly RegionsTable[]): Promise<void> {
    await bulkInsert(this.db, 'regions', [
      { name: 'code', type: 'text', values: rows.map((r) => r.code) },
      { name: 'name', type: 'text', values: rows.map((r) => r.name) },
      { name: 'level', type: 'text', values: rows.map((r) => r.level) },
      { name: 'parent_code', type: 'text', values: rows.map((r) => r.parent_code) },
      { name: 'is_mountain_county', type: 'boolean', values: rows.map((r) => r.is_mountain_county) },
    ]);
  }
}
