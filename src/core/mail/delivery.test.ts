import fs from 'node:fs';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { SMTPServer } from 'smtp-server';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/helpers/app.ts';
import { createStaff, csrfFrom, signIn } from '../../../test/helpers/staff.ts';

type Received = { envelopeTo: string[]; raw: string };

/** A real SMTP server on loopback that keeps what it receives; `refuse` answers RCPT TO with 450. */
async function startSmtp(options: { refuse?: () => boolean } = {}) {
  const received: Received[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['AUTH'],
    logger: false,
    onRcptTo(address, _session, callback) {
      if (options.refuse?.()) return callback(Object.assign(new Error('mailbox busy, try later'), { responseCode: 450 }));
      callback();
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        received.push({ envelopeTo: session.envelope.rcptTo.map((r) => r.address), raw: Buffer.concat(chunks).toString('utf8') });
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.server.address() as AddressInfo;
  return { port, received, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

/** The leaf parts of a MIME message, decoded: enough to read a nodemailer message back. */
function mimeParts(raw: string): { type: string; body: string }[] {
  const [head = '', ...rest] = raw.split(/\r?\n\r?\n/);
  const body = rest.join('\r\n\r\n');
  const headers = head.replace(/\r?\n[ \t]+/g, ' ');
  const type = /^content-type:\s*([^;\r\n]+)/im.exec(headers)?.[1]?.trim().toLowerCase() ?? 'text/plain';
  const boundary = /boundary="?([^";\r\n]+)"?/i.exec(headers)?.[1];
  if (type.startsWith('multipart/') && boundary) {
    return body
      .split(`--${boundary}`)
      .slice(1)
      .filter((p) => !p.startsWith('--'))
      .flatMap((p) => mimeParts(p.replace(/^\r?\n/, '')));
  }
  const encoding = /^content-transfer-encoding:\s*(\S+)/im.exec(headers)?.[1]?.toLowerCase();
  const decoded =
    encoding === 'base64'
      ? Buffer.from(body.replace(/\s+/g, ''), 'base64').toString('utf8')
      : encoding === 'quoted-printable'
        ? Buffer.from(body.replace(/=\r?\n/g, '').replace(/=([0-9A-F]{2})/g, (_m, h: string) => String.fromCharCode(Number.parseInt(h, 16))), 'latin1').toString('utf8')
        : body;
  return [{ type, body: decoded }];
}

const headerOf = (raw: string, name: string) => new RegExp(`^${name}:\\s*(.+)$`, 'im').exec(raw.split(/\r?\n\r?\n/)[0]!.replace(/\r?\n[ \t]+/g, ' '))?.[1];

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
    expect(headerOf(message!.raw, 'To')).toBe('rosa@example.org');
    expect(headerOf(message!.raw, 'From')).toBe('Demo Office <no-reply@example.org>');
    expect(headerOf(message!.raw, 'Content-Type')).toMatch(/^multipart\/alternative/);

    const parts = mimeParts(message!.raw);
    const text = parts.find((p) => p.type === 'text/plain')!.body;
    const html = parts.find((p) => p.type === 'text/html')!.body;
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
    expect(headerOf(smtp.received[0]!.raw, 'Subject')).toContain('Su cuenta');
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
    expect(headerOf(raw, 'To')).toBe('fiona@example.org');
    const types = mimeParts(raw).map((p) => p.type);
    expect(types).toEqual(['text/plain', 'text/html']);
    expect(mimeParts(raw)[0]!.body).toMatch(/\/console\/invitations\/[A-Za-z0-9_-]+/);
    expect(await t.app.services.db.selectFrom('outbox').select('state').where('toAddress', '=', 'fiona@example.org').executeTakeFirstOrThrow()).toEqual({ state: 'sent' });
  });
});
