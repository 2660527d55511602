/**
 * The API client: typed wrappers over fetch for /api/v1. Types come from src/contracts only.
 * Errors become ApiError carrying the server's `{ error: { code, message, field? } }`.
 */
import type { z } from 'zod';
import type {
  CategoryCountsSchema,
  ClassificationView,
  HouseholdList,
  HouseholdView,
  RegionView,
} from '../../../src/contracts/index.js';

export const API_BASE = '/api/v1';

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly field?: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }

  get isNotFound(): boolean {
    return this.status === 404;
  }

  /** The request never reached the server (offline, server down, CORS). */
  get isNetwork(): boolean {
    return this.status === 0;
  }
}

type QueryValue = string | number | undefined | null;

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function errorFromBody(status: number, statusText: string, body: unknown): ApiError {
  const err = isRecord(body) ? body.error : undefined;
  if (isRecord(err) && typeof err.message === 'string') {
    const code = typeof err.code === 'string' ? err.code : `HTTP_${status}`;
    const field = typeof err.field === 'string' ? err.field : undefined;
    return new ApiError(status, code, err.message, field);
  }
  return new ApiError(status, `HTTP_${status}`, `HTTP ${status}${statusText ? ` ${statusText}` : ''}`);
}

async function request<T>(
  method: 'GET' | 'POST',
  path: string,
  options: { query?: Record<string, QueryValue>; body?: unknown; signal?: AbortSignal } = {},
): Promise<T> {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(options.query ?? {})) {
    if (v !== undefined && v !== null && v !== '') params.set(k, String(v));
  }
  const qs = params.toString();
  const url = `${API_BASE}${path}${qs ? `?${qs}` : ''}`;
  const init: RequestInit = { method, headers: { accept: 'application/json' } };
  if (options.signal) init.signal = options.signal;
  if (options.body !== undefined) {
    init.headers = { accept: 'application/json', 'content-type': 'application/json' };
    init.body = JSON.stringify(options.body);
  }
  let res: Response;
  try {
    res = await fetch(url, init);
  } catch (e) {
    if (e instanceof DOMException && e.name === 'AbortError') throw e;
    throw new ApiError(0, 'NETWORK', e instanceof Error ? e.message : 'network error');
  }
  const text = await res.text();
  let body: unknown = undefined;
  if (text) {
    try {
      body = JSON.parse(text);
    } catch {
      body = undefined;
    }
  }
  if (!res.ok) throw errorFromBody(res.status, res.statusText, body);
  if (body === undefined) throw new ApiError(res.status, 'BAD_RESPONSE', `unexpected response from ${path}`);
  return body as T;
}

export type CategoryCounts = z.infer<typeof CategoryCountsSchema>;

export interface HouseholdListParams {
  region?: string | undefined;
  category?: string | undefined;
  page: number;
  pageSize: number;
}

export const api = {
  regions: (parent: string, signal?: AbortSignal) =>
    request<{ items: RegionView[] }>('GET', '/regions', { query: { parent }, ...(signal ? { signal } : {}) }),
  households: (q: HouseholdListParams, signal?: AbortSignal) =>
    request<HouseholdList>('GET', '/households', {
      query: { region: q.region, category: q.category, page: q.page, pageSize: q.pageSize },
      ...(signal ? { signal } : {}),
    }),
  household: (id: string, signal?: AbortSignal) =>
    request<HouseholdView>('GET', `/households/${encodeURIComponent(id)}`, signal ? { signal } : {}),
  classifications: (id: string, signal?: AbortSignal) =>
    request<{ items: ClassificationView[] }>('GET', `/households/${encodeURIComponent(id)}/classifications`, signal ? { signal } : {}),
  classify: (id: string, asOf?: string) =>
    request<ClassificationView>('POST', `/households/${encodeURIComponent(id)}/classify`, { body: asOf ? { asOf } : {} }),
  categoryStats: (region: string | undefined, signal?: AbortSignal) =>
    request<CategoryCounts>('GET', '/stats/categories', { query: { region }, ...(signal ? { signal } : {}) }),
};
