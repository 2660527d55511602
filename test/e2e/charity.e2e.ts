/**
 * Charity matching through the web app, against a real server with a demo population (monitoring
 * runs at start, so households have risk states and the portrait has something to derive):
 * a charity submits a project, the county consortium approves it, the charity publishes it, the
 * consortium derives the county's needs and runs the matching (optimum vs first come, first
 * served, an explanation per need), the charity accepts a referral (household masked) and records
 * the delivery, and the household's plan on its page shows the delivered help; a county officer then
 * adds a need from a visit and closes it with a reason, and adds a department task to the plan
 * (the plan's version goes up), on desktop and on a 375 px phone (no sideways scroll).
 * Before submitting, the charity sets an eligibility criterion on its draft through the project form.
 * Screenshots go to test/e2e/screenshots/charity-*.png.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  apiLogin, ensureWebBuild, horizontalOverflow, newDesktopPage, launchChromium, screenshot, SCREENSHOTS, signIn, startServer, type DemoAccount, type RunningServer, pickOption,
} from './support.js';

let server: RunningServer | undefined;
let browser: Browser | undefined;
const contexts: BrowserContext[] = [];
const pageErrors: string[] = [];

const account = (role: string): DemoAccount => server!.account(role);

/** A fresh browser context signed in as the role, on the given page of the app. */
async function as(role: string, path: string): Promise<Page> {
  const { context, page } = await newDesktopPage(browser!, pageErrors);
  contexts.push(context);
  await page.goto(`${server!.baseUrl}${path}`);
  await signIn(page, account(role));
  await page.goto(`${server!.baseUrl}${path}`);
  return page;
}


/** The open dialog's save button (antd spaces two CJK characters: 保 存). */
const saveButton = (page: Page) => page.getByRole('dialog').getByRole('button', { name: /^保\s*存$/ });

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

  it('project → approve → publish → needs → matching → accept → delivery → the household plan shows it → a worker edits needs and the plan', async () => {
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
    // The draft's eligibility through the form: a minimum risk level of green excludes nobody (every household is at least green).
    await charity.getByTestId('project-edit').first().click();
    await charity.getByTestId('project-form').waitFor();
    await pickOption(charity, 'project-min-risk', '绿色');
    await charity.screenshot({ path: join(SCREENSHOTS, 'charity-0-project-form.png') });
    await saveButton(charity).click();
    await expect.poll(async () => charity.getByTestId('project-eligibility').first().innerText()).toContain('风险≥绿色');
    const edited = (await charityApi.getJson<{ items: { id: string; eligibility: { minRiskLevel: string | null; householdCategories: string[] } }[] }>('/api/v1/charity/projects')).items.find((p) => p.id === project.id)!;
    expect(edited.eligibility).toMatchObject({ minRiskLevel: 'green', householdCategories: [] });
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

    // The project's places and budget in use: the delivery (6,000 of the 8,000 per beneficiary) is used, the open referrals reserve the cost.
    type ProjectUse = { id: string; places: number; placesTaken: number; placesLeft: number; budgetUsedFen: number; budgetReservedFen: number; budgetRemainingFen: number };
    const use = (await charityApi.getJson<{ items: ProjectUse[] }>('/api/v1/charity/projects')).items.find((p) => p.id === project.id)!;
    const open = use.placesTaken - 1;
    expect(use).toMatchObject({ budgetUsedFen: 6_000_00, budgetReservedFen: open * 8_000_00, budgetRemainingFen: 60_000_00 - 6_000_00 - open * 8_000_00, places: use.placesTaken + use.placesLeft });
    await charity.reload();
    const projectRow = charity.getByTestId('project-table').locator('.ant-table-row').filter({ hasText: '春风助困行动' });
    await projectRow.getByTestId('project-budget-use').waitFor();
    expect(await projectRow.getByTestId('project-budget-used').innerText()).toBe('已用 ¥6,000.00');
    expect(await projectRow.getByTestId('project-budget-reserved').innerText()).toContain(`预留 ¥${(open * 8_000).toLocaleString('en-US')}.00`);
    expect(await projectRow.getByTestId('project-places').innerText()).toContain(`${use.placesTaken} / ${use.places}`);
    expect(await projectRow.getByTestId('project-places').innerText()).toContain(`尚可匹配 ${use.placesLeft}`);
    await screenshot(charity, 'charity-12-project-budget', { clipTo: 'project-table' });

    // The household's plan shows the delivered referral.
    const delivered = (await charityApi.getJson<{ items: { householdId: string; status: string }[] }>('/api/v1/charity/referrals')).items.find((r) => r.status === 'delivered')!;
    const officer = await as('county_officer', `/households/${delivered.householdId}`);
    await officer.getByTestId('plan-card').waitFor();
    await expect.poll(async () => officer.getByTestId('plan-referral').filter({ hasText: '已交付' }).count()).toBeGreaterThan(0);
    await officer.getByTestId('plan-card').scrollIntoViewIfNeeded();
    await screenshot(officer, 'charity-5-household-plan');
    // The delivery in the household's benefit ledger names the organisation, not its code.
    const profile = await charityApi.getJson<{ id: string; name: string; creditCode: string | null }>('/api/v1/charity/profile');
    await officer.getByTestId('ledger-card').scrollIntoViewIfNeeded();
    await officer.getByTestId('ledger-provider').filter({ hasText: profile.name }).first().waitFor();
    const ledgerText = await officer.getByTestId('ledger-card').innerText();
    expect(ledgerText).not.toContain(profile.creditCode?.toLowerCase() ?? `org-${profile.id}`);
    await screenshot(officer, 'charity-13-ledger-delivery', { clipTo: 'ledger-card' });

    // The officer (needs.write) adds a need from a visit, closes it with a reason, and adds a department task to the plan.
    const officerApi = await apiLogin(base, account('county_officer'));
    const planPath = `/api/v1/households/${delivered.householdId}/plan`;
    const before = await officerApi.getJson<{ version: number }>(planPath);
    await officer.getByTestId('add-need').click();
    await officer.getByTestId('need-form').waitFor();
    await pickOption(officer, 'need-category', '心理关爱');
    await pickOption(officer, 'need-severity-select', '2 · 较重');
    await officer.getByTestId('need-finding').fill('走访发现老人近来情绪低落');
    await saveButton(officer).click();
    const workerNeed = officer.getByTestId('need-row').filter({ hasText: '走访发现老人近来情绪低落' });
    await workerNeed.waitFor();
    expect(await workerNeed.getAttribute('data-status')).toBe('open');
    await workerNeed.getByTestId('need-close').click();
    await saveButton(officer).click();
    await officer.getByText('请填写理由').waitFor();
    await officer.getByTestId('need-reason').fill('已转介社区心理服务站跟进');
    await saveButton(officer).click();
    await expect.poll(async () => workerNeed.getAttribute('data-status')).toBe('closed');
    expect(await workerNeed.getByTestId('need-reason-text').innerText()).toContain('已转介社区心理服务站跟进');

    await officer.getByTestId('edit-plan').click();
    await officer.getByTestId('plan-form').waitFor();
    await officer.getByTestId('add-task').click();
    const row = officer.getByTestId('plan-task-row').last();
    await row.getByTestId('task-department').fill('县医保局');
    await row.getByTestId('task-text').fill('办理医疗救助一站式结算');
    await row.getByTestId('task-due-on').click();
    await officer.keyboard.type('2027-01-15');
    await officer.keyboard.press('Enter');
    await officer.getByTestId('plan-note').fill('新增医保局医疗救助任务');
    await officer.screenshot({ path: join(SCREENSHOTS, 'charity-7-plan-drawer.png') });
    await officer.getByTestId('plan-save').click();
    await expect.poll(async () => officer.getByTestId('plan-version').getAttribute('data-version')).toBe(String(before.version + 1));
    await expect.poll(async () => officer.getByTestId('plan-task').filter({ hasText: '办理医疗救助一站式结算' }).count()).toBe(1);
    const after = await officerApi.getJson<{ version: number; tasks: { department: string; task: string; dueOn: string; status: string }[]; versions: { version: number; note: string | null }[] }>(planPath);
    expect(after.version).toBe(before.version + 1);
    expect(after.tasks).toContainEqual(expect.objectContaining({ department: '县医保局', task: '办理医疗救助一站式结算', dueOn: '2027-01-15', status: 'todo' }));
    expect(after.versions[0]).toMatchObject({ version: before.version + 1, note: '新增医保局医疗救助任务' });
    await officer.getByTestId('plan-versions').getByText(/版本记录/).click();
    await officer.getByTestId('plan-version-row').filter({ hasText: '新增医保局医疗救助任务' }).waitFor();
    await screenshot(officer, 'charity-6-household-portrait-plan', { clipTo: 'portrait-card' });
    await screenshot(officer, 'charity-8-household-plan-edited', { clipTo: 'plan-card' });

    // On a 375 px phone the cards fit the screen: no sideways scroll.
    await officer.setViewportSize({ width: 375, height: 812 });
    await officer.getByTestId('plan-card').scrollIntoViewIfNeeded();
    await officer.waitForTimeout(300);
    expect(await horizontalOverflow(officer)).toBe(0);
    for (const card of ['portrait-card', 'plan-card']) {
      const box = (await officer.getByTestId(card).boundingBox())!;
      expect({ card, right: Math.ceil(box.x + box.width) <= 375 }).toEqual({ card, right: true });
    }
    await screenshot(officer, 'charity-9-portrait-375', { clipTo: 'portrait-card' });
    await screenshot(officer, 'charity-10-plan-375', { clipTo: 'plan-card' });
    // The plan drawer takes the whole phone width, its task rows wrapped.
    await officer.getByTestId('edit-plan').click();
    await officer.getByTestId('plan-form').waitFor();
    await officer.waitForTimeout(400);
    await officer.screenshot({ path: join(SCREENSHOTS, 'charity-11-plan-drawer-375.png') });
    expect(await officer.evaluate(() => { const el = document.querySelector('[data-testid="plan-form"]'); return el ? el.scrollWidth <= el.clientWidth : false; })).toBe(true);
    await officer.getByRole('dialog').getByRole('button', { name: /^取\s*消$/ }).click();
    expect(pageErrors).toEqual([]);
  }, 360_000); // two minutes when idle; more on a busy 2-core machine
});
