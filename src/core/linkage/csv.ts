/**
 * A CSV reader for linkage input (RFC 4180: quoted fields with doubled quotes, delimiters and
 * line breaks inside quotes, CRLF or LF line ends, a byte-order mark), plus an option to trim
 * blanks around unquoted fields for files written "a, b, c". Problems are reported by row,
 * line and column name — never with the field's content, which is personal data.
 */

export interface CsvOptions {
  /** Field delimiter, one character; default ','. */
  delimiter?: string;
  /** Trim spaces and tabs around unquoted fields; default false. */
  trim?: boolean;
}

/** A problem in the file: the data row (1 = first row after the header), its first line, and the column when known. */
export interface CsvProblem {
  row: number;
  line: number;
  column?: string;
  message: string;
}

export interface CsvTable {
  header: string[];
  /** Rows with as many fields as the header; rows with problems are left out. */
  rows: string[][];
  /** The data-row number (1-based) of each kept row, for messages about a row later on. */
  rowNumbers: number[];
  problems: CsvProblem[];
}

/** Formats a problem for a message: `row 17 (line 18), column "surname": …`. */
export function formatCsvProblem(p: CsvProblem): string {
  return `row ${p.row} (line ${p.line})${p.column === undefined ? '' : `, column "${p.column}"`}: ${p.message}`;
}

/** Parses CSV text. The first record is the header. */
export function parseCsv(text: string, options: CsvOptions = {}): CsvTable {
  const delimiter = options.delimiter ?? ',';
  if (delimiter.length !== 1 || delimiter === '"' || delimiter === '\n' || delimiter === '\r') {
    throw new RangeError('csv delimiter must be one character other than a quote or a line break');
  }
  const trim = options.trim ?? false;
  const d = delimiter.charCodeAt(0);
  const QUOTE = 34;
  const LF = 10;
  const CR = 13;
  const s = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const n = s.length;

  const records: { fields: string[]; line: number; problem?: { field: number; message: string } }[] = [];
  let line = 1;
  let i = 0;
  while (i < n) {
    const startLine = line;
    const fields: string[] = [];
    let problem: { field: number; message: string } | undefined;
    let quoted = false;
    // One record.
    for (;;) {
      let value = '';
      let j = i;
      if (trim) while (j < n && (s.charCodeAt(j) === 32 || s.charCodeAt(j) === 9)) j++;
      if (j < n && s.charCodeAt(j) === QUOTE) {
        quoted = true;
        j++;
        let closed = false;
        let chunkStart = j;
        while (j < n) {
          const c = s.charCodeAt(j);
          if (c === QUOTE) {
            if (j + 1 < n && s.charCodeAt(j + 1) === QUOTE) {
              value += s.slice(chunkStart, j + 1);
              j += 2;
              chunkStart = j;
              continue;
            }
            value += s.slice(chunkStart, j);
            j++;
            closed = true;
            break;
          }
          if (c === LF) line++;
          j++;
        }
        if (!closed) {
          value += s.slice(chunkStart, j);
          problem ??= { field: fields.length, message: 'a quoted field is not closed before the end of the file' };
        }
        if (trim) while (j < n && (s.charCodeAt(j) === 32 || s.charCodeAt(j) === 9)) j++;
        if (j < n && s.charCodeAt(j) !== d && s.charCodeAt(j) !== LF && s.charCodeAt(j) !== CR) {
          problem ??= { field: fields.length, message: 'characters after the closing quote of a quoted field' };
          while (j < n && s.charCodeAt(j) !== d && s.charCodeAt(j) !== LF && s.charCodeAt(j) !== CR) j++;
        }
      } else {
        j = i;
        while (j < n) {
          const c = s.charCodeAt(j);
          if (c === d || c === LF || c === CR) break;
          j++;
        }
        value = s.slice(i, j);
        if (trim) value = value.replace(/^[ \t]+|[ \t]+$/g, '');
      }
      fields.push(value);
      if (j < n && s.charCodeAt(j) === d) {
        i = j + 1;
        if (i === n) fields.push('');
        else continue;
      } else {
        // End of record: CRLF, LF, CR or end of text.
        if (j < n && s.charCodeAt(j) === CR) j++;
        if (j < n && s.charCodeAt(j) === LF) j++;
        i = j;
      }
      break;
    }
    line++;
    // A blank line is not a record.
    if (fields.length === 1 && fields[0] === '' && !quoted) continue;
    records.push({ fields, line: startLine, ...(problem === undefined ? {} : { problem }) });
  }

  const headerRecord = records[0];
  const header = headerRecord?.fields ?? [];
  const problems: CsvProblem[] = [];
  const seen = new Set<string>();
  for (const name of header) {
    if (seen.has(name)) problems.push({ row: 0, line: 1, column: name, message: 'the header names this column twice' });
    seen.add(name);
  }
  const rows: string[][] = [];
  const rowNumbers: number[] = [];
  for (let r = 1; r < records.length; r++) {
    const rec = records[r]!;
    if (rec.problem !== undefined) {
      problems.push({ row: r, line: rec.line, column: header[rec.problem.field] ?? `#${rec.problem.field + 1}`, message: rec.problem.message });
    } else if (rec.fields.length !== header.length) {
      problems.push({ row: r, line: rec.line, message: `has ${rec.fields.length} fields, the header has ${header.length}` });
    } else {
      rows.push(rec.fields);
      rowNumbers.push(r);
    }
  }
  return { header, rows, rowNumbers, problems };
}
