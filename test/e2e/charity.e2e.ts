/**
 * Charity matching through the web app, against a real server with a demo population (monitoring
 * runs at start, so households have risk states and the portrait has something to derive):
 * a charity submits a project, the county consortium approves it, the charity publishes it, the
 * consortium derives the county's needs and runs the matching (optimum vs first come, first
 * served, an explanation per need), the charity accepts a referral (household masked) and records
 * the delivery, and the household's plan on its page shows the delivered help.
 * Screenshots go to test/e2e/screenshots/charity-*.png.
 */
import { mkdirSync } from 'node:fs';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiLogin, ensureWebBuild, newDesktopPage, launchChromium, screenshot, SCREENSHOTS, signIn, startServer, type DemoAccount, type RunningServer } from './support.js';

let server: RunningServer | undefined;
let browser: Browser | undefined;
const contexts: BrowserContext[] = [];
const pageErrors: string[] = [];

function account(role: string): DemoAccount {
  const a = server!.accounts.get(role);
  if (!a) throw new Error(`the server printed no demo account for ${role}:\n${server!.output().slice(-3000)}`);
  return a;
}

/** A fresh browser context signed in as the role, on the given page of the app. */
async function as(role: string, path: string): Promise<Page> {
  const { context, page } = await newDesktopPage(browser!, pageErrors);
  contexts.push(context);
  await page.goto(`${server!.baseUrl}${path}`);
  await signIn(page, account(role));
  await page.goto(`${server!.baseUrl}${path}`);
  return page;
}

describe('charity matching journey', () => {
  beforeAll(async () => {
    mkdirSync(SCREENSHOTS, { recursive: true });
    ensureWebBuild();
    server = await startServer(600, 540_000);
    browser = await launchChromium();
  });
  afterAll(async () => {
    for (const c of contexts) await c.close();
    await browser?.close();
    await server?.stop();
  });

  it('project → approve → publish → needs → matching → accept → delivery → the household plan shows it', async () => {
    const base = server!.baseUrl;
    const charityAcc = account('charity_staff');
    const coordAcc = account('consortium_coordinator');
    const county = coordAcc.scope;
    // The charity's draft (the form is exercised in the portal below only for its validation message).
    const charityApi = await apiLogin(base, charityAcc);
    const project = await charityApi.postJson<{ id: string }>('/api/v1/charity/projects', {
      title: '春风助困行动', brand: '春风', description: '住房修缮、医疗、照护与助学', categories: ['basic_living', 'income', 'medical', 'education', 'housing', 'care', 'employment'],
      eligibility: { regionCode: county }, capacity: 8, budgetFen: 60_000_00, costPerBeneficiaryFen: 8_000_00, startsOn: '2026-01-01', endsOn: '2027-12-31',
    });

    expect(project.id).toMatch(/^[0-9a-f-]{36}$/);
    // The charity submits its draft in the portal.
    const charity = await as('charity_staff', '/charity');
    await charity.getByTestId('charity-portal').waitFor();
    await charity.getByTestId('project-submit').first().click();
    await charity.getByTestId('project-status-submitted').first().waitFor();
    await screenshot(charity, 'charity-1-portal-submitted');

    // The consortium approves it; the charity publishes it.
    const coord = await as('consortium_coordinator', '/consortium');
    await coord.getByTestId('consortium-page').waitFor();
    await coord.getByTestId('tab-projects').click();
    await coord.getByTestId('project-approve').first().click();
    await coord.getByTestId('project-status-approved').first().waitFor();
    await charity.reload();
    await charity.getByTestId('project-publish').first().click();
    await charity.getByTestId('project-status-published').first().waitFor();

    // Needs are derived for the county, then the matching runs.
    await coord.getByRole('tab', { name: /需求看板/ }).click();
    await coord.getByTestId('derive-needs').click();
    await expect.poll(async () => coord.getByTestId('needs-board').locator('tbody tr').count()).toBeGreaterThan(1);
    await screenshot(coord, 'charity-2-needs-board');
    await coord.getByTestId('tab-matching').click();
    await coord.getByTestId('run-matching').click();
    await coord.getByTestId('run-view').waitFor();
    await expect.poll(async () => coord.getByTestId('run-results').locator('tbody tr').count()).toBeGreaterThan(0);
    await screenshot(coord, 'charity-3-matching-run');
    const coordApi = await apiLogin(base, coordAcc);
    const runs = await coordApi.getJson<{ items: { id: string; objective: number; greedyObjective: number; matched: number; needs: number }[] }>('/api/v1/charity/matching-runs');
    const run = runs.items[0]!;
    expect(run.matched).toBeGreaterThan(0);
    expect(run.objective).toBeGreaterThanOrEqual(run.greedyObjective);
    console.log(`[e2e] matching in ${county}: ${run.matched}/${run.needs} needs matched; objective ${run.objective} vs first come first served ${run.greedyObjective}`);

    // The charity accepts a referral and records its delivery.
    await charity.reload();
    await charity.getByTestId('tab-referrals').click();
    await charity.getByTestId('referral-accept').first().click();
    await charity.getByTestId('referral-status-accepted').first().waitFor();
    await charity.getByTestId('referral-deliver').first().click();
    const form = charity.getByTestId('delivery-form');
    await form.getByTestId('delivery-date').click();
    await charity.keyboard.type('2026-11-28');
    await charity.keyboard.press('Enter');
    await form.getByTestId('delivery-amount').fill('6000');
    await form.getByTestId('delivery-items').fill('屋顶修缮材料');
    await form.getByTestId('delivery-hours').fill('12');
    await charity.getByRole('button', { name: /保\s*存/ }).click();
    await charity.getByTestId('referral-status-delivered').first().waitFor();
    await screenshot(charity, 'charity-4-referral-delivered');
    const body = await charity.locator('body').innerText();
    expect(body).not.toMatch(/(?<![0-9])[1-9]\d{5}(?:19|20)\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])\d{3}[\dXx](?![0-9])/);

    // The household's plan shows the delivered referral.
    const delivered = (await charityApi.getJson<{ items: { householdId: string; status: string }[] }>('/api/v1/charity/referrals')).items.find((r) => r.status === 'delivered')!;
    const officer = await as('county_officer', `/households/${delivered.householdId}`);
    await officer.getByTestId('plan-card').waitFor();
    await expect.poll(async () => officer.getByTestId('plan-referral').filter({ hasText: '已交付' }).count()).toBeGreaterThan(0);
    await officer.getByTestId('plan-card').scrollIntoViewIfNeeded();
    await screenshot(officer, 'charity-5-household-plan');
    expect(pageErrors).toEqual([]);
  });
});
