import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../../test/helpers/app.ts';
import { createStaff, csrfFrom, signIn, type SignedIn, type TestStaff } from '../../../../test/helpers/staff.ts';
import { businessRow, insertBusinesses } from '../testing.ts';
import type { BusinessRow } from '../tables.ts';

let t: TestApp;
let coordinator: SignedIn;
let ana: TestStaff;
let ben: TestStaff;
let anaSession: SignedIn;
let benSession: SignedIn;
let rows: BusinessRow[];
let dayId: string;

const db = () => t.app.services.db;

// A volunteer's route is the day planned for their team, and the coordinator's figures count
// every report of the day: each test has an app of its own.
beforeEach(async () => {
  t = await createTestApp();
  t.clock.set('2026-04-10T16:00:00Z');
  rows = await insertBusinesses(db(), [
    businessRow({ name: 'Route Motel A', address: '1 First St', city: 'Alphaville' }),
    businessRow({ name: 'Route Motel B', address: '2 First St', city: 'Alphaville' }),
    businessRow({ name: 'Route Bar C', address: '3 Main St', city: 'Betatown', category: 'bar' }),
    businessRow({ name: 'Route Bar D', address: '4 Main St', city: 'Betatown', category: 'bar' }),
    businessRow({ name: 'Not On Route', address: '5 Far Rd', city: 'Gammaburg' }),
  ]);
  coordinator = await signIn(t, await createStaff(t, ['outreach_coordinator']));
  ana = await createStaff(t, ['volunteer'], { email: 'ana@example.org' });
  ben = await createStaff(t, ['volunteer'], { email: 'ben@example.org' });
  anaSession = await signIn(t, ana);
  benSession = await signIn(t, ben);
});
afterEach(async () => t.close());

const createDay = (fields: Record<string, string | string[]>) => coordinator.post('/console/map1193/days', fields, '/console/map1193/days');

/** The day the volunteer tests work on: Ana's team North, Ben's South, two stops each. */
async function planDay(): Promise<string> {
  const res = await createDay({ day: '2026-04-11', title: 'Spring sweep', cities: ['Alphaville', 'Betatown'], teams: 'North: ana@example.org\nSouth: ben@example.org' });
  expect(res.statusCode).toBe(303);
  return String(res.headers.location).split('/').pop()!;
}

/** The first stop on a volunteer's route. */
async function firstStop(session: SignedIn): Promise<string> {
  return /\/console\/map1193\/my-route\/([A-Za-z0-9_-]+)"/.exec((await session.get('/console/map1193/my-route')).body)![1]!;
}

/** Reports a stop through its form, as the volunteer would. */
async function report(session: SignedIn, stop: string, observed: string) {
  const form = await session.get(`/console/map1193/my-route/${stop}`);
  const reportId = /name="reportId" value="([^"]+)"/.exec(form.body)![1]!;
  return session.post(`/console/map1193/my-route/${stop}`, { reportId, observed }, `/console/map1193/my-route/${stop}`);
}

describe('planning a day of action', () => {
  it('is refused to a volunteer (403)', async () => {
    expect((await anaSession.get('/console/map1193/days')).statusCode).toBe(403);
    expect((await anaSession.post('/console/map1193/days', { day: '2026-04-11', title: 'x', teams: 'A: ana@example.org' })).statusCode).toBe(403);
  });

  it('re-renders with 422, values kept and messages beside fields, on bad input', async () => {
    const res = await createDay({ day: 'tomorrow', title: 'Spring sweep', teams: 'Team without members' });
    expect(res.statusCode).toBe(422);
    expect(res.body).toContain('value="Spring sweep"');
    expect(res.body).toContain('Team without members');
    expect(res.body).toMatch(/id="teams-error"/);
    const unknown = await createDay({ day: '2026-04-11', title: 'Spring sweep', cities: 'Alphaville', teams: 'North: nobody@example.org' });
    expect(unknown.statusCode).toBe(422);
    expect(unknown.body).toContain('nobody@example.org');
    const empty = await createDay({ day: '2026-04-11', title: 'Spring sweep', teams: 'North: ana@example.org' });
    expect(empty.statusCode).toBe(422);
    expect(empty.body).toContain('Choose at least one city or business');
  });

  it('creates the day with teams and splits the area into one run of stops per team', async () => {
    const res = await createDay({ day: '2026-04-11', title: 'Spring sweep', cities: ['Alphaville', 'Betatown'], teams: 'North: ana@example.org\nSouth: ben@example.org' });
    expect(res.statusCode).toBe(303);
    dayId = String(res.headers.location).split('/').pop()!;
    const stops = await db().selectFrom('mapActionStops as s').innerJoin('mapActionTeams as t', 't.id', 's.teamId').select(['t.name', 's.businessId']).where('s.actionDayId', '=', dayId).orderBy('s.position').execute();
    expect(stops.map((s: { name: string }) => s.name)).toEqual(['North', 'North', 'South', 'South']);
    expect(stops.map((s: { businessId: string }) => s.businessId)).toEqual(rows.slice(0, 4).map((r) => r.id));
    const audit = await db().selectFrom('auditLog').select('targetId').where('action', '=', 'map1193.action_day.create').execute();
    expect(audit).toEqual([{ targetId: dayId }]);
  });
});

describe('a volunteer on the day', () => {
  let anaStop: string;
  beforeEach(async () => {
    dayId = await planDay();
    anaStop = await firstStop(anaSession);
  });

  it('sees only their team\'s route', async () => {
    const res = await anaSession.get('/console/map1193/my-route');
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('Route Motel A');
    expect(res.body).toContain('Route Motel B');
    expect(res.body).not.toContain('Route Bar C');
    expect(res.body).not.toMatch(/\sstyle="/);
    expect(res.body).toContain(`/console/map1193/my-route/${anaStop}"`);
    expect((await benSession.get(`/console/map1193/my-route/${anaStop}`)).statusCode).toBe(404);
  });

  it('reports from the route: channel volunteer, reporter and day recorded; the same form twice is one report', async () => {
    const form = await anaSession.get(`/console/map1193/my-route/${anaStop}`);
    expect(form.statusCode).toBe(200);
    const reportId = /name="reportId" value="([^"]+)"/.exec(form.body)![1]!;
    const bad = await anaSession.post(`/console/map1193/my-route/${anaStop}`, { reportId, observed: 'wrong' }, `/console/map1193/my-route/${anaStop}`);
    expect(bad.statusCode).toBe(422);
    expect(bad.body).toContain(reportId);
    for (let i = 0; i < 2; i++) {
      const res = await anaSession.post(`/console/map1193/my-route/${anaStop}`, { reportId, observed: 'missing' }, `/console/map1193/my-route/${anaStop}`);
      expect(res.statusCode).toBe(303);
      expect(res.headers.location).toBe('/console/map1193/my-route?done=1');
    }
    const reports = await db().selectFrom('mapReports').select(['id', 'channel', 'reporterId', 'actionDayId', 'judgement']).execute();
    expect(reports).toEqual([{ id: reportId, channel: 'volunteer', reporterId: ana.account.id, actionDayId: dayId, judgement: 'non_compliant' }]);
    expect((await benSession.post(`/console/map1193/my-route/${anaStop}`, { reportId: crypto.randomUUID(), observed: 'posted' }, '/console/map1193/my-route')).statusCode).toBe(404);
  });

  it('thanks the volunteer on their route only after a report (?done=1)', async () => {
    const volunteer = await signIn(t, await createStaff(t, ['volunteer']));
    expect((await volunteer.get('/console/map1193/my-route?done=1')).body).toContain('Report recorded. Thank you.');
    for (const query of ['', '?done=yes', '?done=1&done=1']) expect((await volunteer.get(`/console/map1193/my-route${query}`)).body, query).not.toContain('Report recorded. Thank you.');
  });

  it('shows live progress per team and city to the coordinator', async () => {
    expect((await report(anaSession, anaStop, 'missing')).statusCode).toBe(303);
    const south = await benSession.get('/console/map1193/my-route');
    const benStop = /\/console\/map1193\/my-route\/([A-Za-z0-9_-]+)"/.exec(south.body)![1]!;
    const form = await benSession.get(`/console/map1193/my-route/${benStop}`);
    await benSession.post(`/console/map1193/my-route/${benStop}`, { reportId: /name="reportId" value="([^"]+)"/.exec(form.body)![1]!, observed: 'posted', _csrf: csrfFrom(form.body) }, `/console/map1193/my-route/${benStop}`);
    const res = await coordinator.get(`/console/map1193/days/${dayId}`);
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('2 of 4 stops visited: 1 compliant, 1 missing or wrong.');
    // Each figure sits in a span the live island updates.
    const figures = res.body.replace(/<\/?span[^>]*>/g, '');
    expect(figures).toMatch(/<th scope="row">North<\/th><td>2<\/td><td>1<\/td><td>0<\/td><td>1<\/td><td>0<\/td>/);
    expect(figures).toMatch(/<th scope="row">South<\/th><td>2<\/td><td>1<\/td><td>1<\/td><td>0<\/td><td>0<\/td>/);
    expect(figures).toMatch(/<th scope="row">Alphaville<\/th><td>2<\/td><td>1<\/td><td>0<\/td><td>1<\/td><td>0<\/td>/);
    expect((await anaSession.get(`/console/map1193/days/${dayId}`)).statusCode).toBe(403);
    expect((await coordinator.get('/console/map1193/days/no-such-day')).statusCode).toBe(404);
  });
});

describe('the offline sync endpoint', () => {
  beforeEach(async () => {
    dayId = await planDay();
  });

  const send = async (session: SignedIn, stopId: string, body: Record<string, unknown>) => {
    const csrf = csrfFrom((await session.get('/console/account')).body);
    return t.app.inject({ method: 'POST', url: `/console/map1193/my-route/${stopId}/report.json`, headers: { cookie: session.cookie }, payload: { ...body, _csrf: csrf } });
  };

  it('stores a queued report once however often it is sent, with the time it was made', async () => {
    const route = await benSession.get('/console/map1193/my-route');
    const stops = [...route.body.matchAll(/\/console\/map1193\/my-route\/([A-Za-z0-9_-]+)"/g)].map((m) => m[1]!);
    const stopId = stops[1]!;
    const reportId = crypto.randomUUID();
    const observedAt = new Date(t.clock.now().getTime() - 3_600_000).toISOString();
    const first = await send(benSession, stopId, { reportId, observed: 'wrong', problems: ['hidden'], observedAt });
    expect(first.statusCode).toBe(200);
    expect(first.json()).toEqual({ ok: true, reportId, created: true });
    // The answer was lost (connection dropped); the queue sends it again.
    const again = await send(benSession, stopId, { reportId, observed: 'wrong', problems: ['hidden'], observedAt });
    expect(again.json()).toEqual({ ok: true, reportId, created: false });
    const stored = await db().selectFrom('mapReports').select(['channel', 'reporterId', 'actionDayId', 'observedAt', 'judgement']).where('id', '=', reportId).execute();
    expect(stored).toEqual([{ channel: 'volunteer', reporterId: ben.account.id, actionDayId: dayId, observedAt, judgement: 'non_compliant' }]);
  });

  it('answers 422 for a bad report and 404 for another team\'s stop, in JSON', async () => {
    const route = await benSession.get('/console/map1193/my-route');
    const stopId = /\/console\/map1193\/my-route\/([A-Za-z0-9_-]+)"/.exec(route.body)![1]!;
    const bad = await send(benSession, stopId, { reportId: 'not-a-uuid', observed: 'wrong' });
    expect(bad.statusCode).toBe(422);
    expect(bad.json().fields).toEqual(expect.arrayContaining(['reportId', 'problems']));
    const other = await send(anaSession, stopId, { reportId: crypto.randomUUID(), observed: 'posted' });
    expect(other.statusCode).toBe(404);
  });
});
