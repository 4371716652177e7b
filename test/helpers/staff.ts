import { randomBytes } from 'node:crypto';
import { hashSecret } from '../../src/core/crypto/argon2.ts';
import { newId } from '../../src/core/crypto/server-secret.ts';
import { SYSTEM_ACTOR } from '../../src/core/audit/audit.ts';
import { encrypt, type KeyPair, toBase64 } from '../../src/core/crypto/sodium.ts';
import { contextFor } from '../../src/core/context.ts';
import { acceptInvitation, requestPasswordReset } from '../../src/modules/accounts/invitations.service.ts';
import { createAccountKeys, serverKey } from '../../src/modules/accounts/keys.ts';
import type { Role } from '../../src/core/auth/permissions.ts';
import { insertAccount } from '../../src/modules/accounts/repo.ts';
import type { AccountRow } from '../../src/modules/accounts/tables.ts';
import { newTotpSecret, totpFor } from '../../src/modules/accounts/totp.ts';
import type { TestApp } from './app.ts';

export type TestStaff = { account: AccountRow; password: string; totpSecret: string; keyPair: KeyPair; roles: Role[] };

/** A staff account with a password, keys and TOTP already enrolled: a factory, not a seed. */
export async function createStaff(t: TestApp, roles: Role[], options: { email?: string; name?: string; locale?: string } = {}): Promise<TestStaff> {
  const s = t.app.services;
  const id = newId();
  const password = `test password ${randomBytes(6).toString('hex')}`;
  const keys = await createAccountKeys(id, password);
  const totpSecret = newTotpSecret();
  const now = s.clock.now().toISOString();
  const account: AccountRow = {
    id,
    email: options.email ?? `staff-${randomBytes(4).toString('hex')}@example.org`,
    displayName: options.name ?? `Staff ${roles.join('+')}`,
    status: 'active',
    locale: options.locale ?? 'en',
    passwordHash: await hashSecret(password),
    publicKey: keys.publicKey,
    privateKeyBox: keys.privateKeyBox,
    keySalt: keys.keySalt,
    keysCreatedAt: now,
    totpSecretBox: toBase64(await encrypt(serverKey(s.secret, 'totp'), totpSecret, `totp:${id}`)),
    totpEnabledAt: now,
    totpLastStep: null,
    failedSignIns: 0,
    lockedUntil: null,
    lastSignInAt: null,
    passwordChangedAt: now,
    createdAt: now,
    updatedAt: now,
  };
  await s.db.transaction().execute((trx) => insertAccount(trx, account, roles));
  return { account, password, totpSecret, keyPair: keys.keyPair, roles };
}

/**
 * A password reset carried through (request, then the link taken a minute later): the account
 * gets new keys, so whatever was sealed to the old ones needs a new grant.
 */
export async function resetPassword(t: TestApp, staff: TestStaff, password: string): Promise<void> {
  const ctx = contextFor(t.app.services, SYSTEM_ACTOR);
  const token = await requestPasswordReset(ctx, staff.account.id);
  t.clock.advance(60_000);
  staff.password = password;
  await acceptInvitation(ctx, token, password);
}

/** The CSRF or form token of the first form in a page. */
export function csrfFrom(html: string): string {
  const match = /name="_csrf" value="([^"]+)"/.exec(html);
  if (!match) throw new Error('no _csrf field in the page');
  return match[1]!;
}

export function cookieFrom(setCookie: string | string[] | undefined): string {
  const header = Array.isArray(setCookie) ? setCookie[0] : setCookie;
  if (!header) throw new Error('no set-cookie header');
  return header.split(';')[0]!;
}

export type SignedIn = {
  cookie: string;
  /** GETs a console page with the session. */
  get(url: string): Promise<{ statusCode: number; body: string; headers: Record<string, unknown> }>;
  /** POSTs a form, taking the CSRF token from `formPage` (default: the same URL). */
  post(url: string, fields: Record<string, string | string[]>, formPage?: string): Promise<{ statusCode: number; body: string; headers: Record<string, unknown> }>;
};

/** Signs in through the real forms: password, then a fresh TOTP code (the clock moves one step). */
export async function signIn(t: TestApp, staff: TestStaff): Promise<SignedIn> {
  const app = t.app;
  const form = await app.inject({ url: '/console/sign-in' });
  const first = await app.inject({
    method: 'POST',
    url: '/console/sign-in',
    payload: { email: staff.account.email, password: staff.password, _csrf: csrfFrom(form.body) },
  });
  if (first.statusCode !== 303) throw new Error(`password step answered ${first.statusCode}`);
  let cookie = cookieFrom(first.headers['set-cookie']);
  t.clock.advance(31_000);
  const page = await app.inject({ url: '/console/sign-in/second-factor', headers: { cookie } });
  const code = totpFor(staff.totpSecret, 'x', 'x').generate({ timestamp: t.clock.now().getTime() });
  const second = await app.inject({
    method: 'POST',
    url: '/console/sign-in/second-factor',
    headers: { cookie },
    payload: { code, _csrf: csrfFrom(page.body) },
  });
  if (second.statusCode !== 303) throw new Error(`second factor answered ${second.statusCode}`);
  cookie = cookieFrom(second.headers['set-cookie']);
  const get = (url: string) => app.inject({ url, headers: { cookie } });
  return {
    cookie,
    get,
    async post(url, fields, formPage) {
      // Any console page carries the session's CSRF token; the account page always has a form.
      const source = await get(formPage ?? '/console/account');
      return app.inject({ method: 'POST', url, headers: { cookie }, payload: { ...fields, _csrf: csrfFrom(source.body) } });
    },
  };
}
