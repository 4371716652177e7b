import net from 'node:net';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { updateAccount } from '../../src/modules/accounts/repo.ts';
import { totpFor } from '../../src/modules/accounts/totp.ts';
import { createTestApp, type TestApp } from '../helpers/app.ts';
import { browserUnavailable, formatViolations, launchChromium, runAxe } from '../helpers/browser.ts';
import { createStaff, type TestStaff } from '../helpers/staff.ts';

/** A free loopback port, known before the app is built: BASE_URL (the WebAuthn origin) must name it. */
async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe.skipIf(browserUnavailable())('passkeys in Chromium (virtual authenticator)', () => {
  let site: TestApp;
  let browser: Browser;
  let context: BrowserContext;
  let staff: TestStaff;
  let baseUrl: string;

  beforeAll(async () => {
    const port = await freePort();
    // WebAuthn wants a domain as the relying party, not an IP address: "localhost" is one.
    baseUrl = `http://localhost:${port}`;
    site = await createTestApp({ env: { BASE_URL: baseUrl } });
    await site.app.listen({ host: '127.0.0.1', port });
    staff = await createStaff(site, ['volunteer'], { name: 'Pat Passkey' });
    browser = await launchChromium({ resolveLocalhost: true });
    context = await browser.newContext();
  });

  afterAll(async () => {
    await browser?.close();
    await site?.close();
  });

  async function withAuthenticator(page: Page): Promise<void> {
    const cdp = await context.newCDPSession(page);
    await cdp.send('WebAuthn.enable');
    await cdp.send('WebAuthn.addVirtualAuthenticator', {
      options: { protocol: 'ctap2', transport: 'internal', hasResidentKey: true, hasUserVerification: true, isUserVerified: true, automaticPresenceSimulation: true },
    });
  }

  async function passwordStep(page: Page, who = staff, then: RegExp = /\/console\/sign-in\/second-factor/): Promise<void> {
    await page.goto(`${baseUrl}/console/sign-in`);
    await page.getByLabel('E-mail address').fill(who.account.email);
    await page.getByLabel('Password').fill(who.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL(then);
  }

  test('adds a passkey on the account page, then signs in with it as the second factor', async () => {
    const page = await context.newPage();
    await withAuthenticator(page);

    await passwordStep(page);
    site.clock.advance(31_000);
    const code = totpFor(staff.totpSecret, 'x', 'x').generate({ timestamp: site.clock.now().getTime() });
    await page.locator('input[name="code"]').fill(code);
    await page.locator('form[action="/console/sign-in/second-factor"] button[type="submit"]').click();
    await page.waitForURL(`${baseUrl}/console`);

    await page.goto(`${baseUrl}/console/account`);
    await page.getByLabel('Your password').fill(staff.password);
    await page.getByLabel('Name for this passkey').fill('Virtual key');
    await page.getByRole('button', { name: 'Add a passkey' }).click();
    await page.waitForURL(/notice=passkeyAdded/);
    expect(await page.locator('main').innerText()).toContain('Virtual key');
    const violations = await runAxe(page);
    expect(violations, formatViolations(violations)).toEqual([]);

    await page.getByRole('button', { name: 'Sign out' }).first().click();
    await page.waitForURL(/notice=signedOut/);
    await passwordStep(page);
    const violationsAtSignIn = await runAxe(page);
    expect(violationsAtSignIn, formatViolations(violationsAtSignIn)).toEqual([]);
    await page.getByRole('button', { name: 'Use a passkey' }).click();
    await page.waitForURL(`${baseUrl}/console`);
    expect(await page.locator('main').innerText()).toContain('Welcome, Pat Passkey');
    await page.close();
  });

  test('a new account enrols a passkey instead of an authenticator app', async () => {
    const newcomer = await createStaff(site, ['content_editor'], { name: 'Nia Newcomer' });
    await updateAccount(site.app.services.db, newcomer.account.id, { totpSecretBox: null, totpEnabledAt: null });
    const own = await browser.newContext();
    const page = await own.newPage();
    const cdp = await own.newCDPSession(page);
    await cdp.send('WebAuthn.enable');
    await cdp.send('WebAuthn.addVirtualAuthenticator', {
      options: { protocol: 'ctap2', transport: 'usb', hasResidentKey: false, hasUserVerification: false, automaticPresenceSimulation: true },
    });
    await passwordStep(page, newcomer, /\/console\/account\/two-factor\/setup/);
    const violations = await runAxe(page);
    expect(violations, formatViolations(violations)).toEqual([]);
    await page.getByLabel('Name for this passkey').fill('Blue key');
    await page.getByRole('button', { name: 'Add a passkey' }).click();
    await page.waitForURL(/notice=passkeyEnrolled/);
    const main = await page.locator('main').innerText();
    expect(main).toContain('Blue key');
    expect(main).toContain('two-step sign-in is on');
    await page.goto(`${baseUrl}/console`);
    expect(await page.locator('main').innerText()).toContain('Welcome, Nia Newcomer');
    await own.close();
  });
});
