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
    case 'USER_NOT_FOUND':
    case 'HOUSEHOLD_NOT_FOUND':
    case 'MEMBER_NOT_FOUND':
    case 'NOT_FOUND':
      return 404;
    case 'RATE_LIMITED':
      return 429;
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
  } else if ('statusCode' in error && typeof error.statusCode === 'number' && error.statusCode >= 400 && error.statusCode < 500) {
    status = error.statusCode;
    const code: ErrorCode = status === 404 ? 'NOT_FOUND' : status === 429 ? 'RATE_LIMITED' : 'VALIDATION_FAILED';
    // Framework messages (bad JSON, body too large) carry no personal data.
    body = { error: { code, message: error.message } };
  } else {
    status = 500;
    request.log.error({ err: { type: error.name, code: (error as { code?: unknown }).code } }, 'unhandled error');
    body = { error: { code: 'INTERNAL', message: 'internal error' } };
  }
  void reply.status(status).header('cache-control', 'no-store').send(body);
}
