import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/helpers/app.ts';
import { createStaff, signIn, type SignedIn } from '../../../test/helpers/staff.ts';

let t: TestApp;
let admin: SignedIn;
let adminId: string;
beforeAll(async () => {
  t = await createTestApp();
  const staff = await createStaff(t, ['administrator']);
  adminId = staff.account.id;
  admin = await signIn(t, staff);
});
afterAll(async () => t.close());

async function queue(to: string, subject: string, html: string, text: string): Promise<string> {
  const s = t.app.services;
  return s.db.transaction().execute((trx) => s.mailer.queue(trx, to, { template: 'test.sample', subject, html: `<!doctype html><html><body>${html}</body></html>`, text }));
}

describe('outbox console', () => {
  it('lists messages with addressee, subject, state, attempts, error and time, and says mail goes to a folder', async () => {
    await admin.post('/console/accounts/invite', { displayName: 'Omar Outbox', email: 'omar@example.org', roles: ['volunteer'], locale: 'en' });
    const id = await queue('broken@example.org', 'A message that failed', '<b>hi</b>', 'hi');
    await t.app.services.db.updateTable('outbox').set({ attempts: 3, lastError: 'connect ECONNREFUSED 127.0.0.1:25' }).where('id', '=', id).execute();
    const page = await admin.get('/console/outbox');
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('<h1>E-mail outbox</h1>');
    expect(page.body).toContain('data/outbox folder');
    expect(page.body).toContain(t.config.dataDir);
    expect(page.body).toContain('omar@example.org');
    expect(page.body).toContain('Your HEAT Watch staff account');
    expect(page.body).toContain('connect ECONNREFUSED 127.0.0.1:25');
    expect(page.body).toContain('<th scope="col">Attempts</th>');
    expect(page.body).toContain(`href="/console/outbox/${id}"`);
    // The list carries no message bodies, so no one-time link.
    expect(page.body).not.toContain('/console/invitations/');
  });

  it('counts undelivered mail on the console home of those who may read the outbox', async () => {
    // The card counts the whole outbox: an app of its own holds only this test's message.
    const own = await createTestApp();
    try {
      const s = own.app.services;
      const id = await s.db.transaction().execute((trx) => s.mailer.queue(trx, 'broken@example.org', { template: 'test.sample', subject: 'Failed', html: '<!doctype html><html><body>x</body></html>', text: 'x' }));
      await s.db.updateTable('outbox').set({ attempts: 3, lastError: 'connect ECONNREFUSED 127.0.0.1:25' }).where('id', '=', id).execute();
      const home = await (await signIn(own, await createStaff(own, ['administrator']))).get('/console');
      expect(home.body).toMatch(/<span class="stat-value">1<\/span><span>e-mail not delivered<\/span>/);
      const editor = await signIn(own, await createStaff(own, ['content_editor']));
      expect((await editor.get('/console')).body).not.toContain('not delivered');
    } finally {
      await own.close();
    }
  });

  it('shows a message: its text part, and its HTML part only as escaped source; the read is audited', async () => {
    const id = await queue('eve@example.org', 'Hostile HTML', '<script>alert("x")</script><img src="https://tracker.example/p.gif">', 'Plain words & a link https://example.org/x');
    const page = await admin.get(`/console/outbox/${id}`);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('<h1>Hostile HTML</h1>');
    expect(page.body).toContain('Plain words &amp; a link https://example.org/x');
    expect(page.body).not.toContain('<script>alert');
    expect(page.body).not.toContain('<img src="https://tracker.example');
    expect(page.body).toContain('&lt;script>alert(&quot;x&quot;)&lt;/script>');
    const audit = await t.app.services.db.selectFrom('auditLog').selectAll().orderBy('seq', 'desc').executeTakeFirstOrThrow();
    expect(audit).toMatchObject({ actorId: adminId, action: 'outbox.message_read', targetType: 'outbox', targetId: id });
  });

  it('says a bearer message was erased instead of showing an empty body', async () => {
    const s = t.app.services;
    const id = await s.db.transaction().execute((trx) => s.mailer.queue(trx, 'ines@example.org', { template: 'test.sample', subject: 'A spent link', html: '<!doctype html><html><body>x</body></html>', text: 'Open https://example.org/console/invitations/spent' }, { bearer: true }));
    const before = await admin.get(`/console/outbox/${id}`);
    expect(before.body).toContain('console/invitations/spent');
    expect(before.body).not.toContain('Its text was erased');
    expect(await s.mailer.eraseSpent(s.db, async (text) => text.includes('/invitations/spent'))).toBeGreaterThanOrEqual(1);
    const after = await admin.get(`/console/outbox/${id}`);
    expect(after.statusCode).toBe(200);
    expect(after.body).toContain('Its text was erased');
    expect(after.body).not.toContain('<h2 id="text-part">');
    expect(after.body).not.toContain('console/invitations/spent');
  });

  it('answers 404 for an unknown message and 403 to anyone but an administrator', async () => {
    expect((await admin.get('/console/outbox/no-such-id')).statusCode).toBe(404);
    const editor = await signIn(t, await createStaff(t, ['content_editor']));
    expect((await editor.get('/console/outbox')).statusCode).toBe(403);
    expect((await t.app.inject({ url: '/console/outbox' })).statusCode).toBe(303);
  });

  it('pages through a long outbox', async () => {
    for (let i = 0; i < 55; i++) await queue(`bulk${i}@example.org`, `Bulk ${i}`, '<p>x</p>', 'x');
    const first = await admin.get('/console/outbox');
    expect(first.body).toContain('href="/console/outbox?page=2"');
    const second = await admin.get('/console/outbox?page=2');
    expect(second.statusCode).toBe(200);
    expect(second.body).toContain('Page 2 of 2');
    expect((await admin.get('/console/outbox?page=abc')).statusCode).toBe(200);
  });
});

describe('outbox console with SMTP_URL', () => {
  it('names the server (without credentials) instead of the folder, in Spanish for a Spanish account', async () => {
    const smtp = await createTestApp({ env: { SMTP_URL: 'smtp://mailer:s3cret@127.0.0.1:2525' } });
    try {
      const es = await signIn(smtp, await createStaff(smtp, ['administrator'], { locale: 'es' }));
      const page = await es.get('/console/outbox');
      expect(page.body).toContain('smtp://127.0.0.1:2525');
      expect(page.body).not.toContain('s3cret');
      expect(page.body).toContain('Bandeja de salida de correo');
      expect(page.body).not.toContain('data/outbox');
    } finally {
      await smtp.close();
    }
  });
});
