/** `zhongfu audit verify`: checks the audit trail and exits 1 when it was tampered with. */
import type { Command } from 'commander';
import { verifyAudit } from '../../app/audit/audit.js';
import type { LedgerCommandDeps } from './ledger.js';

export function registerAuditCommand(program: Command, deps: LedgerCommandDeps): void {
  const audit = program.command('audit').description('the audit trail');
  audit
    .command('verify')
    .description(
      'verify the whole audit trail: the keyed hash chain (an edited, deleted, reordered or forged row) and the signed checkpoints ' +
      'kept outside the database (truncation, deleted newest rows); exits 1 on any problem. Key: ZHONGFU_AUDIT_KEY or ZHONGFU_AUDIT_KEY_FILE; ' +
      'checkpoints: ZHONGFU_AUDIT_CHECKPOINTS',
    )
    .addOption(deps.dataDirOption()).addOption(deps.dbUrlOption()).addOption(deps.policyOption())
    .action(async (o: Parameters<LedgerCommandDeps['open']>[0]) => {
      const p = await deps.open(o);
      try {
        const r = await verifyAudit(p.ctx.db);
        const where = r.checkpointFile
          ? `${r.checkpointsChecked} signed checkpoint(s) from ${r.checkpointFile}${r.lastCheckpointSeq === null ? '' : `, newest at seq ${r.lastCheckpointSeq}`}`
          : 'no checkpoint file configured: truncation of the whole trail cannot be detected';
        if (r.ok) {
          console.log(`audit trail intact: ${r.checked} rows verified (key ${r.keyId}, keyed from seq ${r.keyedFrom ?? '?'}); ${where}`);
        } else {
          console.log(`audit trail TAMPERED: ${r.problemCount} problem(s) in ${r.checked} rows (key ${r.keyId}); ${where}`);
          for (const x of r.problems.slice(0, 50)) console.log(`  seq ${x.seq}: ${x.problem}`);
          if (r.problemCount > 50) console.log(`  … and ${r.problemCount - 50} more`);
          process.exitCode = 1;
        }
      } finally {
        await p.close();
      }
    });
}
