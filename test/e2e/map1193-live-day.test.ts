import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { lawDay } from '../../src/modules/map1193/rules/rules.ts';
import { businessRow, insertBusinesses } from '../../src/modules/map1193/testing.ts';
import { browserUnavailable, formatViolations, runAxe, setupBrowserSuite } from '../helpers/browser.ts';
import { createStaff, signIn, type SignedIn } from '../helpers/staff.ts';

// A day of action's progress page in Chromium: its figures follow reports filed elsewhere
// without a reload; without JavaScript its refresh link does; axe-clean; fits 320 px.
describe.skipIf(browserUnavailable())('the live progress of a day of action in Chromium', () => {
  const s = setupBrowserSuite();
  const contexts: BrowserContext[] = [];
  let volunteer: SignedIn;
  let progressPath = '';
  let stops: string[] = [];

  async function coordinatorPage(options: { script?: boolean; width?: number } = {}): Promise<Page> {
    const session = await signIn(s.site, await createStaff(s.site, ['outreach_coordinator']));
    const [name, value] = session.cookie.split('=') as [string, string];
    const context = await s.browser.newContext({ javaScriptEnabled: options.script ?? true, viewport: { width: options.width ?? 1024, height: 800 } });
    contexts.push(context);
    await context.addCookies([{ name, value, url: s.baseUrl }]);
    return context.newPage();
  }

  /** A volunteer's report from their route, filed over HTTP as their phone would. */
  async function fileReport(stop: string, observed: string) {
    const path = `/console/map1193/my-route/${stop}`;
    const form = await volunteer.get(path);
    const reportId = /name="reportId" value="([^"]+)"/.exec(form.body)![1]!;
    expect((await volunteer.post(path, { reportId, observed }, path)).statusCode).toBe(303);
  }

  beforeAll(async () => {
    const site = s.site;
    site.clock.set(new Date());
    await insertBusinesses(site.app.services.db, [1, 2, 3].map((n) => businessRow({ name: `Live Motel ${n}`, address: `${n} Live St`, city: 'Liveville' })));
    const coordinator = await signIn(site, await createStaff(site, ['outreach_coordinator']));
    const walker = await createStaff(site, ['volunteer'], { email: 'live-volunteer@example.org' });
    const created = await coordinator.post('/console/map1193/days', { day: lawDay(site.clock.now(), 'America/Los_Angeles'), title: 'Live day', cities: 'Liveville', teams: 'Live team: live-volunteer@example.org' }, '/console/map1193/days');
    expect(created.statusCode).toBe(303);
    progressPath = String(created.headers.location);
    volunteer = await signIn(site, walker);
    stops = [...(await volunteer.get('/console/map1193/my-route')).body.matchAll(/\/console\/map1193\/my-route\/([A-Za-z0-9_-]+)"/g)].map((m) => m[1]!);
    expect(stops).toHaveLength(3);
  });
  afterAll(async () => {
    for (const c of contexts) await c.close();
  });

  const figure = (page: Page, name: string) => page.locator(`[data-live="${name}"]`).innerText();

  test('with JavaScript, the figures change after a report is filed elsewhere, without a reload', async () => {
    const page = await coordinatorPage();
    await page.goto(s.baseUrl + progressPath);
    expect(await figure(page, 'teams.0.visited')).toBe('0');
    expect(await page.getByText('These figures update by themselves').isVisible()).toBe(true);
    // Anything set on the window survives only if the page is never reloaded.
    await page.evaluate(() => Object.assign(window, { notReloaded: true }));
    await fileReport(stops[0]!, 'missing');
    await page.waitForFunction(() => document.querySelector('[data-live="teams.0.visited"]')?.textContent === '1', undefined, { timeout: 40_000 });
    expect(await figure(page, 'teams.0.missing')).toBe('1');
    expect(await figure(page, 'cities.0.missing')).toBe('1');
    expect(await page.locator('[data-live="summary"]').innerText()).toMatch(/^\d of 3 stops visited/);
    expect(await page.evaluate(() => (window as unknown as { notReloaded?: boolean }).notReloaded)).toBe(true);
  });

  test('without JavaScript, the refresh link shows the new figures', async () => {
    const page = await coordinatorPage({ script: false });
    await page.goto(s.baseUrl + progressPath);
    const before = Number(await figure(page, 'teams.0.compliant'));
    expect(await page.getByText('These figures update by themselves').isVisible()).toBe(false);
    await fileReport(stops[1]!, 'posted');
    await page.getByRole('link', { name: 'Refresh the figures' }).click();
    await page.waitForLoadState();
    expect(Number(await figure(page, 'teams.0.compliant'))).toBe(before + 1);
  });

  test('the progress page and the event report are axe-clean and fit 320 px', async () => {
    const page = await coordinatorPage({ width: 320 });
    for (const path of [progressPath, `${progressPath}/report`]) {
      expect((await page.goto(s.baseUrl + path))?.status(), path).toBe(200);
      const violations = await runAxe(page);
      expect(violations, formatViolations(violations)).toEqual([]);
      const width = await page.evaluate(() => document.documentElement.scrollWidth);
      expect(width, `${path} is ${width} px wide at 320 px`).toBeLessThanOrEqual(320);
    }
  });
});
