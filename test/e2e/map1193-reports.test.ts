import type { Page } from 'playwright-core';
import { describe, expect, test } from 'vitest';
import { businessRow, insertBusinesses } from '../../src/modules/map1193/testing.ts';
import { browserUnavailable, formatViolations, runAxe, setupBrowserSuite } from '../helpers/browser.ts';
import { createStaff, signIn } from '../helpers/staff.ts';

const NARROW = { width: 320, height: 640 };

// A report from a phone with JavaScript off, at 320 px: the form with its deficiencies, the
// thank-you page with the outcome code, and the public status page the code opens. Axe-clean,
// no sideways scroll, in English and Spanish; and the console pages that answer the reports.
describe.skipIf(browserUnavailable())('MAP1193 reports and outcomes in Chromium', () => {
  const s = setupBrowserSuite();

  async function expectNarrowAndClean(page: Page, what: string): Promise<void> {
    const width = await page.evaluate(() => document.documentElement.scrollWidth);
    expect(width, `${what} is ${width} px wide`).toBeLessThanOrEqual(NARROW.width);
    const violations = await runAxe(page);
    expect(violations, `${what}:\n${formatViolations(violations)}`).toEqual([]);
  }

  test.each([
    ['', 'Send report', 'The Spanish version is missing', 'Your report code', 'Report code', 'Check', 'The office followed up.'],
    ['/es', 'Enviar reporte', 'Falta la versión en español', 'Su código de reporte', 'Código de reporte', 'Consultar', 'La oficina dio seguimiento.'],
  ])('locale "%s": report, get a code, look up the outcome, each page axe-clean at 320 px', async (prefix, send, spanishMissing, codeHeading, codeLabel, check, followedUp) => {
    const site = s.site;
    site.clock.set(new Date());
    const [business] = await insertBusinesses(site.app.services.db, [businessRow({ name: `Narrow Truck Stop ${prefix || 'en'}`, category: 'truck_stop' })]);
    // axe runs as a script in the page, so these pages are checked with JavaScript on; the
    // pages have no script of their own, and the test below sends the form with it off.
    const page = await s.newPage({ viewport: NARROW });
    await page.goto(`${s.baseUrl}${prefix}/map1193/businesses/${business!.id}`);
    await expectNarrowAndClean(page, 'business page');

    await page.locator('input[name="observed"][value="wrong"]').check();
    await page.getByLabel(spanishMissing).check();
    await page.locator('input[name="problems"][value="hotline_wrong"]').check();
    await page.getByRole('button', { name: send }).click();
    await page.waitForLoadState();
    expect(await page.getByRole('heading', { name: codeHeading }).isVisible()).toBe(true);
    const code = (await page.locator('.report-code strong').innerText()).trim();
    expect(code).toMatch(/^[0-9A-Z]{5}-[0-9A-Z]{5}$/);
    await expectNarrowAndClean(page, 'thank-you page');

    const inspector = await signIn(site, await createStaff(site, ['compliance_inspector']));
    expect((await inspector.post(`/console/map1193/inspections/${business!.id}/step`, { action: 'visit_violation', notes: '' })).statusCode).toBe(303);

    await page.goto(`${s.baseUrl}${prefix}/map1193/report-status`);
    await expectNarrowAndClean(page, 'status form');
    await page.getByLabel(codeLabel).fill(code.toLowerCase());
    await page.getByRole('button', { name: check, exact: true }).click();
    await page.waitForLoadState();
    expect(await page.locator('main').innerText()).toContain(followedUp);
    await expectNarrowAndClean(page, 'status result');

    await page.goto(`${s.baseUrl}${prefix}/map1193/businesses/${business!.id}`);
    await expectNarrowAndClean(page, 'business page with a report');
  });

  test('a wrong code comes back with its message, axe-clean at 320 px', async () => {
    const page = await s.newPage({ viewport: NARROW });
    await page.goto(`${s.baseUrl}/map1193/report-status`);
    await page.getByLabel('Report code').fill('ZZZZZ-ZZZZZ');
    await page.getByRole('button', { name: 'Check', exact: true }).click();
    await page.waitForLoadState();
    expect(await page.locator('main').innerText()).toContain('No report has this code.');
    await expectNarrowAndClean(page, 'wrong code');
  });

  test('with JavaScript off, a report is sent and its code shown, and the code opens the outcome', async () => {
    const [business] = await insertBusinesses(s.site.app.services.db, [businessRow({ name: 'Scriptless Motel', category: 'truck_stop' })]);
    const page = await s.newPage({ viewport: NARROW, javaScriptEnabled: false });
    await page.goto(`${s.baseUrl}/map1193/businesses/${business!.id}`);
    await page.locator('input[name="observed"][value="closed"]').check();
    await page.getByRole('button', { name: 'Send report' }).click();
    await page.waitForLoadState();
    const code = (await page.locator('.report-code strong').innerText()).trim();
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(NARROW.width);
    await page.goto(`${s.baseUrl}/map1193/report-status`);
    await page.getByLabel('Report code').fill(code);
    await page.getByRole('button', { name: 'Check', exact: true }).click();
    await page.waitForLoadState();
    expect(await page.locator('main').innerText()).toContain("Passed to the office's data team");
  });

  test('the volunteer list and the data-quality queue are axe-clean', async () => {
    const site = s.site;
    const [closed] = await insertBusinesses(site.app.services.db, [businessRow({ name: 'Closed Diner', category: 'truck_stop' })]);
    const volunteerStaff = await createStaff(site, ['volunteer']);
    const volunteer = await signIn(site, volunteerStaff);
    const inspector = await signIn(site, await createStaff(site, ['compliance_inspector']));
    const form = (await volunteer.get(`/console/map1193/businesses/${closed!.id}/report`)).body;
    expect(form).toContain('name="observed"');
    const { submitReport } = await import('../../src/modules/map1193/businesses/service.ts');
    const ctx = { db: site.app.services.db, dialect: site.app.services.dialect, clock: site.clock, settings: site.app.services.settings };
    await submitReport(ctx, { id: crypto.randomUUID(), businessId: closed!.id, observed: 'closed', problems: [], note: undefined, channel: 'volunteer', reporterId: volunteerStaff.account.id });
    for (const [who, path] of [[volunteer, '/console/map1193/my-reports'], [inspector, '/console/map1193/data-quality'], [inspector, '/console/map1193/inspections']] as const) {
      const [name, value] = who.cookie.split('=') as [string, string];
      // A context of its own per account: the suite's shared contexts carry no session.
      const context = await s.browser.newContext({ viewport: NARROW });
      try {
        await context.addCookies([{ name, value, url: s.baseUrl }]);
        const page = await context.newPage();
        const response = await page.goto(s.baseUrl + path);
        expect(response?.status(), path).toBe(200);
        const violations = await runAxe(page);
        expect(violations, `${path}:\n${formatViolations(violations)}`).toEqual([]);
      } finally {
        await context.close();
      }
      }
  });
});
