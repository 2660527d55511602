/**
 * Journey through the web app against a real server with a demo population and its demo accounts
 * (one per role, printed by the server on stderr):
 *  - a county officer signs in (coming back to the page first asked for), sees only their county,
 *    filters by category 低保, opens a household and its classification trace, sees masked names,
 *    shows the full details for a stated reason, re-classifies, switches to English, meets the
 *    404 page for a missing and for an out-of-scope household, and signs out;
 *  - the audit administrator finds the household.reveal entry in the audit trail and verifies the chain;
 *  - the system administrator has no household pages, and creates an account (password shown once);
 *  - the security administrator gives that account a role and scope, and turns on two-step
 *    verification, which the next sign-in then asks for;
 *  - charity staff see the households shared with their charity, masked, until the consent is withdrawn.
 * Screenshots go to test/e2e/screenshots/ (git-ignored).
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HouseholdList, Me, RegionView } from '../../src/contracts/index.js';
import { base32Decode, totp } from '../../src/core/security/totp.js';
import {
  apiLogin, ensureWebBuild, newDesktopPage, launchChromium, pickOption as pickOptionOn, SCREENSHOTS, signIn as signInOn, startServer, type DemoAccount, type RunningServer,
} from './support.js';

let server: RunningServer | undefined;
let browser: Browser | undefined;
let context: BrowserContext | undefined;
let page: Page;
const pageErrors: string[] = [];
/** The household whose details the county officer reveals (checked later in the audit trail). */
let revealedHouseholdId = '';

const shot = async (name: string): Promise<void> => {
  // Back to the top first: a sticky header would otherwise be painted mid-page in a full-page shot.
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.mouse.move(0, 0); // no tooltip from where the pointer last was
  await page.waitForTimeout(400); // let antd's transitions (segmented thumb, dropdowns, tooltips) settle
  await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true });
};

/** The viewport only (an open dialog: its mask covers just the viewport). */
const shotDialog = async (name: string): Promise<void> => {
  await page.waitForTimeout(400);
  await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`) });
};

/** A full-page shot clipped to one element (an element shot would have the sticky header over it). */
const shotOf = async (testId: string, name: string): Promise<void> => {
  await page.evaluate(() => window.scrollTo(0, 0));
  const box = await page.getByTestId(testId).boundingBox();
  if (!box) throw new Error(`${testId} is not visible`);
  await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true, clip: box });
};

const pickOption = (testId: string, label: string, search = true): Promise<void> => pickOptionOn(page, testId, label, search);

/** Resolves when the page URL's query has these values. */
async function waitForQuery(expected: Record<string, string>): Promise<void> {
  await page.waitForURL((url) => Object.entries(expected).every(([k, v]) => url.searchParams.get(k) === v), { timeout: 15_000 });
}

const account = (role: string): DemoAccount => server!.account(role);

/** Fills the login form (the page must be showing it) and waits for the app shell. */
const signIn = (a: DemoAccount): Promise<void> => signInOn(page, a);

async function signOut(): Promise<void> {
  await page.getByTestId('logout').click();
  await page.getByTestId('login-form').waitFor();
  expect(new URL(page.url()).pathname).toBe('/login');
}

/** Every text the browser keeps for this origin (storage and non-httpOnly cookies). */
const storedText = (): Promise<string> =>
  page.evaluate(() => {
    const dump = (s: Storage): string => Array.from({ length: s.length }, (_, i) => `${s.key(i) ?? ''}=${s.getItem(s.key(i) ?? '') ?? ''}`).join('\n');
    return `${dump(window.localStorage)}\n${dump(window.sessionStorage)}\n${document.cookie}`;
  });

describe('signed-in journey', () => {
  beforeAll(async () => {
    mkdirSync(SCREENSHOTS, { recursive: true });
    ensureWebBuild();
    server = await startServer(300);
    browser = await launchChromium();
    ({ context, page } = await newDesktopPage(browser, pageErrors));
  });

  afterAll(async () => {
    await context?.close();
    await browser?.close();
    await server?.stop();
  });

  it('a county officer sees only their county, reads a household masked, shows it in full for a reason, and signs out', async () => {
    const base = server!.baseUrl;
    const officer = account('county_officer');
    expect(officer.scope).toMatch(/^\d{6}$/);
    const api = await apiLogin(base, officer);
    const { user: me } = await api.getJson<{ user: Me }>('/api/v1/auth/me');
    const cities = await api.getJson<{ items: RegionView[] }>('/api/v1/regions?parent=33');
    const city = cities.items.find((c) => c.code === officer.scope.slice(0, 4))!;
    const inScope = await api.getJson<HouseholdList>('/api/v1/households?pageSize=1');
    expect(inScope.total).toBeGreaterThan(0);
    const dibao = await api.getJson<HouseholdList>('/api/v1/households?category=dibao&pageSize=20');
    expect(dibao.total).toBeGreaterThan(0);
    await api.logout();

    // 1. Signed out, a deep link goes to the login page; a wrong password is refused plainly.
    await page.goto(`${base}/households?category=dibao`);
    await page.getByTestId('login-form').waitFor();
    expect(new URL(page.url()).pathname).toBe('/login');
    expect(new URL(page.url()).search).toBe('');
    await expect.poll(() => page.getByTestId('login-brand').innerText()).toContain('众扶');
    await page.getByTestId('login-username').fill(officer.username);
    await page.getByTestId('login-password').fill(`${officer.password}-wrong`);
    await page.getByTestId('login-submit').click();
    await expect.poll(() => page.getByTestId('login-error').innerText()).toBe('用户名或密码错误');
    expect(page.url()).not.toContain(officer.username);
    await shot('01-login-failed');

    // 2. Signing in returns to the page first asked for: the list filtered to 低保, in the officer's county only.
    await page.getByTestId('login-password').fill(officer.password);
    await page.getByTestId('login-submit').click();
    await waitForQuery({ category: 'dibao' });
    expect(new URL(page.url()).pathname).toBe('/households');
    await expect.poll(() => page.getByTestId('account-name').innerText()).toBe(me.displayName);
    await expect.poll(() => page.getByTestId('account-role').innerText()).toBe('县级民政干部');
    await expect.poll(() => page.getByTestId('account-scope').innerText()).toContain(me.scopeName);
    const rows = page.getByTestId('household-table').locator('tbody tr.ant-table-row');
    await rows.first().waitFor();
    await expect.poll(() => page.getByTestId('list-total').innerText()).toContain(String(dibao.total));

    // The whole scope: the city and county pickers are fixed to the officer's own.
    await page.getByTestId('filter-reset').click();
    await page.waitForURL((url) => url.pathname === '/households' && url.search === '');
    await expect.poll(() => page.getByTestId('list-total').innerText()).toContain(String(inScope.total));
    await expect.poll(() => page.getByTestId('summary-total-count').innerText()).toBe(inScope.total.toLocaleString('en-US'));
    await expect.poll(() => page.getByTestId('filter-city').innerText()).toContain(city.name);
    await expect.poll(() => page.getByTestId('filter-county').innerText()).toContain(me.scopeName);
    expect(await page.getByTestId('filter-county').locator('input').isDisabled()).toBe(true);
    await expect
      .poll(async () => {
        const counties = await rows.locator('[data-testid=cell-county]').allInnerTexts();
        return counties.length > 0 && counties.every((c) => c.includes(me.scopeName));
      })
      .toBe(true);
    // The menu: households, alerts and the monitoring overview (no shared households, users, organisations or audit trail).
    expect(await page.getByTestId('nav-menu').locator('a[data-testid^=nav-]').evaluateAll((as) => as.map((a) => a.getAttribute('data-testid')))).toEqual(['nav-households', 'nav-alerts', 'nav-monitoring', 'nav-findings', 'nav-feeds']);
    await shot('02-list-scoped');

    // 3. Filter: category 低保, kept in the URL; every row is 低保 in the county.
    await pickOption('filter-category', '低保', false);
    await waitForQuery({ category: 'dibao' });
    await expect
      .poll(async () => {
        const counties = await rows.locator('[data-testid=cell-county]').allInnerTexts();
        const categories = await rows.locator('[data-testid=category-tag]').evaluateAll((els) => els.map((e) => e.getAttribute('data-category')));
        return counties.length > 0 && counties.every((c) => c.includes(me.scopeName)) && categories.every((c) => c === 'dibao');
      })
      .toBe(true);
    await expect.poll(() => page.getByTestId('list-total').innerText()).toContain(String(dibao.total));
    await expect.poll(() => page.getByTestId('summary-dibao-count').innerText()).toBe(String(dibao.total));
    await expect.poll(() => rows.first().locator('[data-testid=cell-payment]').innerText()).toMatch(/^¥[\d,]+\.\d{2}$/);
    // Heads of household are masked in the list.
    for (const head of await rows.locator('[data-testid=cell-head]').allInnerTexts()) expect(head).toMatch(/^.\*+$/);
    await shot('03-list-filtered');

    // 4. Open the first household: region, classification and its trace.
    const headName = await rows.first().locator('[data-testid=cell-head]').innerText();
    await rows.first().locator('[data-testid=cell-village]').click();
    await page.waitForURL(/\/households\/[0-9a-f-]{36}$/);
    revealedHouseholdId = new URL(page.url()).pathname.split('/').pop()!;
    await page.getByTestId('household-page').waitFor();
    await expect.poll(() => page.getByTestId('household-title').innerText()).toContain(headName);
    await expect.poll(() => page.getByTestId('region-path').innerText()).toContain(me.scopeName);
    await expect.poll(() => page.getByTestId('region-path').innerText()).toMatch(/^浙江省\s*›\s*/);
    await expect.poll(() => page.getByTestId('classification-category').innerText()).toBe('低保');
    await expect.poll(() => page.getByTestId('classification-payment').innerText()).toMatch(/^¥[\d,]+\.\d{2}$/);
    const dibaoStep = page.getByTestId('trace').getByText(/人均月收入 \d+\.\d{2} 元 < 低保标准 1149\.00 元 ✓/);
    await expect.poll(() => dibaoStep.isVisible()).toBe(true);
    const dibaoRow = page.getByTestId('trace').locator('[data-testid=trace-step][data-rule="dibao.income_below_standard"]');
    expect(await dibaoRow.getAttribute('data-passed')).toBe('true');
    const param = dibaoRow.locator('[data-testid=trace-param]').first();
    expect(await param.getAttribute('data-region')).toMatch(/^\d{2,6}$/);
    expect(await param.getAttribute('data-effective-from')).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    await expect.poll(() => param.innerText()).toContain('低保标准');
    await expect.poll(() => page.locator('[data-testid=trace-step][data-passed=false]').count()).toBeGreaterThan(0);
    await expect.poll(() => page.getByTestId('incomes-table').locator('[data-testid=source-dept]').count()).toBeGreaterThan(0);

    // Members arrive masked: names 张*, ID numbers with asterisks.
    const names = page.getByTestId('members-table').locator('[data-testid=member-name]');
    const ids = page.getByTestId('members-table').locator('[data-testid=member-id-number]');
    await expect.poll(() => names.count()).toBeGreaterThan(0);
    for (const n of await names.allInnerTexts()) expect(n).toMatch(/^.\*+$/);
    for (const id of await ids.allInnerTexts()) expect(id).toContain('*');
    await shot('04-household-masked');
    await shotOf('classification-card', '04b-classification');

    // 5. Show full: a reason (and a note), then full names and 18-character ID numbers.
    await page.getByTestId('reveal-open').click();
    await page.getByTestId('reveal-form').waitFor();
    await pickOption('reveal-reason', '入户走访', false);
    await page.getByTestId('reveal-note').fill('季度入户核查');
    await shotDialog('05-reveal-dialog');
    await page.getByTestId('reveal-confirm').click();
    await page.getByTestId('revealed-note').waitFor();
    await expect.poll(() => ids.first().innerText()).toMatch(/^\d{17}[\dX]$/);
    for (const id of await ids.allInnerTexts()) expect(id).toMatch(/^\d{17}[\dX]$/);
    for (const n of await names.allInnerTexts()) expect(n).not.toMatch(/\*/);
    const fullId = await ids.first().innerText();
    expect(await storedText()).not.toContain(fullId);
    await shotOf('members-card', '06-members-revealed');

    // 6. Re-classify: a new result joins the history (the full details stay shown on this page).
    const historyRows = page.getByTestId('classification-history').locator('tbody tr.ant-table-row');
    await expect.poll(() => historyRows.count()).toBeGreaterThan(0);
    const before = await historyRows.count();
    await page.getByTestId('reclassify').click();
    await expect.poll(() => historyRows.count()).toBe(before + 1);
    const toast = page.locator('.ant-message-notice');
    await expect.poll(() => toast.innerText()).toBe('已重新认定：低保');
    await expect.poll(() => toast.count(), { timeout: 10_000 }).toBe(0);
    await expect.poll(() => ids.first().innerText()).toBe(fullId);

    // 7. English.
    await page.getByTestId('lang-switch').getByText('English').click();
    const enStep = page.getByTestId('trace').getByText(/income per person per month \d+\.\d{2} yuan < dibao standard 1149\.00 yuan ✓/);
    await expect.poll(() => enStep.isVisible()).toBe(true);
    await expect.poll(() => page.getByTestId('classification-category').innerText()).toBe('Dibao');
    await expect.poll(() => page.getByTestId('account-role').innerText()).toBe('County civil-affairs officer');
    await expect.poll(() => page.getByTestId('reveal-hide').innerText()).toBe('Mask again');
    await shot('07-household-en');

    // Leaving the page forgets the full details.
    await page.getByTestId('back-to-list').click();
    await rows.first().waitFor();
    await expect.poll(() => page.getByTestId('list-total').innerText()).toMatch(/households$/);
    await page.goBack();
    await page.getByTestId('household-page').waitFor();
    await expect.poll(() => ids.first().innerText()).toContain('*');
    await expect.poll(() => page.getByTestId('reveal-open').isVisible()).toBe(true);

    // 8. Back to Chinese; a missing household and one outside the county answer the same 404.
    await page.getByTestId('lang-switch').getByText('中文').click();
    await page.goto(`${base}/households/00000000-0000-4000-8000-000000000000`);
    await expect.poll(() => page.getByTestId('not-found').innerText()).toBe('未找到该家庭');
    await shot('08-not-found');
    const province = await apiLogin(base, account('province_officer'));
    const elsewhere = (await province.getJson<HouseholdList>('/api/v1/households?pageSize=100')).items.find((h) => h.countyCode !== officer.scope);
    await province.logout();
    expect(elsewhere).toBeDefined();
    await page.goto(`${base}/households/${elsewhere!.id}`);
    await expect.poll(() => page.getByTestId('not-found').innerText()).toBe('未找到该家庭');

    // 9. A failed request shows the server's message.
    const body = JSON.stringify({ error: { code: 'INTERNAL', message: '数据库暂时不可用' } });
    await page.route('**/api/v1/households?**', (route) => route.fulfill({ status: 500, contentType: 'application/json', body }));
    try {
      await page.goto(`${base}/households?category=marginal`);
      await expect.poll(() => page.getByTestId('error').innerText()).toContain('数据库暂时不可用');
      await shot('09-list-error');
    } finally {
      await page.unroute('**/api/v1/households?**');
    }

    // 10. A session that ends under the page (here: its cookie is gone): the next request answers
    // 401, the login page comes, and signing in again returns to the household asked for.
    await page.goto(`${base}/households`);
    await rows.nth(1).waitFor();
    await context!.clearCookies();
    await rows.nth(1).locator('[data-testid=cell-village]').click();
    await page.waitForURL((url) => url.pathname === '/login');
    await signIn(officer);
    await page.waitForURL(/\/households\/[0-9a-f-]{36}$/);
    await page.getByTestId('household-page').waitFor();
    expect(new URL(page.url()).pathname).not.toBe(`/households/${revealedHouseholdId}`);

    // 11. Sign out: the session is over, a deep link asks to sign in again.
    await signOut();
    await page.goto(`${base}/households/${revealedHouseholdId}`);
    await page.getByTestId('login-form').waitFor();
    expect(await storedText()).not.toContain(fullId);

    expect(pageErrors).toEqual([]);
  });

  it('the audit administrator finds the reveal in the audit trail and verifies the chain', async () => {
    expect(revealedHouseholdId).not.toBe('');
    await signIn(account('audit_admin'));
    // Home is the audit trail: the only page of this role.
    await page.waitForURL((url) => url.pathname === '/audit');
    expect(await page.getByTestId('nav-menu').locator('a[data-testid^=nav-]').evaluateAll((as) => as.map((a) => a.getAttribute('data-testid')))).toEqual(['nav-audit']);
    const rows = page.getByTestId('audit-table').locator('tbody tr.ant-table-row');
    await rows.first().waitFor();
    await expect.poll(() => page.getByTestId('audit-total').innerText()).toMatch(/共 \d+ 条/);
    await shot('10-audit');

    // Filter by action: the reveal, with its reason and note, on that household.
    await page.getByTestId('audit-filter-action').locator('input').fill('household.reveal');
    await page.keyboard.press('Escape');
    await page.getByTestId('audit-search').click();
    await waitForQuery({ action: 'household.reveal' });
    await expect
      .poll(async () => {
        const actions = await rows.locator('[data-testid=audit-action]').evaluateAll((els) => els.map((e) => e.getAttribute('data-action')));
        return actions.length > 0 && actions.every((a) => a === 'household.reveal');
      })
      .toBe(true);
    await expect.poll(() => rows.first().locator('[data-testid=audit-action]').innerText()).toBe('显示完整信息');
    await expect.poll(() => rows.first().locator('[data-testid=audit-purpose]').innerText()).toBe('入户走访：季度入户核查');
    await expect.poll(() => rows.first().locator('[data-testid=audit-object]').innerText()).toBe(`…${revealedHouseholdId.slice(-8)}`);
    await expect.poll(() => rows.first().locator('[data-testid=audit-result]').innerText()).toBe('成功');
    await expect.poll(() => rows.first().locator('[data-testid=audit-hash]').innerText()).toMatch(/^[0-9a-f]{12}…$/);

    // Verify the whole chain.
    await page.getByTestId('audit-verify').click();
    const result = page.getByTestId('audit-verify-result');
    await result.waitFor();
    expect(await result.getAttribute('data-ok')).toBe('true');
    await expect.poll(() => result.innerText()).toMatch(/^哈希链完整：已校验 \d+ 条记录$/);
    await shot('11-audit-verified');
    await signOut();
    expect(pageErrors).toEqual([]);
  });

  it('the system administrator manages accounts and sees no household pages', async () => {
    await signIn(account('system_admin'));
    await page.waitForURL((url) => url.pathname === '/users');
    expect(await page.getByTestId('nav-menu').locator('a[data-testid^=nav-]').evaluateAll((as) => as.map((a) => a.getAttribute('data-testid')))).toEqual(['nav-users']);
    expect(await page.getByTestId('nav-households').count()).toBe(0);
    const usernames = page.getByTestId('users-table').locator('[data-testid=user-username]');
    await expect.poll(() => usernames.allInnerTexts()).toContain(account('county_officer').username);
    await expect.poll(() => page.getByTestId('user-create').isVisible()).toBe(true);
    expect(await page.getByTestId('user-assign').count()).toBe(0);
    await shot('12-system-admin-users');

    // A new account: the initial password is shown once.
    await page.getByTestId('user-create').click();
    await page.getByTestId('user-create-username').fill('e2e-worker');
    await page.getByTestId('user-create-display-name').fill('测试社工');
    await page.getByTestId('user-create-save').click();
    await expect.poll(() => page.getByTestId('initial-password').innerText()).toMatch(/^\S{8,}$/);
    await shotDialog('13-initial-password');
    await page.getByTestId('initial-password-done').click();
    await expect.poll(() => page.getByTestId('initial-password-dialog').count()).toBe(0);
    const row = page.getByTestId('users-table').locator('tbody tr', { hasText: 'e2e-worker' });
    await expect.poll(() => row.locator('[data-testid=role-tag]').getAttribute('data-role')).toBe('unassigned');

    // The household pages are not for this role, even by URL.
    await page.goto(`${server!.baseUrl}/households`);
    await expect.poll(() => page.getByTestId('forbidden').isVisible()).toBe(true);
    await signOut();
    expect(pageErrors).toEqual([]);
  });
  it('the security administrator assigns a role, and two-step verification guards the next sign-in', async () => {
    const admin = account('security_admin');
    await signIn(admin);
    await page.waitForURL((url) => url.pathname === '/users');
    expect(await page.getByTestId('nav-menu').locator('a[data-testid^=nav-]').evaluateAll((as) => as.map((a) => a.getAttribute('data-testid')))).toEqual(['nav-users', 'nav-organisations']);
    expect(await page.getByTestId('user-create').count()).toBe(0);

    // The account the system administrator created: county officer of the demo county, by code.
    const scope = account('county_officer').scope;
    const row = page.getByTestId('users-table').locator('tbody tr', { hasText: 'e2e-worker' });
    await row.getByTestId('user-assign').click();
    await page.getByTestId('assign-form').waitFor();
    await pickOption('assign-role', '县级民政干部', false);
    await page.getByTestId('assign-scope-code').fill(scope);
    await expect.poll(() => page.getByTestId('assign-scope-cascader').innerText()).toMatch(/浙江省 \/ .+市 \/ .+/);
    await shotDialog('14-assign-role');
    await page.getByTestId('assign-save').click();
    await expect.poll(() => row.locator('[data-testid=role-tag]').getAttribute('data-role')).toBe('county_officer');
    await expect.poll(() => row.locator('[data-testid=region-name]').getAttribute('data-code')).toBe(scope);

    // Organisations and agreements.
    await page.getByTestId('nav-organisations').click();
    await page.getByTestId('organisations-table').locator('tbody tr.ant-table-row').first().waitFor();
    await page.getByTestId('agreements-table').locator('tbody tr.ant-table-row').first().waitFor();
    await shot('15-organisations');

    // Two-step verification: enrol with a code from the secret, then sign in with the next code.
    await page.getByTestId('totp-open').click();
    // The dialog settles (its state resets when it opens) before enrolment starts.
    await page.getByTestId('totp-status').waitFor();
    await page.getByTestId('totp-start').click();
    await page.getByTestId('totp-secret').waitFor({ timeout: 60_000 });
    const secret = (await page.getByTestId('totp-secret').innerText()).replace(/\s+/g, '');
    expect(secret).toMatch(/^[A-Z2-7]{16,64}$/);
    await expect.poll(() => page.getByTestId('totp-url').innerText()).toContain(`secret=${secret}`);
    await shotDialog('16-totp-setup');
    const key = base32Decode(secret);
    const now = Math.floor(Date.now() / 1000);
    await page.getByTestId('totp-code').locator('input').first().click();
    await page.keyboard.type(totp(key, now));
    await page.getByTestId('totp-enable').click();
    await expect.poll(() => page.getByTestId('totp-dialog').count()).toBe(0);
    await signOut();

    await page.getByTestId('login-username').fill(admin.username);
    await page.getByTestId('login-password').fill(admin.password);
    await page.getByTestId('login-submit').click();
    await page.getByTestId('login-totp').waitFor();
    await shot('17-login-totp');
    // The next 30-second step: a code works once, and enrolment used this step's.
    await page.getByTestId('login-totp-code').locator('input').first().click();
    await page.keyboard.type(totp(key, now + 30));
    await page.getByTestId('account-bar').waitFor();
    await page.waitForURL((url) => url.pathname === '/users');
    await signOut();
    expect(pageErrors).toEqual([]);
  });

  it('charity staff see shared households masked, until the household withdraws its consent', async () => {
    const staff = account('charity_staff');
    await signIn(staff);
    // Charity staff start on their charity's portal; the shared households are one menu item away.
    await page.waitForURL((url) => url.pathname === '/charity');
    expect(await page.getByTestId('nav-menu').locator('a[data-testid^=nav-]').evaluateAll((as) => as.map((a) => a.getAttribute('data-testid')))).toEqual(['nav-charity', 'nav-shared']);
    await page.getByTestId('nav-shared').click();
    await page.waitForURL((url) => url.pathname === '/shared');
    const rows = page.getByTestId('shared-table').locator('tbody tr.ant-table-row');
    await rows.first().waitFor();
    await shot('18-shared-list');
    await rows.first().getByTestId('shared-open').click();
    await page.waitForURL(/\/shared\/[0-9a-f-]{36}$/);
    const householdId = new URL(page.url()).pathname.split('/').pop()!;
    await page.getByTestId('shared-household-page').waitFor();
    const names = page.getByTestId('shared-members-table').locator('[data-testid=shared-member-name]');
    await expect.poll(() => names.count()).toBeGreaterThan(0);
    for (const n of await names.allInnerTexts()) expect(n).toMatch(/^.\*+$/);
    await shot('19-shared-household');

    // The county officer records the withdrawal; the next look is refused.
    const officer = await apiLogin(server!.baseUrl, account('county_officer'));
    const staffApi = await apiLogin(server!.baseUrl, staff);
    const { user } = await staffApi.getJson<{ user: Me }>('/api/v1/auth/me');
    await staffApi.logout();
    const consents = await officer.getJson<{ items: { id: string; organisationId: string; withdrawnOn: string | null }[] }>(`/api/v1/households/${householdId}/consents`);
    const active = consents.items.filter((c) => c.organisationId === user.organisationId && c.withdrawnOn === null);
    expect(active.length).toBeGreaterThan(0);
    const today = new Date().toISOString().slice(0, 10);
    for (const c of active) await officer.postJson(`/api/v1/households/${householdId}/consents/${c.id}/withdraw`, { withdrawnOn: today });
    await officer.logout();
    await page.reload();
    await expect.poll(() => page.getByTestId('shared-revoked').innerText()).toBe('授权已失效或已撤回');
    await shot('20-shared-revoked');
    await signOut();
    expect(pageErrors).toEqual([]);
  });
});
