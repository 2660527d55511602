/**
 * Dynamic monitoring through the web app, against a real server with a demo population (monitoring
 * runs at start, so alerts exist):
 *  - the county officer reads the overview (open alerts, enrolled and suspected households per
 *    area), filters the alert inbox to red, opens the first red alert, assigns it to themself,
 *    records a home visit that answers it, resolves it (referred), and sees the area's red count on
 *    the overview go down by one; a suspected household's alert names its population group and why;
 *    then the same pages on a 375 px phone: the header folds into one menu and nothing scrolls sideways;
 *  - a department liaison sends an event feed: a file that is not JSON Lines is refused in the
 *    browser (nothing sent); a feed with one bad row is refused by the server with the row and
 *    field named and nothing applied; the corrected feed applies; no full ID number is ever shown.
 * Screenshots go to test/e2e/screenshots/ (git-ignored).
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AlertView, HouseholdList, HouseholdView, MonitoringOverviewSchema } from '../../src/contracts/index.js';
import type { z } from 'zod';
import {
  apiLogin,
  ensureWebBuild,
  horizontalOverflow,
  newDesktopPage, launchChromium,
  screenshot,
  SCREENSHOTS,
  signIn,
  startServer,
  type DemoAccount,
  type RunningServer,
} from './support.js';

type Overview = z.infer<typeof MonitoringOverviewSchema>;

let server: RunningServer | undefined;
let browser: Browser | undefined;
let context: BrowserContext | undefined;
let page: Page;
const pageErrors: string[] = [];

const shot = (name: string, clipTo?: string): Promise<void> => screenshot(page, name, clipTo ? { clipTo } : {});

const account = (role: string): DemoAccount => server!.account(role);

/** The red count of one area row on the overview page. */
async function redCountOn(code: string): Promise<number> {
  const cell = page.locator(`[data-testid=area-row][data-code="${code}"] [data-testid=area-red]`);
  await cell.waitFor();
  return Number(await cell.innerText());
}

const status = () => page.getByTestId('alert-page').getByTestId('alert-status').first().getAttribute('data-status');

/** `days` days before an ISO date. */
function daysBefore(iso: string, days: number): string {
  return new Date(Date.parse(`${iso}T00:00:00Z`) - days * 86_400_000).toISOString().slice(0, 10);
}

describe('dynamic monitoring', () => {
  beforeAll(async () => {
    mkdirSync(SCREENSHOTS, { recursive: true });
    ensureWebBuild();
    // Enough households that the officer's county has red alerts.
    server = await startServer(3000, 540_000);
    browser = await launchChromium();
    ({ context, page } = await newDesktopPage(browser, pageErrors));
  });

  afterAll(async () => {
    await context?.close();
    await browser?.close();
    await server?.stop();
  });

  it('a county officer handles a red alert from inbox to resolution, and the overview counts it', async () => {
    const base = server!.baseUrl;
    const officer = account('county_officer');
    const api = await apiLogin(base, officer);
    const red = await api.getJson<{ items: AlertView[]; total: number }>('/api/v1/alerts?level=red&status=open&page=1&pageSize=2');
    expect(red.total).toBeGreaterThan(0);
    const first = red.items[0]!;
    const township = first.regionCode.slice(0, 9);
    const overview = await api.getJson<Overview>('/api/v1/monitoring/overview');
    const area = overview.areas.find((a) => a.code === township)!;
    expect(overview.areas.some((a) => (a.enrolled ?? 0) > 0)).toBe(true);
    expect(overview.areas.some((a) => (a.suspected ?? 0) > 0)).toBe(true);
    // An open risk alert of a suspected household (close to assistance, recently out of it, or named by someone).
    let suspected: AlertView | undefined;
    for (let p = 1; p <= 10 && !suspected; p++) {
      const batch = await api.getJson<{ items: AlertView[] }>(`/api/v1/alerts?status=open&page=${p}&pageSize=200`);
      suspected = batch.items.find((a) => a.cause === 'risk' && a.reasons.population === 'suspected' && a.id !== first.id && a.id !== red.items[1]?.id);
      if (batch.items.length < 200) break;
    }
    expect(suspected).toBeDefined();
    await api.logout();

    // Sign in on the deep link to the inbox.
    await page.goto(`${base}/alerts`);
    await signIn(page, officer);

    // 1. The overview before: the area's red count, and its enrolled and suspected households.
    await page.getByTestId('nav-monitoring').click();
    await page.getByTestId('overview-page').waitFor();
    await expect.poll(() => page.getByTestId('latest-run').innerText()).toMatch(/最近监测：\d{4}-\d{2}-\d{2}/);
    const redBefore = await redCountOn(township);
    expect(redBefore).toBeGreaterThan(0);
    const row = page.locator(`[data-testid=area-row][data-code="${township}"]`);
    expect(await row.getByTestId('area-enrolled').innerText()).toBe(String(area.enrolled ?? '—'));
    expect(await row.getByTestId('area-suspected').innerText()).toBe(String(area.suspected ?? '—'));
    const headers = await page.getByTestId('overview-table').locator('thead th').allInnerTexts();
    expect(headers).toEqual(expect.arrayContaining(['在册', '疑似']));
    await page.getByTestId('chart-alerts').locator('canvas').first().waitFor();
    await shot('m01-overview-before');
    await shot('overview-population', 'overview-table');

    // 2. The inbox, filtered to red: every row red, the first is the API's first.
    await page.getByTestId('nav-alerts').click();
    await page.getByTestId('alerts-table').waitFor();
    const rows = page.getByTestId('alerts-table').locator('tbody tr.ant-table-row');
    await rows.first().waitFor();
    await shot('m02-alerts-open');
    await page.getByTestId('filter-level').click();
    await page.locator('.ant-select-dropdown:visible .ant-select-item-option[title="红色"]').first().click();
    await page.waitForURL((url) => url.searchParams.get('level') === 'red');
    await expect
      .poll(async () => {
        const levels = await rows.locator('[data-testid=alert-level]').evaluateAll((els) => els.map((e) => e.getAttribute('data-level')));
        return levels.length > 0 && levels.every((l) => l === 'red');
      })
      .toBe(true);
    await shot('m03-alerts-red');

    // 3. Open the first red alert: reasons in plain words (a risk alert: its population group too), and the actions its status allows.
    await rows.first().click();
    await page.waitForURL((url) => url.pathname === `/households/${first.householdId}/alerts/${first.id}`);
    await page.getByTestId('alert-page').waitFor();
    await expect.poll(() => page.getByTestId('alert-reasons').innerText()).toMatch(first.cause === 'risk' ? /六维中 \d 维受剥夺：/ : /触发事件：/);
    if (first.cause === 'risk') {
      expect(await page.getByTestId('alert-reasons').getByTestId('population-group').getAttribute('data-population')).toBe(first.reasons.population);
    }
    expect(await status()).toBe('new');

    // 4. Assign to me.
    await page.getByTestId('action-assign').click();
    await expect.poll(status).toBe('assigned');
    await page.getByTestId('action-start-visit').waitFor();
    await shot('m04-alert-assigned');

    // 5. Record a visit answering the alert: it moves to visiting.
    await page.getByTestId('visit-form').locator('label', { hasText: '住房不安全' }).click();
    await page.getByTestId('visit-notes').fill('房屋漏雨，已联系村委会修缮');
    await page.getByTestId('visit-submit').click();
    await expect.poll(status).toBe('visiting');
    await page.getByTestId('visit-item').first().waitFor();
    await expect.poll(() => page.getByTestId('alert-visits').innerText()).toContain('住房不安全');

    // 6. Resolve: referred.
    await page.getByTestId('resolve-outcome').click();
    await page.locator('.ant-select-dropdown:visible .ant-select-item-option[title="转介帮扶"]').first().click();
    await page.getByTestId('action-resolve').click();
    await expect.poll(status).toBe('resolved');
    await expect.poll(() => page.getByTestId('alert-page').getByTestId('alert-status').first().innerText()).toBe('办结');
    await expect.poll(() => page.getByTestId('alert-outcome').innerText()).toBe('转介帮扶');
    await expect.poll(() => page.getByTestId('alert-event').evaluateAll((els) => els.map((e) => e.getAttribute('data-action')))).toEqual(['assign', 'visit', 'resolve']);
    expect(await page.getByTestId('alert-actions').count()).toBe(0);
    await shot('m05-alert-resolved');

    // 7. The overview after: one red fewer in the area.
    await page.getByTestId('nav-monitoring').click();
    await page.getByTestId('overview-page').waitFor();
    await expect.poll(() => redCountOn(township)).toBe(redBefore - 1);
    await shot('m06-overview-after');

    // 8. The household page: the risk history chart; its tooltip names the population group.
    await page.goto(`${base}/households/${first.householdId}`);
    await page.getByTestId('risk-history').waitFor();
    const canvas = page.getByTestId('risk-chart').locator('canvas').first();
    await canvas.waitFor();
    await page.getByTestId('risk-history').scrollIntoViewIfNeeded();
    await page.waitForTimeout(500);
    const chartBox = await canvas.boundingBox();
    if (chartBox) await page.mouse.move(chartBox.x + chartBox.width / 2, chartBox.y + chartBox.height / 2);
    await expect.poll(() => page.getByTestId('risk-chart').innerText()).toMatch(/监测人群: (在册救助对象|疑似困难对象|一般人群)/);
    const box = await page.getByTestId('risk-history').boundingBox();
    if (box) await page.screenshot({ path: join(SCREENSHOTS, 'm07-risk-history.png'), clip: box });

    // 9. A suspected household's risk alert: the group and every reason as a tag, in plain words.
    await page.goto(`${base}/households/${suspected!.householdId}/alerts/${suspected!.id}`);
    const reasons = page.getByTestId('alert-reasons');
    await reasons.getByTestId('population-group').waitFor();
    expect(await reasons.getByTestId('population-group').innerText()).toBe('疑似困难对象');
    const expected = (suspected!.reasons.populationReasons as string[]).length;
    expect(expected).toBeGreaterThan(0);
    expect(await reasons.getByTestId('population-reason').count()).toBe(expected);
    for (const text of await reasons.getByTestId('population-reason').allInnerTexts()) expect(text).toMatch(/[\u4e00-\u9fff]/);
    await shot('alert-population', 'alert-reasons');

    // 10. A 375 px phone: the header folds into one menu, and no page scrolls sideways.
    await page.setViewportSize({ width: 375, height: 812 });
    await page.goto(`${base}/monitoring`);
    await page.getByTestId('overview-page').waitFor();
    await page.getByTestId('chart-alerts').locator('canvas').first().waitFor();
    expect(await page.getByTestId('app-header').getAttribute('data-mode')).toBe('phone');
    await page.waitForTimeout(500);
    await page.screenshot({ path: join(SCREENSHOTS, 'header-375.png') });
    const phonePages: [string, string][] = [
      ['/monitoring', 'overview-page'],
      ['/alerts', 'alerts-table'],
      [`/households/${first.householdId}/alerts/${first.id}`, 'alert-page'],
      [`/households/${suspected!.householdId}/alerts/${suspected!.id}`, 'visit-form'],
      ['/households', 'household-table'],
      [`/households/${first.householdId}`, 'risk-history'],
      ['/feeds', 'feed-page'],
    ];
    for (const [path, testId] of phonePages) {
      await page.goto(`${base}${path}`);
      await page.getByTestId(testId).waitFor();
      await page.waitForTimeout(300);
      expect({ path, overflow: await horizontalOverflow(page) }).toEqual({ path, overflow: 0 });
    }
    // The header's right end stays inside the screen.
    const header = await page.getByTestId('account-bar').boundingBox();
    expect(header!.x + header!.width).toBeLessThanOrEqual(375);

    // English from the phone's account menu, and the alert page on the phone.
    // A click during the menu's opening motion can be lost: open and choose again until the choice is stored.
    await expect
      .poll(async () => {
        if ((await page.evaluate(() => window.localStorage.getItem('zhongfu.lang'))) === 'en') return 'en';
        if (!(await page.getByTestId('menu-lang-en').isVisible())) await page.getByTestId('account-bar').click();
        await page.getByTestId('menu-lang-en').click({ timeout: 2_000 }).catch(() => undefined);
        return page.evaluate(() => window.localStorage.getItem('zhongfu.lang'));
      }, { timeout: 20_000 })
      .toBe('en');
    await page.goto(`${base}/households/${first.householdId}/alerts/${first.id}`);
    await page.getByTestId('alert-page').waitFor();
    await expect.poll(() => page.getByTestId('alert-page').getByTestId('alert-status').first().innerText()).toBe('Resolved');
    expect(await horizontalOverflow(page)).toBe(0);
    await shot('m08-alert-en-mobile');
    // Another open alert on the phone: the visit form fits the screen.
    const second = red.items[1];
    if (second) {
      await page.goto(`${base}/households/${second.householdId}/alerts/${second.id}`);
      await page.getByTestId('visit-form').waitFor();
      await expect.poll(() => page.getByTestId('visit-card').innerText()).toContain('Do not enter ID numbers');
      expect(await horizontalOverflow(page)).toBe(0);
      await page.getByTestId('visit-card').scrollIntoViewIfNeeded();
      await page.waitForTimeout(400);
      await page.screenshot({ path: join(SCREENSHOTS, 'm09-visit-form-mobile.png') });
    }

    expect(pageErrors).toEqual([]);
  });

  it('a department liaison sends an event feed: one bad row refuses it all, the corrected feed applies', async () => {
    const base = server!.baseUrl;
    // Three living members of the liaison's county: the officer reveals their ID numbers for the test feed (never printed).
    const officerApi = await apiLogin(base, account('county_officer'));
    const { latestRun } = await officerApi.getJson<Overview>('/api/v1/monitoring/overview');
    const day = daysBefore(latestRun!.asOf, 7);
    const list = await officerApi.getJson<HouseholdList>('/api/v1/households?page=3&pageSize=10');
    const idNumbers: string[] = [];
    for (const h of list.items) {
      if (idNumbers.length === 3) break;
      const detail = await officerApi.getJson<HouseholdView>(`/api/v1/households/${h.id}`);
      const alive = detail.members.find((m) => !m.deceasedOn);
      if (!alive) continue;
      const revealed = await officerApi.postJson<{ members: { id: string; idNumber: string }[] }>(`/api/v1/households/${h.id}/reveal`, { reason: 'other', note: 'e2e event feed' });
      idNumbers.push(revealed.members.find((m) => m.id === alive.id)!.idNumber);
    }
    await officerApi.logout();
    expect(idNumbers).toHaveLength(3);
    const feedRows = (occurredOn2: string) => [
      { recordId: 'E2E-FIRE-0001', kind: 'fire', idNumber: idNumbers[0], occurredOn: day },
      { recordId: 'E2E-ILL-0002', kind: 'serious_illness', idNumber: idNumbers[1], occurredOn: occurredOn2 },
      { recordId: 'E2E-REF-0003', kind: 'referral', idNumber: idNumbers[2], occurredOn: day },
    ];
    const jsonl = (rows: unknown[]): Buffer => Buffer.from(`${rows.map((r) => JSON.stringify(r)).join('\n')}\n`, 'utf8');

    const errors: string[] = [];
    const { context: liaisonContext, page: liaisonPage } = await newDesktopPage(browser!, errors);
    const sent: string[] = [];
    liaisonPage.on('request', (r) => {
      if (r.url().endsWith('/api/v1/feeds/events')) sent.push(r.method());
    });
    const noFullIdNumber = async (): Promise<void> => {
      const html = await liaisonPage.content();
      for (const id of idNumbers) expect(html.includes(id), 'a full ID number is on the page').toBe(false);
    };
    try {
      // Signing in lands on the feed page: the liaison's first menu entry (households are not theirs).
      await liaisonPage.goto(`${base}/`);
      await signIn(liaisonPage, account('department_liaison'));
      await liaisonPage.getByTestId('feed-page').waitFor();
      expect(await liaisonPage.getByTestId('nav-households').count()).toBe(0);
      // The source is the liaison's organisation: nothing to choose.
      await liaisonPage.getByTestId('feed-source-own').waitFor();
      expect(await liaisonPage.getByTestId('feed-source').count()).toBe(0);
      const fileInput = liaisonPage.getByTestId('feed-upload').locator('input[type=file]');

      // A line that is not JSON: refused in the browser, by line, and nothing is sent.
      await fileInput.setInputFiles({ name: 'broken.jsonl', mimeType: 'application/x-ndjson', buffer: Buffer.from('{"recordId":"E2E-X-1","kind":"fire"}\n{"recordId": "E2E-X-2", oops\n') });
      await expect.poll(() => liaisonPage.getByTestId('feed-local-errors').innerText()).toContain('第 2 行不是有效的 JSON');
      expect(await liaisonPage.getByTestId('feed-submit').isDisabled()).toBe(true);

      // Three rows, the second with an impossible date: the server names row 2's date, and nothing is applied.
      await fileInput.setInputFiles({ name: 'emergency-2026-11.jsonl', mimeType: 'application/x-ndjson', buffer: jsonl(feedRows('2026-02-30')) });
      await expect.poll(() => liaisonPage.getByTestId('feed-row').count()).toBe(3);
      const shown = await liaisonPage.getByTestId('feed-id').allInnerTexts();
      expect(shown).toEqual(idNumbers.map((id) => `${id.slice(0, 6)}${'*'.repeat(11)}${id.slice(-1)}`));
      await noFullIdNumber();
      await liaisonPage.getByTestId('feed-submit').click();
      await liaisonPage.getByTestId('feed-nothing-applied').waitFor();
      expect(await liaisonPage.getByTestId('feed-nothing-applied').innerText()).toContain('未导入任何数据');
      const issues = liaisonPage.getByTestId('feed-issue');
      expect(await issues.count()).toBe(1);
      expect(await issues.first().getAttribute('data-row')).toBe('2');
      expect(await issues.first().getByTestId('feed-issue-field').innerText()).toBe('发生日期');
      expect(await issues.first().getByTestId('feed-issue-message').innerText()).toContain('YYYY-MM-DD');
      expect(await liaisonPage.locator('[data-testid=feed-row][data-row="2"]').innerText()).toContain('有误');
      await noFullIdNumber();
      await screenshot(liaisonPage, 'feed-errors');

      // The corrected file: all three received (a department is not told how many matched a registered person).
      await fileInput.setInputFiles({ name: 'emergency-2026-11.jsonl', mimeType: 'application/x-ndjson', buffer: jsonl(feedRows(day)) });
      await expect.poll(() => liaisonPage.getByTestId('feed-nothing-applied').count()).toBe(0);
      await liaisonPage.getByTestId('feed-submit').click();
      await liaisonPage.getByTestId('feed-result').waitFor();
      const stat = (k: string) => liaisonPage.getByTestId(`feed-${k}`).getAttribute('data-value');
      expect([await stat('rows'), await stat('received'), await stat('alreadyApplied')]).toEqual(['3', '3', '0']);
      expect(await liaisonPage.getByTestId('feed-applied').count()).toBe(0);
      await noFullIdNumber();
      await screenshot(liaisonPage, 'feed-applied');
      expect(sent).toEqual(['POST', 'POST']);

      // Sent again: every record is already applied (skipped).
      await liaisonPage.getByTestId('feed-submit').click();
      await expect.poll(() => stat('alreadyApplied')).toBe('3');
      expect(await stat('received')).toBe('0');

      // The page on a phone: nothing scrolls sideways.
      await liaisonPage.setViewportSize({ width: 375, height: 812 });
      await liaisonPage.waitForTimeout(300);
      expect(await horizontalOverflow(liaisonPage)).toBe(0);
      expect(errors).toEqual([]);
    } finally {
      await liaisonContext.close();
    }
  });
});
