import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestPlatform, TEST_DB_KINDS } from '../../../test/support/databases.js';
import type { Platform } from '../setup/open-platform.js';
import { loadDemo } from '../setup/load-demo.js';
import { createUser } from '../auth/users.js';
import type { Actor } from '../auth/actor.js';
import { AppError } from '../errors.js';
import { importLedger, LedgerImportError } from './import.js';
import { runLedgerCheck } from './check.js';
import { getFinding, householdLedger, listFindings, resolveFinding } from './findings.js';

const TODAY = '2026-11-29';

describe.each(TEST_DB_KINDS)('benefit ledger and duplicate assistance on %s', (kind) => {
  let p: Platform;
  let auditor: Actor;
  let officer: Actor;
  beforeAll(async () => {
    p = await openTestPlatform(kind, TODAY);
    await loadDemo(p.ctx, { households: 400, seed: 7, asOf: TODAY });
    const mk = async (username: string, role: Actor['role'], scopeRegion: string): Promise<Actor> => {
      const { user } = await createUser(p.ctx, null, { username, displayName: username, role, scopeRegion });
      return { userId: user.id, username, displayName: username, role, scopeRegion, organisationId: null, requestId: null };
    };
    auditor = await mk('aud', 'auditor', '33');
    const anyCounty = (await p.ctx.db.selectFrom('households').select('county_code').limit(1).executeTakeFirstOrThrow()).county_code;
    officer = await mk('off', 'county_officer', anyCounty === '330106' ? '330381' : '330106');
  }, 240_000);
  afterAll(async () => p.close());

  it('finds every planted duplicate (recall 100 %) and counts the rest', async () => {
    const r = await runLedgerCheck(p.ctx, null);
    const findings = await p.ctx.db.selectFrom('ledger_findings').selectAll().execute();
    const planted = await p.ctx.db.selectFrom('ledger_entries').select(['id', 'record_id', 'link_method']).where('record_id', 'like', 'planted-%').execute();
    const kindOf = (recordId: string): string => /^planted-([a-z_]+?)-/.exec(recordId)![1]!.replace(/-.*/, '');
    const truth = new Map<string, Set<string>>(); // kind → planted entry ids
    for (const e of planted) {
      const k = ['dibao_two_places', 'multi_provider', 'over_cap', 'after_death'].find((x) => e.record_id.startsWith(`planted-${x}-`))!;
      expect(k, kindOf(e.record_id)).toBeDefined();
      truth.set(k, (truth.get(k) ?? new Set()).add(e.id));
    }
    // Every planted record is linked (two of the second-county dibao sources carry ID typos: linked by probability).
    expect(planted.filter((e) => e.link_method === null)).toEqual([]);
    expect(planted.filter((e) => e.link_method === 'probabilistic').length).toBeGreaterThanOrEqual(3);
    let missed = 0;
    let plantedFindings = 0;
    for (const [k, ids] of truth) {
      for (const id of ids) if (!findings.some((f) => f.kind === k && f.entry_ids.includes(id))) missed++;
    }
    const truePositive = findings.filter((f) => [...(truth.get(f.kind) ?? [])].some((id) => f.entry_ids.includes(id)));
    plantedFindings = truePositive.length;
    const falsePositives = findings.length - plantedFindings;
    console.log(`[ledger ${kind}] detected ${r.detected} (${JSON.stringify(r.byKind)}), planted records ${planted.length}, missed ${missed}, true findings ${plantedFindings}, other findings ${falsePositives}`);
    expect(missed).toBe(0);
    expect(new Set(truePositive.map((f) => f.kind)).size).toBe(4);
    expect(falsePositives).toBeLessThanOrEqual(2);
    // A second run raises nothing new.
    const again = await runLedgerCheck(p.ctx, null);
    expect(again.raised).toBe(0);
  });

  it('refuses a file with a bad row naming row and field, writing nothing', async () => {
    const before = (await p.ctx.db.selectFrom('ledger_entries').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n;
    const m = await p.ctx.db.selectFrom('members').select(['id_number', 'name']).limit(1).executeTakeFirstOrThrow();
    const good = { recordId: 'x1', idNumber: m.id_number, name: m.name, programme: 'temporary', amountFen: 100_000, periodStart: '2026-10-01', periodEnd: '2026-10-01' };
    const err = await importLedger(p.ctx, null, 'civil_affairs', [good, { ...good, recordId: 'x2', periodStart: '2026-13-01' }]).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(LedgerImportError);
    expect((err as Error).message).toBe('row 2: periodStart: must be a date YYYY-MM-DD');
    expect((err as Error).message).not.toContain(m.id_number);
    const after = (await p.ctx.db.selectFrom('ledger_entries').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n;
    expect(after).toBe(before);
    // A stranger stays unlinked; the good row links exactly; sending the file again is a no-op.
    const ok = await importLedger(p.ctx, null, 'civil_affairs', [good, { ...good, recordId: 'x3', idNumber: '11010519491231002X', name: '欧阳无名' }]);
    expect(ok).toMatchObject({ rows: 2, linkedExact: 1, unlinked: 1 });
    expect(await importLedger(p.ctx, null, 'civil_affairs', [good])).toMatchObject({ alreadyImported: 1, batchId: null });
  });

  it('auditor: lists, reviews (masked, with the linkage explanation), confirms and judges a false positive that is remembered', async () => {
    const list = await listFindings(p.ctx, auditor, { page: 1, pageSize: 200, status: 'open' });
    expect(list.total).toBeGreaterThan(0);
    const typoFinding = list.items.find((f) => f.kind === 'dibao_two_places' && f.minLinkProbability !== null)!;
    expect(typoFinding).toBeDefined();
    const d = await getFinding(p.ctx, auditor, typoFinding.id);
    expect(d.entries.length).toBeGreaterThanOrEqual(2);
    expect(d.member!.name).toMatch(/\*/);
    expect(d.entries.every((e) => /\*{8}/.test(e.idNumber))).toBe(true);
    const probabilistic = d.entries.find((e) => e.link?.method === 'probabilistic')!;
    expect(probabilistic.link!.fields.find((f) => f.field === 'id_number')!.levelName).toBe('one slip, one valid (typo)');
    const confirmed = await resolveFinding(p.ctx, auditor, d.id, { outcome: 'confirmed', recoveryAmountFen: d.excessFen, department: 'civil_affairs' });
    expect(confirmed.status).toBe('confirmed');
    expect(confirmed.recovery).toMatchObject({ amountFen: d.excessFen, status: 'open' });
    await expect(resolveFinding(p.ctx, auditor, d.id, { outcome: 'false_positive', reason: 'again' })).rejects.toMatchObject({ code: 'CONFLICT' });
    const other = list.items.find((f) => f.id !== d.id)!;
    await resolveFinding(p.ctx, auditor, other.id, { outcome: 'false_positive', reason: '同一救助在两县交接期内的正常过渡' });
    const again = await runLedgerCheck(p.ctx, auditor);
    expect(again.raised).toBe(0);
    expect(again.remembered).toBeGreaterThanOrEqual(2);
    const audit = await p.ctx.db.selectFrom('audit_log').select('action').where('action', 'in', ['finding.confirmed', 'finding.false_positive', 'finding.read', 'ledger.check']).execute();
    expect(audit.length).toBeGreaterThanOrEqual(4);
  });

  it('scope: an officer reads findings in their county only; others answer not found; only auditors resolve', async () => {
    const mine = await listFindings(p.ctx, officer, { page: 1, pageSize: 200 });
    expect(mine.items.every((f) => f.regionCode.startsWith(officer.scopeRegion))).toBe(true);
    const foreign = await p.ctx.db.selectFrom('ledger_findings').select(['id', 'household_id']).where('region_code', 'not like', `${officer.scopeRegion}%`).executeTakeFirstOrThrow();
    await expect(getFinding(p.ctx, officer, foreign.id)).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(householdLedger(p.ctx, officer, foreign.household_id)).rejects.toMatchObject({ code: 'HOUSEHOLD_NOT_FOUND' });
    await expect(resolveFinding(p.ctx, officer, foreign.id, { outcome: 'false_positive', reason: 'nope nope' })).rejects.toBeInstanceOf(AppError);
    const ledger = await householdLedger(p.ctx, auditor, foreign.household_id);
    expect(ledger.entries.length).toBeGreaterThan(0);
    expect(ledger.totals.governmentFen).toBeGreaterThan(0);
  });
});
