/**
 * Journey through the web app against a real server with a demo population: the household list,
 * filtering by county and by category 低保, a household's page with its classification trace,
 * re-classification, the 404 page, and the switch to English. Screenshots go to
 * test/e2e/screenshots/ (git-ignored).
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HouseholdList, RegionView } from '../../src/contracts/index.js';
import { ensureWebBuild, getJson, launchChromium, SCREENSHOTS, startServer, type RunningServer } from './support.js';

let server: RunningServer | undefined;
let browser: Browser | undefined;
let context: BrowserContext | undefined;
let page: Page;
const pageErrors: string[] = [];

const shot = async (name: string): Promise<void> => {
  // Back to the top first: a sticky header would otherwise be painted mid-page in a full-page shot.
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.waitForTimeout(400); // let antd's transitions (segmented thumb, dropdowns) settle
  await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true });
};

/** A full-page shot clipped to one element (an element shot would have the sticky header over it). */
const shotOf = async (testId: string, name: string): Promise<void> => {
  await page.evaluate(() => window.scrollTo(0, 0));
  const box = await page.getByTestId(testId).boundingBox();
  if (!box) throw new Error(`${testId} is not visible`);
  await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true, clip: box });
};

/** Opens an antd Select, optionally types to filter, and clicks the option with this label. */
async function pickOption(testId: string, label: string, search = true): Promise<void> {
  await page.getByTestId(testId).click();
  if (search) await page.keyboard.type(label);
  const option = page.locator(`.ant-select-dropdown:visible .ant-select-item-option[title="${label}"]`);
  await option.first().click();
  await expect.poll(() => page.locator('.ant-select-dropdown:visible').count()).toBe(0);
}

/** Resolves when the page URL's query has these values. */
async function waitForQuery(expected: Record<string, string>): Promise<void> {
  await page.waitForURL((url) => Object.entries(expected).every(([k, v]) => url.searchParams.get(k) === v), { timeout: 15_000 });
}

describe('households journey', () => {
  beforeAll(async () => {
    mkdirSync(SCREENSHOTS, { recursive: true });
    ensureWebBuild();
    server = await startServer(300);
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

  it('filters the list, opens a dibao household, reads its trace, re-classifies it and switches to English', async () => {
    const base = server!.baseUrl;
    // A county that has dibao households in this demo population.
    const sample = await getJson<HouseholdList>(`${base}/api/v1/households?category=dibao&pageSize=1`);
    expect(sample.total).toBeGreaterThan(0);
    const target = sample.items[0]!;
    const cityCode = target.countyCode.slice(0, 4);
    const cities = await getJson<{ items: RegionView[] }>(`${base}/api/v1/regions?parent=33`);
    expect(cities.items).toHaveLength(11);
    const city = cities.items.find((c) => c.code === cityCode)!;

    // 1. The list, unfiltered.
    await page.goto(`${base}/households`);
    await page.getByTestId('household-table').locator('tbody tr.ant-table-row').first().waitFor();
    await expect.poll(() => page.getByTestId('app-name').innerText()).toContain('众扶');
    await expect.poll(() => page.getByTestId('summary-total-count').innerText()).toMatch(/^[\d,]+$/);
    await shot('01-list');

    // 2. Filter: city, then county, then category 低保; the filters go into the URL.
    await pickOption('filter-city', city.name);
    await waitForQuery({ region: cityCode });
    await pickOption('filter-county', target.countyName);
    await waitForQuery({ region: target.countyCode });
    await pickOption('filter-category', '低保', false);
    await waitForQuery({ region: target.countyCode, category: 'dibao' });

    const rows = page.getByTestId('household-table').locator('tbody tr.ant-table-row');
    await expect
      .poll(async () => {
        const counties = await rows.locator('[data-testid=cell-county]').allInnerTexts();
        const categories = await rows.locator('[data-testid=category-tag]').evaluateAll((els) => els.map((e) => e.getAttribute('data-category')));
        return counties.length > 0 && counties.every((c) => c.includes(target.countyName)) && categories.every((c) => c === 'dibao');
      })
      .toBe(true);
    const expected = await getJson<HouseholdList>(`${base}/api/v1/households?region=${target.countyCode}&category=dibao&pageSize=20`);
    await expect.poll(() => page.getByTestId('list-total').innerText()).toContain(String(expected.total));
    await expect.poll(() => page.getByTestId('summary-dibao-count').innerText()).toBe(String(expected.total));
    await expect.poll(() => rows.first().locator('[data-testid=cell-payment]').innerText()).toMatch(/^¥[\d,]+\.\d{2}$/);
    await shot('02-list-filtered');

    // A link reproduces the view.
    const filteredUrl = page.url();
    await page.reload();
    await waitForQuery({ region: target.countyCode, category: 'dibao' });
    expect(page.url()).toBe(filteredUrl);
    await rows.first().waitFor();

    // 3. Open the first household.
    const headName = await rows.first().locator('[data-testid=cell-head]').innerText();
    await rows.first().locator('[data-testid=cell-village]').click();
    await page.waitForURL(/\/households\/[0-9a-f-]{36}$/);
    await page.getByTestId('household-page').waitFor();
    await expect.poll(() => page.getByTestId('household-title').innerText()).toContain(headName);
    await expect.poll(() => page.getByTestId('region-path').innerText()).toContain(target.countyName);
    await expect.poll(() => page.getByTestId('region-path').innerText()).toMatch(/^浙江省\s*›\s*/);
    await expect.poll(() => page.getByTestId('members-table').locator('tbody tr.ant-table-row').count()).toBeGreaterThan(0);
    await expect.poll(() => page.getByTestId('classification-category').innerText()).toBe('低保');
    await expect.poll(() => page.getByTestId('classification-payment').innerText()).toMatch(/^¥[\d,]+\.\d{2}$/);

    // The trace, as a checklist with parameter provenance.
    const dibaoStep = page.getByTestId('trace').getByText(/人均月收入 \d+\.\d{2} 元 < 低保标准 1149\.00 元 ✓/);
    await expect.poll(() => dibaoStep.isVisible()).toBe(true);
    const dibaoRow = page.getByTestId('trace').locator('[data-testid=trace-step][data-rule="dibao.income_below_standard"]');
    expect(await dibaoRow.getAttribute('data-passed')).toBe('true');
    const param = dibaoRow.locator('[data-testid=trace-param]').first();
    expect(await param.getAttribute('data-region')).toMatch(/^\d{2,6}$/);
    expect(await param.getAttribute('data-effective-from')).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    await expect.poll(() => param.innerText()).toContain('低保标准');
    await expect.poll(() => page.locator('[data-testid=trace-step][data-passed=false]').count()).toBeGreaterThan(0);
    await shot('03-household-zh');
    await shotOf('classification-card', '03b-classification-zh');

    // Income records carry their source department.
    await expect.poll(() => page.getByTestId('incomes-table').locator('[data-testid=source-dept]').count()).toBeGreaterThan(0);

    // 4. Re-classify: a new result joins the history.
    const historyRows = page.getByTestId('classification-history').locator('tbody tr.ant-table-row');
    await expect.poll(() => historyRows.count()).toBeGreaterThan(0);
    const before = await historyRows.count();
    await page.getByTestId('reclassify').click();
    await expect.poll(() => historyRows.count()).toBe(before + 1);
    const toast = page.locator('.ant-message-notice');
    await expect.poll(() => toast.innerText()).toBe('已重新认定：低保');
    await expect.poll(() => toast.count(), { timeout: 10_000 }).toBe(0);
    await expect.poll(() => page.getByTestId('classification-category').innerText()).toBe('低保');

    // 5. English.
    await page.getByTestId('lang-switch').getByText('English').click();
    const enStep = page.getByTestId('trace').getByText(/income per person per month \d+\.\d{2} yuan < dibao standard 1149\.00 yuan ✓/);
    await expect.poll(() => enStep.isVisible()).toBe(true);
    await expect.poll(() => page.getByTestId('classification-category').innerText()).toBe('Dibao');
    await expect.poll(() => page.getByTestId('app-name').innerText()).toContain('Zhongfu');
    await expect.poll(() => page.getByText('Re-classify').isVisible()).toBe(true);
    await shot('04-household-en');

    await page.getByTestId('back-to-list').click();
    await page.getByTestId('household-table').locator('tbody tr.ant-table-row').first().waitFor();
    await expect.poll(() => page.getByTestId('list-total').innerText()).toMatch(/households$/);
    await shot('05-list-en');

    // 6. Back to Chinese; an unknown household shows 未找到该家庭.
    await page.getByTestId('lang-switch').getByText('中文').click();
    await page.goto(`${base}/households/00000000-0000-4000-8000-000000000000`);
    await expect.poll(() => page.getByTestId('not-found').innerText()).toBe('未找到该家庭');
    await shot('06-not-found');

    expect(pageErrors).toEqual([]);
  });

  it("shows the server's error message when a request fails", async () => {
    const base = server!.baseUrl;
    const body = JSON.stringify({ error: { code: 'INTERNAL', message: '数据库暂时不可用' } });
    await page.route('**/api/v1/households?**', (route) => route.fulfill({ status: 500, contentType: 'application/json', body }));
    try {
      await page.goto(`${base}/households?category=marginal`);
      await expect.poll(() => page.getByTestId('error').innerText()).toContain('数据库暂时不可用');
      await shot('07-list-error');
    } finally {
      await page.unroute('**/api/v1/households?**');
    }
    expect(pageErrors).toEqual([]);
  });
});
