import sharp from 'sharp';
import { beforeAll, describe, expect, test } from 'vitest';
import type { Page } from 'playwright-core';
import { basicTip, createOfficeKey, postTip, receiptFrom } from '../../src/modules/tips/testing.ts';
import { createStaff, signIn } from '../helpers/staff.ts';
import { browserUnavailable, formatViolations, runAxe, setupBrowserSuite } from '../helpers/browser.ts';

const NO_JS = { javaScriptEnabled: false };

describe.skipIf(browserUnavailable())('the tip line in Chromium', () => {
  const s = setupBrowserSuite();
  let photo: Buffer;

  beforeAll(async () => {
    await createOfficeKey(s.site);
    photo = await sharp({ create: { width: 40, height: 30, channels: 3, background: '#55aa33' } }).jpeg().withExif({ IFD0: { Artist: 'someone' } }).toBuffer();
  });

  async function open(path: string, options: Parameters<typeof s.newPage>[0] = {}): Promise<Page> {
    const page = await s.newPage(options);
    const response = await page.goto(s.baseUrl + path);
    expect(response?.status(), path).toBe(200);
    expect(response?.headers()['set-cookie'], path).toBeUndefined();
    return page;
  }

  async function expectAxeClean(page: Page, label: string) {
    const violations = await runAxe(page);
    expect(violations, `${label}\n${formatViolations(violations)}`).toEqual([]);
  }

  test('a tip sent with JavaScript off gets a receipt, which opens the conversation, with no cookie', async () => {
    const page = await open('/tip', NO_JS);
    await page.getByLabel('What happened?').fill('Two teenagers work nights at the car wash and sleep there.');
    await page.getByLabel('Labor trafficking').check();
    await page.getByLabel('City or town').fill('Riverbend');
    await page.locator('fieldset#minor').getByLabel('Yes').check();
    await page.locator('fieldset#danger').getByLabel('Yes').check();
    await page.getByLabel('They live where they work').check();
    await page.getByLabel('Attach photos or documents (optional)').setInputFiles({ name: 'carwash.jpg', mimeType: 'image/jpeg', buffer: photo });
    await Promise.all([page.waitForURL(`${s.baseUrl}/tip`), page.getByRole('button', { name: 'Send tip' }).click()]);
    expect(await page.locator('h1').innerText()).toBe('Your tip was received');
    expect(await page.locator('.help-now a[href="tel:911"]').isVisible()).toBe(true);
    const code = (await page.locator('[data-receipt]').innerText()).trim();
    expect(code).toMatch(/^\d{4} \d{4} \d{4} \d{4}$/);
    expect(await page.context().cookies()).toEqual([]);

    const follow = await open('/tip/follow-up', NO_JS);
    await follow.getByLabel('Receipt code').fill(code);
    await Promise.all([follow.waitForURL(`${s.baseUrl}/tip/follow-up`), follow.getByRole('button', { name: 'Open my tip' }).click()]);
    expect(await follow.locator('h1').innerText()).toBe('Your tip');
    expect(await follow.locator('main').innerText()).toContain('carwash.jpg');
    await follow.getByLabel('Your message').fill('They are moved to another site on Fridays.');
    await Promise.all([follow.waitForURL(`${s.baseUrl}/tip/follow-up/message`), follow.getByRole('button', { name: 'Send message' }).click()]);
    expect(await follow.locator('main').innerText()).toContain('They are moved to another site on Fridays.');
    expect(await follow.context().cookies()).toEqual([]);
    // Nothing of the code travelled in a URL.
    expect(follow.url()).not.toContain(code.replace(/ /g, ''));
  });

  test('a form sent with a mistake comes back with everything typed', async () => {
    const page = await open('/es/tip', NO_JS);
    await page.getByLabel('Ciudad o pueblo').fill('Valle Verde');
    await page.getByLabel('Tienen una deuda que no pueden pagar').check();
    await Promise.all([page.waitForURL(`${s.baseUrl}/es/tip`), page.getByRole('button', { name: 'Enviar aviso' }).click()]);
    expect(await page.locator('.error-summary').innerText()).toContain('Cuéntenos qué pasó.');
    expect(await page.getByLabel('Ciudad o pueblo').inputValue()).toBe('Valle Verde');
    expect(await page.getByLabel('Tienen una deuda que no pueden pagar').isChecked()).toBe(true);
  });

  test('the form can be filled and sent from the keyboard alone, and robots’ field is out of reach', async () => {
    const page = await open('/tip');
    const reached = new Set<string>();
    for (let i = 0; i < 120; i++) {
      await page.keyboard.press('Tab');
      const focused = await page.evaluate(() => {
        const el = document.activeElement as HTMLInputElement | null;
        return el ? `${el.tagName}:${el.getAttribute('name') ?? el.textContent?.trim() ?? ''}` : '';
      });
      reached.add(focused);
      if (focused === 'BUTTON:Send tip') break;
    }
    expect(reached).toContain('TEXTAREA:whatHappened');
    expect(reached).toContain('INPUT:files');
    expect(reached).toContain('BUTTON:Send tip');
    expect(reached).not.toContain('INPUT:website');
    expect(await page.evaluate(() => window.localStorage.length + window.sessionStorage.length)).toBe(0);
  });

  for (const path of ['/tip', '/es/tip', '/tip/follow-up', '/es/tip/follow-up']) {
    test(`${path} passes axe`, async () => {
      await expectAxeClean(await open(path), path);
    });
  }

  test('the receipt, the conversation and a form with errors pass axe', async () => {
    const page = await open('/tip');
    await Promise.all([page.waitForURL(`${s.baseUrl}/tip`), page.getByRole('button', { name: 'Send tip' }).click()]);
    await expectAxeClean(page, 'form with errors');
    await page.getByLabel('What happened?').fill('A man collects the workers’ passports.');
    await Promise.all([page.waitForURL(`${s.baseUrl}/tip`), page.getByRole('button', { name: 'Send tip' }).click()]);
    await expectAxeClean(page, 'receipt');
    const code = (await page.locator('[data-receipt]').innerText()).trim();
    const follow = await open('/tip/follow-up');
    await follow.getByLabel('Receipt code').fill(code);
    await Promise.all([follow.waitForURL(`${s.baseUrl}/tip/follow-up`), follow.getByRole('button', { name: 'Open my tip' }).click()]);
    await expectAxeClean(follow, 'conversation');
  });

  test('the pages that ask a tipster to wait keep what was typed, pass axe and fit 320 px', async () => {
    const code = receiptFrom((await postTip(s.site, basicTip({ whatHappened: 'A tip behind a guesser.' }))).body);
    const wrong = `${code.slice(0, 15)}${(Number(code[15]) + 1) % 10}`;
    const page = await open('/tip/follow-up', { viewport: { width: 320, height: 640 } });
    try {
      // Six wrong codes from this browser's address (it shares 127.0.0.1 with every other test here).
      for (let i = 0; i < 6; i++) {
        await page.getByLabel('Receipt code').fill(wrong);
        await Promise.all([page.waitForURL(`${s.baseUrl}/tip/follow-up`), page.getByRole('button', { name: 'Open my tip' }).click()]);
      }
      await page.getByLabel('Receipt code').fill(code);
      await Promise.all([page.waitForURL(`${s.baseUrl}/tip/follow-up`), page.getByRole('button', { name: 'Open my tip' }).click()]);
      await expect.poll(() => page.getByRole('alert').innerText()).toContain('Your code is still in the box.');
      expect(await page.getByLabel('Receipt code').inputValue()).toBe(code);
      await expectAxeClean(page, 'wait');
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(320);
      // The wait over, pressing again is all it takes.
      s.site.clock.advance(30_000);
      await Promise.all([page.waitForURL(`${s.baseUrl}/tip/follow-up`), page.getByRole('button', { name: 'Open my tip' }).click()]);
      await expect.poll(() => page.locator('h1').innerText()).not.toBe('Follow up on your tip');
    } finally {
      // The address's count is forgotten an hour after its first wrong code.
      s.site.clock.advance(3600_000);
    }
  });

  test('the staff pages of the tip line pass axe', async () => {
    const reviewer = await createStaff(s.site, ['tip_reviewer']);
    const db = s.site.app.services.db;
    const earlier = (await db.selectFrom('tips').select('id').execute()).map((r: { id: string }) => r.id);
    expect((await postTip(s.site, basicTip({ danger: 'yes' }), [{ filename: 'a.jpg', type: 'image/jpeg', data: photo }])).statusCode).toBe(200);
    const id = (await db.selectFrom('tips').select('id').where('id', 'not in', earlier.length ? earlier : ['-']).executeTakeFirstOrThrow()).id;
    const session = await signIn(s.site, reviewer);
    await session.post(`/console/tips/${id}/status`, { to: 'in_review' }, `/console/tips/${id}`);
    await session.post(`/console/tips/${id}/status`, { to: 'referred', referredTo: 'police' }, `/console/tips/${id}`);
    await session.post(`/console/tips/${id}/reply`, { reply: 'Thank you.' }, `/console/tips/${id}`);
    const [name, value] = session.cookie.split('=') as [string, string];
    const page = await s.newPage();
    await page.context().addCookies([{ name, value, url: s.baseUrl }]);
    for (const path of ['/console/tips', `/console/tips/${id}`, `/console/tips/${id}/handoff`, '/console/tips/stats', '/console/tips/access']) {
      const response = await page.goto(s.baseUrl + path);
      expect(response?.status(), path).toBe(200);
      expect(page.url(), path).toBe(s.baseUrl + path);
      await expectAxeClean(page, path);
    }
    expect(await page.goto(`${s.baseUrl}/console/tips/${id}`).then(() => page.locator('main').innerText())).toContain('Thank you.');
    await page.context().clearCookies();
  });
});
