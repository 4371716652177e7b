import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, expect } from 'vitest';
import { createTestApp, type TestApp } from '../helpers/app.ts';
import { createStaff, csrfFrom, signIn, type SignedIn, type TestStaff } from '../helpers/staff.ts';
import { SoftAuthenticator } from '../helpers/webauthn.ts';
import { contextFor, SYSTEM } from '../../src/core/context.ts';
import { setAccountActive } from '../../src/modules/accounts/accounts.service.ts';
import { inviteAccount, requestPasswordReset } from '../../src/modules/accounts/invitations.service.ts';
import { issueSetupToken } from '../../src/modules/accounts/setup.service.ts';
import { type ActionCase, actorOfStaff, describeAuditedActions } from './testing.ts';

// Accounts, invitations, one's own account and first-run setup, each through its console route.
let t: TestApp;
let adminStaff: TestStaff;
let admin: SignedIn;
let selfStaff: TestStaff;
let self: SignedIn;

const db = () => t.app.services.db;
const unique = (name: string) => `${name}-${randomBytes(4).toString('hex')}@example.org`;
const NEW_PASSWORD = 'quartz meadow lantern harbor';

beforeAll(async () => {
  t = await createTestApp();
  adminStaff = await createStaff(t, ['administrator']);
  admin = await signIn(t, adminStaff);
  selfStaff = await createStaff(t, ['investigator']);
  self = await signIn(t, selfStaff);
});
afterAll(async () => t.close());

const invitationIdOf = async (email: string) => (await db().selectFrom('invitations').select('id').where('email', '=', email).executeTakeFirstOrThrow()).id;
const accountIdOf = async (email: string) => (await db().selectFrom('accounts').select('id').where('email', '=', email).executeTakeFirstOrThrow()).id;
const invite = (email: string) => inviteAccount(contextFor(t.app.services, actorOfStaff(adminStaff)), { email, displayName: 'Ivy Invitee', roles: ['volunteer'], locale: 'en' });

/** Sets a password through an invitation or reset link, as the person holding it does. */
async function useLink(token: string) {
  const page = await t.app.inject({ url: `/console/invitations/${token}` });
  return { post: () => t.app.inject({ method: 'POST', url: `/console/invitations/${token}`, payload: { password: NEW_PASSWORD, confirm: NEW_PASSWORD, _csrf: csrfFrom(page.body) } }) };
}

/** An administrator acting on a staff account of its own. */
function onAccount(name: string, url: (id: string) => string, fields: Record<string, string | string[]> = {}, setup?: (id: string) => Promise<unknown>): ActionCase[] {
  return [
    {
      name,
      async run(act) {
        const target = await createStaff(t, ['volunteer']);
        await setup?.(target.account.id);
        const res = await act(() => admin.post(url(target.account.id), fields));
        expect(res.statusCode).toBe(303);
        return { actor: actorOfStaff(adminStaff), targetType: 'account', targetId: target.account.id };
      },
    },
  ];
}

/** The reset link of an account of its own, used: the new password and the new keys are both recorded. */
const resetUsed = (also: string): ActionCase => ({
  name: 'the holder of a reset link sets a new password',
  async run(act) {
    const staff = await createStaff(t, ['tip_reviewer']);
    const link = await useLink(await requestPasswordReset(contextFor(t.app.services, actorOfStaff(adminStaff)), staff.account.id));
    expect((await act(link.post)).statusCode).toBe(303);
    return { actor: actorOfStaff(staff), targetType: 'account', targetId: staff.account.id, also: [also] };
  },
});

/** A passkey added from the account page, as the island posts it. */
async function addPasskey(session: SignedIn, act?: <T>(perform: () => Promise<T>) => Promise<T>): Promise<string> {
  const device = new SoftAuthenticator({ origin: new URL(t.config.baseUrl).origin, rpId: new URL(t.config.baseUrl).hostname });
  const _csrf = csrfFrom((await session.get('/console/account')).body);
  const json = (url: string, payload: Record<string, unknown>) => t.app.inject({ method: 'POST', url, headers: { cookie: session.cookie, accept: 'application/json' }, payload });
  const options = (await json('/console/account/passkeys/options', { _csrf })).json();
  const add = () => json('/console/account/passkeys', { _csrf, name: 'Desk key', password: selfStaff.password, response: device.register(options) });
  const res = await (act ? act(add) : add());
  expect(res.statusCode).toBe(200);
  return device.id;
}

/** First-run setup in an app of its own: it needs an office without an administrator. */
const setupCase = (action: string, also: string): ActionCase => ({
  name: 'first-run setup creates the office and its administrator',
  async run(act) {
    const fresh = await createTestApp();
    try {
      const token = (await issueSetupToken(contextFor(fresh.app.services, SYSTEM)))!;
      const form = await fresh.app.inject({ url: `/setup?token=${token}` });
      const email = unique('first-admin');
      const fields = { officeName: 'Test County DA', county: 'Test County', state: 'California', localTipPhone: '555 0100', languages: ['en'], adminName: 'First Admin', adminEmail: email, password: NEW_PASSWORD, confirm: NEW_PASSWORD };
      const res = await act(() => fresh.app.inject({ method: 'POST', url: `/setup?token=${token}`, payload: { ...fields, _csrf: csrfFrom(form.body) } }), fresh.app.services.db);
      expect(res.statusCode).toBe(200);
      const id = (await fresh.app.services.db.selectFrom('accounts').select('id').where('email', '=', email).executeTakeFirstOrThrow()).id;
      const target = action === 'setup.completed' ? { targetType: 'account', targetId: id } : { targetType: 'office_key', targetId: null };
      return { actor: { id, label: email }, ...target, also: [also] };
    } finally {
      await fresh.close();
    }
  },
});

describeAuditedActions('accounts', db, {
  'account.invite': [
    {
      name: 'an administrator invites a staff member',
      async run(act) {
        const email = unique('invitee');
        const res = await act(() => admin.post('/console/accounts/invite', { displayName: 'Ivy Invitee', email, roles: ['volunteer'], locale: 'en' }));
        expect(res.statusCode).toBe(303);
        return { actor: actorOfStaff(adminStaff), targetType: 'invitation', targetId: await invitationIdOf(email) };
      },
    },
  ],
  'account.create': [
    {
      name: 'the invited person sets a password',
      async run(act) {
        const email = unique('newcomer');
        const link = await useLink(await invite(email));
        expect((await act(link.post)).statusCode).toBe(303);
        const id = await accountIdOf(email);
        return { actor: { id, label: email }, targetType: 'account', targetId: id };
      },
    },
  ],
  'account.invitation_replaced': [
    {
      name: 'an administrator invites an address again while its first invitation is pending',
      async run(act) {
        const email = unique('reinvited');
        await invite(email);
        const first = await invitationIdOf(email);
        const res = await act(() => admin.post('/console/accounts/invite', { displayName: 'Ivy Invitee', email, roles: ['investigator'], locale: 'en' }));
        expect(res.statusCode).toBe(303);
        return { actor: actorOfStaff(adminStaff), targetType: 'invitation', targetId: first, also: ['account.invite'] };
      },
    },
  ],
  'account.invitation_revoked': [
    {
      name: 'an administrator revokes an invitation',
      async run(act) {
        const email = unique('revoked');
        await invite(email);
        const id = await invitationIdOf(email);
        expect((await act(() => admin.post(`/console/accounts/invitations/${id}/revoke`, {}))).statusCode).toBe(303);
        return { actor: actorOfStaff(adminStaff), targetType: 'invitation', targetId: id };
      },
    },
  ],
  'account.password_reset_requested': onAccount('an administrator sends a reset link', (id) => `/console/accounts/${id}/reset-password`),
  'account.password_reset_completed': [resetUsed('account.keys_replaced')],
  'account.keys_replaced': [resetUsed('account.password_reset_completed')],
  'account.roles_changed': onAccount('an administrator changes roles', (id) => `/console/accounts/${id}/roles`, { roles: ['investigator'] }),
  'account.deactivated': onAccount('an administrator deactivates an account', (id) => `/console/accounts/${id}/status`, { active: 'no' }),
  'account.reactivated': onAccount('an administrator reactivates an account', (id) => `/console/accounts/${id}/status`, { active: 'yes' }, (id) =>
    setAccountActive(contextFor(t.app.services, actorOfStaff(adminStaff)), id, false),
  ),
  'account.second_factor_reset': onAccount('an administrator resets a second factor', (id) => `/console/accounts/${id}/reset-second-factor`),
  'account.password_changed': [
    {
      name: 'a staff member changes their password',
      async run(act) {
        const staff = await createStaff(t, ['volunteer']);
        const session = await signIn(t, staff);
        const res = await act(() => session.post('/console/account/password', { current: staff.password, password: NEW_PASSWORD, confirm: NEW_PASSWORD }));
        expect(res.statusCode).toBe(303);
        return { actor: actorOfStaff(staff), targetType: 'account', targetId: staff.account.id };
      },
    },
  ],
  'account.locale_changed': [
    {
      name: 'a staff member chooses their language',
      async run(act) {
        expect((await act(() => self.post('/console/account/locale', { locale: 'es' }))).statusCode).toBe(303);
        return { actor: actorOfStaff(selfStaff), targetType: 'account', targetId: selfStaff.account.id };
      },
    },
  ],
  'auth.signed_out_everywhere': [
    {
      name: 'a staff member signs out their other sessions',
      async run(act) {
        expect((await act(() => self.post('/console/account/sessions/sign-out-everywhere', {}))).statusCode).toBe(303);
        return { actor: actorOfStaff(selfStaff), targetType: 'account', targetId: selfStaff.account.id };
      },
    },
  ],
  'auth.session_revoked': [
    {
      name: 'a staff member ends one other session',
      async run(act) {
        const staff = await createStaff(t, ['volunteer']);
        const here = await signIn(t, staff);
        await signIn(t, staff);
        const page = await here.get('/console/account/sessions');
        const handles = [...page.body.matchAll(/\/console\/account\/sessions\/([^/"]+)\/revoke/g)].map((m) => m[1]!);
        expect(handles).toHaveLength(1);
        expect((await act(() => here.post(`/console/account/sessions/${handles[0]}/revoke`, {}))).statusCode).toBe(303);
        return { actor: actorOfStaff(staff), targetType: 'account', targetId: staff.account.id };
      },
    },
  ],
  'auth.reauth_failed': [
    {
      name: 'a wrong password when replacing the authenticator app',
      async run(act) {
        const page = await self.get('/console/account/two-factor/setup');
        const res = await act(() => self.post('/console/account/two-factor/setup', { code: '123456', password: 'not my password at all' }, '/console/account/two-factor/setup'));
        expect(page.statusCode).toBe(200);
        expect(res.statusCode).toBe(422);
        return { actor: actorOfStaff(selfStaff), targetType: 'account', targetId: selfStaff.account.id };
      },
    },
  ],
  'auth.unlock_failed': [
    {
      name: 'a wrong password on the unlock page',
      async run(act) {
        expect((await act(() => self.post('/console/account/unlock', { password: 'not my password at all', next: '/console' }))).statusCode).toBe(422);
        return { actor: actorOfStaff(selfStaff), targetType: 'account', targetId: selfStaff.account.id };
      },
    },
  ],
  'auth.recovery_codes_regenerated': [
    {
      name: 'a staff member makes new recovery codes',
      async run(act) {
        expect((await act(() => self.post('/console/account/recovery-codes', {}))).statusCode).toBe(200);
        return { actor: actorOfStaff(selfStaff), targetType: 'account', targetId: selfStaff.account.id };
      },
    },
  ],
  'auth.passkey_added': [
    {
      name: 'a staff member adds a passkey',
      async run(act) {
        await addPasskey(self, act);
        return { actor: actorOfStaff(selfStaff), targetType: 'account', targetId: selfStaff.account.id };
      },
    },
  ],
  'auth.passkey_removed': [
    {
      name: 'a staff member removes a passkey',
      async run(act) {
        const id = await addPasskey(self);
        expect((await act(() => self.post(`/console/account/passkeys/${id}/delete`, {}))).headers.location).toBe('/console/account?notice=passkeyRemoved');
        return { actor: actorOfStaff(selfStaff), targetType: 'account', targetId: selfStaff.account.id };
      },
    },
  ],
  'setup.completed': [setupCase('setup.completed', 'office_key.created')],
  'office_key.created': [setupCase('office_key.created', 'setup.completed')],
});
