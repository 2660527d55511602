/** Errors a use case can raise; the HTTP layer maps each code to a status (exhaustively). */
import type { ErrorCode } from '../contracts/common.js';

export interface FieldIssue {
  field: string;
  message: string;
}

/** A refused request. Messages name the field and the reason, never a person's data. */
export class AppError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly field?: string,
    readonly issues?: readonly FieldIssue[],
  ) {
    super(message);
    this.name = 'AppError';
  }
}

/** A validation failure of one or more fields; the first names the error. */
export function invalid(issues: readonly FieldIssue[]): AppError {
  const first = issues[0] ?? { field: '(request)', message: 'is invalid' };
  return new AppError('VALIDATION_FAILED', `${first.field}: ${first.message}`, first.field, issues);
}

/** A write whose If-Match names a version the record no longer has (412). */
export function staleVersion(): AppError {
  return new AppError('PRECONDITION_FAILED', 'this record was changed by someone else since you loaded it; reload it and make your change again');
}

/** Postgres unique_violation on the one-person-one-household index. */
export function isUniqueViolation(e: unknown, constraint: string): boolean {
  if (typeof e !== 'object' || e === null) return false;
  const err = e as { code?: unknown; constraint?: unknown; message?: unknown };
  return err.code === '23505' && (err.constraint === constraint || (typeof err.message === 'string' && err.message.includes(constraint)));
}
