/**
 * A department's event-feed file, read in the browser: JSON Lines (one JSON object per line) or
 * CSV with a header row (recordId,kind,idNumber,occurredOn,disabilityGrade). The rows go to the
 * server as they are (it checks every field); here only the file's own syntax is checked, and a
 * line that cannot be read is reported by its line number, with nothing sent.
 *
 * Rows carry resident ID numbers: nothing here logs, and what the page shows passes through
 * `maskIdNumber` / `maskIdsIn` first.
 */

export const FEED_COLUMNS = ['recordId', 'kind', 'idNumber', 'occurredOn', 'disabilityGrade'] as const;
export type FeedColumn = (typeof FEED_COLUMNS)[number];
const REQUIRED_COLUMNS: readonly FeedColumn[] = ['recordId', 'kind', 'idNumber', 'occurredOn'];

/** The server's limit on rows per feed. */
export const MAX_FEED_ROWS = 10_000;

export interface FeedRow {
  /** 1-based, as the server numbers rows (`rows[N]`). */
  row: number;
  /** The line of the file the row starts on (1-based). */
  line: number;
  value: unknown;
}

export type LocalProblem =
  | { kind: 'notJson'; line: number }
  | { kind: 'notObject'; line: number }
  | { kind: 'columnCount'; line: number; expected: number; found: number }
  | { kind: 'unclosedQuote'; line: number }
  | { kind: 'missingColumn'; line: number; column: string }
  | { kind: 'unknownColumn'; line: number; column: string }
  | { kind: 'duplicateColumn'; line: number; column: string }
  | { kind: 'empty' }
  | { kind: 'tooMany'; rows: number; max: number }
  | { kind: 'fileType' }
  | { kind: 'tooLarge' }
  | { kind: 'unreadable' };

export type FeedFormat = 'jsonl' | 'csv';

export interface ParsedFeed {
  format: FeedFormat;
  rows: FeedRow[];
  /** Non-empty: the file is refused as a whole and nothing may be sent. */
  problems: LocalProblem[];
}

/** At most this many local problems are kept (a wrong file would otherwise list every line). */
export const MAX_LOCAL_PROBLEMS = 50;

export function formatOf(fileName: string): FeedFormat | null {
  const lower = fileName.toLowerCase();
  if (lower.endsWith('.jsonl') || lower.endsWith('.ndjson')) return 'jsonl';
  if (lower.endsWith('.csv')) return 'csv';
  return null;
}

/** UTF-8 (with or without a byte-order mark); a file that is not valid UTF-8 is read as GB 18030 (a CSV saved by a Chinese-locale spreadsheet). */
export function decodeFeedBytes(bytes: ArrayBuffer | Uint8Array): string {
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    text = new TextDecoder('gb18030').decode(bytes);
  }
  return text.startsWith('\uFEFF') ? text.slice(1) : text;
}

export function parseFeedText(text: string, format: FeedFormat): ParsedFeed {
  const body = text.startsWith('\uFEFF') ? text.slice(1) : text;
  const parsed = format === 'jsonl' ? parseJsonLines(body) : parseCsv(body);
  if (parsed.problems.length === 0) {
    if (parsed.rows.length === 0) parsed.problems.push({ kind: 'empty' });
    else if (parsed.rows.length > MAX_FEED_ROWS) parsed.problems.push({ kind: 'tooMany', rows: parsed.rows.length, max: MAX_FEED_ROWS });
  }
  parsed.problems = parsed.problems.slice(0, MAX_LOCAL_PROBLEMS);
  return parsed;
}

function parseJsonLines(text: string): ParsedFeed {
  const rows: FeedRow[] = [];
  const problems: LocalProblem[] = [];
  text.split(/\r\n|\n|\r/).forEach((raw, i) => {
    const line = i + 1;
    if (raw.trim() === '') return;
    let value: unknown;
    try {
      value = JSON.parse(raw);
    } catch {
      problems.push({ kind: 'notJson', line });
      return;
    }
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      problems.push({ kind: 'notObject', line });
      return;
    }
    rows.push({ row: rows.length + 1, line, value });
  });
  return { format: 'jsonl', rows, problems };
}

/** RFC 4180 records: quoted fields may hold commas, doubled quotes and line breaks. */
export function csvRecords(text: string): { records: { line: number; fields: string[] }[]; unclosedAt: number | null } {
  const records: { line: number; fields: string[] }[] = [];
  let fields: string[] = [];
  let field = '';
  let quoted = false;
  let line = 1;
  let start = 1;
  let atFieldStart = true;
  const endRecord = (): void => {
    fields.push(field);
    records.push({ line: start, fields });
    fields = [];
    field = '';
    atFieldStart = true;
  };
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i++;
        } else quoted = false;
      } else {
        if (c === '\n' || (c === '\r' && text[i + 1] !== '\n')) line++;
        field += c;
      }
      continue;
    }
    if (c === '"' && atFieldStart) {
      quoted = true;
      atFieldStart = false;
    } else if (c === ',') {
      fields.push(field);
      field = '';
      atFieldStart = true;
    } else if (c === '\r' || c === '\n') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      endRecord();
      line++;
      start = line;
    } else {
      field += c;
      atFieldStart = false;
    }
  }
  if (quoted) return { records, unclosedAt: start };
  if (field !== '' || fields.length > 0) endRecord();
  return { records, unclosedAt: null };
}

function parseCsv(text: string): ParsedFeed {
  const rows: FeedRow[] = [];
  const problems: LocalProblem[] = [];
  const { records, unclosedAt } = csvRecords(text);
  const nonBlank = records.filter((r) => !(r.fields.length === 1 && r.fields[0]!.trim() === ''));
  const header = nonBlank[0];
  if (!header) {
    if (unclosedAt !== null) problems.push({ kind: 'unclosedQuote', line: unclosedAt });
    return { format: 'csv', rows, problems };
  }
  const columns: (FeedColumn | null)[] = [];
  for (const name of header.fields.map((f) => f.trim())) {
    const column = FEED_COLUMNS.find((c) => c.toLowerCase() === name.toLowerCase()) ?? null;
    if (column === null) problems.push({ kind: 'unknownColumn', line: header.line, column: name });
    else if (columns.includes(column)) problems.push({ kind: 'duplicateColumn', line: header.line, column });
    columns.push(column);
  }
  for (const c of REQUIRED_COLUMNS) if (!columns.includes(c)) problems.push({ kind: 'missingColumn', line: header.line, column: c });
  if (problems.length > 0) return { format: 'csv', rows, problems };
  for (const r of nonBlank.slice(1)) {
    if (r.fields.length !== columns.length) {
      problems.push({ kind: 'columnCount', line: r.line, expected: columns.length, found: r.fields.length });
      continue;
    }
    const value: Record<string, unknown> = {};
    columns.forEach((c, k) => {
      const cell = r.fields[k]!.trim();
      if (c === 'disabilityGrade') {
        if (cell !== '') value[c] = /^\d+$/.test(cell) ? Number(cell) : cell;
      } else if (c !== null) value[c] = cell;
    });
    rows.push({ row: rows.length + 1, line: r.line, value });
  }
  if (unclosedAt !== null) problems.push({ kind: 'unclosedQuote', line: unclosedAt });
  return { format: 'csv', rows, problems };
}

/** A resident ID number as 330106***********X: the first six and the last character only. Anything shorter than eight characters is starred out. */
export function maskIdNumber(id: string): string {
  if (id.length < 8) return '*'.repeat(id.length);
  return `${id.slice(0, 6)}${'*'.repeat(id.length - 7)}${id.slice(-1)}`;
}

/** Masks every run that looks like a resident ID number (15 digits, or 17 digits and a check character) inside free text. */
export function maskIdsIn(text: string): string {
  return text.replace(/\d{17}[\dXx]|\d{15}/g, (m) => maskIdNumber(m));
}

/** A cell of a row as display text, ID numbers masked; '' for a missing value. */
export function cellText(v: unknown): string {
  if (v === undefined || v === null) return '';
  if (typeof v === 'string') return maskIdsIn(v);
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return maskIdsIn(JSON.stringify(v));
}

/** A server issue's field `rows[N].name` as its row number and field name (row null for a whole-request field such as `source`). */
export function splitIssueField(field: string): { row: number | null; name: string } {
  const m = /^rows\[(\d+)\](?:\.(.+))?$/.exec(field);
  if (m) return { row: Number(m[1]), name: m[2] ?? '(row)' };
  return { row: null, name: field };
}
