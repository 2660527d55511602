/**
 * The benefit ledger through the web app, against a real server with a demo population (the demo
 * ledger plants duplicates, and `start` runs the check): an auditor signs in, opens the findings
 * list filtered to "dibao in two places", opens a finding whose second source mistyped the ID
 * number (linked by record linkage), reviews the pair side by side — masked, with each field's
 * agreement level and weight — confirms it with a recovery amount and department, and sees it
 * confirmed; the household page shows the ledger as one timeline. No full ID number is shown.
 * Screenshots go to test/e2e/screenshots/.
 */
import { mkdirSync } from 'node:fs';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FindingListSchema } from '../../src/contracts/index.js';
import type { z } from 'zod';
import { RESIDENT_ID_PATTERN } from '../../src/core/security/index.js';
import { apiLogin, ensureWebBuild, newDesktopPage, launchChromium, screenshot, SCREENSHOTS, signIn, startServer, type DemoAccount, type RunningServer } from './support.js';

type FindingList = z.infer<typeof FindingListSchema>;

let server: RunningServer | undefined;
let browser: Browser | undefined;
let context: BrowserContext | undefined;
let page: Page;
const pageErrors: string[] = [];

const account = (role: string): DemoAccount => server!.account(role);

const fullIdShown = async (): Promise<boolean> => new RegExp(RESIDENT_ID_PATTERN.source).test(await page.locator('body').innerText());

describe('benefit ledger: an auditor reviews and confirms a duplicate', () => {
  beforeAll(async () => {
    mkdirSync(SCREENSHOTS, { recursive: true });
    ensureWebBuild();
    server = await startServer(1500, 540_000);
    browser = await launchChromium();
    ({ context, page } = await newDesktopPage(browser, pageErrors));
  });

  afterAll(async () => {
    await context?.close();
    await browser?.close();
    await server?.stop();
  });

  it('lists, reviews the pair and confirms', async () => {
    const auditor = account('auditor');
    // Which finding to open: one in the auditor's area whose records were linked by probability (an ID typo).
    const api = await apiLogin(server!.baseUrl, auditor);
    const list = await api.getJson<FindingList>('/api/v1/ledger/findings?kind=dibao_two_places&status=open&pageSize=200');
    await api.logout();
    expect(list.total).toBeGreaterThan(0);
    const target = list.items.find((f) => f.minLinkProbability !== null) ?? list.items[0]!;

    await page.goto(`${server!.baseUrl}/login`);
    await signIn(page, auditor);
    await page.getByRole('menuitem', { name: '重复救助核查' }).click();
    await page.getByTestId('findings-table').waitFor();
    await page.getByTestId('filter-kind').click();
    await page.getByTitle('异地重复享受低保').click();
    await page.waitForURL(/kind=dibao_two_places/);
    await page.locator('[data-testid=findings-table] .ant-table-row').first().waitFor();
    expect(await page.getByTestId('finding-kind').allInnerTexts()).toEqual(expect.arrayContaining(['异地重复享受低保']));
    await screenshot(page, 'ledger-findings');
    expect(await fullIdShown()).toBe(false);

    await page.goto(`${server!.baseUrl}/ledger/findings/${target.id}`);
    await page.getByTestId('finding-page').waitFor();
    await page.getByTestId('finding-side-1').waitFor();
    await page.getByTestId('finding-side-2').waitFor();
    if (target.minLinkProbability !== null) {
      await page.getByTestId('link-explanation').first().waitFor();
      expect(await page.getByTestId('level-id_number').first().innerText()).toBe('差一位且一方有效（录入错误）');
    }
    expect(await fullIdShown()).toBe(false);
    await screenshot(page, 'ledger-pair-review');

    await page.getByTestId('finding-decision').getByText('确认重复').click();
    // A form that fails validation shows it on the field and is not a page error.
    await page.getByTestId('recovery-department').fill('');
    await page.getByTestId('submit-decision').click();
    await page.getByTestId('finding-decision').locator('.ant-form-item-explain-error').first().waitFor();
    expect(await page.getByTestId('finding-status').first().innerText()).toBe('待核查');
    await page.getByTestId('recovery-department').fill('civil_affairs');
    await page.getByTestId('submit-decision').click();
    await page.getByTestId('finding-resolution').waitFor();
    expect(await page.getByTestId('finding-status').first().innerText()).toBe('已确认');
    await screenshot(page, 'ledger-confirmed');

    // The household's ledger: one timeline, with the confirmed duplicate's records in it.
    await page.getByTestId('finding-household').click();
    await page.getByTestId('ledger-card').waitFor();
    await page.locator('[data-testid=ledger-table] .ant-table-row').first().waitFor();
    expect(await page.getByTestId('link-probabilistic').count()).toBeGreaterThanOrEqual(target.minLinkProbability !== null ? 1 : 0);
    await page.getByTestId('ledger-card').scrollIntoViewIfNeeded();
    await screenshot(page, 'ledger-household', { clipTo: 'ledger-card' });
    expect(await fullIdShown()).toBe(false);
    expect(pageErrors).toEqual([]);
  });
});
