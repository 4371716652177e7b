import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/helpers/app.ts';
import { createStaff, csrfFrom, signIn } from '../../../test/helpers/staff.ts';
import { SoftAuthenticator } from '../../../test/helpers/webauthn.ts';
import * as repo from './repo.ts';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => t.close());

const device = () => new SoftAuthenticator({ origin: new URL(t.config.baseUrl).origin, rpId: new URL(t.config.baseUrl).hostname });

/** A JSON post as the passkey island sends it. */
function postJson(cookie: string, url: string, body: Record<string, unknown>) {
  return t.app.inject({ method: 'POST', url, headers: { cookie, accept: 'application/json' }, payload: body });
}

const auditRows = (action: string) => t.app.services.db.selectFrom('auditLog').select('detail').where('action', '=', action).execute();

describe('a second factor added from a signed-in session', () => {
  it('asks for the password again before a signed-in session adds a passkey', async () => {
    const staff = await createStaff(t, ['investigator']);
    const session = await signIn(t, staff);
    const page = await session.get('/console/account');
    expect(page.body).toContain('autocomplete="current-password"');
    const _csrf = csrfFrom(page.body);
    const failuresBefore = (await auditRows('auth.reauth_failed')).length;
    for (const password of [undefined, 'not my password at all']) {
      const key = device();
      const options = await postJson(session.cookie, '/console/account/passkeys/options', { _csrf });
      const res = await postJson(session.cookie, '/console/account/passkeys', { _csrf, name: 'Planted', password, response: key.register(options.json()) });
      expect(res.statusCode, String(password)).toBe(422);
      expect(res.json(), String(password)).toEqual({ error: 'passkey_failed', reason: 'password' });
      expect(await repo.findPasskey(t.app.services.db, staff.account.id, key.id), String(password)).toBeUndefined();
    }
    expect((await auditRows('auth.reauth_failed')).length - failuresBefore).toBeGreaterThanOrEqual(2);
    const key = device();
    const options = await postJson(session.cookie, '/console/account/passkeys/options', { _csrf });
    const res = await postJson(session.cookie, '/console/account/passkeys', { _csrf, name: 'Mine', password: staff.password, response: key.register(options.json()) });
    expect(res.statusCode).toBe(200);
    expect(await repo.findPasskey(t.app.services.db, staff.account.id, key.id)).toMatchObject({ name: 'Mine' });
  });

  it('asks for the password again before a signed-in session replaces the authenticator app', async () => {
    const staff = await createStaff(t, ['volunteer']);
    const session = await signIn(t, staff);
    const setup = await session.get('/console/account/two-factor/setup');
    expect(setup.statusCode).toBe(200);
    expect(setup.body).toContain('name="password"');
    const secret = /<p class="secret-box"[^>]*>(?:<span class="visually-hidden">[^<]*<\/span>)?([A-Z2-7 ]+)<\/p>/.exec(setup.body)![1]!.replaceAll(' ', '');
    const { totpFor } = await import('./totp.ts');
    const post = (fields: Record<string, string>) => t.app.inject({ method: 'POST', url: '/console/account/two-factor/setup', headers: { cookie: session.cookie }, payload: { ...fields, _csrf: csrfFrom(setup.body) } });
    const totpBox = async () => (await repo.findAccountById(t.app.services.db, staff.account.id))!.totpSecretBox;
    const before = await totpBox();
    for (const password of [undefined, 'not my password at all']) {
      t.clock.advance(31_000);
      const code = totpFor(secret, 'x', 'x').generate({ timestamp: t.clock.now().getTime() });
      const res = await post(password === undefined ? { code } : { code, password });
      expect(res.statusCode, String(password)).toBe(422);
      expect(res.body, String(password)).toContain('That is not your current password.');
      expect(await totpBox(), String(password)).toBe(before);
    }
    t.clock.advance(31_000);
    const code = totpFor(secret, 'x', 'x').generate({ timestamp: t.clock.now().getTime() });
    const res = await post({ code, password: staff.password });
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('Your recovery codes');
    expect(await totpBox()).not.toBe(before);
  });
});
