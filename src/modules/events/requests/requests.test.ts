import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../../test/helpers/app.ts';
import { parsePage, textOf } from '../../../../test/helpers/html.ts';
import { createStaff, signIn, type SignedIn, type TestStaff } from '../../../../test/helpers/staff.ts';
import { makeRequest, postRequest, referenceFrom, requestFields } from '../testing.ts';
import { REQUEST_LIMIT } from './submit.service.ts';
import { businessDaysBefore } from './stale.ts';

let t: TestApp;
let coordinator: TestStaff;
let trainer: TestStaff;
let office: SignedIn;

const db = () => t.app.services.db;
const outboxTo = (to: string) => db().selectFrom('outbox').select(['subject', 'textBody', 'template']).where('toAddress', '=', to).orderBy('createdAt').execute();
const requestRow = (id: string) => db().selectFrom('trainingRequests').selectAll().where('id', '=', id).executeTakeFirstOrThrow();

beforeAll(async () => {
  t = await createTestApp();
  coordinator = await createStaff(t, ['outreach_coordinator'], { name: 'Olivia Outreach' });
  trainer = await createStaff(t, ['outreach_coordinator'], { name: 'Tomas Trainer' });
  office = await signIn(t, coordinator);
});
afterAll(async () => t.close());

describe('the public request form', () => {
  it('is a page in English and Spanish with every field the office asks for, and the home page links to it', async () => {
    for (const [url, title] of [['/trainings/request', 'Host a training'], ['/es/trainings/request', 'Organice una capacitación']] as const) {
      const res = await t.app.inject({ url });
      expect(res.statusCode).toBe(200);
      expect(res.body).toContain(title);
      for (const name of ['organization', 'sector', 'audienceSize', 'audienceAges', 'format', 'city', 'date1', 'date2', 'date3', 'language', 'topics', 'accessibility', 'contactName', 'contactEmail', 'contactPhone', 'website']) {
        expect(res.body, name).toContain(`name="${name}"`);
      }
    }
    expect((await t.app.inject({ url: '/' })).body).toContain('href="/trainings/request"');
    expect((await t.app.inject({ url: '/es/' })).body).toContain('href="/es/trainings/request"');
  });

  it('stores a request, shows its reference and mails an acknowledgement carrying it, in the language of the form', async () => {
    const fields = requestFields();
    const res = await postRequest(t, fields, { locale: 'es' });
    expect(res.statusCode).toBe(303);
    const reference = referenceFrom(res.headers.location)!;
    expect(res.headers.location).toBe(`/es/trainings/request/sent?ref=${reference}`);
    const sent = await t.app.inject({ url: String(res.headers.location) });
    expect(sent.body).toContain(reference);
    expect(sent.body).toContain('Solicitud recibida');

    const row = await db().selectFrom('trainingRequests').selectAll().where('reference', '=', reference).executeTakeFirstOrThrow();
    expect(row).toMatchObject({ status: 'submitted', organization: 'Lincoln High School', sector: 'school', audienceSize: 40, format: 'in_person', locale: 'es', accessibility: 'ASL interpreter' });
    expect(JSON.parse(row.preferredDates)).toEqual(['2027-03-10']);
    expect(JSON.parse(row.topics)).toEqual(['basics', 'youth']);
    // Nothing of the client is kept: no column holds its address.
    expect(JSON.stringify(row)).not.toContain('198.51.100');

    const mail = await outboxTo(String(fields.contactEmail));
    expect(mail).toHaveLength(1);
    expect(mail[0]!.template).toBe('events.request_ack');
    expect(mail[0]!.subject).toContain(reference);
    expect(mail[0]!.textBody).toContain(`Su número de referencia es ${reference}`);
  });

  it('sends the form back with a message per field and everything typed', async () => {
    const fields = requestFields({ organization: '', audienceSize: 'lots', contactEmail: 'not-an-address', date1: '2027-02-31' });
    const res = await postRequest(t, fields);
    expect(res.statusCode).toBe(422);
    const page = parsePage(res.body);
    expect(page.text).toContain('Enter the name of your organization.');
    expect(page.text).toContain('Enter about how many people will attend');
    expect(page.text).toContain('Enter an e-mail address like name@example.org.');
    expect(page.text).toContain('Enter a date as year, month and day.');
    expect(res.body).toContain('value="lots"');
    expect(res.body).toContain('value="not-an-address"');
    expect(res.body).toContain('ASL interpreter');
    expect(await outboxTo('not-an-address')).toEqual([]);
  });

  it('refuses a form whose robot field is filled, and one whose token expired, keeping what was typed', async () => {
    const robot = requestFields({ website: 'http://spam.example' });
    const res = await postRequest(t, robot);
    expect(res.statusCode).toBe(422);
    expect(res.body).toContain('We could not accept this form.');
    expect(res.body).not.toContain('http://spam.example');
    expect(await outboxTo(String(robot.contactEmail))).toEqual([]);

    const late = requestFields();
    const expired = await postRequest(t, late, { csrf: 'not-a-token' });
    expect(expired.statusCode).toBe(422);
    expect(expired.body).toContain('has expired');
    expect(expired.body).toContain(String(late.contactEmail));
    expect(await outboxTo(String(late.contactEmail))).toEqual([]);
  });

  it('lets one client send only its hourly share even when thirty arrive at once', async () => {
    const ip = '192.0.2.77';
    const before = Number((await db().selectFrom('trainingRequests').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);
    const answers = await Promise.all(Array.from({ length: 30 }, () => postRequest(t, requestFields(), { ip })));
    const codes = answers.map((a) => a.statusCode);
    expect(codes.filter((c) => c === 303)).toHaveLength(REQUEST_LIMIT.count);
    expect(codes.filter((c) => c === 429)).toHaveLength(30 - REQUEST_LIMIT.count);
    const refused = answers.find((a) => a.statusCode === 429)!;
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
    expect(refused.body).toContain('Too many requests were sent from this connection');
    const after = Number((await db().selectFrom('trainingRequests').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);
    expect(after - before).toBe(REQUEST_LIMIT.count);
    // Another client is not held up by that one.
    expect((await postRequest(t, requestFields(), { ip: '192.0.2.78' })).statusCode).toBe(303);
  });
});

describe("the office's queue", () => {
  it('moves a request along the pipeline, one step at a time, and refuses a skipped step', async () => {
    const { id } = await makeRequest(t);
    expect((await office.get('/console/trainings')).body).toContain(`/console/trainings/${id}`);
    const skip = await office.post(`/console/trainings/${id}/status`, { to: 'delivered' }, `/console/trainings/${id}`);
    expect(skip.headers.location).toBe(`/console/trainings/${id}?error=transition`);
    expect((await requestRow(id)).status).toBe('submitted');
    for (const to of ['triaged', 'scheduled', 'delivered', 'closed']) {
      const res = await office.post(`/console/trainings/${id}/status`, { to }, `/console/trainings/${id}`);
      expect(res.headers.location, to).toBe(`/console/trainings/${id}?done=status`);
      expect((await requestRow(id)).status).toBe(to);
    }
    const page = await office.get(`/console/trainings/${id}?done=status`);
    expect(page.body).toContain('The status was changed.');
    expect(page.body).not.toContain('name="to"');
  });

  it('declines only with a reason, and mails that reason to the requester in their language', async () => {
    const { id, email } = await makeRequest(t);
    await db().updateTable('trainingRequests').set({ locale: 'es' }).where('id', '=', id).execute();
    const noReason = await office.post(`/console/trainings/${id}/status`, { to: 'declined', reason: '  ' }, `/console/trainings/${id}`);
    expect(noReason.headers.location).toBe(`/console/trainings/${id}?error=reason`);
    expect((await requestRow(id)).status).toBe('submitted');
    const res = await office.post(`/console/trainings/${id}/status`, { to: 'declined', reason: 'Our trainers are booked <until> June.' }, `/console/trainings/${id}`);
    expect(res.headers.location).toBe(`/console/trainings/${id}?done=status`);
    expect(await requestRow(id)).toMatchObject({ status: 'declined', declineReason: 'Our trainers are booked <until> June.' });
    const mail = (await outboxTo(email)).filter((m) => m.template === 'events.request_declined');
    expect(mail).toHaveLength(1);
    expect(mail[0]!.subject).toContain('Sobre su solicitud');
    expect(mail[0]!.textBody).toContain('Our trainers are booked <until> June.');
    const page = await office.get(`/console/trainings/${id}`);
    expect(page.body).toContain('Our trainers are booked &lt;until> June.');
    expect(page.body).not.toContain('<until>');
  });

  it('assigns a trainer from the outreach team only, and keeps notes with their author', async () => {
    const { id } = await makeRequest(t);
    const outsider = await createStaff(t, ['content_editor']);
    expect((await office.post(`/console/trainings/${id}/assign`, { trainerId: outsider.account.id }, `/console/trainings/${id}`)).headers.location).toBe(`/console/trainings/${id}?error=trainer`);
    expect((await requestRow(id)).trainerId).toBeNull();
    expect((await office.post(`/console/trainings/${id}/assign`, { trainerId: trainer.account.id }, `/console/trainings/${id}`)).headers.location).toBe(`/console/trainings/${id}?done=assigned`);
    expect((await requestRow(id)).trainerId).toBe(trainer.account.id);
    expect((await office.get('/console/trainings')).body).toContain('Tomas Trainer');

    expect((await office.post(`/console/trainings/${id}/notes`, { body: '' }, `/console/trainings/${id}`)).headers.location).toBe(`/console/trainings/${id}?error=note`);
    expect((await office.post(`/console/trainings/${id}/notes`, { body: 'Called the principal <b>Tuesday</b>.' }, `/console/trainings/${id}`)).headers.location).toBe(`/console/trainings/${id}?done=note`);
    const page = await office.get(`/console/trainings/${id}`);
    expect(page.body).toContain('Called the principal &lt;b>Tuesday&lt;/b>.');
    expect(page.body).not.toContain('<b>Tuesday');
    expect(page.body).toContain('Olivia Outreach');
  });

  it('converts a request once into an unlisted, open event filled in from it, with a link to share', async () => {
    const { id } = await makeRequest(t, { organization: 'Grace Chapel', audienceSize: '25', format: 'online', date1: '2027-04-02' });
    const res = await office.post(`/console/trainings/${id}/convert`, {}, `/console/trainings/${id}`);
    const eventId = /^\/console\/events\/([^?]+)\?done=converted$/.exec(String(res.headers.location))?.[1];
    expect(eventId).toBeDefined();
    const event = await db().selectFrom('events').selectAll().where('id', '=', eventId!).executeTakeFirstOrThrow();
    expect(event).toMatchObject({ title: 'HEAT Watch training: Grace Chapel', capacity: 25, online: 1, listed: 0, status: 'published', requestId: id, sequence: 0 });
    // 10:00 on the first preferred day, in the office's zone (Los Angeles: UTC-7 in April).
    expect(event.startsAt).toBe('2027-04-02T17:00:00.000Z');
    expect((await requestRow(id)).eventId).toBe(eventId);
    const page = await office.get(String(res.headers.location));
    expect(page.body).toContain(`/events/${eventId}`);
    expect(page.body).toContain('Unlisted');
    const again = await office.post(`/console/trainings/${id}/convert`, {}, `/console/trainings/${id}`);
    expect(again.headers.location).toBe(`/console/trainings/${id}?error=converted`);
    expect(await db().selectFrom('events').select('id').where('requestId', '=', id).execute()).toHaveLength(1);
  });

  it('flags a waiting request untouched for five business days on the console home, and touching it clears the flag', async () => {
    const fresh = await createTestApp();
    try {
      const staff = await createStaff(fresh, ['outreach_coordinator']);
      const { id } = await makeRequest(fresh);
      const card = async (s: SignedIn) => {
        const home = parsePage((await s.get('/console')).body);
        const link = home.elements.find((e) => e.tagName === 'a' && e.attrs.some((a) => a.name === 'href' && a.value === '/console/trainings?stale=1'));
        return link ? textOf(link) : undefined;
      };
      fresh.clock.advance(3 * 86_400_000);
      let s = await signIn(fresh, staff);
      expect(await card(s)).toMatch(/^0\D/);
      fresh.clock.advance(5 * 86_400_000);
      s = await signIn(fresh, staff);
      expect(await card(s)).toMatch(/^1\D/);
      expect((await s.get('/console/trainings?stale=1')).body).toContain(`/console/trainings/${id}`);
      await s.post(`/console/trainings/${id}/notes`, { body: 'Left a voicemail.' }, `/console/trainings/${id}`);
      expect(await card(s)).toMatch(/^0\D/);
      expect((await s.get('/console/trainings?stale=1')).body).not.toContain(`/console/trainings/${id}`);
    } finally {
      await fresh.close();
    }
  });

  it('keeps the queue from staff outside the outreach team', async () => {
    const { id } = await makeRequest(t);
    const editor = await signIn(t, await createStaff(t, ['content_editor']));
    expect((await editor.get('/console/trainings')).statusCode).toBe(403);
    expect((await editor.get(`/console/trainings/${id}`)).statusCode).toBe(403);
    expect((await editor.get('/console')).body).not.toContain('/console/trainings?stale=1');
  });
});

describe('five business days', () => {
  const zone = 'America/Los_Angeles';
  it('skips weekends in the office zone', () => {
    // Monday 10:00 in Los Angeles → the Monday before; Friday → the Friday before.
    expect(businessDaysBefore(new Date('2026-12-07T18:00:00Z'), 5, zone).toISOString()).toBe('2026-11-30T18:00:00.000Z');
    expect(businessDaysBefore(new Date('2026-12-04T18:00:00Z'), 5, zone).toISOString()).toBe('2026-11-27T18:00:00.000Z');
    // Wednesday → the Wednesday before, across the weekend.
    expect(businessDaysBefore(new Date('2026-12-09T18:00:00Z'), 5, zone).toISOString()).toBe('2026-12-02T18:00:00.000Z');
  });
  it('keeps the wall time across a daylight-saving change', () => {
    // Thursday 12 March 2026, 10:00 PDT (UTC-7) → Thursday 5 March, 10:00 PST (UTC-8).
    expect(businessDaysBefore(new Date('2026-03-12T17:00:00Z'), 5, zone).toISOString()).toBe('2026-03-05T18:00:00.000Z');
  });
});
