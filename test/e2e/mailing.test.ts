import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, test } from 'vitest';
import { confirmLink } from '../../src/modules/mailing/testing.ts';
import { browserUnavailable, formatViolations, runAxe, setupBrowserSuite } from '../helpers/browser.ts';
import { createStaff, signIn } from '../helpers/staff.ts';

// The mailing list's pages in Chromium: axe-clean in both languages, no sideways scroll at
// 320 px, and the subscribe form working from the keyboard with JavaScript switched off.
describe.skipIf(browserUnavailable())('mailing list pages in Chromium', () => {
  const s = setupBrowserSuite();
  let adminCookie: string;

  beforeAll(async () => {
    adminCookie = (await signIn(s.site, await createStaff(s.site, ['administrator']))).cookie;
  });

  async function open(path: string, options: { script?: boolean; width?: number; cookie?: string; status?: number } = {}): Promise<Page> {
    const page = await s.newPage({ javaScriptEnabled: options.script ?? true, viewport: { width: options.width ?? 1024, height: 800 } });
    await page.context().clearCookies();
    if (options.cookie) {
      const [name, value] = options.cookie.split('=') as [string, string];
      await page.context().addCookies([{ name, value, url: s.baseUrl }]);
    }
    const response = await page.goto(s.baseUrl + path);
    expect(response?.status(), path).toBe(options.status ?? 200);
    return page;
  }

  async function expectAxeClean(page: Page): Promise<void> {
    const violations = await runAxe(page);
    expect(violations, formatViolations(violations)).toEqual([]);
  }

  const noSidewaysScroll = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth);

  test.each(['', '/es'])('%s/subscribe is axe-clean and fits 320 px', async (prefix) => {
    await expectAxeClean(await open(`${prefix}/subscribe`));
    expect(await noSidewaysScroll(await open(`${prefix}/subscribe`, { width: 320 }))).toBe(true);
  });

  test.each(['', '/es'])('%s: the form works with JavaScript off, from the keyboard, through to the confirmed page', async (prefix) => {
    const email = `browser-${prefix ? 'es' : 'en'}-${Date.now()}@example.org`;
    const page = await open(`${prefix}/subscribe`, { script: false });
    // Sent empty first: the messages, linked at the top, are axe-clean too.
    await page.locator('button[type="submit"]').press('Enter');
    await page.waitForURL(`${s.baseUrl}${prefix}/subscribe`);
    expect(await page.locator('.error-summary').count()).toBe(1);
    const scripted = await open(`${prefix}/subscribe`);
    await scripted.locator('button[type="submit"]').press('Enter');
    await scripted.waitForSelector('.error-summary');
    await expectAxeClean(scripted);

    await page.locator('#email').fill(email);
    await page.locator('#name').fill('Ana');
    await page.locator('#topics-1').check();
    await page.locator('button[type="submit"]').press('Enter');
    await page.waitForURL(`${s.baseUrl}${prefix}/subscribe/sent`);
    await expectAxeClean(await open(`${prefix}/subscribe/sent`));

    await s.site.app.services.jobs.runDue();
    const mail = await s.site.app.services.db.selectFrom('outbox').select('textBody').where('toAddress', '=', email).executeTakeFirstOrThrow();
    const link = confirmLink(mail.textBody);
    await expectAxeClean(await open(link));
    const confirm = await open(link, { script: false });
    await confirm.locator('button[type="submit"]').press('Enter');
    await confirm.waitForLoadState();
    expect(await confirm.locator('h1').innerText()).toBe(prefix ? 'Está suscrito' : 'You are subscribed');
    await expectAxeClean(await open(link, { status: 410 }));
  });

  test('the topics console pages are axe-clean and fit 320 px', async () => {
    for (const path of ['/console/mailing/topics', '/console/mailing/topics/news']) {
      await expectAxeClean(await open(path, { cookie: adminCookie }));
      expect(await noSidewaysScroll(await open(path, { cookie: adminCookie, width: 320 }))).toBe(true);
    }
  });
});
