/**
 * The duplicate-assistance check over the database: loads the linked ledger records in scope and
 * the dates of death, runs the pure detector (src/core/ledger/detect.ts), and stores the findings
 * in one transaction with the audit row. A finding already open for the same thing (group key)
 * is updated when its evidence grew; a finding resolved (confirmed or false positive) with exactly
 * the same evidence is not raised again.
 */
import { detectFindings, FINDING_KINDS, type Finding, type LedgerEntry, type LinkEvidence, type NeedCategory, type Programme } from '../../core/ledger/index.js';
import { parametersAt } from '../../core/policy/parameters.js';
import { requirePermission, type Actor } from '../auth/actor.js';
import type { AppContext } from '../context.js';
import { newId } from '../new-id.js';
import { appendAudit } from '../audit/audit.js';

export interface LedgerCheckResult {
  detected: number;
  raised: number;
  updated: number;
  remembered: number;
  byKind: Record<string, number>;
}

/** Runs the check for the actor's area (`actor` null: the operator console or the nightly cycle, whole province). */
export async function runLedgerCheck(ctx: AppContext, actor: Actor | null): Promise<LedgerCheckResult> {
  if (actor) requirePermission(actor, 'finding.resolve');
  const scope = actor?.scopeRegion ?? '33';
  const today = ctx.today();
  return ctx.db.transaction().execute(async (trx) => {
    const rows = await trx.selectFrom('ledger_entries as e').innerJoin('households as h', 'h.id', 'e.household_id')
      .select(['e.id', 'e.household_id', 'e.member_id', 'e.provider', 'e.provider_region', 'e.programme', 'e.need_category', 'e.amount_fen', 'e.in_kind', 'e.period_start', 'e.period_end', 'e.basis_fen', 'e.link_method', 'e.link_probability', 'h.region_code'])
      .where('e.link_status', '=', 'linked').where('h.region_code', 'like', `${scope}%`).execute();
    const regionOf = new Map(rows.map((r) => [r.household_id!, r.region_code]));
    const entries: LedgerEntry[] = rows.map((r) => ({
      id: r.id, householdId: r.household_id!, personId: r.member_id, provider: r.provider, providerRegion: r.provider_region, programme: r.programme as Programme,
      needCategory: r.need_category as NeedCategory, amountFen: r.amount_fen, inKind: r.in_kind, periodStart: r.period_start, periodEnd: r.period_end, basisFen: r.basis_fen,
      link: r.link_method === null ? null : ({ method: r.link_method, probability: r.link_probability ?? 1, fields: [] } satisfies LinkEvidence),
    }));
    const dead = await trx.selectFrom('members as m').innerJoin('households as h', 'h.id', 'm.household_id').select(['m.id', 'm.deceased_on'])
      .where('m.deceased_on', 'is not', null).where('h.region_code', 'like', `${scope}%`).execute();
    const capRatio = (householdId: string, date: string): number => {
      try {
        return parametersAt(ctx.policy, regionOf.get(householdId) ?? '33', date).values.duplicateAssistanceCapRatio;
      } catch {
        return parametersAt(ctx.policy, regionOf.get(householdId) ?? '33', today).values.duplicateAssistanceCapRatio;
      }
    };
    const found = detectFindings({ entries, deceasedOn: new Map(dead.map((d) => [d.id, d.deceased_on!])), capRatio });

    // The findings of the households that live in scope now (ADR 0007): a household that moved in
    // brings its findings, so the check updates or remembers them rather than raising them again.
    const existing = await trx.selectFrom('ledger_findings as f').innerJoin('households as h', 'h.id', 'f.household_id')
      .select(['f.id', 'f.group_key', 'f.evidence_key', 'f.status']).where('h.region_code', 'like', `${scope}%`).execute();
    const openByGroup = new Map(existing.filter((f) => f.status === 'open').map((f) => [f.group_key, f]));
    const resolvedEvidence = new Set(existing.filter((f) => f.status !== 'open').map((f) => f.evidence_key));
    const result: LedgerCheckResult = { detected: found.length, raised: 0, updated: 0, remembered: 0, byKind: Object.fromEntries(FINDING_KINDS.map((k) => [k, 0])) };
    const columns = (f: Finding) => ({
      evidence_key: f.evidenceKey, household_id: f.householdId, member_id: f.personId, region_code: regionOf.get(f.householdId)!, need_category: f.needCategory,
      entry_ids: f.entryIds, overlap_start: f.overlap.start, overlap_end: f.overlap.end, overlap_days: f.overlap.days, total_fen: f.totalFen, excess_fen: f.excessFen, detail: JSON.stringify(f.detail),
    });
    for (const f of found) {
      result.byKind[f.kind] = (result.byKind[f.kind] ?? 0) + 1;
      const open = openByGroup.get(f.groupKey);
      if (open) {
        if (open.evidence_key !== f.evidenceKey) {
          await trx.updateTable('ledger_findings').set({ ...columns(f), updated_at: new Date() }).where('id', '=', open.id).execute();
          result.updated++;
        }
      } else if (resolvedEvidence.has(f.evidenceKey)) result.remembered++;
      else {
        await trx.insertInto('ledger_findings').values({ id: newId(), kind: f.kind, group_key: f.groupKey, ...columns(f), status: 'open', raised_on: today }).execute();
        result.raised++;
      }
    }
    await appendAudit(trx, {
      actorId: actor?.userId ?? null, role: actor?.role ?? 'operator', action: 'ledger.check', objectType: 'region', objectId: scope,
      purpose: `${result.detected} detected, ${result.raised} raised, ${result.updated} updated, ${result.remembered} remembered`, result: 'ok', requestId: actor?.requestId ?? null,
    });
    return result;
  });
}
