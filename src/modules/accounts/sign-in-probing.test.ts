import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/helpers/app.ts';
import { createStaff, csrfFrom } from '../../../test/helpers/staff.ts';
import * as argon2 from '../../core/crypto/argon2.ts';

/**
 * What someone probing the sign-in form learns, and how far they get: which accounts exist must
 * not show in the page or in the work done, and one client cannot try passwords without end.
 */

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => t.close());

// Each attempt names its client: the per-client limit must decide only the test that is about it.
let clients = 0;
const newClient = () => `198.51.100.${++clients}`;

/** An address no account has, as long as the ones `createStaff` makes, so page lengths compare. */
const unknownEmail = () => `staff-${randomBytes(4).toString('hex')}@example.org`;

type Answer = { statusCode: number; headers: Record<string, unknown>; body: string };

async function attempt(email: string, password: string, client = newClient(), headers: Record<string, string> = {}): Promise<Answer> {
  const form = await t.app.inject({ url: '/console/sign-in', remoteAddress: client, headers });
  return t.app.inject({ method: 'POST', url: '/console/sign-in', remoteAddress: client, headers, payload: { email, password, _csrf: csrfFrom(form.body) } });
}

/** The whole answer as the prober sees it, minus what differs on every request anyway. */
function seen(res: Answer, typedEmail: string) {
  const { date: _date, ...headers } = res.headers;
  const body = res.body.replaceAll(typedEmail, '<typed e-mail>').replace(/(name="_csrf" value=")[^"]+"/g, '$1<token>"');
  return { statusCode: res.statusCode, headers, body };
}

const deactivate = (accountId: string) => t.app.services.db.updateTable('accounts').set({ status: 'deactivated' }).where('id', '=', accountId).execute();

describe('an unknown account looks like a known one', () => {
  it('gives the same answer for an unknown account and a wrong password', async () => {
    const staff = await createStaff(t, ['tip_reviewer']);
    const unknownAddress = unknownEmail();
    const unknown = await attempt(unknownAddress, 'some long password');
    const wrong = await attempt(staff.account.email, 'some long password');
    expect(unknown.statusCode).toBe(422);
    expect(wrong.statusCode).toBe(422);
    const message = 'The e-mail address or password is not right.';
    expect(unknown.body).toContain(message);
    expect(wrong.body).toContain(message);
    // The e-mail stays in the form, the password never comes back.
    expect(wrong.body).toContain(`value="${staff.account.email}"`);
    expect(wrong.body).not.toContain('some long password');
    // Not only the message: status, every header but the date, and every byte of the page.
    expect(wrong.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(seen(wrong, staff.account.email)).toEqual(seen(unknown, unknownAddress));
  });

  it('answers a deactivated account, even with its right password, as it answers an unknown one', async () => {
    const staff = await createStaff(t, ['volunteer']);
    await deactivate(staff.account.id);
    const unknownAddress = unknownEmail();
    const unknown = seen(await attempt(unknownAddress, staff.password), unknownAddress);
    expect(seen(await attempt(staff.account.email, staff.password), staff.account.email)).toEqual(unknown);
    expect(seen(await attempt(staff.account.email, 'not the password at all'), staff.account.email)).toEqual(unknown);
  });

  it('locks unknown e-mails the same way, with the same page and Retry-After, so a lock reveals nothing', async () => {
    const staff = await createStaff(t, ['volunteer']);
    const ghost = unknownEmail();
    for (let i = 1; i <= 5; i++) {
      const known = await attempt(staff.account.email, 'wrong wrong wrong');
      const unknown = await attempt(ghost, 'wrong wrong wrong');
      expect(unknown.statusCode, `attempt ${i}`).toBe(i < 5 ? 422 : 429);
      expect(seen(known, staff.account.email), `attempt ${i}`).toEqual(seen(unknown, ghost));
    }
  });

  it('spends one argon2id verification on an unknown e-mail, as on a wrong password or a deactivated account', async () => {
    const staff = await createStaff(t, ['volunteer']);
    const deactivated = await createStaff(t, ['volunteer']);
    await deactivate(deactivated.account.id);
    const verify = vi.spyOn(argon2, 'verifySecret');
    // The parameters of a stored hash: a malformed or cheaper dummy would check in no time.
    const parametersOf = (phc: string) => /^\$argon2id\$v=19\$(m=\d+,t=\d+,p=\d+)\$[A-Za-z0-9_-]{22}\$[A-Za-z0-9_-]{43}$/.exec(phc)?.[1] ?? `malformed ${phc}`;
    const verifications = async (email: string, password: string) => {
      verify.mockClear();
      expect((await attempt(email, password)).statusCode).toBe(422);
      return verify.mock.calls.map(([phc, secret]) => ({ parameters: parametersOf(phc), secret }));
    };
    try {
      const expected = [{ parameters: parametersOf(staff.account.passwordHash), secret: 'a wrong password here' }];
      expect(expected[0]!.parameters).toBe('m=19456,t=2,p=1');
      expect(await verifications(staff.account.email, 'a wrong password here')).toEqual(expected);
      expect(await verifications(unknownEmail(), 'a wrong password here')).toEqual(expected);
      expect(await verifications(deactivated.account.email, 'a wrong password here')).toEqual(expected);
    } finally {
      verify.mockRestore();
    }
  });
});

describe('the per-client limit', () => {
  it('stops one client after 30 attempts across different e-mails, even with a right password; another client is not held', async () => {
    const staff = await createStaff(t, ['volunteer']);
    const sprayer = newClient();
    for (let i = 1; i <= 30; i++) {
      // A different address every time: no account lock comes into play, only the client's count.
      expect((await attempt(unknownEmail(), 'a sprayed password', sprayer)).statusCode, `attempt ${i}`).toBe(422);
    }
    const held = await attempt(staff.account.email, staff.password, sprayer);
    expect(held.statusCode).toBe(429);
    expect(held.headers['set-cookie']).toBeUndefined();
    const retryAfter = Number(held.headers['retry-after']);
    // The window is 15 minutes from the first attempt.
    expect(retryAfter).toBeGreaterThan(14 * 60);
    expect(retryAfter).toBeLessThanOrEqual(15 * 60);
    expect(held.body).toContain('Too many attempts. Wait 15 minutes, then try again.');
    const inSpanish = await attempt(staff.account.email, staff.password, sprayer, { 'accept-language': 'es' });
    expect(inSpanish.statusCode).toBe(429);
    expect(inSpanish.headers['retry-after']).toBeDefined();
    expect(inSpanish.body).toContain('<html lang="es"');
    expect(inSpanish.body).toContain('Demasiados intentos. Espere 15 minutos y vuelva a intentarlo.');

    const throttled = await t.app.services.db.selectFrom('auditLog').select('detail').where('action', '=', 'auth.sign_in_throttled').where('targetId', '=', staff.account.id).execute();
    expect(throttled.map((r: { detail: string }) => JSON.parse(r.detail))).toEqual([{ scope: 'client' }, { scope: 'client' }]);

    const colleague = newClient();
    expect((await attempt(unknownEmail(), 'a typo in the address', colleague)).statusCode).toBe(422);
    const signedIn = await attempt(staff.account.email, staff.password, colleague);
    expect(signedIn.statusCode).toBe(303);
    expect(signedIn.headers.location).toMatch(/^\/console\/sign-in\/second-factor/);
  });
});
