import { beforeAll, describe, expect, test } from 'vitest';
import type { Page } from 'playwright-core';
import { basicTip, createOfficeKey, postTipForId } from '../../src/modules/tips/testing.ts';
import { refLabel } from '../../src/modules/tips/views/badges.tsx';
import { browserUnavailable, formatViolations, runAxe, setupBrowserSuite } from '../helpers/browser.ts';
import { createStaff, signIn, type SignedIn } from '../helpers/staff.ts';

const DESKTOP = { width: 1280, height: 800 };
const NARROW = { width: 320, height: 640 };

// The administrator's spam page: the tips reviewers flagged and the form that deletes one at once.
describe.skipIf(browserUnavailable())('the spam list in Chromium', () => {
  const s = setupBrowserSuite();
  let reviewer: SignedIn;
  let adminCookie: string;

  beforeAll(async () => {
    await createOfficeKey(s.site);
    reviewer = await signIn(s.site, await createStaff(s.site, ['tip_reviewer']));
    adminCookie = (await signIn(s.site, await createStaff(s.site, ['administrator']))).cookie;
  });

  async function flaggedTip(): Promise<string> {
    const id = await postTipForId(s.site, basicTip({ whatHappened: 'Cheap watches, visit our shop.' }));
    expect((await reviewer.post(`/console/tips/${id}/spam`, {}, `/console/tips/${id}`)).statusCode).toBe(303);
    return id;
  }

  async function open(path: string, viewport = DESKTOP, status = 200): Promise<Page> {
    const page = await s.newPage({ viewport });
    const [name, value] = adminCookie.split('=') as [string, string];
    await page.context().addCookies([{ name, value, url: s.baseUrl }]);
    const response = await page.goto(s.baseUrl + path);
    expect(response?.status(), path).toBe(status);
    return page;
  }

  async function expectAxeClean(page: Page, label: string): Promise<void> {
    const violations = await runAxe(page);
    expect(violations, `${label}\n${formatViolations(violations)}`).toEqual([]);
  }

  test.each([
    ['desktop', DESKTOP],
    ['320 px', NARROW],
  ])('is axe-clean at %s with flagged tips, with errors and after a deletion', async (_name, viewport) => {
    await flaggedTip();
    const page = await open('/console/tips/spam', viewport);
    expect(await page.locator('tbody tr').count()).toBeGreaterThan(0);
    await expectAxeClean(page, 'list');
    await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: 'Delete for good' }).click()]);
    expect(await page.locator('.error-summary').isVisible()).toBe(true);
    await expectAxeClean(page, 'errors');
    await expectAxeClean(await open('/console/tips/spam?deleted=1', viewport), 'deleted');
  });

  test('does not scroll sideways at 320 px, and keeps each reference and time on one line', async () => {
    await flaggedTip();
    const page = await open('/console/tips/spam', NARROW);
    const width = await page.evaluate(() => document.documentElement.scrollWidth);
    expect(width, `the page is ${width} px wide`).toBeLessThanOrEqual(NARROW.width);
    // A cell's text that wraps has more than one line box: "T-RWmw / at8W" is not a reference anyone can read out.
    const lines = await page.locator('tbody td').evaluateAll((cells) =>
      cells.map((cell) => {
        const range = document.createRange();
        range.selectNodeContents(cell);
        const tops = new Set([...range.getClientRects()].map((r) => Math.round(r.top)));
        return `${cell.textContent}: ${tops.size}`;
      }),
    );
    expect(lines.length).toBeGreaterThan(0);
    for (const line of lines) expect(line).toMatch(/: 1$/);
  });

  test('deletes a flagged tip from the keyboard alone', async () => {
    const id = await flaggedTip();
    const page = await open('/console/tips/spam', NARROW);
    const reached: string[] = [];
    const focused = () => page.evaluate(() => {
      const el = document.activeElement as HTMLElement | null;
      return el?.id || `${el?.tagName}:${el?.textContent?.trim() ?? ''}`;
    });
    for (let i = 0; i < 60 && !reached.includes('reference'); i++) {
      await page.keyboard.press('Tab');
      reached.push(await focused());
    }
    expect(reached).toContain('reference');
    await page.keyboard.type(refLabel(id));
    await page.keyboard.press('Tab');
    expect(await focused()).toBe('reason');
    await page.keyboard.type('advertising');
    await page.keyboard.press('Tab');
    expect(await focused()).toBe('BUTTON:Delete for good');
    await Promise.all([page.waitForURL(`${s.baseUrl}/console/tips/spam?deleted=1`), page.keyboard.press('Enter')]);
    expect(await page.getByRole('status').isVisible()).toBe(true);
    expect(await page.locator('main').innerText()).not.toContain(refLabel(id));
    expect(await s.site.app.services.db.selectFrom('tips').select('id').where('id', '=', id).executeTakeFirst()).toBeUndefined();
  });
});
