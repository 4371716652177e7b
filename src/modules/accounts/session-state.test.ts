import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/helpers/app.ts';
import { createStaff, csrfFrom, signIn, type SignedIn, type TestStaff } from '../../../test/helpers/staff.ts';

// What the console guard put on each signed-in request, by account: the test reads it after the guard ran.
const seen = new Map<string, { account: object; session: object; json: string }>();
let t: TestApp;

beforeAll(async () => {
  t = await createTestApp({
    beforeReady: (app) =>
      app.addHook('preHandler', async (request) => {
        const staff = request.staff;
        if (staff) seen.set(staff.account.id, { account: staff.account, session: staff.session, json: JSON.stringify({ ...staff, keyPair: undefined }) });
      }),
  });
});
afterAll(async () => t.close());

async function signedIn(): Promise<{ staff: TestStaff; session: SignedIn }> {
  const staff = await createStaff(t, ['tip_reviewer']);
  return { staff, session: await signIn(t, staff) };
}

const sessionRow = (accountId: string) => t.app.services.db.selectFrom('sessions').selectAll().where('accountId', '=', accountId).executeTakeFirstOrThrow();

describe('what a signed-in request carries', () => {
  it('holds the account without its password hash, key box or TOTP secret', async () => {
    const { staff, session } = await signedIn();
    expect((await session.get('/console/account')).statusCode).toBe(200);
    const loaded = seen.get(staff.account.id)!;
    expect(Object.keys(loaded.account).sort()).toEqual(['createdAt', 'displayName', 'email', 'id', 'keysCreatedAt', 'lastSignInAt', 'locale', 'status', 'totpEnabledAt']);
    for (const secret of [staff.account.passwordHash, staff.account.privateKeyBox, staff.account.keySalt, staff.account.totpSecretBox!]) {
      expect(loaded.json).not.toContain(secret);
    }
  });

  it('holds the session without a TOTP secret being enrolled', async () => {
    const { staff, session } = await signedIn();
    const enrol = await session.get('/console/account/two-factor/setup');
    expect(enrol.statusCode).toBe(200);
    const pending = (await sessionRow(staff.account.id)).pendingTotpBox;
    expect(pending).not.toBeNull();
    await session.get('/console/account');
    const loaded = seen.get(staff.account.id)!;
    expect(Object.keys(loaded.session).sort()).toEqual(['accountId', 'createdAt', 'csrfSecret', 'device', 'expiresAt', 'idHash', 'lastSeenAt', 'secondFactorAt']);
    expect(loaded.json).not.toContain(pending);
    // The secret being enrolled is read from the session row, so every view shows the same one.
    const secretOf = (html: string) => /class="secret-box"[^>]*>(?:<span class="visually-hidden">[^<]*<\/span>)?([^<]+)</.exec(html)?.[1];
    expect(secretOf(enrol.body)).toMatch(/^[A-Z2-7]{4}( [A-Z2-7]{1,4})+$/);
    expect(secretOf((await session.get('/console/account/two-factor/setup')).body)).toBe(secretOf(enrol.body));
  });
});

describe('the services that need the secret columns read them themselves', () => {
  const unlock = async (session: SignedIn, password: string) => {
    const form = await session.get('/console/account/unlock');
    return t.app.inject({ method: 'POST', url: '/console/account/unlock', headers: { cookie: session.cookie }, payload: { password, next: '/console', _csrf: csrfFrom(form.body) } });
  };

  it('unlocks keys with the password and refuses, audited, a wrong one', async () => {
    const { staff, session } = await signedIn();
    expect((await unlock(session, staff.password)).headers.location).toBe('/console/account?notice=unlocked');
    const refused = await unlock(session, `${staff.password} wrong`);
    expect(refused.statusCode).toBe(422);
    const audited = await t.app.services.db.selectFrom('auditLog').select('action').where('actorId', '=', staff.account.id).where('action', '=', 'auth.unlock_failed').execute();
    expect(audited).toHaveLength(1);
  });

  it('changes the password only against the current one, and the keys follow the new one', async () => {
    const { staff, session } = await signedIn();
    const next = `a new passphrase ${randomBytes(6).toString('hex')} for the console`;
    const wrong = await session.post('/console/account/password', { current: `${staff.password} wrong`, password: next, confirm: next }, '/console/account/password');
    expect(wrong.statusCode).toBe(422);
    const changed = await session.post('/console/account/password', { current: staff.password, password: next, confirm: next }, '/console/account/password');
    expect(changed.headers.location).toBe('/console/account/password?done=1');
    expect((await unlock(session, staff.password)).statusCode).toBe(422);
    expect((await unlock(session, next)).headers.location).toBe('/console/account?notice=unlocked');
  });
});
