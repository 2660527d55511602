/** `zhongfu audit verify`: checks the audit trail and exits 1 when it was tampered with. */
import type { Command } from 'commander';
import { verifyAudit } from '../../app/audit/audit.js';
import type { LedgerCommandDeps } from './ledger.js';

export function registerAuditCommand(program: Command, deps: LedgerCommandDeps): void {
  const audit = program.command('audit').description('the audit trail');
  audit
    .command('verify')
    .description('verify the hash chain of the whole audit trail; exits 1 when any row was edited, deleted or reordered')
    .addOption(deps.dataDirOption()).addOption(deps.dbUrlOption()).addOption(deps.policyOption())
    .action(async (o: Parameters<LedgerCommandDeps['open']>[0]) => {
      const p = await deps.open(o);
      try {
        const r = await verifyAudit(p.ctx.db);
        if (r.ok) console.log(`audit trail intact: ${r.checked} rows verified`);
        else {
          console.log(`audit trail TAMPERED: ${r.problems.length} problem(s) in ${r.checked} rows`);
          for (const x of r.problems.slice(0, 50)) console.log(`  seq ${x.seq}: ${x.problem}`);
          process.exitCode = 1;
        }
      } finally {
        await p.close();
      }
    });
}
