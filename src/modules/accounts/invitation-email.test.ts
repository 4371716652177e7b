import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/helpers/app.ts';
import { readMail, startSmtp } from '../../../test/helpers/smtp.ts';
import { createStaff, signIn } from '../../../test/helpers/staff.ts';

const invite = (fields: { displayName: string; email: string; roles: string[]; locale: string }) => fields;

describe('the invitation e-mail through a real mail server', () => {
  let smtp: Awaited<ReturnType<typeof startSmtp>>;
  let t: TestApp;

  beforeAll(async () => {
    smtp = await startSmtp();
    t = await createTestApp({ env: { SMTP_URL: smtp.url, BASE_URL: 'https://heatwatch.example.org' } });
  });
  afterAll(async () => {
    await t.close();
    await smtp.close();
  });

  async function inviteAndRead(email: string, locale: string) {
    const admin = await signIn(t, await createStaff(t, ['administrator'], { name: 'Ana Administrator' }));
    const res = await admin.post('/console/accounts/invite', invite({ displayName: 'Rosa Reviewer', email, roles: ['tip_reviewer', 'investigator'], locale }));
    expect(res.statusCode).toBe(303);
    // With a mail server, the accounts page (in the administrator's language) says it was sent.
    expect((await admin.get(String(res.headers.location))).body).toContain('Invitation sent.');
    await t.app.services.jobs.runDue();
    const raw = smtp.received.find((m) => m.envelopeTo.includes(email))!.raw;
    return readMail(raw);
  }

  it('names who invited the person and with which roles, and its text part gives the link plainly', async () => {
    const mail = await inviteAndRead('rosa.en@example.org', 'en');
    expect(mail.text).toContain('Ana Administrator has invited you to the HEAT Watch staff console');
    expect(mail.text).toContain('as Tip reviewer and Investigator.');
    expect(mail.text).not.toMatch(/button/i);
    expect(mail.text).toMatch(/To choose your password and create your account, open this link:\n(https:\/\/heatwatch\.example\.org\/console\/invitations\/\S+)\n/);
    expect(mail.html).toContain('Ana Administrator has invited you');
  });

  it('lets the long link wrap in a narrow mail client', async () => {
    const mail = await inviteAndRead('rosa.wrap@example.org', 'en');
    const link = /https:\/\/heatwatch\.example\.org\/console\/invitations\/[A-Za-z0-9_-]+/.exec(mail.text)![0];
    // The address shown in full breaks anywhere rather than widening the message.
    expect(mail.html).toMatch(new RegExp(`<p style="[^"]*word-break:break-all;overflow-wrap:anywhere[^"]*"><a href="${link}"[^>]*>${link}</a>`));
    expect(mail.html).toContain('max-width:560px');
  });

  it('in the language chosen for the person', async () => {
    const mail = await inviteAndRead('rosa.es@example.org', 'es');
    expect(mail.text).toContain('Ana Administrator le invitó a la consola del personal de HEAT Watch');
    expect(mail.text).toMatch(/como Revisor\/a de denuncias [ey] Investigador\/a\./);
    expect(mail.text).not.toMatch(/bot[oó]n/i);
  });
});

describe('without a mail server', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(async () => t.close());

  it('the accounts and outbox pages say the message was written to the outbox, not sent', async () => {
    const admin = await signIn(t, await createStaff(t, ['administrator'], { name: 'Ana Administrator' }));
    const res = await admin.post('/console/accounts/invite', invite({ displayName: 'Oli Outbox', email: 'oli@example.org', roles: ['volunteer'], locale: 'en' }));
    const page = await admin.get(String(res.headers.location));
    expect(page.body).toContain('Invitation written to the outbox (no mail server configured)');
    expect(page.body).not.toContain('Invitation sent.');
    await t.app.services.jobs.runDue();
    const outbox = await admin.get('/console/outbox');
    expect(outbox.body).toContain('Written to the outbox (no mail server configured)');
    expect(outbox.body).not.toMatch(/>Sent</);
  });
});
