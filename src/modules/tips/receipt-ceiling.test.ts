import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/helpers/app.ts';
import { createStaff, csrfFrom } from '../../../test/helpers/staff.ts';
import { receiptCeilingEmail, sampleReceiptCeilingEmailProps } from './emails/receipt-ceiling.tsx';
import { basicTip, createOfficeKey, postTip, receiptFrom } from './testing.ts';

/**
 * The site-wide bound on guessing: wrong receipt codes per UTC hour, whatever address they come
 * from. At the ceiling no code is checked until the hour ends, and the administrators get one
 * e-mail. With the memory limiter and, when a Redis server is given, the shared one.
 */

const limiters: [string, Record<string, string>][] = [['memory limiter', {}]];
if (process.env.TEST_REDIS_URL) limiters.push(['Redis limiter', { REDIS_URL: process.env.TEST_REDIS_URL }]);

const CEILING = 10;

describe.each(limiters)('the hourly ceiling of wrong receipt codes (%s)', (_name, env) => {
  let t: TestApp;
  let receipt: string;
  beforeAll(async () => {
    t = await createTestApp({ env: { ...env, TIP_RECEIPT_WRONG_CODES_PER_HOUR: String(CEILING), BASE_URL: 'https://heatwatch.example.org' } });
    // A minute into an hour, so the hour does not end halfway through the test.
    t.clock.set('2026-03-02T10:01:00.000Z');
    await createOfficeKey(t);
    await createStaff(t, ['administrator'], { email: 'admin@example.org' });
    await createStaff(t, ['administrator'], { email: 'administradora@example.org', locale: 'es' });
    await createStaff(t, ['tip_reviewer'], { email: 'reviewer@example.org' });
    receipt = receiptFrom((await postTip(t, basicTip({ whatHappened: 'A tip behind the ceiling.' }))).body);
  });
  afterAll(async () => t.close());

  let n = 0;
  // Each try from an address of its own: only the site-wide count can stop them.
  const address = () => `2001:db8:${(++n).toString(16)}:${Math.floor(Math.random() * 0xffff).toString(16)}::1`;
  const wrongCode = () => `${receipt.slice(0, 15)}${(Number(receipt[15]) + 1) % 10}`;
  async function openWith(code: string, ip = address(), locale = '') {
    const page = await t.app.inject({ url: `${locale}/tip/follow-up`, remoteAddress: ip });
    return t.app.inject({ method: 'POST', url: `${locale}/tip/follow-up`, remoteAddress: ip, payload: { receipt: code, _csrf: csrfFrom(page.body) } });
  }
  const mails = () => t.app.services.db.selectFrom('outbox').select(['toAddress', 'subject', 'textBody', 'template']).where('template', '=', 'tips.receipt_ceiling').orderBy('toAddress').execute();

  it('checks exactly the ceiling of sixty wrong codes sent at once from sixty addresses, then no code from anyone for the rest of the hour', async () => {
    // The right code is not a wrong one: it does not count toward the ceiling.
    for (let i = 0; i < 3; i++) expect((await openWith(receipt)).statusCode).toBe(200);
    const answers = await Promise.all(Array.from({ length: 60 }, () => openWith(wrongCode())));
    const statuses = answers.map((a) => a.statusCode).sort();
    expect(statuses).toEqual([...Array<number>(CEILING).fill(422), ...Array<number>(60 - CEILING).fill(429)]);
    const refused = answers.find((a) => a.statusCode === 429)!;
    expect(refused.body).toContain('The tip line has received too many wrong codes this hour');
    expect(refused.body).toContain('Please try again in 59 minutes.');

    // The right code, from an address that never guessed, waits for the hour too.
    const right = await openWith(receipt);
    expect(right.statusCode).toBe(429);
    expect(Number(right.headers['retry-after'])).toBe(59 * 60);
    expect(right.body).not.toContain('A tip behind the ceiling.');
    const es = await openWith(receipt, address(), '/es');
    expect(es.statusCode).toBe(429);
    expect(es.body).toContain('<html lang="es"');
    expect(es.body).toContain('La línea de avisos recibió demasiados códigos incorrectos en esta hora');
    expect(es.body).toContain('dentro de 59 minutos');

    // One e-mail to each administrator for the hour, however many were refused, and none to reviewers.
    // It names when codes are checked again in the office's zone, read from the setting when it is sent.
    await t.app.services.settings.update({ timeZone: 'America/New_York' });
    await t.app.services.jobs.runDue();
    for (let i = 0; i < 5; i++) expect((await openWith(wrongCode())).statusCode).toBe(429);
    await t.app.services.jobs.runDue();
    const sent = await mails();
    expect(sent.map((m) => m.toAddress)).toEqual(['admin@example.org', 'administradora@example.org']);
    expect(sent[0]!.subject).toBe('Tip line: receipt codes paused after too many wrong codes');
    expect(sent[0]!.textBody).toContain(`received ${CEILING} wrong receipt codes within one hour`);
    expect(sent[0]!.textBody).toContain('https://heatwatch.example.org/console');
    expect(sent[0]!.textBody).toContain('Until the hour ends at 6:00 AM EST, in 59 minutes');
    await t.app.services.settings.update({ timeZone: 'America/Los_Angeles' });
    expect(sent[1]!.subject).toBe('Línea de avisos: códigos de recibo en pausa tras demasiados códigos incorrectos');
    for (const m of sent) expect(m.textBody).not.toMatch(/2001:db8|127\.0\.0\.1/);
    expect(sent.map((m) => m.textBody).join('')).not.toContain(receipt);

    // The next hour the tip line checks codes again.
    t.clock.set('2026-03-02T11:00:00.000Z');
    const next = await openWith(receipt);
    expect(next.statusCode).toBe(200);
    expect(next.body).toContain('No messages yet.');
    expect((await openWith(wrongCode())).statusCode).toBe(422);
    await t.app.services.jobs.runDue();
    expect(await mails()).toHaveLength(2);
  });

  it('renders the alert in English and Spanish, naming no address and no code', () => {
    const en = receiptCeilingEmail(t.app.services.catalogs, sampleReceiptCeilingEmailProps);
    expect(en.subject).toBe('Tip line: receipt codes paused after too many wrong codes');
    expect(en.text).toContain('Until the hour ends at 4:00 PM PST, in 42 minutes, it checks no receipt code');
    const chicago = receiptCeilingEmail(t.app.services.catalogs, { ...sampleReceiptCeilingEmailProps, timeZone: 'America/Chicago' });
    expect(chicago.text).toContain('Until the hour ends at 6:00 PM CST,');
    expect(chicago.html).toContain('6:00 PM CST');
    expect(en.html).toContain('lang="en"');
    const es = receiptCeilingEmail(t.app.services.catalogs, { ...sampleReceiptCeilingEmailProps, locale: 'es', minutes: 1 });
    expect(es.text).toContain('dentro de 1 minuto,');
    expect(es.html).toContain('lang="es"');
  });
});
