import http from 'node:http';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { businessRow, insertBusinesses } from '../../src/modules/map1193/testing.ts';
import { browserUnavailable, formatViolations, runAxe, setupBrowserSuite } from '../helpers/browser.ts';
import { createStaff, signIn, type SignedIn, type TestStaff } from '../helpers/staff.ts';

const ROUTE = '/console/map1193/my-route';

type Answer = { ok: boolean; created: boolean; cut: boolean };

/**
 * Lets the app handle every queued-report post, but for the first one closes the connection
 * instead of answering: the report is stored and the browser never hears so, as when a phone
 * loses its signal mid-request. Done at the server so it holds whichever part of the browser
 * (page or service worker) sends. Returns what the server answered, in order.
 */
function dropFirstAnswer(server: http.Server): Answer[] {
  const answers: Answer[] = [];
  let arrived = 0;
  server.prependListener('request', (request: http.IncomingMessage, response: http.ServerResponse) => {
    if (!request.url?.endsWith('/report.json')) return;
    const cut = ++arrived === 1;
    const end = response.end.bind(response) as (chunk?: unknown) => http.ServerResponse;
    response.end = ((chunk?: unknown) => {
      const body = JSON.parse(String(chunk ?? '{}')) as { ok?: boolean; created?: boolean };
      answers.push({ ok: body.ok === true, created: body.created === true, cut });
      if (!cut) return end(chunk);
      request.socket.destroy();
      return response;
    }) as typeof response.end;
  });
  return answers;
}

// The volunteer's route in the field: saved by the service worker, reports queued in IndexedDB
// while Chromium is offline, then sent exactly once even when the first send loses its answer.
describe.skipIf(browserUnavailable())('MAP1193 route offline in Chromium', () => {
  const s = setupBrowserSuite();
  let volunteer: TestStaff;
  let session: SignedIn;
  const stops: Record<string, string> = {};

  beforeAll(async () => {
    const site = s.site;
    site.clock.set(new Date());
    await insertBusinesses(site.app.services.db, [
      businessRow({ name: 'Field Motel', city: 'Fieldtown', category: 'hotel' }),
      businessRow({ name: 'Field Bar', city: 'Fieldtown', category: 'bar' }),
    ]);
    const coordinator = await signIn(site, await createStaff(site, ['outreach_coordinator']));
    volunteer = await createStaff(site, ['volunteer'], { email: 'field-volunteer@example.org' });
    const created = await coordinator.post('/console/map1193/days', { day: '2099-02-01', title: 'Field day', cities: 'Fieldtown', teams: 'Field team: field-volunteer@example.org' }, '/console/map1193/days');
    expect(created.statusCode).toBe(303);
    session = await signIn(site, volunteer);
    const route = await session.get(ROUTE);
    for (const match of route.body.matchAll(/href="(\/console\/map1193\/my-route\/[A-Za-z0-9_-]+)">([^<]+)</g)) stops[match[2]!] = match[1]!;
    expect(Object.keys(stops).sort()).toEqual(['Field Bar', 'Field Motel']);
  });

  const contexts: BrowserContext[] = [];
  afterAll(async () => {
    for (const context of contexts) await context.close();
  });

  async function volunteerContext(signedIn: SignedIn): Promise<BrowserContext> {
    const [name, value] = signedIn.cookie.split('=') as [string, string];
    const context = await s.browser.newContext();
    contexts.push(context);
    await context.addCookies([{ name, value, url: s.baseUrl }]);
    return context;
  }

  /** Opens the route online and waits until the service worker has saved it. */
  async function openRouteOnline(context: BrowserContext): Promise<Page> {
    const page = await context.newPage();
    await page.goto(s.baseUrl + ROUTE);
    await page.waitForSelector('[data-offline-route="list"][data-offline-ready="yes"]');
    return page;
  }

  const status = (page: Page) => page.locator('[data-offline-route="list"] [data-part="status"]').innerText();
  const queueLength = (page: Page) =>
    page.evaluate(
      () =>
        new Promise<number>((resolve, reject) => {
          const open = indexedDB.open('heatwatch-map1193');
          open.onerror = () => reject(open.error);
          open.onsuccess = () => {
            const count = open.result.transaction('reports').objectStore('reports').count();
            count.onsuccess = () => {
              resolve(count.result);
              open.result.close();
            };
          };
        }),
    );

  async function reportsFor(businessName: string) {
    return s.site.app.services.db
      .selectFrom('mapReports')
      .innerJoin('mapBusinesses', 'mapBusinesses.id', 'mapReports.businessId')
      .select(['mapReports.id', 'mapReports.observed', 'mapReports.note', 'mapReports.reporterId', 'mapReports.channel'])
      .where('mapBusinesses.name', '=', businessName)
      .execute();
  }

  test('a report made offline waits on the device and is stored once, though the first send loses its answer', async () => {
    const answers = dropFirstAnswer(s.site.app.server);
    const context = await volunteerContext(session);
    const page = await openRouteOnline(context);
    expect(await page.getByText('Your route is saved on this device').isVisible()).toBe(true);

    await context.setOffline(true);
    await page.goto(s.baseUrl + stops['Field Motel']!);
    expect(await page.locator('h1').innerText()).toBe('Field Motel');

    // Checked on the device too: with no connection the server cannot answer for the form.
    await page.getByLabel('Anything else? (optional)').fill('No notice at the front desk');
    await page.getByRole('button', { name: 'Send report' }).click();
    await page.waitForSelector('#error-summary');
    expect(await page.locator('#error-summary').innerText()).toContain('Choose whether the notice is posted.');
    expect(await page.locator('#observed-error').isVisible()).toBe(true);
    expect(await page.getByLabel('Anything else? (optional)').inputValue()).toBe('No notice at the front desk');
    const withErrors = await runAxe(page);
    expect(withErrors, formatViolations(withErrors)).toEqual([]);

    await page.getByLabel('No, I could not find it').check();
    await page.getByRole('button', { name: 'Send report' }).click();
    await page.waitForURL(/my-route\?queued=1/);
    await expect.poll(() => status(page)).toContain('You are offline. 1 report is saved on this device');
    expect(await page.locator('[data-stop]', { hasText: 'Field Motel' }).innerText()).toContain('saved on this device, not sent yet');
    const offlineList = await runAxe(page);
    expect(offlineList, formatViolations(offlineList)).toEqual([]);

    // Still there after the page is gone: the queue lives in IndexedDB, not in the page.
    await page.reload();
    await expect.poll(() => status(page)).toContain('1 report is saved on this device');
    expect(await queueLength(page)).toBe(1);

    await context.setOffline(false);
    const send = page.locator('[data-part="send"]');
    await expect
      .poll(async () => {
        if (await send.isVisible()) await send.click().catch(() => undefined);
        return queueLength(page);
      }, { timeout: 20_000, interval: 500 })
      .toBe(0);

    // The first send was stored and its answer lost; every later one was recognised as the same report.
    expect(answers.length).toBeGreaterThanOrEqual(2);
    expect(answers[0]).toEqual({ ok: true, created: true, cut: true });
    expect(answers.slice(1).every((a) => a.ok && !a.created && !a.cut)).toBe(true);
    const stored = await reportsFor('Field Motel');
    expect(stored).toHaveLength(1);
    expect(stored[0]).toMatchObject({ observed: 'missing', note: 'No notice at the front desk', reporterId: volunteer.account.id, channel: 'volunteer' });

    await page.goto(s.baseUrl + ROUTE);
    expect(await page.locator('[data-stop]', { hasText: 'Field Motel' }).innerText()).toContain('reported');
    await expect.poll(() => status(page)).toBe('');
  });

  test('a stop the device never saved shows the offline page; signing out forgets the saved route', async () => {
    const context = await volunteerContext(await signIn(s.site, volunteer));
    const page = await openRouteOnline(context);

    await context.setOffline(true);
    await page.goto(`${s.baseUrl}${ROUTE}/not-on-this-device`);
    expect(await page.locator('h1').innerText()).toBe('Not saved on this device');
    const violations = await runAxe(page);
    expect(violations, formatViolations(violations)).toEqual([]);

    await context.setOffline(false);
    await page.goto(s.baseUrl + ROUTE);
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.waitForURL(/sign-in/);
    await context.setOffline(true);
    const response = await page.goto(s.baseUrl + ROUTE).catch(() => undefined);
    expect(response?.status() ?? 0).not.toBe(200);
    expect(await page.content()).not.toContain('Field Motel');
  });

  // Last in the file: it moves the clock past the day of action, which ends every session.
  test('reports queued before the session expired and the day ended are sent after signing in; a stop taken off the route is refused, kept and discardable', async () => {
    const context = await volunteerContext(await signIn(s.site, volunteer));
    const page = await openRouteOnline(context);
    await context.setOffline(true);
    for (const [name, answer, note] of [['Field Bar', 'No, I could not find it', 'Bar: nothing posted'], ['Field Motel', 'Yes, it is posted', 'Motel: fixed now']] as const) {
      await page.goto(s.baseUrl + stops[name]!);
      await page.getByLabel(answer).check();
      await page.getByLabel('Anything else? (optional)').fill(note);
      await page.getByRole('button', { name: 'Send report' }).click();
      await page.waitForURL(/my-route\?queued=1/);
    }
    await expect.poll(() => status(page)).toContain('2 reports are saved on this device');

    const db = s.site.app.services.db;
    const bar = await db.selectFrom('mapBusinesses').select('id').where('name', '=', 'Field Bar').executeTakeFirstOrThrow();
    await db.deleteFrom('mapActionStops').where('businessId', '=', bar.id).execute();
    const motelReports = (await reportsFor('Field Motel')).length;
    s.site.clock.set('2099-02-03T12:00:00Z');

    await context.setOffline(false);
    await page.goto(s.baseUrl + ROUTE);
    expect(page.url()).toContain('/console/sign-in');
    await page.goto(s.baseUrl + stops['Field Motel']!).catch(() => undefined);
    // The saved route survives the expired session: it is the only copy until the volunteer signs in.
    await context.setOffline(true);
    await page.goto(s.baseUrl + ROUTE);
    await expect.poll(() => status(page)).toContain('2 reports are saved on this device');
    await context.setOffline(false);
    await page.getByRole('button', { name: 'Send now' }).click();
    await expect.poll(() => status(page)).toContain('You are signed out. Sign in again to send the 2 reports saved on this device.');
    expect(await page.getByRole('link', { name: 'Sign in to send saved reports' }).isVisible()).toBe(true);

    const again = await signIn(s.site, volunteer);
    const [cookieName, cookieValue] = again.cookie.split('=') as [string, string];
    await context.addCookies([{ name: cookieName, value: cookieValue, url: s.baseUrl }]);
    await page.goto(s.baseUrl + ROUTE);
    expect(await page.locator('main').innerText()).toContain('You are not on a team');
    await expect.poll(() => queueLength(page), { timeout: 20_000 }).toBe(1);
    await expect.poll(() => page.locator('[data-part="refused"]').innerText()).toContain('Field Bar: this business is no longer on your route');
    expect(await page.locator('[data-part="refused"]').innerText()).toContain('Bar: nothing posted');
    expect((await reportsFor('Field Motel')).length).toBe(motelReports + 1);
    expect(await reportsFor('Field Bar')).toEqual([]);
    const violations = await runAxe(page);
    expect(violations, formatViolations(violations)).toEqual([]);

    page.once('dialog', (dialog) => void dialog.accept());
    await page.getByRole('button', { name: 'Discard this report' }).click();
    await expect.poll(() => queueLength(page)).toBe(0);
    await expect.poll(() => page.evaluate(() => document.activeElement?.id)).toBe('route-offline-title');
  });
});
