import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/helpers/app.ts';
import { cookieFrom, createStaff, csrfFrom, signIn as signInThroughForms } from '../../../test/helpers/staff.ts';
import * as argon2 from '../../core/crypto/argon2.ts';

/**
 * Guesses sent all at once count exactly as guesses sent one after another: each attempt is
 * counted before the password or code is checked, in one atomic step, so a burst cannot slip
 * thirty checks through a limit of five. Run with the memory limiter and, when a Redis server
 * is given, with the shared one.
 */

const limiters: [string, Record<string, string>][] = [['memory limiter', {}]];
if (process.env.TEST_REDIS_URL) limiters.push(['Redis limiter', { REDIS_URL: process.env.TEST_REDIS_URL }]);

describe.each(limiters)('parallel guesses (%s)', (_name, env) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ env });
  });
  afterAll(async () => t.close());

  // A client address per attempt, so the per-client limit never decides these tests.
  const client = () => `203.0.113.${1 + Math.floor(Math.random() * 250)}`;
  const attempt = async (email: string, password: string, remoteAddress = client()) => {
    const form = await t.app.inject({ url: '/console/sign-in', remoteAddress });
    return t.app.inject({ method: 'POST', url: '/console/sign-in', remoteAddress, payload: { email, password, _csrf: csrfFrom(form.body) } });
  };
  const statuses = (answers: { statusCode: number }[]) => answers.map((a) => a.statusCode).sort();
  const expected = (free: number, total: number) => [...Array<number>(free).fill(422), ...Array<number>(total - free).fill(429)];
  const accountState = (id: string) => t.app.services.db.selectFrom('accounts').select(['failedSignIns', 'lockedUntil']).where('id', '=', id).executeTakeFirstOrThrow();
  const auditCount = async (action: string, targetId: string) =>
    (await t.app.services.db.selectFrom('auditLog').select('action').where('action', '=', action).where('targetId', '=', targetId).execute()).length;

  it('locks an account after thirty wrong passwords sent at once exactly as after five sent one by one', async () => {
    const oneByOne = await createStaff(t, ['volunteer']);
    const sequential = [];
    for (let i = 0; i < 5; i++) sequential.push(await attempt(oneByOne.account.email, 'not the password'));
    const burst = await createStaff(t, ['volunteer']);
    const parallel = await Promise.all(Array.from({ length: 30 }, () => attempt(burst.account.email, 'not the password')));

    expect(statuses(sequential)).toEqual(expected(4, 5));
    expect(statuses(parallel)).toEqual(expected(4, 30));
    const lockedUntil = new Date(t.clock.now().getTime() + 60_000).toISOString();
    expect(await accountState(oneByOne.account.id)).toEqual({ failedSignIns: 5, lockedUntil });
    expect(await accountState(burst.account.id)).toEqual({ failedSignIns: 5, lockedUntil });
    // Five passwords were checked and audited as failures, the other 25 refused unchecked.
    expect(await auditCount('auth.sign_in_failed', burst.account.id)).toBe(5);
    expect(await auditCount('auth.account_locked', burst.account.id)).toBe(1);
    expect(await auditCount('auth.sign_in_refused_locked', burst.account.id)).toBe(25);
    // The right password waits out the lock too.
    expect((await attempt(burst.account.email, burst.password)).statusCode).toBe(429);
  });

  it('locks an unknown address after thirty wrong passwords sent at once as it locks an account', async () => {
    const ghost = `staff-${randomBytes(4).toString('hex')}@example.org`;
    const parallel = await Promise.all(Array.from({ length: 30 }, () => attempt(ghost, 'not the password')));
    expect(statuses(parallel)).toEqual(expected(4, 30));
    // Five were counted, so the lock is the fifth failure's minute, not the thirtieth's hour.
    // (The memory limiter keeps real time, so a slow run may have spent some seconds of it.)
    expect(Number((await attempt(ghost, 'not the password')).headers['retry-after'])).toBeGreaterThan(30);
    expect(Number((await attempt(ghost, 'not the password')).headers['retry-after'])).toBeLessThanOrEqual(60);
  });

  it('ends the session after thirty wrong second-factor codes sent at once, having checked only five', async () => {
    const staff = await createStaff(t, ['volunteer']);
    const form = await t.app.inject({ url: '/console/sign-in' });
    const first = await t.app.inject({ method: 'POST', url: '/console/sign-in', payload: { email: staff.account.email, password: staff.password, _csrf: csrfFrom(form.body) } });
    const cookie = cookieFrom(first.headers['set-cookie']);
    const page = await t.app.inject({ url: '/console/sign-in/second-factor', headers: { cookie } });
    const csrf = csrfFrom(page.body);
    await Promise.all(
      Array.from({ length: 30 }, (_, i) =>
        t.app.inject({ method: 'POST', url: '/console/sign-in/second-factor', headers: { cookie }, payload: { code: String(100000 + i), _csrf: csrf } }),
      ),
    );
    expect(await auditCount('auth.second_factor_failed', staff.account.id)).toBe(5);
    expect(await auditCount('auth.session_ended_second_factor', staff.account.id)).toBe(1);
    expect((await t.app.inject({ url: '/console/sign-in/second-factor', headers: { cookie } })).statusCode).not.toBe(200);
  });

  it('locks the account after thirty wrong passwords sent at once to the key unlock page, auditing every failure', async () => {
    const staff = await createStaff(t, ['volunteer']);
    const session = await signInThroughForms(t, staff);
    const csrf = csrfFrom((await session.get('/console/account/unlock')).body);
    const answers = await Promise.all(
      Array.from({ length: 30 }, () =>
        t.app.inject({ method: 'POST', url: '/console/account/unlock', headers: { cookie: session.cookie }, payload: { password: 'not the password', next: '/console', _csrf: csrf } }),
      ),
    );
    expect(statuses(answers)).toEqual(expected(4, 30));
    expect(await accountState(staff.account.id)).toEqual({ failedSignIns: 5, lockedUntil: new Date(t.clock.now().getTime() + 60_000).toISOString() });
    expect(await auditCount('auth.unlock_failed', staff.account.id)).toBe(30);
    expect(await auditCount('auth.account_locked', staff.account.id)).toBe(1);
    const locked = answers.find((a) => a.statusCode === 429)!;
    expect(locked.headers['retry-after']).toBe('60');
    expect(locked.body).toContain('Too many attempts. Wait 1 minute, then try again.');
    // The lock holds the right password back, here and at sign-in.
    const right = await t.app.inject({ method: 'POST', url: '/console/account/unlock', headers: { cookie: session.cookie }, payload: { password: staff.password, next: '/console', _csrf: csrf } });
    expect(right.statusCode).toBe(429);
    expect((await attempt(staff.account.email, staff.password)).statusCode).toBe(429);
    t.clock.advance(61_000);
    const later = await t.app.inject({ method: 'POST', url: '/console/account/unlock', headers: { cookie: session.cookie }, payload: { password: staff.password, next: '/console', _csrf: csrf } });
    expect(later.statusCode).toBe(303);
    expect((await accountState(staff.account.id)).failedSignIns).toBe(0);
  });

  it('answers a locked account and a locked unknown address with the same wait, and spends one argon2 verification on each', async () => {
    const staff = await createStaff(t, ['volunteer']);
    const ghost = `staff-${randomBytes(4).toString('hex')}@example.org`;
    for (let i = 0; i < 5; i++) {
      await attempt(staff.account.email, 'not the password');
      await attempt(ghost, 'not the password');
    }
    const verify = vi.spyOn(argon2, 'verifySecret');
    try {
      for (let i = 0; i < 2; i++) {
        verify.mockClear();
        const known = await attempt(staff.account.email, 'not the password');
        expect(verify).toHaveBeenCalledTimes(1);
        verify.mockClear();
        const unknown = await attempt(ghost, 'not the password');
        expect(verify).toHaveBeenCalledTimes(1);
        expect([known.statusCode, unknown.statusCode]).toEqual([429, 429]);
        // What is left of the one-minute lock, for both: not a wait that grows with each try. (The
        // account's lock is on the test's clock, the unknown address's on the limiter's real one.)
        expect(known.headers['retry-after']).toBe('60');
        expect(Number(unknown.headers['retry-after'])).toBeGreaterThan(30);
        expect(Number(unknown.headers['retry-after'])).toBeLessThanOrEqual(60);
        const page = (body: string, email: string) => body.replaceAll(email, 'x').replace(/(name="_csrf" value=")[^"]+"/g, '$1"');
        expect(page(unknown.body, ghost)).toBe(page(known.body, staff.account.email));
        expect(known.body).toContain('Wait 1 minute,');
      }
    } finally {
      verify.mockRestore();
    }
  });
});
