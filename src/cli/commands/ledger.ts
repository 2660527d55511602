/**
 * `zhongfu ledger import --input FILE --source DEPT` (CSV with a header row, a JSON array, or JSON
 * Lines; fields as in docs/ledger.md) and `zhongfu ledger check` (the duplicate-assistance check
 * over the whole province). Messages name rows and fields, never values.
 */
import { readFileSync } from 'node:fs';
import type { Command, Option } from 'commander';
import type { Platform } from '../../app/setup/open-platform.js';
import { importLedger, LedgerImportError } from '../../app/ledger/import.js';
import { runLedgerCheck } from '../../app/ledger/check.js';
import { formatCsvProblem, parseCsv } from '../../core/linkage/csv.js';

interface DbOpts { dataDir: string; databaseUrl?: string; policy: string }
export interface LedgerCommandDeps {
  open: (o: DbOpts) => Promise<Platform>;
  dataDirOption: () => Option;
  dbUrlOption: () => Option;
  policyOption: () => Option;
}

/** Reads a ledger file into row objects; a CSV's empty cells are left out. */
export function readLedgerFile(file: string): unknown[] {
  const text = readFileSync(file, 'utf8');
  if (/\.csv$/i.test(file)) {
    const t = parseCsv(text);
    if (t.problems.length > 0) throw new Error(t.problems.slice(0, 20).map((p) => `${file}: ${formatCsvProblem(p)}`).join('\n'));
    return t.rows.map((r): Record<string, string> => Object.fromEntries(t.header.map((h, i): [string, string] => [h.trim(), r[i]!.trim()]).filter(([, v]) => v !== '')));
  }
  const trimmed = text.trimStart();
  if (trimmed.startsWith('[')) {
    try {
      const doc: unknown = JSON.parse(text);
      if (!Array.isArray(doc)) throw new Error('not an array');
      return doc as unknown[];
    } catch {
      throw new Error(`${file}: not a JSON array`);
    }
  }
  const rows: unknown[] = [];
  text.split('\n').forEach((line, i) => {
    if (line.trim() === '') return;
    try {
      rows.push(JSON.parse(line));
    } catch {
      throw new Error(`${file}: line ${i + 1}: not JSON`);
    }
  });
  return rows;
}

export function registerLedgerCommand(program: Command, deps: LedgerCommandDeps): void {
  const ledger = program.command('ledger').description('the benefit ledger (一户一条救助链) and duplicate-assistance findings; see docs/ledger.md');
  ledger
    .command('import')
    .description('import ledger records from a source system (CSV, JSON array or JSON Lines); all rows are checked before any is written; records are linked to registry members')
    .requiredOption('--input <file>', 'CSV (header row), JSON array or JSON Lines file')
    .requiredOption('--source <dept>', 'the sending department or charity code, e.g. civil_affairs, healthcare_security, education')
    .addOption(deps.dataDirOption()).addOption(deps.dbUrlOption()).addOption(deps.policyOption())
    .action(async (o: DbOpts & { input: string; source: string }) => {
      const rows = readLedgerFile(o.input);
      const p = await deps.open(o);
      try {
        const r = await importLedger(p.ctx, null, o.source, rows);
        console.error(`ledger from ${o.source}: ${r.rows - r.alreadyImported} new records (${r.linkedExact} by ID number, ${r.linkedProbabilistic} by record linkage, ${r.unlinked} unlinked for review), ${r.alreadyImported} already imported`);
        console.log(JSON.stringify(r));
      } catch (e) {
        if (e instanceof LedgerImportError) {
          for (const i of e.ledgerIssues.slice(0, 100)) console.error(`row ${i.row}: ${i.field}: ${i.message}`);
          throw new Error(`ledger import refused: ${e.ledgerIssues.length} problem(s); nothing was written`);
        }
        throw e;
      } finally {
        await p.close();
      }
    });
  ledger
    .command('check')
    .description('find duplicate and multi-source assistance: dibao in two places, two providers for one need, government + charity over the cap, receipts after death')
    .addOption(deps.dataDirOption()).addOption(deps.dbUrlOption()).addOption(deps.policyOption())
    .action(async (o: DbOpts) => {
      const p = await deps.open(o);
      try {
        const r = await runLedgerCheck(p.ctx, null);
        console.error(`ledger check: ${r.detected} findings detected, ${r.raised} raised, ${r.updated} updated, ${r.remembered} already resolved with the same evidence`);
        console.log(JSON.stringify(r));
      } finally {
        await p.close();
      }
    });
}
