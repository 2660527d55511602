/**
 * Ledger records from a source system (a department's payment system, a charity's delivery list):
 * one row per receipt, the person named by resident ID number and name as department systems do.
 * Every row and field is checked before anything is written; an error names the row and the
 * field and never repeats the value. The ID number must have the form of one (18 characters) but
 * need not pass the check character: a mistyped number is what record linkage is for.
 */
import { isIsoDate } from '../dates/dates.js';
import { checkRows, type RowIssue } from '../rows/check-rows.js';
import { NEED_CATEGORIES, PROGRAMMES, PROGRAMME_NAMES, type NeedCategory, type Programme } from './model.js';

export interface LedgerRow {
  row: number;
  recordId: string;
  idNumber: string;
  name: string;
  programme: Programme;
  needCategory: NeedCategory;
  /** Defaults to the source (the department or charity that sent the file). */
  provider: string;
  /** The paying county (6 digits); defaults to the county of the ID number's first six digits. */
  providerRegion: string;
  amountFen: number;
  inKind: boolean;
  periodStart: string;
  periodEnd: string;
  basisFen: number | null;
}

export type LedgerIssue = RowIssue;

export const LEDGER_ROW_FIELDS = ['recordId', 'idNumber', 'name', 'programme', 'needCategory', 'provider', 'providerRegion', 'amountFen', 'inKindValueFen', 'periodStart', 'periodEnd', 'basisFen'] as const;
const FIELDS = new Set<string>(LEDGER_ROW_FIELDS);
const PROVIDER = /^[a-z0-9][a-z0-9_-]{1,63}$/;
const MAX_FEN = 1e11;

const fen = (v: unknown): number | null => (typeof v === 'number' && Number.isInteger(v) && v >= 0 && v <= MAX_FEN ? v : typeof v === 'string' && /^\d{1,12}$/.test(v) && Number(v) <= MAX_FEN ? Number(v) : null);
const blank = (v: unknown): boolean => v === undefined || v === null || v === '';

/** Checks every row; returns the rows when all are valid, else every issue found. */
export function parseLedgerRows(rows: readonly unknown[], source: string, today: string): { rows: LedgerRow[]; issues: LedgerIssue[] } {
  const { values, issues } = checkRows(rows, FIELDS, 'a ledger row', (o, add, row): (() => LedgerRow) => {
    const { recordId, idNumber, name, programme, needCategory, provider, providerRegion, amountFen, inKindValueFen, periodStart, periodEnd, basisFen } = o;
    if (typeof idNumber !== 'string' || !/^\d{17}[\dXx]$/.test(idNumber)) add('idNumber', 'must be an 18-character resident ID number');
    if (typeof name !== 'string' || name.trim() === '' || name.length > 40 || !/^[\P{Cc}]+$/u.test(name)) add('name', 'must be 1–40 printable characters');
    const prog = typeof programme === 'string' && (PROGRAMME_NAMES as string[]).includes(programme) ? (programme as Programme) : null;
    if (prog === null) add('programme', `must be one of ${PROGRAMME_NAMES.join(', ')}`);
    let need: NeedCategory | null = null;
    if (!blank(needCategory)) {
      if (typeof needCategory === 'string' && (NEED_CATEGORIES as readonly string[]).includes(needCategory)) need = needCategory as NeedCategory;
      else add('needCategory', `must be one of ${NEED_CATEGORIES.join(', ')}`);
    }
    if (prog !== null) {
      const fixed = PROGRAMMES[prog].need;
      if (fixed !== null && need !== null && need !== fixed) add('needCategory', `programme ${prog} is always ${fixed}`);
      if (fixed === null && need === null && blank(needCategory)) add('needCategory', `is required for programme ${prog}`);
      need ??= fixed;
    }
    if (!blank(provider) && (typeof provider !== 'string' || !PROVIDER.test(provider))) add('provider', 'must be a provider code (lower-case letters, digits, _ or -)');
    if (!blank(providerRegion) && (typeof providerRegion !== 'string' || !/^33\d{4}$/.test(providerRegion))) add('providerRegion', 'must be a 6-digit Zhejiang county code');
    const cash = blank(amountFen) ? null : fen(amountFen);
    const goods = blank(inKindValueFen) ? null : fen(inKindValueFen);
    if (!blank(amountFen) && cash === null) add('amountFen', 'must be whole fen from 0 to 100,000,000,000');
    if (!blank(inKindValueFen) && goods === null) add('inKindValueFen', 'must be whole fen from 0 to 100,000,000,000');
    if (blank(amountFen) === blank(inKindValueFen)) add('amountFen', 'give exactly one of amountFen (cash) and inKindValueFen (goods)');
    const basis = blank(basisFen) ? null : fen(basisFen);
    if (!blank(basisFen) && basis === null) add('basisFen', 'must be whole fen from 0 to 100,000,000,000');
    const okStart = typeof periodStart === 'string' && isIsoDate(periodStart);
    const okEnd = typeof periodEnd === 'string' && isIsoDate(periodEnd);
    if (!okStart) add('periodStart', 'must be a date YYYY-MM-DD');
    else if (periodStart > today) add('periodStart', 'is in the future');
    if (!okEnd) add('periodEnd', 'must be a date YYYY-MM-DD');
    else if (okStart && periodEnd < periodStart) add('periodEnd', 'is before periodStart');
    return () => {
      const id = (idNumber as string).toUpperCase();
      return {
        row, recordId: recordId as string, idNumber: id, name: (name as string).trim(), programme: prog!, needCategory: need!,
        provider: blank(provider) ? source : (provider as string), providerRegion: blank(providerRegion) ? id.slice(0, 6) : (providerRegion as string),
        amountFen: cash ?? goods!, inKind: cash === null, periodStart: periodStart as string, periodEnd: periodEnd as string, basisFen: basis,
      };
    };
  });
  return { rows: values, issues };
}
