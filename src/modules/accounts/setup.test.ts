import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/helpers/app.ts';
import { cookieFrom, csrfFrom } from '../../../test/helpers/staff.ts';
import { contextFor, SYSTEM } from '../../core/context.ts';
import { fromBase64, openSealed, seal } from '../../core/crypto/sodium.ts';
import { officePublicKey } from './index.ts';
import { issueSetupToken, parseRecoveryKey, unlockOfficeKey } from './setup.service.ts';
import { totpFor } from './totp.ts';

// Setup happens once per office, so every test gets an app of its own.
let t: TestApp;
beforeEach(async () => {
  t = await createTestApp();
});
afterEach(async () => t.close());

const setupFields = {
  officeName: 'Riverbend County District Attorney',
  county: 'Riverbend County',
  state: 'California',
  localTipPhone: '(555) 010-0142',
  languages: ['en', 'es'],
  adminName: 'Alex Admin',
  adminEmail: 'Alex.Admin@example.org',
  password: 'lantern orchard velvet compass',
  confirm: 'lantern orchard velvet compass',
  mapLat: '37.66',
  mapLng: '-121.87',
  mapZoom: '10',
  noticeThirdLanguage: 'Vietnamese',
};

/** Runs setup through its form; the page answered, with the recovery key it showed. */
async function completeSetup(token: string) {
  const form = await t.app.inject({ url: `/setup?token=${token}` });
  const res = await t.app.inject({ method: 'POST', url: `/setup?token=${token}`, payload: { ...setupFields, _csrf: csrfFrom(form.body) } });
  // The key is shown in groups of spans; read it as a person copying it would.
  const recoveryKey = /(HWRK(?:-[0-9A-F]{4}){16})/.exec(res.body.replace(/<[^>]+>/g, ''))?.[1];
  return { res, recoveryKey };
}

describe('first-run setup', () => {
  it('prints a setup URL to the log while no administrator exists', () => {
    expect(t.logs.join('')).toMatch(/"setupUrl":"http:\/\/127\.0\.0\.1:3000\/setup\?token=[A-Za-z0-9_-]{43}"/);
  });

  it('answers 404 to /setup without the right token', async () => {
    const token = (await issueSetupToken(contextFor(t.app.services, SYSTEM)))!;
    expect((await t.app.inject({ url: '/setup' })).statusCode).toBe(404);
    expect((await t.app.inject({ url: '/setup?token=wrong-token-wrong-token-wrong' })).statusCode).toBe(404);
    expect((await t.app.inject({ url: `/setup?token=${token}` })).statusCode).toBe(200);
  });

  it('keeps everything typed when a field is wrong, except the passwords', async () => {
    const token = (await issueSetupToken(contextFor(t.app.services, SYSTEM)))!;
    const form = await t.app.inject({ url: `/setup?token=${token}` });
    const res = await t.app.inject({
      method: 'POST',
      url: `/setup?token=${token}`,
      payload: { ...setupFields, password: 'password1234', confirm: 'password1234', _csrf: csrfFrom(form.body) },
    });
    expect(res.statusCode).toBe(422);
    expect(res.body).toContain('This password is too common');
    expect(res.body).toContain('value="Riverbend County District Attorney"');
    expect(res.body).not.toContain('password1234');
  });

  it('creates the office, the administrator and the recovery key, shown once', async () => {
    const { res, recoveryKey } = await completeSetup((await issueSetupToken(contextFor(t.app.services, SYSTEM)))!);
    expect(res.statusCode).toBe(200);
    expect(res.headers['cache-control']).toBe('no-store');
    expect(parseRecoveryKey(recoveryKey!)).toHaveLength(32);
    const settings = await t.app.services.settings.get();
    expect(settings).toMatchObject({ officeName: 'Riverbend County District Attorney', localTipPhone: '(555) 010-0142', demo: false, mapCenter: { lat: 37.66, lng: -121.87, zoom: 10 }, noticeThirdLanguage: 'Vietnamese' });
    // The page's own header names the office just set up, not the demo office.
    expect(/<span class="brand-office">[^<]*Riverbend County District Attorney/.test(res.body.replaceAll('<!-- -->', ''))).toBe(true);
    // Each group of the key stays whole on its line; breaks only after a dash.
    expect(res.body.match(/<span class="key-group">[0-9A-FHWRK]{4}<\/span>/g)).toHaveLength(17);
    // Leaving the page takes a ticked "stored offline" box (the browser holds the form back until then).
    expect(res.body).toMatch(/<form method="get" action="\/console\/sign-in"[^>]*>[\s\S]*<input id="stored" name="stored" type="checkbox" value="yes" required/);
    expect(res.body).not.toContain('href="/console/sign-in"');
    // A print button the print island shows; without script the page names the browser's command.
    expect(res.body).toMatch(/<button type="button" class="secondary" data-print(="")? hidden>Print this page<\/button>/);
    expect(res.body).toMatch(/<script src="\/assets\/print-[0-9a-f]+\.js"/);
    const home = await t.app.inject({ url: '/' });
    expect(home.body).toContain('Riverbend County District Attorney');
    expect(home.body).not.toContain('demo-banner');
    // No demo contact or social placeholder survives setup: empty, so the footer leaves it out.
    expect(settings).toMatchObject({ contactEmail: '', contactAddress: '', officePhone: '', facebookUrl: '', twitterUrl: '', instagramUrl: '' });
    for (const demo of ['heatwatch@example.org', '100 Example Street', 'https://www.facebook.com/', 'https://x.com/', 'https://www.instagram.com/']) expect(home.body).not.toContain(demo);
  });

  it('never stores the recovery private key, but the office key it unlocks works', async () => {
    const recoveryKey = (await completeSetup((await issueSetupToken(contextFor(t.app.services, SYSTEM)))!)).recoveryKey!;
    const hex = Buffer.from(parseRecoveryKey(recoveryKey)!).toString('hex');
    const dump = JSON.stringify(await t.app.services.db.selectFrom('officeKeys').selectAll().execute()) + JSON.stringify(await t.app.services.db.selectFrom('appSecrets').selectAll().execute());
    expect(dump.toLowerCase()).not.toContain(hex);
    const office = await officePublicKey(contextFor(t.app.services, SYSTEM));
    const box = await seal(new TextEncoder().encode('tip key'), office!.publicKey);
    const keyPair = await unlockOfficeKey(contextFor(t.app.services, SYSTEM), recoveryKey.toLowerCase().replaceAll('-', ' '));
    expect(new TextDecoder().decode(await openSealed(box, keyPair!))).toBe('tip key');
    expect(await unlockOfficeKey(contextFor(t.app.services, SYSTEM), 'HWRK-' + '0000-'.repeat(15) + '0000')).toBeUndefined();
    expect(fromBase64((await t.app.services.db.selectFrom('officeKeys').select('publicKey').executeTakeFirst())!.publicKey)).toHaveLength(32);
  });

  it('refuses a second setup: the URL is dead', async () => {
    const token = (await issueSetupToken(contextFor(t.app.services, SYSTEM)))!;
    expect((await completeSetup(token)).res.statusCode).toBe(200);
    expect((await t.app.inject({ url: `/setup?token=${token}` })).statusCode).toBe(404);
    expect(await issueSetupToken(contextFor(t.app.services, SYSTEM))).toBeUndefined();
  });

  it('lets the administrator sign in and requires enrolling TOTP first', async () => {
    expect((await completeSetup((await issueSetupToken(contextFor(t.app.services, SYSTEM)))!)).res.statusCode).toBe(200);
    const form = await t.app.inject({ url: '/console/sign-in' });
    const res = await t.app.inject({ method: 'POST', url: '/console/sign-in', payload: { email: 'alex.admin@example.org', password: setupFields.password, _csrf: csrfFrom(form.body) } });
    expect(res.headers.location).toBe('/console/account/two-factor/setup');
    const cookie = cookieFrom(res.headers['set-cookie']);
    expect((await t.app.inject({ url: '/console/accounts', headers: { cookie } })).headers.location).toBe('/console/sign-in/second-factor');
    const enrol = await t.app.inject({ url: '/console/account/two-factor/setup', headers: { cookie } });
    const secret = /<p class="secret-box"[^>]*>(?:<span class="visually-hidden">[^<]*<\/span>)?([A-Z2-7 ]+)<\/p>/.exec(enrol.body)![1]!.replaceAll(' ', '');
    const qr = await t.app.inject({ url: '/console/account/two-factor/qr.svg', headers: { cookie } });
    expect(qr.headers['content-type']).toBe('image/svg+xml');
    const code = totpFor(secret, 'x', 'x').generate({ timestamp: t.clock.now().getTime() });
    const done = await t.app.inject({ method: 'POST', url: '/console/account/two-factor/setup', headers: { cookie }, payload: { code, _csrf: csrfFrom(enrol.body) } });
    expect(done.statusCode).toBe(200);
    expect(done.body.match(/[a-z0-9]{5}-[a-z0-9]{5}/g)?.length).toBeGreaterThanOrEqual(10);
    // Enrolment completes the sign-in under a new session id; the password-only one is gone.
    const signedIn = cookieFrom(done.headers['set-cookie']);
    expect((await t.app.inject({ url: '/console/accounts', headers: { cookie: signedIn } })).statusCode).toBe(200);
    expect((await t.app.inject({ url: '/console/accounts', headers: { cookie } })).statusCode).toBe(303);
  });
});
