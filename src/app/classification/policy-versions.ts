/** Policy books by version: the current one from the context, older ones from the database. */
import { validatePolicyDocument, type PolicyBook } from '../../core/policy/parameters.js';
import { PolicyRepository } from '../../db/repositories/policy.repository.js';
import type { AppContext } from '../context.js';

const cache = new WeakMap<AppContext, Map<string, PolicyBook>>();

/** The policy book of a stored version, so a past decision is explained under the rules of its day. */
export async function policyBookFor(ctx: AppContext, version: string): Promise<PolicyBook> {
  if (version === ctx.policy.version) return ctx.policy;
  let books = cache.get(ctx);
  if (!books) {
    books = new Map<string, PolicyBook>();
    cache.set(ctx, books);
  }
  const hit = books.get(version);
  if (hit) return hit;
  const stored = await new PolicyRepository(ctx.db).get(version);
  if (!stored) throw new Error(`policy version ${version} is not stored`);
  const book = validatePolicyDocument(stored.document, { isKnownRegion: (c) => ctx.regions.get(c) !== undefined });
  books.set(version, book);
  return book;
}
