/** Maps use-case errors and validation failures to HTTP answers. No stack trace or SQL ever leaves. */
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import type { ErrorCode, ErrorResponse } from '../contracts/common.js';
import { AppError } from '../app/errors.js';

function assertUnreachable(x: never): never {
  throw new Error(`unhandled error code ${String(x)}`);
}

export function statusOf(code: ErrorCode): number {
  switch (code) {
    case 'VALIDATION_FAILED':
    case 'PERSON_IN_OTHER_HOUSEHOLD':
    case 'POLICY_NOT_IN_FORCE':
      return 400;
    case 'UNAUTHENTICATED':
    case 'AUTH_FAILED':
    case 'SECOND_FACTOR_REQUIRED':
      return 401;
    case 'FORBIDDEN':
    case 'CSRF_FAILED':
    case 'CONSENT_REQUIRED':
      return 403;
    case 'CONFLICT':
      return 409;
    case 'PRECONDITION_FAILED':
      return 412;
    case 'USER_NOT_FOUND':
    case 'HOUSEHOLD_NOT_FOUND':
    case 'MEMBER_NOT_FOUND':
    case 'NOT_FOUND':
      return 404;
    case 'RATE_LIMITED':
      return 429;
    case 'UNAVAILABLE':
      return 503;
    case 'INTERNAL':
      return 500;
    default:
      return assertUnreachable(code);
  }
}

/** `/members/1/idNumber` → `members[1].idNumber`. */
export function fieldOf(instancePath: string, context?: string): string {
  const parts = instancePath.split('/').filter((p) => p !== '');
  let out = '';
  for (const p of parts) out += /^\d+$/.test(p) ? `[${p}]` : out === '' ? p : `.${p}`;
  return out === '' ? (context ?? '(request)') : out;
}

/** What each unique index means, for the 409 a concurrent duplicate gets (no values). */
const UNIQUE_MEANING: Record<string, { field?: string; message: string }> = {
  users_username_key: { field: 'username', message: 'username: is already taken' },
  organisations_credit_code_key: { field: 'creditCode', message: 'creditCode: an organisation with this code is already registered' },
  members_id_number_key: { field: 'members.idNumber', message: 'members.idNumber: is already a member of a household' },
  members_household_position_key: { message: 'another member was added to this household at the same time; try again' },
  support_plans_pkey: { message: 'the plan was created by someone else at the same time; reload it and try again' },
  needs_derived_uniq: { message: 'the needs of this household were derived at the same time; reload them' },
  alerts_one_open_per_cause: { message: 'an open alert of this cause exists already' },
  charity_referrals_need_live: { message: 'the need already has a live referral' },
  charity_referrals_household_category_live: { message: 'the household already has a live referral in this category' },
  ledger_findings_open_group_idx: { message: 'an open finding of this group exists already' },
  ledger_entries_source_dept_record_id_key: { message: 'a record of this import was imported at the same time; send the file again (records already imported are skipped)' },
  feed_records_pkey: { message: 'a record of this feed was received at the same time; send the feed again (records already received are skipped)' },
  recovery_tasks_finding_id_key: { message: 'the finding was resolved at the same time' },
};

/** The meaning of a PostgreSQL unique_violation (23505), or undefined for any other error. */
export function uniqueViolation(error: unknown): { field?: string; message: string } | undefined {
  if (typeof error !== 'object' || error === null || (error as { code?: unknown }).code !== '23505') return undefined;
  const constraint = (error as { constraint?: unknown }).constraint;
  return (typeof constraint === 'string' && UNIQUE_MEANING[constraint]) || { message: 'a record with these values already exists (created at the same time?); reload and try again' };
}

/**
 * Whether an error means the database is out of reach: the connection was refused, dropped or
 * terminated (pg_terminate_backend, a server restart or failover), or the server is shutting down
 * or starting. The request did not change anything (its transaction is gone); trying again can work.
 */
export function isDatabaseUnavailable(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string') {
    // SQLSTATE class 08 (connection exception), 57P01–57P05 (admin/crash shutdown, cannot connect now, …).
    if (/^08[0-9A-Z]{3}$/.test(code) || /^57P0[1-5]$/.test(code)) return true;
    if (['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'ENOTFOUND', 'EAI_AGAIN'].includes(code)) return true;
  }
  const message = (error as { message?: unknown }).message;
  return (
    typeof message === 'string' &&
    /Connection terminated|connection error and is not queryable|timeout exceeded when trying to connect|Client was closed and is not queryable|Cannot use a pool after calling end/.test(message)
  );
}

/** A deadlock (40P01) or serialisation failure (40001): the transaction was rolled back whole. */
export function isTransactionConflict(error: unknown): boolean {
  const code = typeof error === 'object' && error !== null ? (error as { code?: unknown }).code : undefined;
  return code === '40P01' || code === '40001';
}

export function errorHandler(error: FastifyError | AppError | Error, request: FastifyRequest, reply: FastifyReply): void {
  let body: ErrorResponse;
  let status: number;
  if (error instanceof AppError) {
    status = statusOf(error.code);
    body = { error: { code: error.code, message: error.message, ...(error.field && { field: error.field }), ...(error.issues && { issues: [...error.issues] }) } };
  } else if (hasZodFastifySchemaValidationErrors(error)) {
    const context = (error as { validationContext?: string }).validationContext;
    const issues = error.validation.map((v) => ({ field: fieldOf(v.instancePath, context), message: v.message ?? 'is invalid' }));
    status = 400;
    body = { error: { code: 'VALIDATION_FAILED', message: `${issues[0]!.field}: ${issues[0]!.message}`, field: issues[0]!.field, issues } };
  } else if (uniqueViolation(error)) {
    // Two requests created the same thing at once: the database's unique index refused the
    // second. The constraint's meaning is named; the values (in the error's detail) never are.
    const c = uniqueViolation(error)!;
    status = 409;
    body = { error: { code: 'CONFLICT', message: c.message, ...(c.field && { field: c.field }) } };
  } else if ('statusCode' in error && typeof error.statusCode === 'number' && error.statusCode >= 400 && error.statusCode < 500) {
    status = error.statusCode;
    const code: ErrorCode = status === 404 ? 'NOT_FOUND' : status === 429 ? 'RATE_LIMITED' : 'VALIDATION_FAILED';
    // Framework messages (bad JSON, body too large) carry no personal data.
    body = { error: { code, message: error.message } };
  } else if (isTransactionConflict(error)) {
    // Two transactions collided (deadlock or serialisation failure): the database rolled this one
    // back whole; the same request sent again applies on the state the other one left.
    status = 409;
    body = { error: { code: 'CONFLICT', message: 'another change to the same records ran at the same moment; nothing was changed, try again' } };
  } else if (isDatabaseUnavailable(error)) {
    status = 503;
    void reply.header('retry-after', '1');
    request.log.warn({ err: { type: error.name, code: (error as { code?: unknown }).code } }, 'database unavailable');
    body = { error: { code: 'UNAVAILABLE', message: 'the database is not reachable at the moment; nothing was changed, try again' } };
  } else {
    status = 500;
    request.log.error({ err: { type: error.name, code: (error as { code?: unknown }).code } }, 'unhandled error');
    body = { error: { code: 'INTERNAL', message: 'internal error' } };
  }
  void reply.status(status).header('cache-control', 'no-store').send(body);
}
