import { describe, expect, test } from 'vitest';
import type { Locator, Page } from 'playwright-core';
import { browserUnavailable, formatViolations, runAxe, setupBrowserSuite } from '../helpers/browser.ts';

const TOPICS = [
  '/what-is-trafficking',
  '/who-it-affects',
  '/how-people-are-trafficked',
  '/why-people-are-trafficked',
  '/how-we-help',
  '/how-you-can-help',
  '/contact',
  '/privacy',
];
const NOT_FOUND = ['/no-such-page', '/es/no-such-page'];
const PUBLIC_PAGES = ['/', ...TOPICS, '/es/', ...TOPICS.map((p) => `/es${p}`), '/news', '/es/news'];

const DESKTOP = { width: 1280, height: 800 };
const NARROW = { width: 320, height: 640 };

describe.skipIf(browserUnavailable())('public site in Chromium', () => {
  const s = setupBrowserSuite();

  async function open(path: string, options: Parameters<typeof s.newPage>[0] = {}): Promise<Page> {
    const page = await s.newPage(options);
    const response = await page.goto(s.baseUrl + path);
    expect(response?.status(), path).toBe(NOT_FOUND.includes(path) ? 404 : 200);
    return page;
  }

  const onSite = (page: Page) => page.url().startsWith(s.baseUrl);

  test('home shows the title, the hotlines and the quick exit', async () => {
    const page = await open('/');
    expect(await page.title()).toContain('HEAT Watch');
    expect(await page.locator('h1').isVisible()).toBe(true);
    for (const href of ['tel:+18883737888', 'sms:233733', 'tel:911']) {
      expect(await page.locator(`.hotline-bar a[href="${href}"]`).isVisible(), href).toBe(true);
    }
    expect(await page.locator('.hotline-bar a[href="tel:911"]').innerText()).toBe('911');
    const exit = page.getByRole('link', { name: 'Quick exit' });
    expect(await exit.isVisible()).toBe(true);
    expect(await exit.getAttribute('href')).toBe(s.neutralUrl);
  });

  describe('quick exit', () => {
    test('a click leaves the site and Back does not return to it', async () => {
      // A fresh tab: the home page is its first history entry.
      const page = await open('/');
      await page.getByRole('link', { name: 'Quick exit' }).click();
      await page.waitForURL(s.neutralUrl);
      expect(await page.locator('h1').innerText()).toContain('Sunny');
      const back = await page.goBack();
      expect(back).toBeNull();
      expect(onSite(page), `Back returned to ${page.url()}`).toBe(false);
    });

    test('pressing Escape twice leaves the site', async () => {
      const page = await open('/what-is-trafficking');
      await page.keyboard.press('Escape');
      await page.keyboard.press('Escape');
      await page.waitForURL(s.neutralUrl);
      expect(await page.goBack()).toBeNull();
      expect(onSite(page)).toBe(false);
    });

    test('works as a plain link with JavaScript off', async () => {
      const page = await open('/', { javaScriptEnabled: false });
      await page.getByRole('link', { name: 'Quick exit' }).click();
      await page.waitForURL(s.neutralUrl);
      expect(await page.locator('h1').innerText()).toContain('Sunny');
    });
  });

  test('the language switch keeps the page', async () => {
    const page = await open('/what-is-trafficking');
    await page.getByRole('link', { name: 'Español' }).click();
    await page.waitForURL(`${s.baseUrl}/es/what-is-trafficking`);
    expect(await page.locator('html').getAttribute('lang')).toBe('es');
    expect(await page.getByRole('link', { name: 'Salida rápida' }).isVisible()).toBe(true);
    await page.getByRole('link', { name: 'English' }).click();
    await page.waitForURL(`${s.baseUrl}/what-is-trafficking`);
    expect(await page.locator('html').getAttribute('lang')).toBe('en');
  });

  describe.each([
    ['desktop', DESKTOP],
    ['320 px', NARROW],
  ])('axe-core at %s', (_name, viewport) => {
    test.each([...PUBLIC_PAGES, ...NOT_FOUND])('%s has no violations', async (path) => {
      const page = await open(path, { viewport });
      const violations = await runAxe(page);
      expect(violations, `${path}:\n${formatViolations(violations)}`).toEqual([]);
    });
  });

  describe('at 320 px', () => {
    test.each([...PUBLIC_PAGES, NOT_FOUND[0]!])('%s does not scroll sideways and keeps the quick exit in view', async (path) => {
      const page = await open(path, { viewport: NARROW });
      const width = await page.evaluate(() => document.documentElement.scrollWidth);
      expect(width, `${path} is ${width} px wide`).toBeLessThanOrEqual(NARROW.width);
      const exit = page.locator('a[data-quick-exit]');
      expect(await viewportProblem(exit), `${path} at the top`).toBeUndefined();
      // The hotline bar is sticky: the way out stays on screen however far the reader has gone.
      await page.evaluate(async () => {
        window.scrollTo(0, document.documentElement.scrollHeight);
        await new Promise(requestAnimationFrame);
      });
      expect(await viewportProblem(exit), `${path} scrolled to the bottom`).toBeUndefined();
    });
  });

  test('the first Tab reaches the skip link, which moves focus to the main content', async () => {
    const page = await open('/how-we-help');
    await page.keyboard.press('Tab');
    const focused = () => page.evaluate(() => ({ tag: document.activeElement?.tagName, cls: document.activeElement?.className, text: (document.activeElement as HTMLElement | null)?.innerText }));
    expect(await focused()).toMatchObject({ tag: 'A', cls: 'skip-link', text: 'Skip to main content' });
    expect(await page.locator('.skip-link').isVisible()).toBe(true);
    await page.keyboard.press('Enter');
    await page.waitForURL(`${s.baseUrl}/how-we-help#main`);
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('main');
  });

  describe('with JavaScript off', () => {
    test('home renders and the menu opens at 320 px', async () => {
      const page = await open('/', { javaScriptEnabled: false, viewport: NARROW });
      expect(await page.locator('h1').isVisible()).toBe(true);
      const menu = page.locator('details.site-nav');
      const link = menu.getByRole('link', { name: 'How we help' });
      expect(await link.isVisible()).toBe(false);
      await menu.locator('summary').click();
      expect(await menu.getAttribute('open')).not.toBeNull();
      expect(await link.isVisible()).toBe(true);
      await link.click();
      await page.waitForURL(`${s.baseUrl}/how-we-help`);
    });
  });
});

/** Why the element's box is not wholly inside the viewport, or undefined when it is. */
function viewportProblem(locator: Locator): Promise<string | undefined> {
  return locator.evaluate((el) => {
    const r = el.getBoundingClientRect();
    const inside = r.width > 0 && r.height > 0 && r.top >= 0 && r.left >= 0 && r.bottom <= window.innerHeight && r.right <= window.innerWidth;
    return inside ? undefined : `box ${JSON.stringify(r)} outside ${window.innerWidth}×${window.innerHeight} at scrollY ${window.scrollY}`;
  });
}
