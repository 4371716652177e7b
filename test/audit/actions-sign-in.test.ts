import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, expect } from 'vitest';
import { createTestApp, type TestApp } from '../helpers/app.ts';
import { cookieFrom, createStaff, csrfFrom, signIn, type TestStaff } from '../helpers/staff.ts';
import type { AuditActor } from '../../src/core/audit/audit.ts';
import { contextFor } from '../../src/core/context.ts';
import { CLI_ACTOR } from '../../src/modules/accounts/operator.ts';
import { resetSecondFactors } from '../../src/modules/accounts/second-factor.service.ts';
import { totpFor } from '../../src/modules/accounts/totp.ts';
import { type Act, type ActionCase, actorOfStaff, describeAuditedActions } from './testing.ts';

// Signing in and out: each case from a client address of its own, so no case meets another's limit.
let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => t.close());

const db = () => t.app.services.db;
const ANONYMOUS: AuditActor = { id: null, label: 'anonymous' };
const WRONG = 'certainly not the password';
let clients = 0;
const newClient = () => `198.51.${Math.floor(++clients / 250)}.${(clients % 250) + 1}`;
const staff = () => createStaff(t, ['tip_reviewer']);

async function passwordStep(email: string, password: string, ip: string) {
  const form = await t.app.inject({ url: '/console/sign-in', remoteAddress: ip });
  return t.app.inject({ method: 'POST', url: '/console/sign-in', remoteAddress: ip, payload: { email, password, _csrf: csrfFrom(form.body) } });
}

/** Sends wrong passwords until the answer is 429; each attempt through `act` when given, so the last one counts. */
async function failUntilRefused(account: TestStaff, ip: string, act?: Act) {
  for (let i = 0; i < 50; i++) {
    const attempt = () => passwordStep(account.account.email, WRONG, ip);
    if ((await (act ? act(attempt) : attempt())).statusCode === 429) return;
  }
  throw new Error('the account was never locked');
}

/** A session past the password step, at the second-factor form. */
async function atSecondFactor(account: TestStaff) {
  const first = await passwordStep(account.account.email, account.password, newClient());
  expect(first.headers.location).toMatch(/^\/console\/sign-in\/second-factor/);
  const cookie = cookieFrom(first.headers['set-cookie']);
  t.clock.advance(31_000);
  const page = await t.app.inject({ url: '/console/sign-in/second-factor', headers: { cookie } });
  const right = totpFor(account.totpSecret, 'x', 'x').generate({ timestamp: t.clock.now().getTime() });
  const post = (code: string) => t.app.inject({ method: 'POST', url: '/console/sign-in/second-factor', headers: { cookie }, payload: { code, _csrf: csrfFrom(page.body) } });
  return { right, wrong: String((Number(right) + 1) % 1_000_000).padStart(6, '0'), post };
}

const onAccount = (account: TestStaff, actor = ANONYMOUS) => ({ actor, targetType: 'account', targetId: account.account.id });

const cases: Record<string, ActionCase[]> = {
  'auth.password_accepted': [
    {
      name: 'the right password',
      async run(act) {
        const account = await staff();
        expect((await act(() => passwordStep(account.account.email, account.password, newClient()))).statusCode).toBe(303);
        return onAccount(account, actorOfStaff(account));
      },
    },
  ],
  'auth.sign_in_failed': [
    {
      name: 'a wrong password',
      async run(act) {
        const account = await staff();
        expect((await act(() => passwordStep(account.account.email, WRONG, newClient()))).statusCode).toBe(422);
        return onAccount(account);
      },
    },
    {
      name: 'an e-mail address with no account',
      async run(act) {
        expect((await act(() => passwordStep(`nobody-${randomBytes(4).toString('hex')}@example.org`, WRONG, newClient()))).statusCode).toBe(422);
        return { actor: ANONYMOUS, targetType: null, targetId: null };
      },
    },
  ],
  'auth.account_locked': [
    {
      name: 'the wrong password that locks the account',
      async run(act) {
        const account = await staff();
        await failUntilRefused(account, newClient(), act);
        return { ...onAccount(account), also: ['auth.sign_in_failed'] };
      },
    },
    {
      name: 'the wrong password on the key unlock page that locks the account',
      async run(act) {
        const account = await staff();
        const session = await signIn(t, account);
        const unlock = () => session.post('/console/account/unlock', { password: WRONG, next: '/console' });
        for (let i = 1; i < 5; i++) expect((await unlock()).statusCode).toBe(422);
        expect((await act(unlock)).statusCode).toBe(429);
        return { ...onAccount(account, actorOfStaff(account)), also: ['auth.unlock_failed'] };
      },
    },
  ],
  'auth.sign_in_refused_locked': [
    {
      name: 'the right password while the account is locked',
      async run(act) {
        const account = await staff();
        const ip = newClient();
        await failUntilRefused(account, ip);
        expect((await act(() => passwordStep(account.account.email, account.password, ip))).statusCode).toBe(429);
        return onAccount(account);
      },
    },
  ],
  'auth.sign_in_throttled': [
    {
      name: 'one client past its limit of attempts',
      async run(act) {
        const account = await staff();
        const ip = newClient();
        let answer = 0;
        for (let i = 0; i < 200 && answer !== 429; i++) answer = (await passwordStep(`spray-${i}-${randomBytes(3).toString('hex')}@example.org`, WRONG, ip)).statusCode;
        expect(answer).toBe(429);
        expect((await act(() => passwordStep(account.account.email, account.password, ip))).statusCode).toBe(429);
        return onAccount(account);
      },
    },
  ],
  'auth.second_factor_passed': [
    {
      name: 'the right code',
      async run(act) {
        const account = await staff();
        const step = await atSecondFactor(account);
        expect((await act(() => step.post(step.right))).statusCode).toBe(303);
        return onAccount(account, actorOfStaff(account));
      },
    },
  ],
  'auth.second_factor_failed': [
    {
      name: 'a wrong code',
      async run(act) {
        const account = await staff();
        const step = await atSecondFactor(account);
        expect((await act(() => step.post(step.wrong))).statusCode).toBe(422);
        return onAccount(account, actorOfStaff(account));
      },
    },
  ],
  'auth.session_ended_second_factor': [
    {
      name: 'the wrong code that ends the session',
      async run(act) {
        const account = await staff();
        const step = await atSecondFactor(account);
        let location: unknown;
        for (let i = 0; i < 20 && location !== '/console/sign-in?notice=secondFactorEnded'; i++) location = (await act(() => step.post(step.wrong))).headers.location;
        expect(location).toBe('/console/sign-in?notice=secondFactorEnded');
        return { ...onAccount(account, actorOfStaff(account)), also: ['auth.second_factor_failed'] };
      },
    },
  ],
  'auth.totp_enrolled': [
    {
      name: 'a first authenticator app confirmed with its code',
      async run(act) {
        const account = await staff();
        await resetSecondFactors(contextFor(t.app.services, CLI_ACTOR), account.account.id);
        const first = await passwordStep(account.account.email, account.password, newClient());
        expect(first.headers.location).toBe('/console/account/two-factor/setup');
        const cookie = cookieFrom(first.headers['set-cookie']);
        const page = await t.app.inject({ url: '/console/account/two-factor/setup', headers: { cookie } });
        const secret = /class="secret-box"[^>]*>(?:<span class="visually-hidden">[^<]*<\/span>)?([A-Z2-7 ]+)</.exec(page.body)![1]!.replace(/ /g, '');
        const code = totpFor(secret, 'x', 'x').generate({ timestamp: t.clock.now().getTime() });
        const res = await act(() => t.app.inject({ method: 'POST', url: '/console/account/two-factor/setup', headers: { cookie }, payload: { code, _csrf: csrfFrom(page.body) } }));
        expect(res.statusCode).toBe(200);
        return onAccount(account, actorOfStaff(account));
      },
    },
  ],
  'auth.signed_out': [
    {
      name: 'signing out',
      async run(act) {
        const account = await staff();
        const session = await signIn(t, account);
        expect((await act(() => session.post('/console/sign-out', {}))).statusCode).toBe(303);
        return onAccount(account, actorOfStaff(account));
      },
    },
  ],
};

describeAuditedActions('sign-in', db, cases);
