import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { buildServer } from './app.js';
import { openTestPlatform, TEST_DB_KINDS } from '../../test/support/databases.js';
import type { Platform } from '../app/setup/open-platform.js';
import { makeResidentId } from '../core/ids/index.js';
import { signIn, type Client } from '../../test/support/http.js';

const VILLAGE = '330106002051'; // 西湖区 上保社区
const id = (birth: string, seq: number, region = '330106'): string => makeResidentId(region, birth, seq);

describe.each(TEST_DB_KINDS)('households API on %s', (kind) => {
  let p: Platform;
  let app: FastifyInstance;
  let officer: Client;
  beforeAll(async () => {
    p = await openTestPlatform(kind);
    app = await buildServer(p.ctx, { webDist: '/nonexistent' });
    officer = await signIn(app, p.ctx, 'county_officer', '330106');
  });
  afterAll(async () => {
    await app.close();
    await p.close();
  });

  const count = async (table: 'households' | 'members' | 'income_records' | 'expenditure_records'): Promise<number> =>
    (await p.ctx.db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirst())?.n ?? 0;
  const household = (members: { idNumber: string; relation: string; name?: string }[], regionCode = VILLAGE) => ({
    regionCode,
    hasAbleSupporter: true,
    members: members.map((m) => ({ name: m.name ?? '王秀英', ...m })),
  });
  const post = (url: string, payload: unknown) => officer.request('POST', url, payload);
  const get = (url: string) => officer.request('GET', url);

  let hid = '';
  it('registers a household, deriving sex and birth date from the ID number', async () => {
    const r = await post('/api/v1/households', household([{ idNumber: id('1980-03-04', 1), relation: 'head' }, { idNumber: id('2010-09-10', 2), relation: 'child' }]));
    expect(r.statusCode).toBe(201);
    const body = r.json<{ id: string; members: { sex: string; birthDate: string }[]; regionPath: { level: string; name: string }[] }>();
    hid = body.id;
    expect(body.members.map((m) => [m.sex, m.birthDate])).toEqual([['M', '1980-03-04'], ['F', '2010-09-10']]);
    expect(JSON.stringify(body)).not.toContain(id('1980-03-04', 1));
    expect(JSON.stringify(body)).toContain(id('1980-03-04', 1).slice(0, 6) + '********' + id('1980-03-04', 1).slice(-4));
    expect(body.regionPath.map((x) => x.level)).toEqual(['village', 'township', 'county', 'city', 'province']);
    expect(r.headers['cache-control']).toBe('no-store');
  });

  it.each([
    ['an invalid ID number', () => household([{ idNumber: id('1980-03-04', 3).slice(0, 17) + (id('1980-03-04', 3).endsWith('1') ? '2' : '1'), relation: 'head' }]), 'members[0].idNumber', /check character/],
    ['an ID number of the wrong shape', () => household([{ idNumber: '33010619800304', relation: 'head' }]), 'members[0].idNumber', /18-character/],
    ['an unknown region code', () => household([{ idNumber: id('1980-03-04', 5), relation: 'head' }], '330106002999'), 'regionCode', /unknown region code/],
    ['a county code where a village is needed', () => household([{ idNumber: id('1980-03-04', 5), relation: 'head' }], '330106000000'), 'regionCode', /unknown region code/],
    ['two heads', () => household([{ idNumber: id('1980-03-04', 7), relation: 'head' }, { idNumber: id('1981-03-04', 9), relation: 'head' }]), 'members', /exactly one head/],
    ['the same person twice', () => household([{ idNumber: id('1980-03-04', 7), relation: 'head' }, { idNumber: id('1980-03-04', 7), relation: 'child' }]), 'members[1].idNumber', /same person as members\[0\]/],
  ])('refuses %s with a 400 naming the field, and writes nothing', async (_label, make, field, message) => {
    const before = [await count('households'), await count('members')];
    const r = await post('/api/v1/households', make());
    expect(r.statusCode).toBe(400);
    const e = r.json<{ error: { code: string; field: string; message: string } }>().error;
    expect(e.field).toBe(field);
    expect(e.message).toMatch(message);
    expect([await count('households'), await count('members')]).toEqual(before);
  });

  it('refuses a person already in another household (400), writing nothing', async () => {
    const before = [await count('households'), await count('members')];
    const r = await post('/api/v1/households', household([{ idNumber: id('1975-01-01', 11), relation: 'head' }, { idNumber: id('1980-03-04', 1), relation: 'spouse' }]));
    expect(r.statusCode).toBe(400);
    const e = r.json<{ error: { code: string; field: string; message: string } }>().error;
    expect(e).toMatchObject({ code: 'PERSON_IN_OTHER_HOUSEHOLD', field: 'members[1].idNumber' });
    expect(JSON.stringify(e)).not.toContain(id('1980-03-04', 1));
    expect([await count('households'), await count('members')]).toEqual(before);
  });

  it('refuses a negative amount and a period that ends before it starts', async () => {
    const before = await count('income_records');
    const neg = await post(`/api/v1/households/${hid}/incomes`, { category: 'wages', subtype: 'salary', amountFen: -1, periodStart: '2026-01-01', periodEnd: '2026-01-31', sourceDept: 'hrss' });
    expect(neg.statusCode).toBe(400);
    expect(neg.json<{ error: { field: string } }>().error.field).toBe('amountFen');
    const back = await post(`/api/v1/households/${hid}/incomes`, { category: 'wages', subtype: 'salary', amountFen: 100, periodStart: '2026-02-01', periodEnd: '2026-01-31', sourceDept: 'hrss' });
    expect(back.statusCode).toBe(400);
    expect(back.json<{ error: { field: string; message: string } }>().error).toMatchObject({ field: 'periodEnd', message: 'periodEnd: ends before it starts' });
    expect(await count('income_records')).toBe(before);
  });

  it('adds records, classifies with a trace, and keeps the history', async () => {
    // 9,000 yuan of wages over the 12 months to 2026-11-29 for 2 people: 375 yuan per person per month.
    const add = await post(`/api/v1/households/${hid}/incomes`, { category: 'wages', subtype: 'salary', amountFen: 900_000, periodStart: '2025-11-30', periodEnd: '2026-11-29', sourceDept: 'hrss' });
    expect(add.statusCode).toBe(201);
    const c1 = await post(`/api/v1/households/${hid}/classify`, {});
    expect(c1.statusCode).toBe(201);
    const r1 = c1.json<{ category: string; paymentFen: number; trace: { rule: string; text: { zh: string } }[] }>();
    expect(r1.category).toBe('dibao');
    expect(r1.paymentFen).toBe((114_900 - 37_500) * 2);
    expect(r1.trace.find((s) => s.rule === 'dibao.income_below_standard')?.text.zh).toBe('人均月收入 375.00 元 < 低保标准 1149.00 元 ✓');
    const c2 = await post(`/api/v1/households/${hid}/classify`, { asOf: '2025-06-30' });
    expect(c2.statusCode).toBe(201);
    const hist = await get(`/api/v1/households/${hid}/classifications`);
    const items = hist.json<{ items: { asOf: string; trace: unknown[] }[] }>().items;
    expect(items.map((i) => i.asOf)).toEqual(['2025-06-30', '2026-11-29']);
    expect(items[1]!.trace.length).toBe(16);
    const got = await get(`/api/v1/households/${hid}`);
    // The back-dated result is history: the current one stays the latest as-of date's (ADR 0004 amendment).
    expect(got.json<{ latestClassification: { asOf: string } }>().latestClassification.asOf).toBe('2026-11-29');
  });

  it('lists with filters and paging, and counts by category', async () => {
    const list = await get('/api/v1/households?region=330106&category=dibao&page=1&pageSize=10');
    expect(list.statusCode).toBe(200);
    const body = list.json<{ total: number; items: { id: string; countyName: string }[] }>();
    expect(body.total).toBe(1);
    expect(body.items[0]).toMatchObject({ id: hid, countyName: '西湖区' });
    const none = await get('/api/v1/households?region=3302');
    expect(none.json<{ total: number; items: unknown[] }>()).toMatchObject({ total: 0, items: [] });
    // A page past the end is empty but still says how many there are.
    const past = await get('/api/v1/households?region=330106&page=5&pageSize=10');
    expect(past.json<{ total: number; items: unknown[] }>()).toMatchObject({ total: 1, items: [] });
    const all = await get('/api/v1/households?region=330106&page=1&pageSize=10');
    expect(all.json<{ items: { memberCount: number; headName: string | null }[] }>().items[0]).toMatchObject({ memberCount: expect.any(Number) as number });
    const bad = await get('/api/v1/households?pageSize=100000');
    expect(bad.statusCode).toBe(400);
    const stats = await get('/api/v1/stats/categories?region=33');
    expect(stats.json<{ byCategory: Record<string, number> }>().byCategory.dibao).toBe(1);
  });

  it('answers 404 for an unknown household and 400 for a malformed id, without internals', async () => {
    const r = await get('/api/v1/households/01900000-0000-7000-8000-000000000000');
    expect(r.statusCode).toBe(404);
    expect(r.json()).toEqual({ error: { code: 'HOUSEHOLD_NOT_FOUND', message: 'household not found' } });
    const bad = await get('/api/v1/households/not-a-uuid');
    expect(bad.statusCode).toBe(400);
    expect(bad.body).not.toMatch(/stack|SELECT|at .*\.ts/);
  });

  it('serves OpenAPI', async () => {
    const r = await app.inject({ method: 'GET', url: '/docs/json' });
    expect(r.statusCode).toBe(200);
    expect(Object.keys(r.json<{ paths: Record<string, unknown> }>().paths)).toContain('/api/v1/households/{id}/classify');
  });
});
