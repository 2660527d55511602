/**
 * The names behind source codes: a department's or charity's own feed or ledger import is kept
 * under its organisation (`org_` and the organisation id's hex, feed.ts / ledger/import.ts), a
 * code people cannot read. Screens show the organisation's name instead; known department codes
 * (civil_affairs, health, …) are not organisations and keep their labels in the web app.
 * An organisation's name is no personal data: it is shown with the records of households the
 * reader may read anyway.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.js';

const ORG_SOURCE = /^org_([0-9a-f]{32})$/;

/** The source code an organisation's own feeds and imports are kept under (`org_` and its id's hex). */
export function sourceOfOrganisation(organisationId: string): string {
  return `org_${organisationId.replace(/-/g, '').toLowerCase()}`;
}

/** The organisation id a source code stands for (`org_<hex>`), or null for a department code. */
export function organisationOfSource(code: string): string | null {
  const m = ORG_SOURCE.exec(code);
  if (!m) return null;
  const h = m[1]!;
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

/** The organisation names of those codes that are organisation sources (code → name); other codes are left out. */
export async function sourceNamesOf(db: Kysely<Database>, codes: Iterable<string>): Promise<Map<string, string>> {
  const byOrg = new Map<string, string>();
  for (const c of new Set(codes)) {
    const id = organisationOfSource(c);
    if (id !== null) byOrg.set(id, c);
  }
  if (byOrg.size === 0) return new Map();
  const rows = await db.selectFrom('organisations').select(['id', 'name']).where('id', 'in', [...byOrg.keys()]).execute();
  return new Map(rows.map((r) => [byOrg.get(r.id.toLowerCase())!, r.name]));
}
