import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../../test/helpers/app.ts';
import { csrfFrom } from '../../../../test/helpers/staff.ts';
import { createEvent, postRegistration } from '../testing.ts';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => t.close());

const db = () => t.app.services.db;
const registrations = (eventId: string) => db().selectFrom('eventRegistrations').selectAll().where('eventId', '=', eventId).orderBy('position').execute();
const person = (i: number) => ({ name: `Person ${i}`, email: `person${i}-${Math.random().toString(36).slice(2, 7)}@example.org`, organization: 'Demo Clinic', accessibility: '', consent: 'yes' });

describe('an event page and registration', () => {
  it('shows what, when in the office zone, where, language and seats left, in both languages, and never the meeting link', async () => {
    const event = await createEvent(t, { startsAt: '2027-01-20T18:00:00.000Z', endsAt: '2027-01-20T19:30:00.000Z', online: 1, location: '', meetingUrl: 'https://meet.example.org/secret-room', capacity: 3 });
    const page = await t.app.inject({ url: `/events/${event.id}` });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('Spotting trafficking at work');
    expect(page.body).toContain('Jan 20, 2027, 10:00 AM PST');
    expect(page.body).toContain('Online: the link to join is in the confirmation e-mail.');
    expect(page.body).toContain('3 seats left');
    const es = await t.app.inject({ url: `/es/events/${event.id}` });
    expect(es.body).toContain('Quedan 3 lugares');
    const list = await t.app.inject({ url: '/events' });
    expect(list.body).toContain(`/events/${event.id}`);
    for (const body of [page.body, es.body, list.body]) expect(body).not.toContain('secret-room');
  });

  it('keeps an unlisted event off the calendar while its link still opens it', async () => {
    const event = await createEvent(t, { listed: 0, title: 'Grace Chapel training' });
    expect((await t.app.inject({ url: '/events' })).body).not.toContain(event.id);
    expect((await t.app.inject({ url: `/events/${event.id}` })).statusCode).toBe(200);
    const draft = await createEvent(t, { status: 'draft' });
    expect((await t.app.inject({ url: `/events/${draft.id}` })).statusCode).toBe(404);
  });

  it('registers a person, mails the confirmation with the meeting link and a cancel link that works without an account', async () => {
    const event = await createEvent(t, { online: 1, meetingUrl: 'https://meet.example.org/room-42', capacity: 5 });
    const who = person(1);
    const res = await postRegistration(t, event.id, who);
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe(`/events/${event.id}/registered?as=registered`);
    const [row] = await registrations(event.id);
    expect(row).toMatchObject({ status: 'registered', name: 'Person 1', consent: 1, position: 1 });
    const mail = await db().selectFrom('outbox').select(['subject', 'textBody']).where('toAddress', '=', who.email).executeTakeFirstOrThrow();
    expect(mail.subject).toBe('You are registered: Spotting trafficking at work');
    expect(mail.textBody).toContain('https://meet.example.org/room-42');
    const link = /(http:\/\/\S+\/events\/cancel\/[A-Za-z0-9_-]+)/.exec(mail.textBody)![1]!;
    const path = new URL(link).pathname;
    // The link alone changes nothing (mail scanners open links): a button does.
    const ask = await t.app.inject({ url: path });
    expect(ask.statusCode).toBe(200);
    expect((await registrations(event.id))[0]!.status).toBe('registered');
    const cancel = await t.app.inject({ method: 'POST', url: path, payload: { _csrf: csrfFrom(ask.body) } });
    expect(cancel.body).toContain('Your registration was canceled.');
    expect((await registrations(event.id))[0]!.status).toBe('cancelled');
    const again = await t.app.inject({ method: 'POST', url: path, payload: { _csrf: csrfFrom(ask.body) } });
    expect(again.body).toContain('already canceled');
    expect((await t.app.inject({ url: '/events/cancel/not-a-real-token-at-all-000' })).statusCode).toBe(404);
  });

  it('sends the form back with messages and everything typed, and refuses the robot field', async () => {
    const event = await createEvent(t);
    const bad = await postRegistration(t, event.id, { name: '', email: 'nope', organization: 'Demo Clinic', accessibility: 'Large print', consent: 'yes' });
    expect(bad.statusCode).toBe(422);
    expect(bad.body).toContain('Enter your name.');
    expect(bad.body).toContain('value="nope"');
    expect(bad.body).toContain('Large print');
    const robot = await postRegistration(t, event.id, { ...person(2), website: 'x' });
    expect(robot.statusCode).toBe(422);
    expect(await registrations(event.id)).toEqual([]);
  });

  it('never overbooks: 2N registrations at once end with N registered and N waitlisted in arrival order', async () => {
    const seats = 10;
    const event = await createEvent(t, { capacity: seats });
    // Tokens first, so that the posts themselves arrive together, each from its own client.
    const people = await Promise.all(Array.from({ length: 2 * seats }, async (_, i) => {
      const ip = `203.0.113.${i + 1}`;
      return { ip, fields: person(i), csrf: csrfFrom((await t.app.inject({ url: `/events/${event.id}`, remoteAddress: ip })).body) };
    }));
    const answers = await Promise.all(people.map((p) => postRegistration(t, event.id, p.fields, { ip: p.ip, csrf: p.csrf })));
    expect(answers.map((a) => a.statusCode)).toEqual(Array(2 * seats).fill(303));
    const rows = await registrations(event.id);
    expect(rows).toHaveLength(2 * seats);
    expect(rows.map((r) => r.position)).toEqual(Array.from({ length: 2 * seats }, (_, i) => i + 1));
    // The first N arrivals have the seats, every later one waits, in the order they came.
    expect(rows.slice(0, seats).every((r) => r.status === 'registered')).toBe(true);
    expect(rows.slice(seats).every((r) => r.status === 'waitlisted')).toBe(true);
    expect(answers.filter((a) => String(a.headers.location).endsWith('as=registered'))).toHaveLength(seats);
    expect((await t.app.inject({ url: `/events/${event.id}` })).body).toContain('Full: you can join the waitlist');
  });

  it('closes registration once the event has started', async () => {
    const event = await createEvent(t, { startsAt: new Date(t.clock.now().getTime() + 60_000).toISOString() });
    const csrf = csrfFrom((await t.app.inject({ url: `/events/${event.id}` })).body);
    t.clock.advance(120_000);
    const res = await postRegistration(t, event.id, person(3), { csrf });
    expect(res.statusCode).toBe(409);
    expect(res.body).toContain('Registration for this event is closed.');
  });
});
