import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { businessRow, insertBusinesses } from '../../src/modules/map1193/testing.ts';
import { browserUnavailable, formatViolations, runAxe, setupBrowserSuite } from '../helpers/browser.ts';
import { createStaff, signIn } from '../helpers/staff.ts';

const SHOTS = '/tmp/shots-letters';

// The notice of violation and the case record in Chromium: printed, nothing of the console comes
// along and nothing runs off the side of the page; on screen, axe-clean and no sideways scroll.
describe.skipIf(browserUnavailable())('MAP1193 letters and case records in Chromium', () => {
  const s = setupBrowserSuite();
  let context: BrowserContext;
  const paths: Record<string, string> = {};

  beforeAll(async () => {
    fs.mkdirSync(SHOTS, { recursive: true });
    const site = s.site;
    site.clock.set(new Date());
    const logo = await sharp({ create: { width: 300, height: 120, channels: 3, background: '#1d3c6e' } }).png().toBuffer();
    await site.app.services.settings.update({
      officeName: 'Alameda County District Attorney',
      contactAddress: '1225 Fallon Street, Oakland, CA 94612',
      officePhone: '(510) 272-6222',
      letterheadLogo: { dataUrl: `data:image/png;base64,${logo.toString('base64')}`, width: 300, height: 120 },
    });
    const [motel] = await insertBusinesses(site.app.services.db, [
      businessRow({ name: 'Print Motel with a Rather Long Name for Line Wrapping', address: '4400 International Boulevard, Suite 12', city: 'Oakland', status: 'reported_missing' }),
    ]);
    const inspector = await signIn(site, await createStaff(site, ['compliance_inspector'], { name: 'Ines Inspector' }));
    await inspector.post(`/console/map1193/inspections/${motel!.id}/step`, { action: 'visit_violation', notes: 'No notice', deficiencies: ['too_small', 'missing_spanish', 'no_text_line'] });
    await inspector.post(`/console/map1193/inspections/${motel!.id}/step`, { action: 'send_notice' });
    const noticeId = (await site.app.services.db.selectFrom('mapNotices').select('id').where('businessId', '=', motel!.id).executeTakeFirstOrThrow()).id;
    paths.notice = `/console/map1193/notices/${noticeId}`;
    paths.record = `/console/map1193/inspections/${motel!.id}/record`;
    const [name, value] = inspector.cookie.split('=') as [string, string];
    context = await s.browser.newContext();
    await context.addCookies([{ name, value, url: s.baseUrl }]);
  });
  afterAll(async () => context?.close());

  async function open(pathname: string, width = 1280): Promise<Page> {
    const page = await context.newPage();
    await page.setViewportSize({ width, height: 900 });
    const response = await page.goto(s.baseUrl + pathname);
    expect(response?.status(), pathname).toBe(200);
    return page;
  }

  const overflow = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);

  /** Prints to PDF (US letter) and reads it back with poppler: page count and text. */
  async function printed(page: Page, name: string): Promise<{ pages: number; text: string }> {
    const pdf = await page.pdf({ format: 'Letter', printBackground: true });
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'letter-pdf-'));
    const file = path.join(dir, `${name}.pdf`);
    fs.writeFileSync(file, pdf);
    const text = execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' });
    const info = execFileSync('pdfinfo', [file], { encoding: 'utf8' });
    execFileSync('pdftoppm', ['-png', '-r', '50', file, path.join(SHOTS, `${name}-pdf`)]);
    fs.rmSync(dir, { recursive: true, force: true });
    return { pages: Number(/Pages:\s+(\d+)/.exec(info)![1]), text };
  }

  test('the letter prints without the console, one sheet per language, nothing cut at the side', async () => {
    const page = await open(paths.notice!);
    await page.screenshot({ path: `${SHOTS}/notice-screen.png`, fullPage: true });
    await page.emulateMedia({ media: 'print' });
    await page.setViewportSize({ width: 816, height: 1056 });
    for (const selector of ['.console-header', '.console-nav', '.skip-link', '.letter-tools']) {
      expect(await page.locator(selector).first().isVisible(), selector).toBe(false);
    }
    expect(await page.locator('.letter-page').first().isVisible()).toBe(true);
    expect(await overflow(page)).toBeLessThanOrEqual(0);
    // Nothing inside a letter is wider than the letter.
    const wide = await page.evaluate(() => {
      const sheet = document.querySelector('.letter-page')!.getBoundingClientRect();
      return [...document.querySelectorAll('.letter-page *')].filter((e) => e.getBoundingClientRect().right > sheet.right + 1).map((e) => e.tagName);
    });
    expect(wide).toEqual([]);
    await page.screenshot({ path: `${SHOTS}/notice-print.png`, fullPage: true });
    const sections = await page.locator('.letter-page').count();
    const pdf = await printed(page, 'notice');
    expect(pdf.pages).toBe(sections);
    for (const console of ['Sign out', 'Inspections', 'Back to the case', 'SHA-256']) expect(pdf.text, console).not.toContain(console);
    for (const part of ['NOTICE OF VIOLATION', 'AVISO DE INFRACCIÓN', 'Alameda County District Attorney', 'Ines Inspector', 'Print Motel']) expect(pdf.text, part).toContain(part);
  });

  test('the letter page on screen is axe-clean and has no sideways scroll at 320 px', async () => {
    const page = await open(paths.notice!, 320);
    expect(await overflow(page)).toBeLessThanOrEqual(0);
    await page.screenshot({ path: `${SHOTS}/notice-320.png`, fullPage: true });
    const violations = await runAxe(page);
    expect(violations, formatViolations(violations)).toEqual([]);
  });

  test('the case record prints without the console and is axe-clean on screen', async () => {
    const page = await open(paths.record!);
    const violations = await runAxe(page);
    expect(violations, formatViolations(violations)).toEqual([]);
    await page.screenshot({ path: `${SHOTS}/record-screen.png`, fullPage: true });
    const narrow = await open(paths.record!, 320);
    expect(await overflow(narrow)).toBeLessThanOrEqual(0);
    await narrow.screenshot({ path: `${SHOTS}/record-320.png`, fullPage: true });
    await page.emulateMedia({ media: 'print' });
    await page.setViewportSize({ width: 816, height: 1056 });
    expect(await page.locator('.console-header').isVisible()).toBe(false);
    expect(await page.locator('.record-tools').isVisible()).toBe(false);
    expect(await overflow(page)).toBeLessThanOrEqual(0);
    const pdf = await printed(page, 'record');
    expect(pdf.text).not.toContain('Sign out');
    expect(pdf.text).toContain('heatwatch audit verify');
    expect(pdf.text).toContain('This record covers audit rows');
  });
});
