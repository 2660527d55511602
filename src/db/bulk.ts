/**
 * Set-based bulk insert: one `INSERT … SELECT FROM unnest($1::type[], …)` per chunk, with one array
 * parameter per column. The same statement runs on PGlite and PostgreSQL, and costs one round trip
 * per chunk instead of one per row.
 */
import { sql, type Kysely } from 'kysely';

// Any schema: the statement is built from column names, not from the typed table map.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyDb = Kysely<any>;

export type PgType = 'uuid' | 'text' | 'bigint' | 'integer' | 'smallint' | 'date' | 'boolean' | 'double precision' | 'jsonb' | 'text[]';

/** A column of a bulk insert: its name, SQL type and the value of each row. */
export interface BulkColumn {
  name: string;
  type: PgType;
  values: unknown[];
}

/** Inserts the rows given as columns (all of equal length), in chunks. Returns the row count. */
export async function bulkInsert(db: AnyDb, table: string, columns: readonly BulkColumn[], chunkSize = 20_000): Promise<number> {
  const n = columns[0]?.values.length ?? 0;
  for (const c of columns) if (c.values.length !== n) throw new Error(`bulk insert into ${table}: column ${c.name} has ${c.values.length} values, expected ${n}`);
  for (let start = 0; start < n; start += chunkSize) {
    const end = Math.min(n, start + chunkSize);
    const names = sql.join(columns.map((c) => sql.ref(c.name)));
    const arrays = sql.join(
      columns.map((c) => {
        // Arrays of arrays (text[][]) cannot go through unnest as ragged rows: send text[] as a
        // Postgres array literal per row and cast back.
        if (c.type === 'text[]') return sql`${c.values.slice(start, end).map(toArrayLiteral)}::text[]`;
        if (c.type === 'jsonb') return sql`${c.values.slice(start, end).map((v) => JSON.stringify(v))}::text[]`;
        return sql`${c.values.slice(start, end)}::${sql.raw(c.type)}[]`;
      }),
    );
    const select = sql.join(
      columns.map((c, i) => {
        const col = sql.ref(`u.c${i}`);
        if (c.type === 'text[]') return sql`${col}::text[]`;
        if (c.type === 'jsonb') return sql`${col}::jsonb`;
        return col;
      }),
    );
    const aliases = sql.raw(columns.map((_, i) => `c${i}`).join(', '));
    await sql`INSERT INTO ${sql.table(table)} (${names}) SELECT ${select} FROM unnest(${arrays}) AS u(${aliases})`.execute(db);
  }
  return n;
}

function toArrayLiteral(v: unknown): string {
  const items = Array.isArray(v) ? (v as unknown[]) : [];
  return `{${items.map((x) => `"${String(x).replace(/["\\]/g, '\\$&')}"`).join(',')}}`;
}
