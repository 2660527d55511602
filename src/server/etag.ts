/**
 * Optimistic concurrency over HTTP: a record's version is its ETag (`"7"`); a write may send it
 * back in `If-Match`, and a record changed since answers 412 PRECONDITION_FAILED (nothing
 * written). Without If-Match (or with `*`) the write applies to the current record.
 */
import { z } from 'zod';
import type { FastifyReply } from 'fastify';

/** The request header, documented in the OpenAPI; other headers pass through untouched. */
export const IfMatchHeadersSchema = z.looseObject({
  'if-match': z.string().max(100).optional().describe('The ETag (version) you read, e.g. "7": the write is refused with 412 if the record changed since. Omit (or *) to write regardless.'),
});

/** The version an If-Match names; undefined when absent or `*`; -1 (matches nothing: 412) when it names no version of ours. */
export function ifMatchVersion(header: string | string[] | undefined): number | undefined {
  if (header === undefined) return undefined;
  const h = (Array.isArray(header) ? header.join(',') : header).trim();
  if (h === '*') return undefined;
  const m = /^(?:W\/)?"?(\d{1,9})"?$/.exec(h);
  return m ? Number(m[1]) : -1;
}

export const etagOf = (version: number): string => `"${version}"`;

/** Sets the ETag header and returns the body (for handlers that return what they send). */
export function withEtag<T extends { version: number }>(reply: FastifyReply, body: T): T {
  void reply.header('etag', etagOf(body.version));
  return body;
}
