import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { browserUnavailable, formatViolations, runAxe, setupBrowserSuite } from '../helpers/browser.ts';
import { createStaff, signIn } from '../helpers/staff.ts';

// The administrator's pages from issue 3's audit, outbox and settings work, in a real browser:
// axe-clean, usable with the keyboard alone, and working with JavaScript switched off.
describe.skipIf(browserUnavailable())('administrator pages in Chromium', () => {
  const s = setupBrowserSuite();
  let context: BrowserContext;
  /** Axe runs as page script, so it needs JavaScript; forms are also driven with it switched off. */
  let noScript: BrowserContext;
  let messageId: string;

  beforeAll(async () => {
    const services = s.site.app.services;
    const staff = await createStaff(s.site, ['administrator']);
    const session = await signIn(s.site, staff);
    await session.post('/console/accounts/invite', { displayName: 'Axe Ana', email: 'ana@example.org', roles: ['volunteer'], locale: 'en' });
    messageId = (await services.db.selectFrom('outbox').select('id').where('toAddress', '=', 'ana@example.org').executeTakeFirstOrThrow()).id;
    const [name, value] = session.cookie.split('=') as [string, string];
    context = await s.browser.newContext();
    noScript = await s.browser.newContext({ javaScriptEnabled: false });
    for (const c of [context, noScript]) await c.addCookies([{ name, value, url: s.baseUrl }]);
  });
  afterAll(async () => {
    await context?.close();
    await noScript?.close();
  });

  async function open(path: string, status = 200, options: { script?: boolean } = {}): Promise<Page> {
    const page = await (options.script === false ? noScript : context).newPage();
    const response = await page.goto(s.baseUrl + path);
    expect(response?.status(), path).toBe(status);
    return page;
  }

  async function expectAxeClean(page: Page): Promise<void> {
    const violations = await runAxe(page);
    expect(violations, formatViolations(violations)).toEqual([]);
  }

  test.each(['/console/audit', '/console/audit?action=account&from=2020-01-01', '/console/outbox', '/console/settings'])('%s is axe-clean', async (path) => {
    const page = await open(path);
    await expectAxeClean(page);
    await page.close();
  });

  test('an outbox message is axe-clean and its HTML never renders', async () => {
    const page = await open(`/console/outbox/${messageId}`);
    await expectAxeClean(page);
    expect(await page.locator('main a[href*="/console/invitations/"]').count()).toBe(0);
    await page.getByText('Show the HTML source').press('Enter');
    expect(await page.locator('details').getAttribute('open')).not.toBeNull();
    expect(await page.locator('details pre').innerText()).toContain('<html lang="en"');
    await page.close();
  });

  test('audit filters with bad dates show their messages, axe-clean, and submit from the keyboard', async () => {
    const page = await open('/console/audit', 200, { script: false });
    await page.getByLabel('Action', { exact: true }).fill('account');
    await page.getByLabel('Action', { exact: true }).press('Enter');
    await page.waitForURL(/action=account/);
    expect(await page.locator('tbody tr').count()).toBeGreaterThan(0);
    const bad = await open('/console/audit?from=2025-02-30&to=2025-01-01', 422);
    expect(await bad.locator('#from-error').innerText()).toContain('YYYY-MM-DD');
    await expectAxeClean(bad);
    await page.close();
    await bad.close();
  });

  test('the settings form re-renders with errors beside fields, axe-clean, and saves without JavaScript', async () => {
    const page = await open('/console/settings', 200, { script: false });
    await page.getByLabel('Latitude of the map center').fill('123');
    await page.getByLabel('Office name').fill('Alameda County District Attorney');
    await page.getByRole('button', { name: 'Save settings' }).click();
    await page.waitForLoadState();
    expect(await page.locator('#mapLat-error').isVisible()).toBe(true);
    expect(await page.getByLabel('Office name').inputValue()).toBe('Alameda County District Attorney');
    const errors = await open('/console/settings', 200);
    await errors.getByLabel('Latitude of the map center').fill('123');
    await errors.getByRole('button', { name: 'Save settings' }).click();
    await errors.locator('#mapLat-error').waitFor();
    await expectAxeClean(errors);
    await errors.close();
    await page.getByLabel('Latitude of the map center').fill('37.8');
    await page.getByRole('button', { name: 'Save settings' }).click();
    await page.waitForURL(/notice=saved/);
    expect(await page.getByRole('status').innerText()).toContain('Settings saved');
    await page.close();
  });
});
