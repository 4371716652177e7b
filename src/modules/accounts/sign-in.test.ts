import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/helpers/app.ts';
import { cookieFrom, createStaff, csrfFrom, signIn, type TestStaff } from '../../../test/helpers/staff.ts';
import { verifyAuditChain } from '../../core/audit/audit.ts';
import { totpFor } from './totp.ts';

let t: TestApp;
let reviewer: TestStaff;
beforeAll(async () => {
  t = await createTestApp();
  reviewer = await createStaff(t, ['tip_reviewer'], { email: 'reviewer@example.org' });
});
afterAll(async () => t.close());

async function passwordStep(email: string, password: string) {
  const form = await t.app.inject({ url: '/console/sign-in' });
  return t.app.inject({ method: 'POST', url: '/console/sign-in', payload: { email, password, _csrf: csrfFrom(form.body) } });
}

async function auditActions(): Promise<string[]> {
  const rows = await t.app.services.db.selectFrom('auditLog').select('action').orderBy('seq').execute();
  return rows.map((r: { action: string }) => r.action);
}

describe('console gate', () => {
  it('sends anonymous visitors to sign-in, keeping where they were going', async () => {
    const res = await t.app.inject({ url: '/console/accounts' });
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe('/console/sign-in?next=%2Fconsole%2Faccounts');
  });

  it('keeps a password-only session out of every console page until the second factor', async () => {
    const res = await passwordStep(reviewer.account.email, reviewer.password);
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toMatch(/^\/console\/sign-in\/second-factor/);
    const cookie = cookieFrom(res.headers['set-cookie']);
    expect(String(res.headers['set-cookie'])).toMatch(/HttpOnly; SameSite=Lax/);
    const home = await t.app.inject({ url: '/console', headers: { cookie } });
    expect(home.statusCode).toBe(303);
    expect(home.headers.location).toBe('/console/sign-in/second-factor');
  });
});

describe('sign-in', () => {
  it('signs in with password and TOTP, with a new session id at each step', async () => {
    const first = await passwordStep(reviewer.account.email, reviewer.password);
    const passwordCookie = cookieFrom(first.headers['set-cookie']);
    const session = await signIn(t, reviewer);
    expect(session.cookie).not.toBe(passwordCookie);
    const home = await session.get('/console');
    expect(home.statusCode).toBe(200);
    expect(home.body).toContain('Welcome, Staff tip_reviewer');
    expect(home.headers['cache-control']).toBe('no-store');
  });

  it('makes an account wait after repeated failures, longer each time, and audits it', async () => {
    const victim = await createStaff(t, ['volunteer']);
    for (let i = 0; i < 4; i++) expect((await passwordStep(victim.account.email, 'wrong wrong wrong')).statusCode).toBe(422);
    const locked = await passwordStep(victim.account.email, 'wrong wrong wrong');
    expect(locked.statusCode).toBe(429);
    expect(locked.body).toContain('Too many attempts. Wait 1 minute,');
    // Even the right password waits out the lock.
    expect((await passwordStep(victim.account.email, victim.password)).statusCode).toBe(429);
    t.clock.advance(61_000);
    const again = await passwordStep(victim.account.email, 'still wrong password');
    expect(again.statusCode).toBe(429);
    expect(again.body).toContain('Wait 2 minutes');
    t.clock.advance(121_000);
    expect((await passwordStep(victim.account.email, victim.password)).statusCode).toBe(303);
    const actions = await auditActions();
    expect(actions).toContain('auth.sign_in_failed');
    expect(actions).toContain('auth.account_locked');
    expect(actions).toContain('auth.sign_in_refused_locked');
  });

  it('refuses a reused TOTP code and ends the session after five wrong codes', async () => {
    const staff = await createStaff(t, ['volunteer']);
    await signIn(t, staff);
    const usedCode = totpFor(staff.totpSecret, 'x', 'x').generate({ timestamp: t.clock.now().getTime() });
    const first = await passwordStep(staff.account.email, staff.password);
    const cookie = cookieFrom(first.headers['set-cookie']);
    const page = await t.app.inject({ url: '/console/sign-in/second-factor', headers: { cookie } });
    const replay = await t.app.inject({ method: 'POST', url: '/console/sign-in/second-factor', headers: { cookie }, payload: { code: usedCode, _csrf: csrfFrom(page.body) } });
    expect(replay.statusCode).toBe(422);
    let last = replay;
    for (let i = 0; i < 4; i++) {
      last = await t.app.inject({ method: 'POST', url: '/console/sign-in/second-factor', headers: { cookie }, payload: { code: '000000', _csrf: csrfFrom(page.body) } });
    }
    expect(last.statusCode).toBe(303);
    expect(last.headers.location).toBe('/console/sign-in?notice=secondFactorEnded');
    expect((await t.app.inject({ url: '/console', headers: { cookie } })).statusCode).toBe(303);
  });

  it('accepts a recovery code once', async () => {
    const staff = await createStaff(t, ['volunteer']);
    const session = await signIn(t, staff);
    const regenerated = await session.post('/console/account/recovery-codes', {});
    const codes = [...regenerated.body.matchAll(/<li>([a-z0-9]{5}-[a-z0-9]{5})<\/li>/g)].map((m) => m[1]!);
    expect(codes).toHaveLength(10);
    const use = async () => {
      const first = await passwordStep(staff.account.email, staff.password);
      const cookie = cookieFrom(first.headers['set-cookie']);
      const page = await t.app.inject({ url: '/console/sign-in/second-factor', headers: { cookie } });
      return t.app.inject({ method: 'POST', url: '/console/sign-in/second-factor', headers: { cookie }, payload: { code: codes[0]!.toUpperCase(), _csrf: csrfFrom(page.body) } });
    };
    expect((await use()).statusCode).toBe(303);
    expect((await use()).statusCode).toBe(422);
  });

  it('signs out, and "sign out everywhere" ends the other sessions', async () => {
    const staff = await createStaff(t, ['content_editor']);
    const a = await signIn(t, staff);
    const b = await signIn(t, staff);
    const sessions = await a.get('/console/account/sessions');
    expect((sessions.body.match(/<tr>/g) ?? []).length).toBe(3);
    expect((await a.post('/console/account/sessions/sign-out-everywhere', {})).statusCode).toBe(303);
    expect((await b.get('/console')).statusCode).toBe(303);
    expect((await a.get('/console')).statusCode).toBe(200);
    const out = await a.post('/console/sign-out', {});
    expect(out.headers.location).toBe('/console/sign-in?notice=signedOut');
    expect((await a.get('/console')).statusCode).toBe(303);
  });

  it('ends idle sessions after 30 minutes and any session after 12 hours', async () => {
    const staff = await createStaff(t, ['volunteer']);
    const idle = await signIn(t, staff);
    t.clock.advance(31 * 60_000);
    expect((await idle.get('/console')).statusCode).toBe(303);
    const busy = await signIn(t, staff);
    for (let i = 0; i < 25; i++) {
      t.clock.advance(29 * 60_000);
      if ((await busy.get('/console')).statusCode !== 200) break;
    }
    expect((await busy.get('/console')).statusCode).toBe(303);
  });

  it('keeps the audit chain intact through all of it', async () => {
    expect(await verifyAuditChain(t.app.services.db)).toMatchObject({ ok: true });
  });
});
