import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { makeResidentId, residentIdCheckChar } from '../ids/resident-id.js';
import { addMonths, dayNumber, fromDayNumber } from '../dates/dates.js';
import { detectFindings, overlaps, type DetectInput } from './detect.js';
import { parseLedgerRows } from './import-rows.js';
import { birthDateOfId, linkRecords, type LinkPerson } from './link.js';
import { NEED_CATEGORIES as LEDGER_NEEDS, type LedgerEntry } from './model.js';
import { charityDeliveryRecord, charityProviderCode, isInKindDelivery, LEDGER_NEED_OF_CHARITY_NEED, PLATFORM_CHARITY_SOURCE, referralIdOfRecord } from './charity.js';
import { NEED_CATEGORIES as CHARITY_NEEDS } from '../charity/model.js';

let n = 0;
function entry(o: Partial<LedgerEntry>): LedgerEntry {
  return {
    id: `e${String(++n).padStart(4, '0')}`, householdId: 'h1', personId: 'p1', provider: 'civil_affairs', providerRegion: '330106', programme: 'dibao', needCategory: 'basic_living',
    amountFen: 114_900, inKind: false, periodStart: '2026-01-01', periodEnd: '2026-01-31', basisFen: null, link: null, ...o,
  };
}
const months = (from: string, k: number, o: Partial<LedgerEntry>): LedgerEntry[] =>
  Array.from({ length: k }, (_, i) => {
    const s = addMonths(from, i);
    return entry({ ...o, periodStart: s, periodEnd: fromDayNumber(dayNumber(addMonths(s, 1)) - 1) });
  });
const input = (entries: LedgerEntry[], o: Partial<DetectInput> = {}): DetectInput => ({ entries, deceasedOn: new Map(), capRatio: () => 1, ...o });

describe('duplicate assistance rules', () => {
  it('(a) dibao in two counties with overlapping months: one finding, the double-paid amount', () => {
    const home = months('2026-01-01', 6, {});
    const away = months('2026-04-01', 6, { providerRegion: '330381', amountFen: 100_000 });
    const f = detectFindings(input([...home, ...away]));
    expect(f.map((x) => x.kind)).toEqual(['dibao_two_places']);
    expect(f[0]!.entryIds).toHaveLength(6); // 3 home months + 3 away months overlap
    expect(f[0]!.overlap).toEqual({ start: '2026-04-01', end: '2026-06-30', days: 91 });
    expect(f[0]!.excessFen).toBe(300_000); // the smaller side over the shared months
    expect(f[0]!.detail).toMatchObject({ countyA: '330106', countyB: '330381' });
  });
  it('(a) consecutive periods in two counties (a move) are not a finding', () => {
    expect(detectFindings(input([...months('2026-01-01', 3, {}), ...months('2026-04-01', 3, { providerRegion: '330381' })]))).toEqual([]);
  });
  it('(b) two departments pay medical assistance for the same household at once; two charities likewise', () => {
    const f = detectFindings(input([
      entry({ programme: 'medical', needCategory: 'medical', provider: 'civil_affairs', amountFen: 500_000, periodStart: '2026-03-01', periodEnd: '2026-03-31' }),
      entry({ programme: 'medical', needCategory: 'medical', provider: 'healthcare_security', amountFen: 300_000, periodStart: '2026-03-15', periodEnd: '2026-04-15' }),
      entry({ programme: 'charity_project', needCategory: 'education', provider: 'org-a', amountFen: 200_000 }),
      entry({ programme: 'charity_gift', needCategory: 'education', provider: 'org-b', amountFen: 50_000, inKind: true }),
    ]));
    expect(f.map((x) => [x.kind, x.needCategory, x.detail.sector])).toEqual([['multi_provider', 'education', 'charity'], ['multi_provider', 'medical', 'government']]);
  });
  it('(b) one pair of providers duplicating one need in both sectors is one finding per group key (one open finding per group)', () => {
    const f = detectFindings(input([
      entry({ programme: 'education', needCategory: 'education', provider: 'dept-a', amountFen: 100_000, periodStart: '2026-03-01', periodEnd: '2026-03-31' }),
      entry({ programme: 'education', needCategory: 'education', provider: 'dept-b', amountFen: 80_000, periodStart: '2026-03-01', periodEnd: '2026-03-31' }),
      entry({ programme: 'charity_gift', needCategory: 'education', provider: 'dept-a', amountFen: 30_000, periodStart: '2026-05-01', periodEnd: '2026-05-31' }),
      entry({ programme: 'charity_gift', needCategory: 'education', provider: 'dept-b', amountFen: 20_000, periodStart: '2026-05-01', periodEnd: '2026-05-31' }),
    ]));
    const multi = f.filter((x) => x.kind === 'multi_provider');
    expect(multi).toHaveLength(1);
    expect(new Set(f.map((x) => x.groupKey)).size).toBe(f.length);
    expect(multi[0]).toMatchObject({ totalFen: 230_000, excessFen: 100_000, overlap: { start: '2026-03-01', end: '2026-05-31', days: 62 }, detail: { sector: 'charity,government' } });
    expect(multi[0]!.entryIds).toHaveLength(4);
    expect(multi[0]!.evidenceKey).toBe(`multi_provider|${multi[0]!.entryIds.join(',')}`);
  });
  it('(c) government and charity over the cap on the cost; under the cap or without a cost, nothing', () => {
    const gov = entry({ programme: 'medical', needCategory: 'medical', amountFen: 600_000, basisFen: 1_000_000 });
    const charity = entry({ programme: 'charity_project', needCategory: 'medical', provider: 'org-a', amountFen: 500_000 });
    const f = detectFindings(input([gov, charity]));
    expect(f).toHaveLength(1);
    expect(f[0]).toMatchObject({ kind: 'over_cap', totalFen: 1_100_000, excessFen: 100_000 });
    expect(detectFindings(input([gov, charity], { capRatio: () => 1.2 }))).toEqual([]);
    expect(detectFindings(input([{ ...gov, basisFen: null }, charity]))).toEqual([]);
  });
  it('(d) help for periods after the date of death; the month of death is not a finding', () => {
    const xs = months('2026-01-01', 6, {});
    const f = detectFindings(input(xs, { deceasedOn: new Map([['p1', '2026-03-10']]) }));
    expect(f).toHaveLength(1);
    expect(f[0]).toMatchObject({ kind: 'after_death', totalFen: 3 * 114_900, overlap: { start: '2026-04-01', end: '2026-06-30' } });
    expect(detectFindings(input(xs, { deceasedOn: new Map([['p1', '2026-06-10']]) }))).toEqual([]);
  });
  it('unlinked records (no person) are never in a person rule', () => {
    expect(detectFindings(input([...months('2026-01-01', 2, { personId: null }), ...months('2026-01-01', 2, { personId: null, providerRegion: '330381' })]))).toEqual([]);
  });

  const period = fc.tuple(fc.integer({ min: 20000, max: 20400 }), fc.integer({ min: 0, max: 120 })).map(([s, len]) => ({ periodStart: fromDayNumber(s), periodEnd: fromDayNumber(s + len) }));
  it('overlap is symmetric and matches the day arithmetic', () => {
    fc.assert(fc.property(period, period, (a, b) => {
      expect(overlaps(a, b)).toBe(overlaps(b, a));
      const d = Math.min(dayNumber(a.periodEnd), dayNumber(b.periodEnd)) - Math.max(dayNumber(a.periodStart), dayNumber(b.periodStart)) + 1;
      expect(overlaps(a, b)).toBe(d > 0);
    }));
  });
  it('no finding of the two-source kinds without overlap; the findings do not depend on record order', () => {
    const arb = fc.array(fc.record({
      p: period, county: fc.constantFrom('330106', '330381'), provider: fc.constantFrom('civil_affairs', 'healthcare_security', 'org-a', 'org-b'),
      programme: fc.constantFrom<('dibao' | 'medical' | 'charity_project')[]>('dibao', 'medical', 'charity_project'), amount: fc.integer({ min: 0, max: 1e6 }),
    }), { maxLength: 12 });
    fc.assert(fc.property(arb, (rows) => {
      const entries = rows.map((r, i) => entry({
        id: `r${i}`, ...r.p, providerRegion: r.county, provider: r.programme === 'charity_project' ? (r.provider.startsWith('org') ? r.provider : 'org-a') : r.provider.startsWith('org') ? 'civil_affairs' : r.provider,
        programme: r.programme, needCategory: r.programme === 'dibao' ? 'basic_living' : 'medical', amountFen: r.amount, basisFen: r.programme === 'medical' ? r.amount : null,
      }));
      const f = detectFindings(input(entries));
      for (const x of f) {
        const es = entries.filter((e) => x.entryIds.includes(e.id));
        expect(es.some((a) => es.some((b) => a !== b && overlaps(a, b)))).toBe(true);
        expect(x.overlap.days).toBeGreaterThan(0);
        expect(x.excessFen).toBeGreaterThanOrEqual(0);
      }
      expect(detectFindings(input([...entries].reverse()))).toEqual(f);
    }));
  });
});

describe('ledger import rows', () => {
  const id = makeResidentId('330106', '1956-03-04', 12);
  const ok = { recordId: 'r1', idNumber: id, name: '张伟', programme: 'dibao', amountFen: 114900, periodStart: '2026-01-01', periodEnd: '2026-01-31' };
  it('reads a valid row with defaults (need from the programme, provider from the source, county from the ID)', () => {
    const r = parseLedgerRows([ok], 'civil_affairs', '2026-11-29');
    expect(r.issues).toEqual([]);
    expect(r.rows[0]).toMatchObject({ needCategory: 'basic_living', provider: 'civil_affairs', providerRegion: '330106', inKind: false });
  });
  it('names row and field and never the value; a bad row keeps every row out', () => {
    const r = parseLedgerRows([ok, { ...ok, recordId: 'r2', idNumber: '12345', amountFen: -1, periodEnd: '2025-01-01' }, { ...ok, recordId: 'r3', programme: 'charity_gift', amountFen: undefined, inKindValueFen: 500 }], 'x_dept', '2026-11-29');
    expect(r.rows).toEqual([]);
    expect(r.issues.map((i) => `${i.row}:${i.field}`)).toEqual(['2:idNumber', '2:amountFen', '2:periodEnd', '3:needCategory']);
    expect(JSON.stringify(r.issues)).not.toContain(id);
  });
  it('accepts an ID number that fails its check character (a typo to be linked)', () => {
    const typo = `${id.slice(0, 16)}${(Number(id[16]) + 1) % 10}${id.slice(17)}`;
    expect(parseLedgerRows([{ ...ok, idNumber: typo }], 'civil_affairs', '2026-11-29').issues).toEqual([]);
  });
});

describe('linking ledger records to members', () => {
  const names = ['张伟', '王芳', '李娜', '刘洋', '陈静', '杨磊', '赵敏', '黄勇', '周杰', '吴霞', '徐明', '孙丽', '胡军', '朱琳', '高峰', '林涛', '何平', '郭强', '马超', '罗兰'];
  const members: LinkPerson[] = [];
  for (let i = 0; i < 400; i++) {
    const birth = fromDayNumber(dayNumber('1940-01-01') + i * 53);
    const idNumber = makeResidentId(i % 2 ? '330106' : '330381', birth, 10 + i);
    members.push({ key: `m${i}`, name: names[i % names.length]! + (i % 7 ? '' : '华'), idNumber, birthDate: birth, county: idNumber.slice(0, 6) });
  }
  it('a record whose ID number has one mistyped digit links to the member, with the explanation', () => {
    const m = members[123]!;
    const d = Number(m.idNumber[15]);
    const typo = `${m.idNumber.slice(0, 15)}${(d + 3) % 10}${m.idNumber.slice(16)}`;
    expect(typo.slice(0, 17) + residentIdCheckChar(typo.slice(0, 17))).not.toBe(typo);
    const out = linkRecords([{ key: 'r1', name: m.name, idNumber: typo, birthDate: birthDateOfId(typo), county: typo.slice(0, 6) }], members);
    const l = out.links.get('r1');
    expect(l?.memberKey).toBe('m123');
    expect(l!.evidence.probability).toBeGreaterThan(0.9);
    expect(l!.evidence.fields.find((f) => f.field === 'id_number')?.levelName).toBe('one slip, one valid (typo)');
  });
  it('a stranger (other name, other number) stays unlinked', () => {
    const stranger = makeResidentId('330106', '1990-07-07', 999);
    expect(linkRecords([{ key: 'r1', name: '欧阳修', idNumber: stranger, birthDate: '1990-07-07', county: '330106' }], members).links.size).toBe(0);
  });
});

describe('charity deliveries recorded in the platform', () => {
  it('maps every charity need category to a ledger need category (the table)', () => {
    expect(LEDGER_NEED_OF_CHARITY_NEED).toEqual({
      basic_living: 'basic_living', income: 'basic_living', medical: 'medical', education: 'education', housing: 'housing', employment: 'employment',
      care: 'daily_living', mental_care: 'daily_living', social_integration: 'daily_living',
    });
    expect(Object.keys(LEDGER_NEED_OF_CHARITY_NEED).sort()).toEqual([...CHARITY_NEEDS].sort());
    for (const c of CHARITY_NEEDS) expect(LEDGER_NEEDS).toContain(LEDGER_NEED_OF_CHARITY_NEED[c]);
  });

  it('builds the record: platform source, referral record id, charity_project, the organisation as provider, one day', () => {
    const org = { id: '7f9e4a52-0000-4000-8000-000000000001', creditCode: '53330000MJ0000DM1X', regionCode: '3301' };
    const r = charityDeliveryRecord({ id: 'a1b2', category: 'education' }, { deliveredOn: '2026-11-28', amountFen: 300_000, items: '' }, org);
    expect(r).toEqual({
      sourceDept: PLATFORM_CHARITY_SOURCE, recordId: 'referral-a1b2', programme: 'charity_project', needCategory: 'education', provider: '53330000mj0000dm1x', providerRegion: '3301',
      amountFen: 300_000, inKind: false, periodStart: '2026-11-28', periodEnd: '2026-11-28',
    });
    expect(referralIdOfRecord(r.recordId)).toBe('a1b2');
    expect(referralIdOfRecord('demo-gift-1')).toBeNull();
    // Without a credit code the organisation id names it; both fit the ledger's provider codes.
    expect(charityProviderCode({ ...org, creditCode: null })).toBe('org-7f9e4a52-0000-4000-8000-000000000001');
    for (const code of [charityProviderCode(org), charityProviderCode({ ...org, creditCode: null })]) expect(code).toMatch(/^[a-z0-9][a-z0-9_-]{1,63}$/);
  });

  it('is in kind when goods are named (their value is the amount), unless the charity says cash', () => {
    expect(isInKindDelivery({ items: '米面油' })).toBe(true);
    expect(isInKindDelivery({ items: '  ' })).toBe(false);
    expect(isInKindDelivery({ items: '学费', inKind: false })).toBe(false);
    expect(isInKindDelivery({ items: '', inKind: true })).toBe(true);
  });

  it('a delivered charity education grant over the cap with government education assistance is an over_cap finding', () => {
    const gov = entry({ programme: 'education', needCategory: 'education', amountFen: 400_000, basisFen: 600_000, periodStart: '2026-09-01', periodEnd: '2027-01-31' });
    const r = charityDeliveryRecord({ id: 'x', category: 'education' }, { deliveredOn: '2026-11-28', amountFen: 300_000, items: '' }, { id: 'o', creditCode: null, regionCode: '330106' });
    const charity = entry({ ...r, provider: r.provider, programme: r.programme, needCategory: r.needCategory, basisFen: null });
    const f = detectFindings(input([gov, charity]));
    expect(f.map((x) => x.kind)).toEqual(['over_cap']);
    expect(f[0]).toMatchObject({ totalFen: 700_000, excessFen: 100_000, overlap: { start: '2026-11-28', end: '2026-11-28', days: 1 } });
    // Care at home is not medical: no finding against medical assistance.
    const care = charityDeliveryRecord({ id: 'y', category: 'mental_care' }, { deliveredOn: '2026-11-28', amountFen: 300_000, items: '' }, { id: 'o', creditCode: null, regionCode: '330106' });
    const medical = entry({ programme: 'medical', needCategory: 'medical', amountFen: 400_000, basisFen: 500_000, periodStart: '2026-11-01', periodEnd: '2026-11-30' });
    expect(detectFindings(input([medical, entry({ ...care, basisFen: null })]))).toEqual([]);
  });
});
