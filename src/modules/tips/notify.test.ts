import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/helpers/app.ts';
import { createStaff, type TestStaff } from '../../../test/helpers/staff.ts';
import { newTipsEmail, sampleNewTipsEmailProps } from './emails/new-tips.tsx';
import { basicTip, createOfficeKey, postTip } from './testing.ts';

let t: TestApp;
let reviewer: TestStaff;
let investigator: TestStaff;
const db = () => t.app.services.db;
type Mail = { toAddress: string; subject: string; textBody: string; htmlBody: string; template: string };
const mails = async (): Promise<Mail[]> => db().selectFrom('outbox').select(['toAddress', 'subject', 'textBody', 'htmlBody', 'template']).orderBy('createdAt').orderBy('id').execute();

/** Moves past the notifier's period (one minute) and runs what is due. */
async function tick(ms = 61_000) {
  t.clock.advance(ms);
  await t.app.services.jobs.runDue();
}

// The digest hour runs across every tip in the office: each test starts with none sent.
beforeEach(async () => {
  t = await createTestApp({ env: { BASE_URL: 'https://heatwatch.example.org' } });
  await createOfficeKey(t);
  reviewer = await createStaff(t, ['tip_reviewer'], { email: 'reviewer@example.org' });
  investigator = await createStaff(t, ['investigator'], { email: 'investigador@example.org', locale: 'es' });
  await createStaff(t, ['volunteer'], { email: 'volunteer@example.org' });
});
afterEach(async () => t.close());

describe('new-tip e-mails', () => {
  it('renders an HTML and a text part, in English and Spanish, with a link and no content', () => {
    const en = newTipsEmail(t.app.services.catalogs, sampleNewTipsEmailProps);
    expect(en.subject).toBe('An urgent tip has arrived');
    expect(en.html).toContain('href="http://127.0.0.1:3000/console/tips?urgent=1"');
    expect(en.text).toContain('http://127.0.0.1:3000/console/tips?urgent=1');
    const es = newTipsEmail(t.app.services.catalogs, { ...sampleNewTipsEmailProps, locale: 'es', urgent: false, count: 3 });
    expect(es.subject).toBe('Han llegado 3 avisos nuevos');
    expect(es.html).toContain('lang="es"');
  });

  it('tells every reader about a new tip, with no word of it, and no one else', async () => {
    await postTip(t, basicTip({ whatHappened: 'SECRETWORD in the kitchen', kind: 'labour' }));
    await tick();
    const sent = await mails();
    expect(sent.map((m) => m.toAddress).sort()).toEqual([investigator.account.email, reviewer.account.email].sort());
    const en = sent.find((m) => m.toAddress === reviewer.account.email)!;
    expect(en.subject).toBe('A new tip has arrived');
    expect(en.textBody).toContain('https://heatwatch.example.org/console/tips');
    expect(sent.find((m) => m.toAddress === investigator.account.email)!.subject).toBe('Ha llegado un aviso nuevo');
    const tipId = (await db().selectFrom('tips').select('id').executeTakeFirstOrThrow()).id;
    for (const m of sent) {
      for (const part of [m.subject, m.textBody, m.htmlBody]) {
        expect(part).not.toContain('SECRETWORD');
        expect(part).not.toContain('kitchen');
        expect(part).not.toContain(tipId);
        expect(part).not.toMatch(/labour|Labour/);
      }
    }
  });

  it('sends other tips at most once an hour, in one digest', async () => {
    // The first tip is announced at once (one mail to each reader) and starts the hour.
    await postTip(t, basicTip());
    await tick();
    await postTip(t, basicTip());
    await tick();
    await postTip(t, basicTip());
    await tick();
    expect(await mails()).toHaveLength(2);
    await tick(3600_000);
    const digest = (await mails()).slice(2);
    expect(digest).toHaveLength(2);
    expect(digest.find((m) => m.toAddress === reviewer.account.email)!.subject).toBe('2 new tips have arrived');
  });

  it('announces an urgent tip at once, even within the digest hour', async () => {
    // The first tip is announced and starts the digest hour.
    await postTip(t, basicTip());
    await tick();
    const before = (await mails()).length;
    await postTip(t, basicTip());
    await postTip(t, basicTip({ danger: 'yes' }));
    await tick();
    const latest = (await mails()).slice(before);
    expect(latest.map((m) => m.template)).toEqual(['tips.urgent', 'tips.urgent']);
    expect(latest.find((m) => m.toAddress === reviewer.account.email)!.subject).toBe('An urgent tip has arrived');
    expect(latest.find((m) => m.toAddress === reviewer.account.email)!.textBody).toContain('/console/tips?urgent=1');
    // The ordinary tip waits for the next digest.
    expect((await db().selectFrom('tips').select('id').where('notifyPending', '=', 1).execute())).toHaveLength(1);
  });

  it('queues no job that names a tip or dates its submission', async () => {
    await postTip(t, basicTip());
    await tick();
    await postTip(t, basicTip());
    await postTip(t, basicTip({ danger: 'yes' }));
    await tick();
    const jobs = await db().selectFrom('jobs').select(['name', 'payload', 'uniqueKey']).execute();
    const ids = (await db().selectFrom('tips').select('id').execute()).map((r: { id: string }) => r.id);
    for (const job of jobs) for (const id of ids) expect(`${job.payload}${job.uniqueKey}`).not.toContain(id);
    expect(jobs.filter((j: { name: string }) => j.name === 'tips.notify').every((j: { payload: string }) => j.payload === '{}')).toBe(true);
  });
});
