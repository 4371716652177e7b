import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { businessRow, insertBusinesses } from '../../src/modules/map1193/testing.ts';
import { browserUnavailable, formatViolations, runAxe, setupBrowserSuite } from '../helpers/browser.ts';
import { createStaff, signIn, type SignedIn } from '../helpers/staff.ts';

// MAP1193's staff pages (inspections, days of action, the volunteer's route, the dashboard) in
// Chromium: axe-clean, and the forms work with JavaScript switched off.
describe.skipIf(browserUnavailable())('MAP1193 console pages in Chromium', () => {
  const s = setupBrowserSuite();
  const contexts: Record<string, BrowserContext> = {};
  const paths: Record<string, string> = {};

  async function contextFor(session: SignedIn, script = true): Promise<BrowserContext> {
    const [name, value] = session.cookie.split('=') as [string, string];
    const context = await s.browser.newContext({ javaScriptEnabled: script });
    await context.addCookies([{ name, value, url: s.baseUrl }]);
    return context;
  }

  beforeAll(async () => {
    const site = s.site;
    site.clock.set(new Date());
    const [motel] = await insertBusinesses(site.app.services.db, [
      businessRow({ name: 'Axe Motel', city: 'Axeville', status: 'reported_missing', lastReportAt: new Date(Date.now() - 5 * 86_400_000).toISOString() }),
      businessRow({ name: 'Axe Bar', city: 'Axeville', category: 'bar', status: 'verified_compliant' }),
    ]);
    const inspector = await signIn(site, await createStaff(site, ['compliance_inspector']));
    const coordinator = await signIn(site, await createStaff(site, ['outreach_coordinator']));
    const admin = await signIn(site, await createStaff(site, ['administrator']));
    const volunteer = await createStaff(site, ['volunteer'], { email: 'axe-volunteer@example.org' });
    await inspector.post(`/console/map1193/inspections/${motel!.id}/step`, { action: 'visit_violation', notes: 'No notice' });
    await inspector.post(`/console/map1193/inspections/${motel!.id}/step`, { action: 'send_notice' });
    const noticeId = (await site.app.services.db.selectFrom('mapNotices').select('id').executeTakeFirstOrThrow()).id;
    const created = await coordinator.post('/console/map1193/days', { day: '2099-01-01', title: 'Axe day', cities: 'Axeville', teams: 'Axe team: axe-volunteer@example.org' }, '/console/map1193/days');
    expect(created.statusCode).toBe(303);
    const volunteerSession = await signIn(site, volunteer);
    const route = await volunteerSession.get('/console/map1193/my-route');
    const stop = /\/console\/map1193\/my-route\/([A-Za-z0-9_-]+)"/.exec(route.body)![1]!;
    Object.assign(paths, {
      queue: '/console/map1193/inspections',
      case: `/console/map1193/inspections/${motel!.id}`,
      notice: `/console/map1193/notices/${noticeId}`,
      days: '/console/map1193/days',
      progress: String(created.headers.location),
      dashboard: '/console/map1193/dashboard',
      route: '/console/map1193/my-route',
      stop: `/console/map1193/my-route/${stop}`,
      import: '/console/map1193/import',
      volunteerReport: `/console/map1193/businesses/${motel!.id}/report`,
      rules: '/console/map1193/rules',
      alerts: '/console/map1193/alerts',
      eventReport: `${String(created.headers.location)}/report`,
      noticeRule: '/console/map1193/rules/notice',
      categoryRule: '/console/map1193/rules/categories/massage',
      newCategory: '/console/map1193/rules/categories/new',
    });
    contexts.admin = await contextFor(admin);
    contexts.inspector = await contextFor(inspector);
    contexts.coordinator = await contextFor(coordinator);
    contexts.volunteer = await contextFor(volunteerSession);
    contexts.volunteerNoScript = await contextFor(volunteerSession, false);
  });
  afterAll(async () => {
    for (const c of Object.values(contexts)) await c.close();
  });

  async function open(who: string, path: string, status = 200): Promise<Page> {
    const page = await contexts[who]!.newPage();
    const response = await page.goto(s.baseUrl + path);
    expect(response?.status(), path).toBe(status);
    return page;
  }

  async function expectAxeClean(page: Page): Promise<void> {
    const violations = await runAxe(page);
    expect(violations, formatViolations(violations)).toEqual([]);
  }

  test.each([
    ['inspector', 'queue'],
    ['inspector', 'case'],
    ['inspector', 'notice'],
    ['inspector', 'dashboard'],
    ['coordinator', 'days'],
    ['coordinator', 'progress'],
    ['volunteer', 'route'],
    ['volunteer', 'stop'],
    ['inspector', 'import'],
    ['volunteer', 'volunteerReport'],
    ['admin', 'rules'],
    ['admin', 'noticeRule'],
    ['admin', 'categoryRule'],
    ['admin', 'newCategory'],
    ['inspector', 'alerts'],
    ['coordinator', 'eventReport'],
  ])('%s: the %s page is axe-clean', async (who, name) => {
    const page = await open(who, paths[name]!);
    await expectAxeClean(page);
    await page.close();
  });

  test('the new kind of business form with errors is axe-clean (422) and keeps what was typed', async () => {
    const page = await open('admin', paths.newCategory!);
    await page.getByLabel('Code').fill('Not A Code');
    await page.getByLabel('Name in English').fill('Disaster site');
    await page.getByRole('button', { name: 'Add the kind of business' }).click();
    await page.waitForLoadState();
    expect(await page.locator('#error-summary').count()).toBe(1);
    expect(await page.getByLabel('Name in English').inputValue()).toBe('Disaster site');
    await expectAxeClean(page);
    await page.close();
  });

  test('a day of action form with errors is axe-clean (422)', async () => {
    const page = await open('coordinator', paths.days!);
    await page.getByRole('button', { name: 'Create the day of action' }).click();
    await page.waitForLoadState();
    expect(await page.locator('#teams-error').isVisible()).toBe(true);
    await expectAxeClean(page);
    await page.close();
  });

  test('refused forms (an import without a file, a rule starting too early, a bad visit photo) are axe-clean', async () => {
    const importPage = await open('inspector', paths.import!);
    await importPage.getByLabel('Source name').fill('axe-source');
    await importPage.getByRole('button', { name: 'Import' }).click();
    await importPage.waitForSelector('#file-error');
    expect(await importPage.getByLabel('Source name').inputValue()).toBe('axe-source');
    await expectAxeClean(importPage);

    const rule = await open('admin', paths.noticeRule!);
    await rule.getByLabel('In force from').fill('2001-01-01');
    await rule.getByLabel('Bill or source').fill('AB 1');
    await rule.getByRole('button', { name: 'Save the amendment' }).click();
    await rule.waitForSelector('#effectiveFrom-error');
    await expectAxeClean(rule);

    const visit = await open('inspector', paths.case!);
    await visit.getByLabel('Notes (optional, staff only)').fill('Looked twice');
    await visit.setInputFiles('#photos', { name: 'notice.jpg', mimeType: 'image/jpeg', buffer: Buffer.from('not a photo') });
    await visit.locator('button[name="action"]').first().click();
    await visit.waitForSelector('#photos-error');
    expect(await visit.getByLabel('Notes (optional, staff only)').inputValue()).toBe('Looked twice');
    await expectAxeClean(visit);
  });

  test('a volunteer reports from their route without JavaScript', async () => {
    const page = await open('volunteerNoScript', paths.stop!);
    await page.getByLabel('No, I could not find it').check();
    await page.getByRole('button', { name: 'Send report' }).click();
    await page.waitForURL(/my-route\?done=1/);
    expect(await page.getByText('Report recorded. Thank you.').isVisible()).toBe(true);
    expect(await page.locator('main, body').first().innerText()).toContain('reported');
    await page.close();
  });
});
