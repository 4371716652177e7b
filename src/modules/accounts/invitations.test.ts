import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/helpers/app.ts';
import { cookieFrom, createStaff, csrfFrom, signIn, type SignedIn } from '../../../test/helpers/staff.ts';
import { totpFor } from './totp.ts';

let t: TestApp;
let admin: SignedIn;
let adminId: string;
beforeAll(async () => {
  t = await createTestApp();
  // The only administrator in this file, so that removing its role is refused.
  const staff = await createStaff(t, ['administrator']);
  adminId = staff.account.id;
  admin = await signIn(t, staff);
});
afterAll(async () => t.close());

async function latestLink(to: string): Promise<string> {
  const row = await t.app.services.db.selectFrom('outbox').select(['textBody', 'htmlBody', 'subject']).where('toAddress', '=', to).orderBy('createdAt', 'desc').executeTakeFirstOrThrow();
  return /(\/console\/invitations\/[A-Za-z0-9_-]+)/.exec(row.textBody)![1]!;
}

describe('invitations', () => {
  it('invites, accepts once, enrols TOTP and signs in with the roles given', async () => {
    const invite = await admin.post('/console/accounts/invite', { displayName: 'Rosa Reviewer', email: 'rosa@example.org', roles: ['tip_reviewer', 'investigator'], locale: 'es' });
    expect(invite.statusCode).toBe(303);
    const row = await t.app.services.db.selectFrom('outbox').selectAll().where('toAddress', '=', 'rosa@example.org').executeTakeFirstOrThrow();
    // Rosa's account language is Spanish, so is her invitation.
    expect(row.subject).toContain('Su cuenta del personal');
    expect(row.htmlBody).toContain('<html lang="es"');
    const link = await latestLink('rosa@example.org');

    const page = await t.app.inject({ url: link });
    expect(page.statusCode).toBe(200);
    const weak = await t.app.inject({ method: 'POST', url: link, payload: { password: 'short', confirm: 'short', _csrf: csrfFrom(page.body) } });
    expect(weak.statusCode).toBe(422);
    const mismatch = await t.app.inject({ method: 'POST', url: link, payload: { password: 'quiet harbor lamp sixty', confirm: 'quiet harbor lamp sixtY', _csrf: csrfFrom(page.body) } });
    expect(mismatch.statusCode).toBe(422);
    const accepted = await t.app.inject({ method: 'POST', url: link, payload: { password: 'quiet harbor lamp sixty', confirm: 'quiet harbor lamp sixty', _csrf: csrfFrom(page.body) } });
    expect(accepted.statusCode).toBe(303);
    expect(accepted.headers.location).toBe('/console/account/two-factor/setup');
    const cookie = cookieFrom(accepted.headers['set-cookie']);

    // Single use.
    expect((await t.app.inject({ url: link })).statusCode).toBe(404);

    const enrol = await t.app.inject({ url: '/console/account/two-factor/setup', headers: { cookie } });
    expect(enrol.body).toContain('lang="es"');
    const secret = /<p class="secret-box"[^>]*>(?:<span class="visually-hidden">[^<]*<\/span>)?([A-Z2-7 ]+)<\/p>/.exec(enrol.body)![1]!.replaceAll(' ', '');
    const code = totpFor(secret, 'x', 'x').generate({ timestamp: t.clock.now().getTime() });
    const enrolled = await t.app.inject({ method: 'POST', url: '/console/account/two-factor/setup', headers: { cookie }, payload: { code, _csrf: csrfFrom(enrol.body) } });
    expect(enrolled.statusCode).toBe(200);
    // Enrolment completes the sign-in under a new session id.
    const signedIn = cookieFrom(enrolled.headers['set-cookie']);
    expect((await t.app.inject({ url: '/console', headers: { cookie: signedIn } })).statusCode).toBe(200);
    expect((await t.app.inject({ url: '/console/accounts', headers: { cookie: signedIn } })).statusCode).toBe(403);
  });

  it('replaces a pending invitation when the address is invited again: the first link stops working', async () => {
    const email = `again-${crypto.randomUUID()}@example.org`;
    expect((await admin.post('/console/accounts/invite', { displayName: 'First Try', email, roles: ['volunteer'], locale: 'en' })).statusCode).toBe(303);
    const first = await latestLink(email);
    expect((await t.app.inject({ url: first })).statusCode).toBe(200);
    expect((await admin.post('/console/accounts/invite', { displayName: 'Second Try', email, roles: ['investigator'], locale: 'en' })).statusCode).toBe(303);
    const rows = await t.app.services.db.selectFrom('outbox').select('textBody').where('toAddress', '=', email).execute();
    const links = rows.map((r) => /(\/console\/invitations\/[A-Za-z0-9_-]+)/.exec(r.textBody)![1]!);
    const second = links.find((l) => l !== first)!;
    expect(links).toHaveLength(2);

    const gone = await t.app.inject({ url: first });
    expect(gone.statusCode).toBe(404);
    const page = await t.app.inject({ url: second });
    expect(page.statusCode).toBe(200);
    const usedFirst = await t.app.inject({ method: 'POST', url: first, payload: { password: 'quiet harbor lamp sixty', confirm: 'quiet harbor lamp sixty', _csrf: csrfFrom(page.body) } });
    expect(usedFirst.statusCode).toBe(404);
    expect(await t.app.services.db.selectFrom('accounts').select('id').where('email', '=', email).executeTakeFirst()).toBeUndefined();

    const invitations = await t.app.services.db.selectFrom('invitations').select(['id', 'displayName', 'revokedAt']).where('email', '=', email).execute();
    const replaced = invitations.find((i) => i.displayName === 'First Try')!;
    expect(replaced.revokedAt).not.toBeNull();
    expect(invitations.find((i) => i.displayName === 'Second Try')!.revokedAt).toBeNull();
    const audit = await t.app.services.db.selectFrom('auditLog').select(['targetId', 'detail']).where('action', '=', 'account.invitation_replaced').where('targetId', '=', replaced.id).execute();
    expect(audit).toHaveLength(1);
    expect(JSON.parse(audit[0]!.detail!)).toEqual({ by: invitations.find((i) => i.displayName === 'Second Try')!.id });

    const accepted = await t.app.inject({ method: 'POST', url: second, payload: { password: 'quiet harbor lamp sixty', confirm: 'quiet harbor lamp sixty', _csrf: csrfFrom(page.body) } });
    expect(accepted.statusCode).toBe(303);
  });

  it('refuses to invite an e-mail that already has an account, keeping the form', async () => {
    const existing = await createStaff(t, ['volunteer']);
    const res = await admin.post('/console/accounts/invite', { displayName: 'Rosa Again', email: existing.account.email, roles: ['volunteer'], locale: 'en' });
    expect(res.statusCode).toBe(422);
    expect(res.body).toContain('already exists');
    expect(res.body).toContain('value="Rosa Again"');
  });

  it('lets an administrator reset a password: new keys, sessions ended, link works once', async () => {
    const staff = await createStaff(t, ['tip_reviewer']);
    const theirs = await signIn(t, staff);
    const before = staff.account.publicKey;
    expect((await admin.post(`/console/accounts/${staff.account.id}/reset-password`, {})).statusCode).toBe(303);
    expect((await theirs.get('/console')).statusCode).toBe(303);
    const link = await latestLink(staff.account.email);
    const page = await t.app.inject({ url: link });
    expect(page.body).toContain('new encryption key');
    const done = await t.app.inject({ method: 'POST', url: link, payload: { password: 'brand new passphrase here', confirm: 'brand new passphrase here', _csrf: csrfFrom(page.body) } });
    expect(done.statusCode).toBe(303);
    const after = await t.app.services.db.selectFrom('accounts').select('publicKey').where('id', '=', staff.account.id).executeTakeFirstOrThrow();
    expect(after.publicKey).not.toBe(before);
    expect((await t.app.inject({ url: link })).statusCode).toBe(404);
  });

  it('deactivates an account and ends its sessions, but never the last administrator', async () => {
    const staff = await createStaff(t, ['volunteer']);
    const theirs = await signIn(t, staff);
    expect((await admin.post(`/console/accounts/${staff.account.id}/status`, { active: 'no' }, `/console/accounts/${staff.account.id}`)).statusCode).toBe(303);
    expect((await theirs.get('/console')).statusCode).toBe(303);
    const self = await admin.post(`/console/accounts/${adminId}/roles`, { roles: ['volunteer'] });
    expect(self.statusCode).toBe(422);
    expect(self.body).toContain('at least one active administrator');
  });
  it('expires invitations after 72 hours', async () => {
    await admin.post('/console/accounts/invite', { displayName: 'Late Larry', email: 'larry@example.org', roles: ['volunteer'], locale: 'en' });
    const link = await latestLink('larry@example.org');
    // Moving past 72 hours would end the shared administrator's session too: put the clock back.
    const now = t.clock.now();
    t.clock.advance(72 * 3600_000 + 1000);
    try {
      expect((await t.app.inject({ url: link })).statusCode).toBe(404);
    } finally {
      t.clock.set(now);
    }
  });

});
