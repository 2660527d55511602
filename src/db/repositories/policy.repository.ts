/** Policy files as loaded, one row per version, so past decisions can be re-explained. */
import type { Kysely } from 'kysely';
import type { Database } from '../schema.js';

export interface StoredPolicy {
  version: string;
  jurisdiction: string;
  document: unknown;
  sha256: string;
}

export class PolicyRepository {
  constructor(private readonly db: Kysely<Database>) {}

  /** Stores a version; the same version with different content is refused (versions are immutable). */
  async save(p: StoredPolicy): Promise<'inserted' | 'unchanged'> {
    const existing = await this.db.selectFrom('policy_versions').select('sha256').where('version', '=', p.version).executeTakeFirst();
    if (existing) {
      if (existing.sha256 !== p.sha256) {
        throw new Error(`policy version ${p.version} is already stored with different content: bump the version in the policy file`);
      }
      return 'unchanged';
    }
    await this.db
      .insertInto('policy_versions')
      .values({ version: p.version, jurisdiction: p.jurisdiction, document: JSON.stringify(p.document), sha256: p.sha256 })
      .execute();
    return 'inserted';
  }

  async get(version: string): Promise<StoredPolicy | undefined> {
    return this.db.selectFrom('policy_versions').select(['version', 'jurisdiction', 'document', 'sha256']).where('version', '=', version).executeTakeFirst();
  }
}
