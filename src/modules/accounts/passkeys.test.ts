import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/helpers/app.ts';
import { cookieFrom, createStaff, csrfFrom, signIn, type TestStaff } from '../../../test/helpers/staff.ts';
import { SoftAuthenticator } from '../../../test/helpers/webauthn.ts';
import { verifyAuditChain } from '../../core/audit/audit.ts';
import * as repo from './repo.ts';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => t.close());

const device = () => new SoftAuthenticator({ origin: new URL(t.config.baseUrl).origin, rpId: new URL(t.config.baseUrl).hostname });

/** A JSON post as the island sends it. */
function postJson(cookie: string, url: string, body: Record<string, unknown>) {
  return t.app.inject({ method: 'POST', url, headers: { cookie, accept: 'application/json' }, payload: body });
}

async function passwordStep(staff: TestStaff) {
  const form = await t.app.inject({ url: '/console/sign-in' });
  const res = await t.app.inject({ method: 'POST', url: '/console/sign-in', payload: { email: staff.account.email, password: staff.password, _csrf: csrfFrom(form.body) } });
  expect(res.statusCode).toBe(303);
  return { cookie: cookieFrom(res.headers['set-cookie']), location: String(res.headers.location) };
}

/** Registers `authenticator` on a fully signed-in account from the account page. */
async function addPasskey(staff: TestStaff, authenticator: SoftAuthenticator, name = 'Work laptop') {
  const session = await signIn(t, staff);
  const page = await session.get('/console/account');
  const _csrf = csrfFrom(page.body);
  const options = await postJson(session.cookie, '/console/account/passkeys/options', { _csrf });
  expect(options.statusCode).toBe(200);
  const res = await postJson(session.cookie, '/console/account/passkeys', { _csrf, name, password: staff.password, response: authenticator.register(options.json()) });
  return { session, res, options: options.json() };
}

/** Password, then the second-factor page: the cookie and token the passkey posts carry. */
async function atSecondFactor(staff: TestStaff) {
  const { cookie } = await passwordStep(staff);
  const page = await t.app.inject({ url: '/console/sign-in/second-factor', headers: { cookie } });
  return { cookie, page, _csrf: csrfFrom(page.body) };
}

async function passkeyOptions(cookie: string, _csrf: string) {
  const res = await postJson(cookie, '/console/sign-in/passkey/options', { _csrf });
  expect(res.statusCode).toBe(200);
  return res.json();
}

async function auditRows(action: string): Promise<{ detail: string | null }[]> {
  return t.app.services.db.selectFrom('auditLog').select('detail').where('action', '=', action).orderBy('seq').execute();
}

describe('passkeys', () => {
  it('adds a passkey from the account page with options that exclude the ones already there', async () => {
    const staff = await createStaff(t, ['investigator']);
    const key = device();
    const { session, res, options } = await addPasskey(staff, key);
    expect(options.rp.id).toBe(new URL(t.config.baseUrl).hostname);
    expect(options.authenticatorSelection).toMatchObject({ residentKey: 'preferred', userVerification: 'preferred' });
    expect(options.excludeCredentials).toEqual([]);
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ redirect: '/console/account?notice=passkeyAdded' });
    const page = await session.get('/console/account?notice=passkeyAdded');
    expect(page.body).toContain('Work laptop');
    expect(page.body).toContain('Passkey added.');
    expect(page.body).toMatch(/<script src="\/assets\/passkey-[0-9a-f]+\.js" defer/);
    expect(page.body).toContain('data-passkey-register="/console/account/passkeys"');
    expect(page.body).toContain('data-label-button="Add a passkey"');
    const again = await postJson(session.cookie, '/console/account/passkeys/options', { _csrf: csrfFrom(page.body) });
    expect(again.json().excludeCredentials).toEqual([{ id: key.id, type: 'public-key', transports: ['internal'] }]);
    expect((await auditRows('auth.passkey_added')).length).toBeGreaterThan(0);
  });

  it('refuses a registration for another origin, or answering the same challenge twice', async () => {
    const staff = await createStaff(t, ['volunteer']);
    const session = await signIn(t, staff);
    const _csrf = csrfFrom((await session.get('/console/account')).body);
    const options = (await postJson(session.cookie, '/console/account/passkeys/options', { _csrf })).json();
    const key = device();
    const forged = await postJson(session.cookie, '/console/account/passkeys', { _csrf, name: 'x', response: key.register(options, { origin: 'https://evil.example' }) });
    expect(forged.statusCode).toBe(422);
    // The challenge was spent on the refused answer.
    const late = await postJson(session.cookie, '/console/account/passkeys', { _csrf, name: 'x', response: key.register(options) });
    expect(late.statusCode).toBe(422);
    expect(await repo.countPasskeys(t.app.services.db, staff.account.id)).toBe(0);
  });

  it('needs the CSRF token in the JSON body', async () => {
    const staff = await createStaff(t, ['volunteer']);
    const session = await signIn(t, staff);
    const challenge = async () => (await t.app.services.db.selectFrom('sessions').select('webauthnChallenge').where('accountId', '=', staff.account.id).executeTakeFirstOrThrow()).webauthnChallenge;
    const refused = await postJson(session.cookie, '/console/account/passkeys/options', {});
    expect(refused.statusCode).toBe(403);
    expect(refused.json()).toEqual({ error: 'csrf' });
    expect(await challenge()).toBeNull();
    // The same post with the token is answered, so the 403 came from the token, not the permission.
    const _csrf = csrfFrom((await session.get('/console/account')).body);
    expect((await postJson(session.cookie, '/console/account/passkeys/options', { _csrf })).statusCode).toBe(200);
    expect(await challenge()).not.toBeNull();
  });

  it('signs in with password then passkey, with a new session id, and the console opens', async () => {
    const staff = await createStaff(t, ['tip_reviewer']);
    const key = device();
    await addPasskey(staff, key);
    const { cookie, page, _csrf } = await atSecondFactor(staff);
    expect(page.body).toContain('data-passkey-signin="/console/sign-in/passkey"');
    expect(page.body).toContain('data-label-button="Use a passkey"');
    expect((await t.app.inject({ url: '/console', headers: { cookie } })).headers.location).toBe('/console/sign-in/second-factor');
    const options = await passkeyOptions(cookie, _csrf);
    expect(options.allowCredentials).toEqual([{ id: key.id, type: 'public-key', transports: ['internal'] }]);
    expect(options.userVerification).toBe('preferred');
    const res = await postJson(cookie, '/console/sign-in/passkey', { _csrf, response: key.authenticate(options), next: '/console/account' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ redirect: '/console/account' });
    const fresh = cookieFrom(res.headers['set-cookie']);
    expect(fresh).not.toBe(cookie);
    const home = await t.app.inject({ url: '/console', headers: { cookie: fresh } });
    expect(home.statusCode).toBe(200);
    expect(home.body).toContain('Welcome, Staff tip_reviewer');
    // The password-only session is gone.
    expect((await t.app.inject({ url: '/console', headers: { cookie } })).headers.location).toMatch(/^\/console\/sign-in/);
    const passed = await auditRows('auth.second_factor_passed');
    expect(JSON.parse(passed.at(-1)!.detail!)).toEqual({ method: 'passkey' });
    const stored = await repo.findPasskey(t.app.services.db, staff.account.id, key.id);
    expect(stored).toMatchObject({ counter: 1 });
    expect(stored!.lastUsedAt).not.toBeNull();
  });

  it('refuses a wrong signature, a replayed counter, a reused challenge and another origin', async () => {
    const staff = await createStaff(t, ['volunteer']);
    const key = device();
    await addPasskey(staff, key);
    const first = await atSecondFactor(staff);
    const ok = await postJson(first.cookie, '/console/sign-in/passkey', { _csrf: first._csrf, response: key.authenticate(await passkeyOptions(first.cookie, first._csrf)) });
    expect(ok.statusCode).toBe(200);
    const { cookie, _csrf } = await atSecondFactor(staff);
    const tampered = await postJson(cookie, '/console/sign-in/passkey', { _csrf, response: key.authenticate(await passkeyOptions(cookie, _csrf), { tamper: true }) });
    expect(tampered.statusCode).toBe(422);
    expect(tampered.json()).toEqual({ error: 'passkey_failed', attemptsLeft: 4 });

    // A counter that did not move past the stored one (1): what a cloned authenticator would send.
    const replay = await postJson(cookie, '/console/sign-in/passkey', { _csrf, response: key.authenticate(await passkeyOptions(cookie, _csrf), { counter: 1 }) });
    expect(replay.statusCode).toBe(422);

    const options = await passkeyOptions(cookie, _csrf);
    const good = key.authenticate(options, { counter: 7 });
    const wrongOrigin = await postJson(cookie, '/console/sign-in/passkey', { _csrf, response: key.authenticate(options, { origin: 'https://evil.example' }) });
    expect(wrongOrigin.statusCode).toBe(422);
    // A good answer to a challenge already spent is refused too.
    const stale = await postJson(cookie, '/console/sign-in/passkey', { _csrf, response: good });
    expect(stale.statusCode).toBe(422);
    expect(stale.json().attemptsLeft).toBe(1);
    expect((await t.app.inject({ url: '/console', headers: { cookie } })).statusCode).toBe(303);
    expect((await repo.findPasskey(t.app.services.db, staff.account.id, key.id))!.counter).toBe(1);
    // The same device, answering properly with a counter that moved on, is still welcome.
    const fine = await postJson(cookie, '/console/sign-in/passkey', { _csrf, response: key.authenticate(await passkeyOptions(cookie, _csrf), { counter: 2 }) });
    expect(fine.statusCode).toBe(200);
    expect((await repo.findPasskey(t.app.services.db, staff.account.id, key.id))!.counter).toBe(2);
  });

  it('keeps a signature counter above 2^31, as some authenticators send', async () => {
    const staff = await createStaff(t, ['volunteer']);
    const key = device();
    await addPasskey(staff, key);
    const high = 2 ** 31 + 12_345;
    const { cookie, _csrf } = await atSecondFactor(staff);
    const res = await postJson(cookie, '/console/sign-in/passkey', { _csrf, response: key.authenticate(await passkeyOptions(cookie, _csrf), { counter: high }) });
    expect(res.statusCode).toBe(200);
    expect((await repo.findPasskey(t.app.services.db, staff.account.id, key.id))!.counter).toBe(high);
    // The next answer must still move past it: the stored value was not cut short.
    const again = await atSecondFactor(staff);
    const replay = await postJson(again.cookie, '/console/sign-in/passkey', { _csrf: again._csrf, response: key.authenticate(await passkeyOptions(again.cookie, again._csrf), { counter: high }) });
    expect(replay.statusCode).toBe(422);
  });

  it("refuses someone else's passkey", async () => {
    const owner = await createStaff(t, ['volunteer']);
    const other = await createStaff(t, ['volunteer']);
    const ownerKey = device();
    const otherKey = device();
    await addPasskey(owner, ownerKey);
    await addPasskey(other, otherKey);
    const { cookie, _csrf } = await atSecondFactor(owner);
    const res = await postJson(cookie, '/console/sign-in/passkey', { _csrf, response: otherKey.authenticate(await passkeyOptions(cookie, _csrf)) });
    expect(res.statusCode).toBe(422);
    expect((await t.app.inject({ url: '/console', headers: { cookie } })).statusCode).toBe(303);
  });

  it('counts passkey failures and wrong codes toward one limit, then ends the session', async () => {
    const staff = await createStaff(t, ['volunteer']);
    const key = device();
    await addPasskey(staff, key);
    const { cookie, _csrf } = await atSecondFactor(staff);
    const badPasskey = async () => postJson(cookie, '/console/sign-in/passkey', { _csrf, response: key.authenticate(await passkeyOptions(cookie, _csrf), { tamper: true }) });
    const badCode = () => t.app.inject({ method: 'POST', url: '/console/sign-in/second-factor', headers: { cookie }, payload: { code: '000000', _csrf } });
    expect((await badPasskey()).json().attemptsLeft).toBe(4);
    expect((await badCode()).body).toContain('3 attempts left before you must sign in again.');
    expect((await badPasskey()).json().attemptsLeft).toBe(2);
    expect((await badCode()).statusCode).toBe(422);
    const last = await badPasskey();
    expect(last.statusCode).toBe(403);
    expect(last.json()).toEqual({ error: 'ended', redirect: '/console/sign-in?notice=secondFactorEnded' });
    expect((await t.app.inject({ url: '/console/sign-in/second-factor', headers: { cookie } })).statusCode).toBe(303);
    const failed = await auditRows('auth.second_factor_failed');
    expect(failed.map((r) => JSON.parse(r.detail!).method)).toEqual(expect.arrayContaining(['passkey', 'code']));
  });

  it("removes one's own passkey, keeps the last second factor, and answers 404 for another's", async () => {
    const owner = await createStaff(t, ['volunteer']);
    const stranger = await createStaff(t, ['volunteer']);
    const ownerKey = device();
    const strangerKey = device();
    const { session } = await addPasskey(owner, ownerKey);
    await addPasskey(stranger, strangerKey);
    const path = (id: string) => `/console/account/passkeys/${encodeURIComponent(id)}/delete`;

    const foreign = await session.post(path(strangerKey.id), {});
    expect(foreign.statusCode).toBe(404);
    expect(await repo.countPasskeys(t.app.services.db, stranger.account.id)).toBe(1);
    expect((await session.post(path('no-such-passkey'), {})).statusCode).toBe(404);

    const own = await session.post(path(ownerKey.id), {});
    expect(own.statusCode).toBe(303);
    expect(own.headers.location).toBe('/console/account?notice=passkeyRemoved');
    expect(await repo.countPasskeys(t.app.services.db, owner.account.id)).toBe(0);
    expect((await auditRows('auth.passkey_removed')).length).toBeGreaterThan(0);

    // Without TOTP, an only passkey is the only second factor: it stays.
    await repo.updateAccount(t.app.services.db, stranger.account.id, { totpSecretBox: null, totpEnabledAt: null });
    const strangerSession = await (async () => {
      const { cookie, _csrf } = await atSecondFactor(stranger);
      const res = await postJson(cookie, '/console/sign-in/passkey', { _csrf, response: strangerKey.authenticate(await passkeyOptions(cookie, _csrf)) });
      return cookieFrom(res.headers['set-cookie']);
    })();
    const page = await t.app.inject({ url: '/console/account', headers: { cookie: strangerSession } });
    const kept = await t.app.inject({ method: 'POST', url: path(strangerKey.id), headers: { cookie: strangerSession }, payload: { _csrf: csrfFrom(page.body) } });
    expect(kept.headers.location).toBe('/console/account?notice=passkeyLastFactor');
    expect(await repo.countPasskeys(t.app.services.db, stranger.account.id)).toBe(1);
  });

  it('enrols a passkey instead of TOTP, which completes the sign-in under a new session id', async () => {
    const staff = await createStaff(t, ['content_editor']);
    await repo.updateAccount(t.app.services.db, staff.account.id, { totpSecretBox: null, totpEnabledAt: null });
    const { cookie, location } = await passwordStep(staff);
    expect(location).toBe('/console/account/two-factor/setup');
    const setup = await t.app.inject({ url: location, headers: { cookie } });
    expect(setup.statusCode).toBe(200);
    // TOTP stays the way that works without JavaScript; the passkey is offered beside it.
    expect(setup.body).toContain('action="/console/account/two-factor/setup"');
    expect(setup.body).toContain('data-passkey-register="/console/account/two-factor/passkey"');
    expect(setup.body).toMatch(/<script src="\/assets\/passkey-[0-9a-f]+\.js" defer/);
    const _csrf = csrfFrom(setup.body);
    expect((await postJson(cookie, '/console/account/passkeys/options', { _csrf })).statusCode).toBe(303);
    const options = await postJson(cookie, '/console/account/two-factor/passkey/options', { _csrf });
    expect(options.statusCode).toBe(200);
    const key = device();
    const res = await postJson(cookie, '/console/account/two-factor/passkey', { _csrf, name: '', response: key.register(options.json()) });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ redirect: '/console/account?notice=passkeyEnrolled' });
    const fresh = cookieFrom(res.headers['set-cookie']);
    expect(fresh).not.toBe(cookie);
    const account = await t.app.inject({ url: '/console/account?notice=passkeyEnrolled', headers: { cookie: fresh } });
    expect(account.statusCode).toBe(200);
    expect(account.body).toContain('two-step sign-in is on');
    expect(account.body).toContain('action="/console/account/recovery-codes"');
    expect((await t.app.inject({ url: '/console', headers: { cookie } })).statusCode).toBe(303);
    // Next time, the passkey is the second factor.
    const next = await atSecondFactor(staff);
    const signedIn = await postJson(next.cookie, '/console/sign-in/passkey', { _csrf: next._csrf, response: key.authenticate(await passkeyOptions(next.cookie, next._csrf)) });
    expect(signedIn.statusCode).toBe(200);
    expect((await t.app.inject({ url: '/console', headers: { cookie: cookieFrom(signedIn.headers['set-cookie']) } })).statusCode).toBe(200);
  });

  it('enrolling TOTP first also rotates the session id', async () => {
    const staff = await createStaff(t, ['volunteer']);
    await repo.updateAccount(t.app.services.db, staff.account.id, { totpSecretBox: null, totpEnabledAt: null });
    const { cookie } = await passwordStep(staff);
    const setup = await t.app.inject({ url: '/console/account/two-factor/setup', headers: { cookie } });
    const secret = /<p class="secret-box"[^>]*>(?:<span class="visually-hidden">[^<]*<\/span>)?([A-Z2-7 ]+)<\/p>/.exec(setup.body)![1]!.replaceAll(' ', '');
    const { totpFor } = await import('./totp.ts');
    const code = totpFor(secret, 'x', 'x').generate({ timestamp: t.clock.now().getTime() });
    const res = await t.app.inject({ method: 'POST', url: '/console/account/two-factor/setup', headers: { cookie }, payload: { code, _csrf: csrfFrom(setup.body) } });
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('Your recovery codes');
    const fresh = cookieFrom(res.headers['set-cookie']);
    expect(fresh).not.toBe(cookie);
    expect((await t.app.inject({ url: '/console', headers: { cookie: fresh } })).statusCode).toBe(200);
    expect((await t.app.inject({ url: '/console', headers: { cookie } })).statusCode).toBe(303);
  });

  it('never lets a password-only session enrol a second factor when the account already has one', async () => {
    const staff = await createStaff(t, ['administrator']);
    const { cookie } = await passwordStep(staff);
    const page = await t.app.inject({ url: '/console/sign-in/second-factor', headers: { cookie } });
    const _csrf = csrfFrom(page.body);
    const setup = await t.app.inject({ url: '/console/account/two-factor/setup', headers: { cookie } });
    expect(setup.statusCode).toBe(303);
    expect(setup.headers.location).toBe('/console/sign-in/second-factor');
    expect((await t.app.inject({ url: '/console/account/two-factor/qr.svg', headers: { cookie } })).statusCode).toBe(404);
    const confirm = await t.app.inject({ method: 'POST', url: '/console/account/two-factor/setup', headers: { cookie }, payload: { code: '123456', _csrf } });
    expect(confirm.headers.location).toBe('/console/sign-in/second-factor');
    expect((await postJson(cookie, '/console/account/two-factor/passkey/options', { _csrf })).statusCode).toBe(403);
    expect((await postJson(cookie, '/console/account/two-factor/passkey', { _csrf, response: {} })).statusCode).toBe(403);
    expect((await t.app.inject({ url: '/console', headers: { cookie } })).headers.location).toBe('/console/sign-in/second-factor');
  });

  it('keeps the audit chain intact through all of it', async () => {
    expect(await verifyAuditChain(t.app.services.db)).toMatchObject({ ok: true });
  });
});
