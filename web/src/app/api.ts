/**
 * The API client: typed wrappers over fetch for /api/v1. Types come from src/contracts only.
 * Errors become ApiError carrying the server's `{ error: { code, message, field? } }`.
 */
import type { z } from 'zod';
import type {
  AgreementCreateSchema,
  AlertActionSchema,
  AlertListSchema,
  AlertView,
  FeedRequestSchema,
  FeedResultSchema,
  HouseholdMonitoringSchema,
  MonitoringOverviewSchema,
  VisitCreateSchema,
  VisitSchema,
  AgreementSchema,
  AuditListSchema,
  AuditVerifySchema,
  CategoryCountsSchema,
  ClassificationView,
  ConsentCreateSchema,
  ConsentSchema,
  HouseholdList,
  HouseholdView,
  LoginSchema,
  OrganisationCreateSchema,
  OrganisationSchema,
  REVEAL_REASONS,
  RegionView,
  RevealResponseSchema,
  RoleAssignSchema,
  SessionSchema,
  SharedHouseholdView,
  TotpSetupSchema,
  UserCreatedSchema,
  UserView,
} from '../../../src/contracts/index.js';

export const API_BASE = '/api/v1';

export type Session = z.infer<typeof SessionSchema>;
export type LoginRequest = z.infer<typeof LoginSchema>;
export type TotpSetup = z.infer<typeof TotpSetupSchema>;
export type RevealReason = (typeof REVEAL_REASONS)[number];
export type RevealedMember = z.infer<typeof RevealResponseSchema>['members'][number];
export type UserCreated = z.infer<typeof UserCreatedSchema>;
export type RoleAssign = z.infer<typeof RoleAssignSchema>;
export type Organisation = z.infer<typeof OrganisationSchema>;
export type OrganisationCreate = z.infer<typeof OrganisationCreateSchema>;
export type Agreement = z.infer<typeof AgreementSchema>;
export type AgreementCreate = z.infer<typeof AgreementCreateSchema>;
export type Consent = z.infer<typeof ConsentSchema>;
export type ConsentCreate = z.infer<typeof ConsentCreateSchema>;
export type AuditList = z.infer<typeof AuditListSchema>;
export type AuditEntry = AuditList['items'][number];
export type AuditVerify = z.infer<typeof AuditVerifySchema>;
export type AlertList = z.infer<typeof AlertListSchema>;
export type AlertAction = z.infer<typeof AlertActionSchema>;
export type HouseholdMonitoring = z.infer<typeof HouseholdMonitoringSchema>;
export type MonitoringOverview = z.infer<typeof MonitoringOverviewSchema>;
export type VisitCreate = z.infer<typeof VisitCreateSchema>;
export type FeedRequest = z.infer<typeof FeedRequestSchema>;
export type FeedResult = z.infer<typeof FeedResultSchema>;
export type Visit = z.infer<typeof VisitSchema>;
export interface AlertListParams {
  level?: string | undefined;
  status?: string | undefined;
  overdue?: boolean | undefined;
  region?: string | undefined;
  page: number;
  pageSize: number;
}

/**
 * The session's CSRF token, from login or /auth/me. Kept in memory only (never in storage): a
 * reload asks /auth/me again, which answers it while the httpOnly session cookie is valid.
 */
let csrfToken: string | null = null;
export function setCsrfToken(token: string | null): void {
  csrfToken = token;
}

/**
 * Called on a 401 from any request except sign-in and the start-up /auth/me (the auth context
 * registers it: it forgets the user, and the route guard then sends the browser to the login page).
 */
let onUnauthenticated: (() => void) | null = null;
export function setUnauthenticatedHandler(handler: (() => void) | null): void {
  onUnauthenticated = handler;
}

/**
 * Called on a 403 CSRF_FAILED (the session changed under this page, e.g. a sign-in in another
 * tab): the auth context asks /auth/me again and answers whether the same user is still signed in
 * with a fresh token, in which case the request is sent once more.
 */
let onCsrfFailed: (() => Promise<boolean>) | null = null;
export function setCsrfFailedHandler(handler: (() => Promise<boolean>) | null): void {
  onCsrfFailed = handler;
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly field?: string,
    /** Per-field problems of a VALIDATION_FAILED answer. */
    readonly issues: readonly { field: string; message: string }[] = [],
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

  /** The record was changed by someone else since it was loaded (412 on an If-Match write): reload, then edit again. */
  get isStale(): boolean {
    return this.status === 412;
  }

  /** The server could not reach its database for a moment (503): nothing was changed, try again. */
  get isUnavailable(): boolean {
    return this.status === 503;
  }

  /** Not allowed: a missing permission, or (shared data) an agreement or consent no longer active. */
  get isForbidden(): boolean {
    return this.status === 403 && this.code !== 'CSRF_FAILED';
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
    const issues = Array.isArray(err.issues)
      ? err.issues.filter(isRecord).map((i) => ({ field: String(i.field), message: String(i.message) }))
      : [];
    return new ApiError(status, code, err.message, field, issues);
  }
  return new ApiError(status, `HTTP_${status}`, `HTTP ${status}${statusText ? ` ${statusText}` : ''}`);
}

type Method = 'GET' | 'POST' | 'PUT' | 'PATCH';

interface RequestOptions {
  query?: Record<string, QueryValue>;
  body?: unknown;
  signal?: AbortSignal;
  /** A 401 is the answer itself (sign-in, the start-up /auth/me), not a lost session. */
  expect401?: boolean;
  /** Set on the one retry after a CSRF failure. */
  retried?: boolean;
  /**
   * The version (ETag) of the record the edit was made on, sent as If-Match: a record changed by
   * someone else since is refused with 412 (ApiError.isStale) instead of being overwritten.
   */
  ifMatch?: number;
}

export async function request<T>(method: Method, path: string, options: RequestOptions = {}): Promise<T> {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(options.query ?? {})) {
    if (v !== undefined && v !== null && v !== '') params.set(k, String(v));
  }
  const qs = params.toString();
  const url = `${API_BASE}${path}${qs ? `?${qs}` : ''}`;
  const headers: Record<string, string> = { accept: 'application/json' };
  if (method !== 'GET' && csrfToken) headers['x-csrf-token'] = csrfToken;
  if (options.ifMatch !== undefined) headers['if-match'] = `"${options.ifMatch}"`;
  const init: RequestInit = { method, headers, credentials: 'same-origin' };
  if (options.signal) init.signal = options.signal;
  if (options.body !== undefined) {
    headers['content-type'] = 'application/json';
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
  if (!res.ok) {
    const error = errorFromBody(res.status, res.statusText, body);
    if (res.status === 401 && !options.expect401) onUnauthenticated?.();
    if (error.code === 'CSRF_FAILED' && !options.retried && onCsrfFailed && (await onCsrfFailed())) {
      return request<T>(method, path, { ...options, retried: true });
    }
    throw error;
  }
  if (res.status === 204) return undefined as T;
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

const withSignal = (signal: AbortSignal | undefined): { signal?: AbortSignal } => (signal ? { signal } : {});
const enc = encodeURIComponent;

export interface AuditQuery {
  page: number;
  pageSize: number;
  action?: string | undefined;
  actorId?: string | undefined;
  objectId?: string | undefined;
}

export const api = {
  // Session.
  login: (body: LoginRequest) => request<Session>('POST', '/auth/login', { body, expect401: true }),
  me: (signal?: AbortSignal) => request<Session>('GET', '/auth/me', { ...withSignal(signal), expect401: true }),
  logout: () => request<undefined>('POST', '/auth/logout', { expect401: true }),
  totpSetup: () => request<TotpSetup>('POST', '/auth/totp/setup', { body: {} }),
  totpEnable: (secret: string, code: string, currentCode?: string) =>
    request<undefined>('POST', '/auth/totp/enable', { body: { secret, code, ...(currentCode ? { currentCode } : {}) } }),

  // Households.
  regions: (parent: string, signal?: AbortSignal) => request<{ items: RegionView[] }>('GET', '/regions', { query: { parent }, ...withSignal(signal) }),
  households: (q: HouseholdListParams, signal?: AbortSignal) =>
    request<HouseholdList>('GET', '/households', {
      query: { region: q.region, category: q.category, page: q.page, pageSize: q.pageSize },
      ...withSignal(signal),
    }),
  household: (id: string, signal?: AbortSignal) => request<HouseholdView>('GET', `/households/${enc(id)}`, withSignal(signal)),
  classifications: (id: string, signal?: AbortSignal) =>
    request<{ items: ClassificationView[] }>('GET', `/households/${enc(id)}/classifications`, withSignal(signal)),
  classify: (id: string, asOf?: string) => request<ClassificationView>('POST', `/households/${enc(id)}/classify`, { body: asOf ? { asOf } : {} }),
  /** Full names, ID numbers and phones, for a stated reason (audited). Keep the answer in component state only. */
  reveal: (id: string, reason: RevealReason, note?: string) =>
    request<{ members: RevealedMember[] }>('POST', `/households/${enc(id)}/reveal`, { body: note ? { reason, note } : { reason } }),
  categoryStats: (region: string | undefined, signal?: AbortSignal) =>
    request<CategoryCounts>('GET', '/stats/categories', { query: { region }, ...withSignal(signal) }),

  // Consent.
  consents: (householdId: string, signal?: AbortSignal) => request<{ items: Consent[] }>('GET', `/households/${enc(householdId)}/consents`, withSignal(signal)),
  recordConsent: (householdId: string, body: ConsentCreate) => request<Consent>('POST', `/households/${enc(householdId)}/consents`, { body }),
  withdrawConsent: (householdId: string, consentId: string, withdrawnOn: string) =>
    request<Consent>('POST', `/households/${enc(householdId)}/consents/${enc(consentId)}/withdraw`, { body: { withdrawnOn } }),

  // Shared with the user's organisation.
  sharedHouseholds: (signal?: AbortSignal) => request<{ items: SharedHouseholdView[] }>('GET', '/shared/households', withSignal(signal)),
  sharedHousehold: (id: string, signal?: AbortSignal) => request<SharedHouseholdView>('GET', `/shared/households/${enc(id)}`, withSignal(signal)),

  // Accounts and access.
  users: (signal?: AbortSignal) => request<{ items: UserView[] }>('GET', '/users', withSignal(signal)),
  createUser: (username: string, displayName: string) => request<UserCreated>('POST', '/users', { body: { username, displayName } }),
  setUserDisabled: (id: string, disabled: boolean) => request<UserView>('POST', `/users/${enc(id)}/${disabled ? 'disable' : 'enable'}`, { body: {} }),
  assignRole: (id: string, body: RoleAssign) => request<UserView>('PUT', `/users/${enc(id)}/role`, { body }),
  organisations: (signal?: AbortSignal) => request<{ items: Organisation[] }>('GET', '/organisations', withSignal(signal)),
  createOrganisation: (body: OrganisationCreate) => request<Organisation>('POST', '/organisations', { body }),
  agreements: (signal?: AbortSignal) => request<{ items: Agreement[] }>('GET', '/agreements', withSignal(signal)),
  createAgreement: (body: AgreementCreate) => request<Agreement>('POST', '/agreements', { body }),
  revokeAgreement: (id: string) => request<Agreement>('POST', `/agreements/${enc(id)}/revoke`, { body: {} }),

  // Dynamic monitoring.
  alerts: (q: AlertListParams, signal?: AbortSignal) =>
    request<AlertList>('GET', '/alerts', {
      query: { level: q.level, status: q.status, overdue: q.overdue ? 'true' : undefined, region: q.region, page: q.page, pageSize: q.pageSize },
      ...withSignal(signal),
    }),
  householdMonitoring: (id: string, signal?: AbortSignal) => request<HouseholdMonitoring>('GET', `/households/${enc(id)}/monitoring`, withSignal(signal)),
  alertAction: (householdId: string, alertId: string, body: AlertAction) =>
    request<AlertView>('POST', `/households/${enc(householdId)}/alerts/${enc(alertId)}/actions`, { body }),
  recordVisit: (householdId: string, body: VisitCreate) => request<Visit>('POST', `/households/${enc(householdId)}/visits`, { body }),
  monitoringOverview: (region: string | undefined, signal?: AbortSignal) =>
    request<MonitoringOverview>('GET', '/monitoring/overview', { query: { region }, ...withSignal(signal) }),
  /** A department's event feed; the rows hold ID numbers: never log the body. All rows are applied or none. */
  importFeed: (body: FeedRequest) => request<FeedResult>('POST', '/feeds/events', { body }),

  // Audit trail.
  audit: (q: AuditQuery, signal?: AbortSignal) =>
    request<AuditList>('GET', '/audit', {
      query: { page: q.page, pageSize: q.pageSize, action: q.action, actorId: q.actorId, objectId: q.objectId },
      ...withSignal(signal),
    }),
  verifyAudit: () => request<AuditVerify>('POST', '/audit/verify', { body: {} }),
};
