import fs from 'node:fs';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/helpers/app.ts';
import { createStaff, csrfFrom, signIn } from '../../../test/helpers/staff.ts';

/** Invites `email` through the console and delivers the message; returns the link's path. */
async function invite(t: TestApp, email: string): Promise<string> {
  const admin = await signIn(t, await createStaff(t, ['administrator']));
  expect((await admin.post('/console/accounts/invite', { displayName: 'Link Person', email, roles: ['tip_reviewer'], locale: 'en' })).statusCode).toBe(303);
  await t.app.services.jobs.runDue();
  const row = await t.app.services.db.selectFrom('outbox').select('textBody').where('toAddress', '=', email).executeTakeFirstOrThrow();
  return new URL(/https?:\/\/\S+\/console\/invitations\/[A-Za-z0-9_-]+/.exec(row.textBody)![0]).pathname;
}

const tokenOf = (link: string) => link.split('/').pop()!;

/** Every place at rest the link could still be read: outbox rows, and the outbox folder (soft line breaks undone). */
async function copiesOfLink(t: TestApp, token: string): Promise<string[]> {
  const rows = await t.app.services.db.selectFrom('outbox').select(['id', 'textBody', 'htmlBody']).execute();
  const found = rows.filter((r) => `${r.textBody}${r.htmlBody}`.includes(token)).map((r) => `row ${r.id}`);
  const dir = path.join(t.config.dataDir, 'outbox');
  for (const name of fs.existsSync(dir) ? fs.readdirSync(dir) : []) {
    const text = fs.readFileSync(path.join(dir, name), 'utf8').replace(/=\r?\n/g, '');
    if (text.includes(token)) found.push(`file ${name}`);
  }
  return found;
}

async function accept(t: TestApp, link: string) {
  const page = await t.app.inject({ url: link });
  expect(page.statusCode).toBe(200);
  const res = await t.app.inject({ method: 'POST', url: link, payload: { password: 'a long and quiet harbour', confirm: 'a long and quiet harbour', _csrf: csrfFrom(page.body) } });
  expect(res.statusCode).toBe(303);
}

describe('invitation links in the outbox folder', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(async () => t.close());

  it('are erased from the outbox row and folder once the invitation is accepted', async () => {
    const link = await invite(t, 'accepts@example.org');
    const token = tokenOf(link);
    // Until then the administrator may need the message to pass the link on.
    expect((await copiesOfLink(t, token)).length).toBeGreaterThanOrEqual(2);
    await accept(t, link);
    expect(await copiesOfLink(t, token)).toEqual([]);
    const row = await t.app.services.db.selectFrom('outbox').select(['subject', 'state']).where('toAddress', '=', 'accepts@example.org').executeTakeFirstOrThrow();
    expect(row.state).toBe('sent');
  });

  it('are erased within the hour after the invitation expires', async () => {
    const link = await invite(t, 'never-comes@example.org');
    const other = await invite(t, 'still-open@example.org');
    const token = tokenOf(link);
    expect((await copiesOfLink(t, token)).length).toBeGreaterThanOrEqual(2);
    // The first reaches its end; the second is still open, and its message stays.
    await t.app.services.db.updateTable('invitations').set({ expiresAt: new Date(t.clock.now().getTime() - 1).toISOString() }).where('email', '=', 'never-comes@example.org').execute();
    t.clock.advance(3600_000);
    await t.app.services.jobs.runDue();
    expect(await copiesOfLink(t, token)).toEqual([]);
    expect((await copiesOfLink(t, tokenOf(other))).length).toBeGreaterThanOrEqual(2);
  });
});

describe('invitation links sent over SMTP', () => {
  let t: TestApp;
  let server: SMTPServer;
  const received: string[] = [];
  beforeAll(async () => {
    server = new SMTPServer({
      authOptional: true,
      disabledCommands: ['AUTH', 'STARTTLS'],
      logger: false,
      onData(stream, _session, callback) {
        const chunks: Buffer[] = [];
        stream.on('data', (c: Buffer) => chunks.push(c));
        stream.on('end', () => {
          received.push(Buffer.concat(chunks).toString('utf8').replace(/=\r?\n/g, ''));
          callback();
        });
      },
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.server.address() as AddressInfo;
    t = await createTestApp({ env: { SMTP_URL: `smtp://127.0.0.1:${port}?ignoreTLS=true` } });
  });
  afterAll(async () => {
    await t.close();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  it('are erased from the outbox row once delivered, and the delivered link still works', async () => {
    const admin = await signIn(t, await createStaff(t, ['administrator']));
    expect((await admin.post('/console/accounts/invite', { displayName: 'Smtp Person', email: 'smtp-link@example.org', roles: ['tip_reviewer'], locale: 'en' })).statusCode).toBe(303);
    await t.app.services.jobs.runDue();
    const delivered = received.find((m) => m.includes('smtp-link@example.org'))!;
    const link = new URL(/https?:\/\/[^\s"<]+\/console\/invitations\/[A-Za-z0-9_-]+/.exec(delivered)![0]).pathname;
    const row = await t.app.services.db.selectFrom('outbox').select(['state', 'textBody', 'htmlBody']).where('toAddress', '=', 'smtp-link@example.org').executeTakeFirstOrThrow();
    expect(row.state).toBe('sent');
    expect(`${row.textBody}${row.htmlBody}`).not.toContain(tokenOf(link));
    expect(`${row.textBody}${row.htmlBody}`).not.toContain('/console/invitations/');
    await accept(t, link);
  });
});
