/**
 * Dynamic monitoring through the web app, against a real server with a demo population (monitoring
 * runs at start, so alerts exist): the county officer reads the overview, filters the alert inbox
 * to red, opens the first red alert, assigns it to themself, records a home visit that answers it,
 * resolves it (referred), and sees the area's red count on the overview go down by one.
 * Screenshots go to test/e2e/screenshots/ (git-ignored).
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AlertView } from '../../src/contracts/index.js';
import { apiLogin, ensureWebBuild, launchChromium, SCREENSHOTS, startServer, type RunningServer } from './support.js';

let server: RunningServer | undefined;
let browser: Browser | undefined;
let context: BrowserContext | undefined;
let page: Page;
const pageErrors: string[] = [];

const shot = async (name: string): Promise<void> => {
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.mouse.move(0, 0);
  await page.waitForTimeout(500); // antd transitions and chart animations
  await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true });
};

/** The red count of one area row on the overview page. */
async function redCountOn(code: string): Promise<number> {
  const cell = page.locator(`[data-testid=area-row][data-code="${code}"] [data-testid=area-red]`);
  await cell.waitFor();
  return Number(await cell.innerText());
}

const status = () => page.getByTestId('alert-page').getByTestId('alert-status').first().getAttribute('data-status');

describe('dynamic monitoring', () => {
  beforeAll(async () => {
    mkdirSync(SCREENSHOTS, { recursive: true });
    ensureWebBuild();
    // Enough households that the officer's county has red alerts.
    server = await startServer(3000);
    browser = await launchChromium();
    context = await browser.newContext({ viewport: { width: 1440, height: 900 }, locale: 'zh-CN', deviceScaleFactor: 1 });
    page = await context.newPage();
    page.setDefaultTimeout(20_000);
    page.on('pageerror', (e) => pageErrors.push(e.message));
  });

  afterAll(async () => {
    await context?.close();
    await browser?.close();
    await server?.stop();
  });

  it('a county officer handles a red alert from inbox to resolution, and the overview counts it', async () => {
    const base = server!.baseUrl;
    const officer = server!.accounts.get('county_officer');
    if (!officer) throw new Error(`no county_officer demo account:\n${server!.output().slice(-3000)}`);
    const api = await apiLogin(base, officer);
    const red = await api.getJson<{ items: AlertView[]; total: number }>('/api/v1/alerts?level=red&status=open&page=1&pageSize=2');
    expect(red.total).toBeGreaterThan(0);
    const first = red.items[0]!;
    const township = first.regionCode.slice(0, 9);
    await api.logout();

    // Sign in on the deep link to the inbox.
    await page.goto(`${base}/alerts`);
    await page.getByTestId('login-form').waitFor();
    await page.getByTestId('login-username').fill(officer.username);
    await page.getByTestId('login-password').fill(officer.password);
    await page.getByTestId('login-submit').click();
    await page.getByTestId('account-bar').waitFor();

    // 1. The overview before: the area's red count.
    await page.getByTestId('nav-monitoring').click();
    await page.getByTestId('overview-page').waitFor();
    await expect.poll(() => page.getByTestId('latest-run').innerText()).toMatch(/最近监测：\d{4}-\d{2}-\d{2}/);
    const redBefore = await redCountOn(township);
    expect(redBefore).toBeGreaterThan(0);
    await page.getByTestId('chart-alerts').locator('canvas').first().waitFor();
    await shot('m01-overview-before');

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

    // 3. Open the first red alert: reasons in plain words, and the actions its status allows.
    await rows.first().click();
    await page.waitForURL((url) => url.pathname === `/households/${first.householdId}/alerts/${first.id}`);
    await page.getByTestId('alert-page').waitFor();
    await expect.poll(() => page.getByTestId('alert-reasons').innerText()).toMatch(first.cause === 'risk' ? /六维中 \d 维受剥夺：/ : /触发事件：/);
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

    // 8. The household page: the risk history chart.
    await page.goto(`${base}/households/${first.householdId}`);
    await page.getByTestId('risk-history').waitFor();
    await page.getByTestId('risk-chart').locator('canvas').first().waitFor();
    await page.getByTestId('risk-history').scrollIntoViewIfNeeded();
    await page.waitForTimeout(500);
    const box = await page.getByTestId('risk-history').boundingBox();
    if (box) await page.screenshot({ path: join(SCREENSHOTS, 'm07-risk-history.png'), clip: box });

    // 9. English, and the alert page on a phone.
    await page.getByTestId('lang-switch').getByText('English').click();
    await page.setViewportSize({ width: 390, height: 844 });
    await page.goto(`${base}/households/${first.householdId}/alerts/${first.id}`);
    await page.getByTestId('alert-page').waitFor();
    await expect.poll(() => page.getByTestId('alert-page').getByTestId('alert-status').first().innerText()).toBe('Resolved');
    await shot('m08-alert-en-mobile');
    // Another open alert on the phone: the visit form fits the screen.
    const second = red.items[1];
    if (second) {
      await page.goto(`${base}/households/${second.householdId}/alerts/${second.id}`);
      await page.getByTestId('visit-form').waitFor();
      await expect.poll(() => page.getByTestId('visit-card').innerText()).toContain('Do not enter ID numbers');
      await page.getByTestId('visit-card').scrollIntoViewIfNeeded();
      await page.waitForTimeout(400);
      await page.screenshot({ path: join(SCREENSHOTS, 'm09-visit-form-mobile.png') });
    }

    expect(pageErrors).toEqual([]);
  });
});
