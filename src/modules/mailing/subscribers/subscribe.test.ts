import { createHash } from 'node:crypto';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../../test/helpers/app.ts';
import { readMail, startSmtp } from '../../../../test/helpers/smtp.ts';
import { csrfFrom } from '../../../../test/helpers/staff.ts';
import { confirmLink, subscribe, urlencoded } from '../testing.ts';

let smtp: Awaited<ReturnType<typeof startSmtp>>;
let t: TestApp;
const db = () => t.app.services.db;

beforeAll(async () => {
  smtp = await startSmtp();
});
afterAll(async () => smtp.close());
beforeEach(async () => {
  t = await createTestApp({ env: { SMTP_URL: smtp.url, BASE_URL: 'https://heat.example' } });
  smtp.received.length = 0;
});
afterEach(async () => {
  try {
    expect(t.logs.filter((line) => /"level":(50|60)/.test(line))).toEqual([]);
  } finally {
    await t.close();
  }
});

let seq = 0;
const address = () => `reader-${Date.now().toString(36)}-${++seq}@example.org`;

/** Runs the queued jobs and answers the messages the loopback server received for `to`, parsed. */
async function delivered(to: string) {
  await t.app.services.jobs.runDue();
  return Promise.all(smtp.received.filter((r) => r.envelopeTo.includes(to)).map((r) => readMail(r.raw)));
}

/** Follows a confirmation link: the page, then its button. */
async function confirm(path: string) {
  const page = await t.app.inject({ url: path });
  expect(page.statusCode).toBe(200);
  return t.app.inject({ method: 'POST', url: path, ...urlencoded({ _csrf: csrfFrom(page.body) }) });
}

const subscriber = (email: string) => db().selectFrom('mailingSubscribers').select(['id', 'status', 'locale', 'name', 'confirmedAt']).where('email', '=', email).executeTakeFirst();

describe('the subscribe page', () => {
  it('is linked from the home page and the footer, in both languages, with the topics and the consent wording', async () => {
    for (const [prefix, title] of [['', 'Subscribe to our mailing list'], ['/es', 'Suscríbase a nuestra lista de correo']] as const) {
      const home = await t.app.inject({ url: `${prefix}/` });
      expect(home.body.match(new RegExp(`href="${prefix}/subscribe"`, 'g'))?.length).toBeGreaterThanOrEqual(2);
      const page = await t.app.inject({ url: `${prefix}/subscribe` });
      expect(page.statusCode).toBe(200);
      expect(page.body).toContain(`<h1>${title}</h1>`);
      expect(page.body).toContain(prefix ? 'Capacitaciones' : 'Trainings');
      const wording = /<p class="consent" id="consent">([^<]+)<\/p>/.exec(page.body)![1]!;
      const hash = /name="wording" value="([0-9a-f]{64})"/.exec(page.body)![1]!;
      const stored = await db().selectFrom('mailingWordings').select(['text', 'locale']).where('hash', '=', hash).executeTakeFirstOrThrow();
      expect(stored.locale).toBe(prefix ? 'es' : 'en');
      expect(createHash('sha256').update(stored.text).digest('hex')).toBe(hash);
      expect(wording).toBe(stored.text.replace(/"/g, '&quot;'));
    }
  });

  it('gives the form back with what was typed and a message per field', async () => {
    const bad = await subscribe(t, { email: 'not an address', name: 'Ana', topics: [] });
    expect(bad.statusCode).toBe(422);
    expect(bad.body).toContain('value="not an address"');
    expect(bad.body).toContain('value="Ana"');
    expect(bad.body).toContain('Choose at least one topic.');
    const unknownTopic = await subscribe(t, { email: address(), topics: ['no-such-topic'] });
    expect(unknownTopic.statusCode).toBe(422);
    const es = await subscribe(t, { email: 'x', topics: [] }, { prefix: '/es' });
    expect(es.statusCode).toBe(422);
    expect(es.body).toContain('Elija al menos un tema.');
  });

  it('keeps what was typed when the form had expired', async () => {
    const res = await t.app.inject({ method: 'POST', url: '/subscribe', ...urlencoded({ _csrf: 'stale.token', email: 'kept@example.org', topics: 'news', language: 'en' }) });
    expect(res.statusCode).toBe(422);
    expect(res.body).toContain('value="kept@example.org"');
    expect(res.body).toContain('This form had expired');
    expect(await db().selectFrom('mailingSignups').select('id').execute()).toEqual([]);
  });
});

describe('double opt-in', () => {
  it('sends a single-use link; following it subscribes and records the consent evidence', async () => {
    const email = address();
    const res = await subscribe(t, { email, name: 'Rosa', topics: ['news', 'events'] });
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe('/subscribe/sent');
    expect((await t.app.inject({ url: '/subscribe/sent' })).body).toContain('Check your e-mail');
    const [mail, ...more] = await delivered(email);
    expect(more).toEqual([]);
    expect(mail!.subject).toContain('Confirm your subscription');
    expect(mail!.text).toContain('Topics: News, Events');
    expect(mail!.html).toContain('href="https://heat.example/subscribe/confirm/');
    expect((await subscriber(email))?.status).toBe('pending');

    const link = confirmLink(mail!.text);
    // Opening the link (as a mail scanner does) changes nothing.
    const page = await t.app.inject({ url: link });
    expect(page.body).toContain('<li>News</li>');
    expect((await subscriber(email))?.status).toBe('pending');
    t.clock.advance(60_000);
    const done = await confirm(link);
    expect(done.statusCode).toBe(200);
    expect(done.body).toContain('You are subscribed');
    const row = (await subscriber(email))!;
    expect(row).toMatchObject({ status: 'confirmed', name: 'Rosa', locale: 'en', confirmedAt: t.clock.now().toISOString() });
    const topics = await db().selectFrom('mailingSubscriberTopics').select('topicKey').where('subscriberId', '=', row.id).orderBy('topicKey').execute();
    expect(topics.map((r) => r.topicKey)).toEqual(['events', 'news']);
    const consent = await db().selectFrom('mailingConsents').innerJoin('mailingWordings', 'hash', 'wordingHash').selectAll().where('subscriberId', '=', row.id).executeTakeFirstOrThrow();
    expect(consent).toMatchObject({ form: 'subscribe-page', topics: '["events","news"]', givenAt: t.clock.now().toISOString() });
    expect(consent.text).toContain('I want to receive e-mail from');
    expect(createHash('sha256').update(consent.text).digest('hex')).toBe(consent.wordingHash);

    // Used once: the page and the button both say the link no longer works.
    expect((await t.app.inject({ url: link })).statusCode).toBe(410);
    const again = await t.app.inject({ method: 'POST', url: link, ...urlencoded({ _csrf: csrfFrom(page.body) }) });
    expect(again.statusCode).toBe(410);
    expect(await db().selectFrom('mailingConsents').select('id').where('subscriberId', '=', row.id).execute()).toHaveLength(1);
  });

  it('works in Spanish: the e-mail, its link and the pages, with the office name as just changed', async () => {
    // A changed setting is read afresh, outside the transactions that write the list (on SQLite
    // a read through another handle inside one would wait for it forever).
    await t.app.services.settings.update({ officeName: 'Fiscalía de Prueba' });
    const email = address();
    expect((await subscribe(t, { email, topics: ['trainings'] }, { prefix: '/es' })).headers.location).toBe('/es/subscribe/sent');
    const [mail] = await delivered(email);
    expect(mail!.subject).toBe('Confirme su suscripción a Fiscalía de Prueba');
    expect(mail!.text).toContain('Temas: Capacitaciones');
    const link = confirmLink(mail!.text);
    expect(link.startsWith('/es/subscribe/confirm/')).toBe(true);
    expect((await confirm(link)).body).toContain('Está suscrito');
    expect((await subscriber(email))?.locale).toBe('es');
  });

  it('confirms a link only once when the button is pressed many times at once', async () => {
    const email = address();
    await subscribe(t, { email });
    const link = confirmLink((await delivered(email))[0]!.text);
    const page = await t.app.inject({ url: link });
    const body = urlencoded({ _csrf: csrfFrom(page.body) });
    const answers = await Promise.all(Array.from({ length: 30 }, () => t.app.inject({ method: 'POST', url: link, ...body })));
    expect(answers.filter((a) => a.statusCode === 200)).toHaveLength(1);
    expect(answers.filter((a) => a.statusCode === 410)).toHaveLength(29);
    const { id } = (await subscriber(email))!;
    expect(await db().selectFrom('mailingConsents').select('id').where('subscriberId', '=', id).execute()).toHaveLength(1);
  });

  it('refuses a link after 7 days, a forged one and a tampered one', async () => {
    const email = address();
    await subscribe(t, { email });
    const link = confirmLink((await delivered(email))[0]!.text);
    const [id, exp, mac] = link.split('/').at(-1)!.split('.');
    const forged = `/subscribe/confirm/${id}.${(Number.parseInt(exp!, 36) + 86_400_000).toString(36)}.${mac}`;
    expect((await t.app.inject({ url: forged })).statusCode).toBe(410);
    expect((await t.app.inject({ url: `/subscribe/confirm/${id}.${exp}.${'A'.repeat(43)}` })).statusCode).toBe(410);
    t.clock.advance(7 * 24 * 3600_000 - 1000);
    expect((await t.app.inject({ url: link })).statusCode).toBe(200);
    t.clock.advance(2000);
    expect((await t.app.inject({ url: link })).statusCode).toBe(410);
    expect((await subscriber(email))?.status).toBe('pending');
  });
});

describe('no enumeration', () => {
  it('answers a known address exactly as an unknown one, and does the same work for both in the request', async () => {
    const known = address();
    await subscribe(t, { email: known });
    await confirm(confirmLink((await delivered(known))[0]!.text));
    t.clock.advance(11 * 60_000);
    const before = await db().selectFrom('mailingSubscribers').select(['id', 'updatedAt']).orderBy('id').execute();
    const a = await subscribe(t, { email: known, topics: ['events'] });
    const b = await subscribe(t, { email: address(), topics: ['events'] });
    expect([a.statusCode, a.headers.location]).toEqual([b.statusCode, b.headers.location]);
    expect(a.body).toBe(b.body);
    // Neither request read or wrote the list: each left one signup for the job, nothing else.
    expect(await db().selectFrom('mailingSubscribers').select(['id', 'updatedAt']).orderBy('id').execute()).toEqual(before);
    expect(await db().selectFrom('mailingSignups').select('id').execute()).toHaveLength(2);
    // The known address is told it is already subscribed; confirming changes its topics.
    const [mail] = (await delivered(known)).slice(-1);
    expect(mail!.text).toContain('You are already subscribed');
    await confirm(confirmLink(mail!.text));
    const { id } = (await subscriber(known))!;
    expect((await db().selectFrom('mailingSubscriberTopics').select('topicKey').where('subscriberId', '=', id).execute()).map((r) => r.topicKey)).toEqual(['events']);
    expect(await db().selectFrom('mailingConsents').select('id').where('subscriberId', '=', id).execute()).toHaveLength(2);
  });
});

describe('re-sending', () => {
  it('sends at most one e-mail per address in 10 minutes, even for thirty posts at once', async () => {
    const email = address();
    const posts = await Promise.all(Array.from({ length: 30 }, (_, i) => subscribe(t, { email }, { ip: `203.0.113.${i + 1}` })));
    expect(posts.every((p) => p.statusCode === 303)).toBe(true);
    const first = await delivered(email);
    expect(first).toHaveLength(1);
    t.clock.advance(9 * 60_000);
    await subscribe(t, { email });
    expect(await delivered(email)).toHaveLength(1);
    t.clock.advance(60_000);
    await subscribe(t, { email });
    const both = await delivered(email);
    expect(both).toHaveLength(2);
    // The newer link replaces the older one.
    expect((await t.app.inject({ url: confirmLink(first[0]!.text) })).statusCode).toBe(410);
    expect((await confirm(confirmLink(both[1]!.text))).statusCode).toBe(200);
  });
});

describe('throttling per client', () => {
  it('takes 10 posts an hour from one client, counted exactly under thirty at once, and keeps what was typed', async () => {
    const ip = '192.0.2.44';
    const answers = await Promise.all(Array.from({ length: 30 }, () => subscribe(t, { email: address(), name: 'Lu' }, { ip })));
    expect(answers.filter((a) => a.statusCode === 303)).toHaveLength(10);
    const refused = answers.filter((a) => a.statusCode === 429);
    expect(refused).toHaveLength(20);
    expect(refused[0]!.headers['retry-after']).toBeDefined();
    expect(refused[0]!.body).toContain('value="Lu"');
    expect(refused[0]!.body).toContain('Too many requests came from your connection');
    // Another client is not held back.
    expect((await subscribe(t, { email: address() }, { ip: '192.0.2.45' })).statusCode).toBe(303);
    t.clock.advance(3600_000);
    expect((await subscribe(t, { email: address() }, { ip })).statusCode).toBe(303);
    // The client address is kept nowhere: not in the signups, the jobs, the list or the logs.
    await t.app.services.jobs.runDue();
    const everything = JSON.stringify([
      await db().selectFrom('mailingSignups').selectAll().execute(),
      await db().selectFrom('jobs').selectAll().execute(),
      await db().selectFrom('mailingSubscribers').selectAll().execute(),
      t.logs,
    ]);
    expect(everything).not.toContain(ip);
    expect(everything).not.toContain('192.0.2.45');
  });
});

describe('purging', () => {
  it('deletes pending subscriptions untouched for 30 days and keeps confirmed ones', async () => {
    const pending = address();
    const confirmed = address();
    await subscribe(t, { email: pending });
    await subscribe(t, { email: confirmed });
    await confirm(confirmLink((await delivered(confirmed))[0]!.text));
    t.clock.advance(29 * 24 * 3600_000);
    await t.app.services.jobs.runDue();
    expect(await subscriber(pending)).toBeDefined();
    t.clock.advance(2 * 24 * 3600_000);
    await t.app.services.jobs.runDue();
    expect(await subscriber(pending)).toBeUndefined();
    expect((await subscriber(confirmed))?.status).toBe('confirmed');
    expect(await db().selectFrom('jobs').select('id').where('name', '=', 'mailing.signup').execute()).toEqual([]);
  });
});
