/**
 * The all-or-nothing check of a batch of rows a source system sends (a department's event feed,
 * a ledger file): every row and every field is checked, each problem named by row and field and
 * never repeating the value (it may be an ID number), and the rows count only when all passed.
 */

/** A problem of one row: its number (1-based), the field, and why. */
export interface RowIssue {
  row: number;
  field: string;
  message: string;
}

const PRINTABLE = /^[\P{Cc}]+$/u;

/**
 * Checks each row: an object holding only `fields`, with a `recordId` of 1–64 printable characters
 * not repeated in the batch; `check` checks the rest, reporting through `add`, and returns how to
 * build the row's value — called only when the row passed. Returns the values when every row
 * passed, else none and every issue.
 */
export function checkRows<T>(
  rows: readonly unknown[],
  fields: ReadonlySet<string>,
  what: string,
  check: (o: Record<string, unknown>, add: (field: string, message: string) => void, row: number) => () => T,
): { values: T[]; issues: RowIssue[] } {
  const values: T[] = [];
  const issues: RowIssue[] = [];
  const seen = new Map<string, number>();
  rows.forEach((raw, i) => {
    const row = i + 1;
    const add = (field: string, message: string): void => void issues.push({ row, field, message });
    if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
      add('(row)', 'must be an object');
      return;
    }
    const o = raw as Record<string, unknown>;
    for (const k of Object.keys(o)) if (!fields.has(k)) add(k, `is not a field of ${what}`);
    const before = issues.length;
    const { recordId } = o;
    if (typeof recordId !== 'string' || recordId.trim() === '' || recordId.length > 64 || !PRINTABLE.test(recordId)) add('recordId', 'must be 1–64 printable characters');
    else if (seen.has(recordId)) add('recordId', `repeats row ${seen.get(recordId)!}`);
    else seen.set(recordId, row);
    const build = check(o, add, row);
    if (issues.length === before) values.push(build());
  });
  return { values: issues.length > 0 ? [] : values, issues };
}
