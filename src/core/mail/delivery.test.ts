import fs from 'node:fs';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/helpers/app.ts';
import { readMail, startSmtp } from '../../../test/helpers/smtp.ts';
import { createStaff, csrfFrom, signIn } from '../../../test/helpers/staff.ts';


describe('mail through a real SMTP server', () => {
  let smtp: Awaited<ReturnType<typeof startSmtp>>;
  let t: TestApp;
  let refuseNext = 0;
  beforeAll(async () => {
    smtp = await startSmtp({ refuse: () => refuseNext-- > 0 });
    // The server offers STARTTLS with a self-signed certificate; the URL's ignoreTLS keeps the
    // loopback session in plain text (nodemailer reads transport options from the query).
    t = await createTestApp({ env: { SMTP_URL: `smtp://127.0.0.1:${smtp.port}?ignoreTLS=true`, MAIL_FROM: 'Demo Office <no-reply@example.org>' } });
  });
  afterAll(async () => {
    await t.close();
    await smtp.close();
  });
  afterEach(() => {
    smtp.received.length = 0;
    refuseNext = 0;
  });

  it('delivers an invitation with text and HTML parts to its addressee; its link works once', async () => {
    const admin = await signIn(t, await createStaff(t, ['administrator']));
    expect((await admin.post('/console/accounts/invite', { displayName: 'Rosa Reviewer', email: 'rosa@example.org', roles: ['tip_reviewer'], locale: 'en' })).statusCode).toBe(303);
    // Nothing is sent inside the request.
    expect(smtp.received).toHaveLength(0);
    expect(await t.app.services.jobs.runDue()).toBeGreaterThanOrEqual(1);
    expect(smtp.received).toHaveLength(1);
    const [message] = smtp.received;
    expect(message!.envelopeTo).toEqual(['rosa@example.org']);
    const mail = await readMail(message!.raw);
    expect(mail.to).toBe('rosa@example.org');
    expect(mail.from).toBe('"Demo Office" <no-reply@example.org>');
    expect(mail.contentType).toBe('multipart/alternative');

    const { text, html } = mail;
    expect(html).toContain('<html lang="en"');
    const link = /https?:\/\/\S+\/console\/invitations\/([A-Za-z0-9_-]+)/.exec(text)![0];
    expect(html).toContain(`href="${link}"`);

    const outbox = await t.app.services.db.selectFrom('outbox').selectAll().where('toAddress', '=', 'rosa@example.org').executeTakeFirstOrThrow();
    expect(outbox).toMatchObject({ state: 'sent', attempts: 1, lastError: null });
    expect(outbox.sentAt).not.toBeNull();

    const url = new URL(link).pathname;
    const page = await t.app.inject({ url });
    expect(page.statusCode).toBe(200);
    const accepted = await t.app.inject({ method: 'POST', url, payload: { password: 'a long and quiet harbour', confirm: 'a long and quiet harbour', _csrf: csrfFrom(page.body) } });
    expect(accepted.statusCode).toBe(303);
    expect((await t.app.inject({ url })).statusCode).toBe(404);
    // Running the jobs again sends nothing twice.
    smtp.received.length = 0;
    await t.app.services.jobs.runDue();
    expect(smtp.received).toHaveLength(0);
  });

  it('records a refused delivery on the outbox row and delivers on the retry', async () => {
    const admin = await signIn(t, await createStaff(t, ['administrator']));
    refuseNext = 1;
    await admin.post('/console/accounts/invite', { displayName: 'Late Lena', email: 'lena@example.org', roles: ['volunteer'], locale: 'es' });
    await t.app.services.jobs.runDue();
    const row = () => t.app.services.db.selectFrom('outbox').selectAll().where('toAddress', '=', 'lena@example.org').executeTakeFirstOrThrow();
    expect(await row()).toMatchObject({ state: 'queued', attempts: 1 });
    expect((await row()).lastError).toContain('mailbox busy');
    expect(smtp.received).toHaveLength(0);
    t.clock.advance(30_000);
    await t.app.services.jobs.runDue();
    expect(await row()).toMatchObject({ state: 'sent', attempts: 2, lastError: null });
    expect(smtp.received.map((m) => m.envelopeTo)).toEqual([['lena@example.org']]);
    expect((await readMail(smtp.received[0]!.raw)).subject).toContain('Su cuenta');
  });
});

describe('mail with no SMTP_URL', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(async () => t.close());

  it('writes each message as an .eml file under DATA_DIR/outbox, readable by the owner only', async () => {
    const admin = await signIn(t, await createStaff(t, ['administrator']));
    await admin.post('/console/accounts/invite', { displayName: 'Fiona File', email: 'fiona@example.org', roles: ['volunteer'], locale: 'en' });
    await t.app.services.jobs.runDue();
    const dir = path.join(t.config.dataDir, 'outbox');
    expect(fs.statSync(dir).mode & 0o777).toBe(0o700);
    const files = fs.readdirSync(dir).filter((f) => f.endsWith('.eml'));
    expect(files).toHaveLength(1);
    const file = path.join(dir, files[0]!);
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    const raw = fs.readFileSync(file, 'utf8');
    const mail = await readMail(raw);
    expect(mail.to).toBe('fiona@example.org');
    expect(mail.contentType).toBe('multipart/alternative');
    expect(mail.html).toContain('<html lang="en"');
    expect(mail.text).toMatch(/\/console\/invitations\/[A-Za-z0-9_-]+/);
    expect(await t.app.services.db.selectFrom('outbox').select('state').where('toAddress', '=', 'fiona@example.org').executeTakeFirstOrThrow()).toEqual({ state: 'sent' });
  });
});
