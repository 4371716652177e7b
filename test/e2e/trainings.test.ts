import { describe, expect, test } from 'vitest';
import type { Page } from 'playwright-core';
import { createEvent, makeRequest } from '../../src/modules/events/testing.ts';
import { createStaff, signIn } from '../helpers/staff.ts';
import { browserUnavailable, formatViolations, runAxe, setupBrowserSuite } from '../helpers/browser.ts';

const NO_JS = { javaScriptEnabled: false };

describe.skipIf(browserUnavailable())('training requests in Chromium', () => {
  const s = setupBrowserSuite();

  async function open(path: string, options: Parameters<typeof s.newPage>[0] = {}): Promise<Page> {
    const page = await s.newPage(options);
    page.setDefaultTimeout(15_000);
    const response = await page.goto(s.baseUrl + path);
    expect(response?.status(), path).toBe(200);
    return page;
  }

  async function expectAxeClean(page: Page, label: string) {
    const violations = await runAxe(page);
    expect(violations, `${label}\n${formatViolations(violations)}`).toEqual([]);
  }

  test('a request sent with JavaScript off gets its reference, and a mistake keeps everything typed', async () => {
    const page = await open('/trainings/request', NO_JS);
    await page.getByLabel('Organization (required)').fill('Riverbend Youth Club');
    await page.getByLabel('Community group').check();
    await page.getByLabel('How many people (required)').fill('30');
    await page.getByLabel('Ages of the audience (required)').fill('Teenagers and parents');
    await page.getByLabel('Online').check();
    await page.getByLabel('City (required)').fill('Riverbend');
    await page.getByLabel('First choice').fill('2027-05-04');
    await page.getByLabel('Spanish').check();
    await page.getByLabel('Keeping young people safe').check();
    await page.getByLabel('Your name (required)').fill('Ana Ruiz');
    // Sent without an e-mail: the form comes back with the message and every answer.
    await Promise.all([page.waitForURL(`${s.baseUrl}/trainings/request`), page.getByRole('button', { name: 'Send the request' }).click()]);
    expect(await page.locator('.error-summary').innerText()).toContain('Enter an e-mail address');
    expect(await page.getByLabel('Organization (required)').inputValue()).toBe('Riverbend Youth Club');
    expect(await page.getByLabel('Keeping young people safe').isChecked()).toBe(true);
    expect(await page.getByLabel('First choice').inputValue()).toBe('2027-05-04');

    await page.getByLabel('Your e-mail (required)').fill('ana@example.org');
    await Promise.all([page.waitForURL(/\/trainings\/request\/sent\?ref=TR-/), page.getByRole('button', { name: 'Send the request' }).click()]);
    expect(await page.locator('h1').innerText()).toBe('Request received');
    expect(await page.locator('[data-reference]').innerText()).toMatch(/^TR-[0-9A-Z]{8}$/);
  });

  test('the request form is axe-clean in English and Spanish, errors shown or not', async () => {
    const withErrors = await open('/es/trainings/request');
    await Promise.all([withErrors.waitForResponse((r) => r.request().method() === 'POST'), withErrors.getByRole('button', { name: 'Enviar la solicitud' }).click()]);
    await withErrors.waitForLoadState('load');
    expect(await withErrors.locator('.error-summary').innerText()).toContain('Escriba el nombre de su organización.');
    await expectAxeClean(withErrors, 'Spanish form with errors');
    for (const path of ['/trainings/request', '/es/trainings/request', '/trainings/request/sent?ref=TR-ABCDEFGH', '/es/trainings/request/sent?ref=TR-ABCDEFGH']) {
      // axe runs as a script in the page, so these pages are opened with JavaScript on.
      await expectAxeClean(await open(path), path);
    }
  });

  test('the queue and a request are axe-clean in English and Spanish', async () => {
    const { id } = await makeRequest(s.site, { organization: 'Axe Chapel' });
    for (const locale of ['en', 'es']) {
      const staff = await createStaff(s.site, ['outreach_coordinator'], { locale });
      const session = await signIn(s.site, staff);
      const [name, value] = session.cookie.split('=') as [string, string];
      const context = await s.browser.newContext();
      try {
        await context.addCookies([{ name, value, url: s.baseUrl }]);
        const page = await context.newPage();
        for (const path of ['/console/trainings', `/console/trainings/${id}`, '/console']) {
          expect((await page.goto(s.baseUrl + path))?.status(), path).toBe(200);
          await expectAxeClean(page, `${locale} ${path}`);
        }
      } finally {
        await context.close();
      }
    }
  });

  test('registration for an event works with JavaScript off, a mistake keeping what was typed', async () => {
    const event = await createEvent(s.site, { capacity: 1, title: 'Browser training' });
    const page = await open(`/events/${event.id}`, NO_JS);
    await page.getByLabel('Your name (required)').fill('Lee Park');
    await Promise.all([page.waitForURL(`${s.baseUrl}/events/${event.id}/register`), page.getByRole('button', { name: 'Register' }).click()]);
    expect(await page.locator('.error-summary').innerText()).toContain('Enter an e-mail address');
    expect(await page.getByLabel('Your name (required)').inputValue()).toBe('Lee Park');
    await page.getByLabel('Your e-mail (required)').fill('lee@example.org');
    await page.getByLabel('You may contact me about future trainings and events').check();
    await Promise.all([page.waitForURL(/registered\?as=registered$/), page.getByRole('button', { name: 'Register' }).click()]);
    expect(await page.locator('h1').innerText()).toBe('You are registered');
  });

  test('the calendar, an event page and the registration answers are axe-clean in both languages', async () => {
    const event = await createEvent(s.site, { title: 'Axe training' });
    for (const path of ['/events', '/es/events', `/events/${event.id}`, `/es/events/${event.id}`, `/es/events/${event.id}/registered?as=waitlisted`]) {
      await expectAxeClean(await open(path), path);
    }
  });
});
