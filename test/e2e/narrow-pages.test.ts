import { beforeAll, describe, expect, test } from 'vitest';
import type { Page } from 'playwright-core';
import type { Role } from '../../src/core/auth/permissions.ts';
import { basicTip, createOfficeKey, postTip, postTipForId, receiptFrom } from '../../src/modules/tips/testing.ts';
import { browserUnavailable, formatViolations, runAxe, setupBrowserSuite } from '../helpers/browser.ts';
import { createStaff, signIn } from '../helpers/staff.ts';

/**
 * The tip line's and the console's newer pages at phone widths, in both languages: nothing
 * scrolls sideways, and every box in a list of choices keeps its size however long its label.
 */

const WIDTHS = [320, 360];
const LOCALES = ['en', 'es'] as const;
type Locale = (typeof LOCALES)[number];

describe.skipIf(browserUnavailable())('newer pages at 320 and 360 px', () => {
  const s = setupBrowserSuite();
  const receipts: Partial<Record<Locale, string>> = {};
  const cookies: Partial<Record<Locale, Partial<Record<Role, string>>>> = {};
  let tipId: string;

  beforeAll(async () => {
    await createOfficeKey(s.site);
    for (const locale of LOCALES) {
      const tip = basicTip({ contactMode: 'details', contactDetails: 'Call after 6 pm and ask for María José.' });
      const res = await postTip(s.site, tip, [], { locale: locale === 'es' ? '/es' : '', ip: locale === 'en' ? '198.51.100.31' : '198.51.100.32' });
      receipts[locale] = receiptFrom(res.body);
      const mine: Partial<Record<Role, string>> = {};
      for (const role of ['tip_reviewer', 'administrator', 'volunteer'] as const) {
        // A long name, as a real one can be, in the header of every console page.
        const session = await signIn(s.site, await createStaff(s.site, [role], { locale, name: 'María José Rodríguez-Hernández' }));
        mine[role] = session.cookie;
        // Enough wrong passwords on the unlock page to lock the account: the page then says so.
        if (role === 'volunteer') {
          for (let i = 0; i < 6; i++) await session.post('/console/account/unlock', { password: 'not the password', next: '/console' }, '/console/account/unlock');
        }
      }
      cookies[locale] = mine;
    }
    // Sealed to the reviewers above, so their tip page shows what was reported and the contact step.
    tipId = await postTipForId(s.site, basicTip({ whatHappened: 'See https://example.org/a/rather/long/path/to/an/advertisement/that/does/not/break', contactMode: 'details', contactDetails: 'x@example.org' }));
    // A request through a proxy the app does not trust: administrators' console home says so.
    await s.site.app.inject({ url: '/', remoteAddress: '10.0.0.5', headers: { 'x-forwarded-for': '198.51.100.40' } });
    const flagged = await postTipForId(s.site, basicTip({ whatHappened: 'Cheap watches.' }));
    const reviewer = s.site.app.inject({ url: `/console/tips/${flagged}`, headers: { cookie: cookies.en!.tip_reviewer! } });
    const csrf = /name="_csrf" value="([^"]+)"/.exec((await reviewer).body)![1]!;
    await s.site.app.inject({ method: 'POST', url: `/console/tips/${flagged}/spam`, headers: { cookie: cookies.en!.tip_reviewer! }, payload: { _csrf: csrf } });
  });

  async function openAt(width: number, path: string, cookie?: string): Promise<Page> {
    const page = await s.newPage({ viewport: { width, height: 700 } });
    await page.context().clearCookies();
    if (cookie) {
      const [name, value] = cookie.split('=') as [string, string];
      await page.context().addCookies([{ name, value, url: s.baseUrl }]);
    }
    const response = await page.goto(s.baseUrl + path);
    expect(response?.status(), path).toBe(200);
    return page;
  }

  async function expectNoSidewaysScroll(page: Page, width: number, label: string): Promise<void> {
    const scrollWidth = await page.evaluate(() => document.documentElement.scrollWidth);
    expect(scrollWidth, `${label} is ${scrollWidth} px wide at ${width} px`).toBeLessThanOrEqual(width);
  }

  const submit = (page: Page, selector: string) => Promise.all([page.waitForNavigation(), page.locator(selector).click()]);

  describe.each(WIDTHS)('at %i px', (width) => {
    describe.each(LOCALES)('in %s', (locale) => {
      const prefix = locale === 'es' ? '/es' : '';

      test('the tip form with contact details chosen, its choice boxes all one size', async () => {
        const page = await openAt(width, `${prefix}/tip`);
        await page.locator('input[name="contactMode"][value="details"]').check();
        expect(await page.locator('[data-identity-notice]').isVisible()).toBe(true);
        await expectNoSidewaysScroll(page, width, `${prefix}/tip`);
        const sizes = await page.locator('.choice input').evaluateAll((inputs) => inputs.map((i) => Math.round(i.getBoundingClientRect().width)));
        expect(sizes.length).toBeGreaterThan(10);
        expect(new Set(sizes), `box widths ${sizes.join(', ')}`).toHaveProperty('size', 1);
      });

      test('the tip form sent empty, with its errors', async () => {
        const page = await openAt(width, `${prefix}/tip`);
        await submit(page, 'main form button[type="submit"]');
        expect(await page.locator('.error-summary').isVisible()).toBe(true);
        await expectNoSidewaysScroll(page, width, `${prefix}/tip with errors`);
      });

      test('the follow-up conversation', async () => {
        const page = await openAt(width, `${prefix}/tip/follow-up`);
        await page.locator('input[name="receipt"]').fill(receipts[locale]!);
        await submit(page, 'main form button[type="submit"]');
        expect(await page.locator('textarea[name="message"]').count()).toBe(1);
        await expectNoSidewaysScroll(page, width, `${prefix}/tip/follow-up`);
      });

      test('the console tip page, its contact step and its spam flag', async () => {
        const page = await openAt(width, `/console/tips/${tipId}`, cookies[locale]!.tip_reviewer);
        expect(await page.locator(`form[action="/console/tips/${tipId}/spam"] button`).isVisible()).toBe(true);
        await expectNoSidewaysScroll(page, width, 'tip page');
        await page.locator('#contact-reason').fill('Calling back about the workers');
        await submit(page, `form[action="/console/tips/${tipId}/contact"] button`);
        expect(await page.locator('[data-contact]').innerText()).toContain('x@example.org');
        await expectNoSidewaysScroll(page, width, 'tip page with the contact details open');
      });

      test('the spam list and its delete form with errors', async () => {
        const page = await openAt(width, '/console/tips/spam', cookies[locale]!.administrator);
        expect(await page.locator('tbody tr').count()).toBeGreaterThan(0);
        await expectNoSidewaysScroll(page, width, 'spam list');
        await page.locator('#reference').fill('T-nothing1');
        await submit(page, 'form[action="/console/tips/spam"] button[type="submit"]');
        expect(await page.locator('.error-summary').isVisible()).toBe(true);
        await expectNoSidewaysScroll(page, width, 'spam list with errors');
      });

      test('the account page with the password asked before adding a passkey', async () => {
        const page = await openAt(width, '/console/account', cookies[locale]!.tip_reviewer);
        expect(await page.locator('#passkey-password').isVisible()).toBe(true);
        await expectNoSidewaysScroll(page, width, '/console/account');
      });

      test('the console home with the notice about the proxy, axe-clean', async () => {
        const page = await openAt(width, '/console', cookies[locale]!.administrator);
        expect(await page.locator('[data-notice="proxy"] code').first().innerText()).toBe('TRUST_PROXY=127.0.0.1');
        await expectNoSidewaysScroll(page, width, '/console');
        const violations = await runAxe(page);
        expect(violations, formatViolations(violations)).toEqual([]);
      });

      test('the unlock page saying the account is locked', async () => {
        const page = await openAt(width, '/console/account/unlock', cookies[locale]!.volunteer);
        await page.locator('input[name="password"]').fill('still not the password');
        await Promise.all([page.waitForNavigation(), page.locator('form[action="/console/account/unlock"] button').click()]);
        expect(await page.getByRole('alert').isVisible()).toBe(true);
        await expectNoSidewaysScroll(page, width, 'unlock page, locked');
      });
    });
  });
});
