/** Form helpers shared by features. */
import type { FormInstance } from 'antd';
import { ApiError } from './api.js';

/**
 * Puts a VALIDATION_FAILED answer's per-field messages on the form's fields (by top-level name);
 * returns whether any field took one, so the caller shows a general message otherwise.
 */
export function applyServerErrors<T>(form: FormInstance<T>, error: unknown, fields: readonly string[]): boolean {
  if (!(error instanceof ApiError)) return false;
  const issues = error.issues.length > 0 ? error.issues : error.field ? [{ field: error.field, message: error.message }] : [];
  const byField = new Map<string, string[]>();
  for (const i of issues) {
    const name = i.field.split(/[.[]/)[0] ?? '';
    if (!fields.includes(name)) continue;
    byField.set(name, [...(byField.get(name) ?? []), i.message]);
  }
  if (byField.size === 0) return false;
  form.setFields([...byField].map(([name, errors]) => ({ name: name as never, errors })));
  return true;
}

/** Whether a YYYY-MM-DD string is a real calendar date. */
export function isIsoDate(s: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const t = new Date(Date.UTC(y, mo - 1, d));
  return t.getUTCFullYear() === y && t.getUTCMonth() === mo - 1 && t.getUTCDate() === d;
}
