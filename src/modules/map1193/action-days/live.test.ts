import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../../test/helpers/app.ts';
import { createStaff, signIn, type SignedIn } from '../../../../test/helpers/staff.ts';
import { newId } from '../../../core/crypto/server-secret.ts';
import { businessRow, insertBusinesses } from '../testing.ts';
import type { BusinessRow, Judgement } from '../tables.ts';

let t: TestApp;
let coordinator: SignedIn;
let volunteer: SignedIn;
let rows: BusinessRow[];
let dayId: string;
const db = () => t.app.services.db;

beforeEach(async () => {
  t = await createTestApp();
  t.clock.set('2026-04-11T17:00:00Z');
  rows = await insertBusinesses(db(), [
    businessRow({ name: 'Live Motel A', address: '1 First St', city: 'Alphaville' }),
    businessRow({ name: 'Live Motel B', address: '2 First St', city: 'Alphaville' }),
    businessRow({ name: 'Live Bar C', address: '3 Main St', city: '=Betatown', category: 'bar' }),
  ]);
  coordinator = await signIn(t, await createStaff(t, ['outreach_coordinator']));
  await createStaff(t, ['volunteer'], { email: 'ana@example.org' });
  volunteer = await signIn(t, await createStaff(t, ['volunteer'], { email: 'ben@example.org' }));
  const res = await coordinator.post('/console/map1193/days', { day: '2026-04-11', title: 'Spring sweep', cities: ['Alphaville', '=Betatown'], teams: 'North: ana@example.org\n@South: ben@example.org' }, '/console/map1193/days');
  dayId = String(res.headers.location).split('/').pop()!;
});
afterEach(async () => t.close());

/** A report from the day on a business, as a route report records it. */
async function dayReport(business: BusinessRow, judgement: Judgement) {
  const at = t.clock.now().toISOString();
  await db()
    .insertInto('mapReports')
    .values({ id: newId(), businessId: business.id, observed: judgement === 'compliant' ? 'posted' : 'missing', problems: '[]', note: null, judgement, reasons: '[]', channel: 'volunteer', reporterId: null, actionDayId: dayId, hasPhoto: 0, observedAt: at, receivedAt: at })
    .execute();
}

type Json = { total: Record<string, number>; teams: Record<string, number | string>[]; cities: Record<string, number | string>[]; summary: string; updated: string };

describe('the live progress of a day of action', () => {
  it('answers its figures as JSON, changing as reports arrive, with the page’s permission', async () => {
    const first = await coordinator.get(`/console/map1193/days/${dayId}/progress.json`);
    expect(first.statusCode).toBe(200);
    expect(first.headers['cache-control']).toBe('no-store');
    expect((JSON.parse(first.body) as Json).total).toEqual({ stops: 3, visited: 0, compliant: 0, missing: 0, couldNotCheck: 0 });
    await dayReport(rows[0]!, 'compliant');
    await dayReport(rows[2]!, 'not_covered');
    const later = JSON.parse((await coordinator.get(`/console/map1193/days/${dayId}/progress.json`)).body) as Json;
    expect(later.total).toEqual({ stops: 3, visited: 2, compliant: 1, missing: 0, couldNotCheck: 1 });
    expect(later.summary).toBe('2 of 3 stops visited: 1 compliant, 0 missing or wrong.');
    // 17:00 UTC is 10 a.m. in California (sign-in moved the clock by a few seconds).
    expect(later.updated).toMatch(/^Updated at 10:0\d AM P[DS]T\.$/);
    expect((await volunteer.get(`/console/map1193/days/${dayId}/progress.json`)).statusCode).toBe(403);
    expect((await coordinator.get('/console/map1193/days/nosuchday/progress.json')).statusCode).toBe(404);
  });

  it('works without JavaScript: figures in the page, each named for the island, and a refresh link', async () => {
    await dayReport(rows[1]!, 'non_compliant');
    const page = (await coordinator.get(`/console/map1193/days/${dayId}`)).body;
    expect(page).toContain(`href="/console/map1193/days/${dayId}">Refresh the figures</a>`);
    expect(page).toContain(`data-live-progress="/console/map1193/days/${dayId}/progress.json"`);
    expect(page).toMatch(/<span data-live="cities\.1\.missing">1<\/span>/);
    expect(page).toMatch(/<script src="\/assets\/map1193-days-[0-9a-f]+\.js" defer/);
  });
});

describe('the event report', () => {
  it('gives visited, compliant, missing and could-not-check per team and city, and says when the day is not over', async () => {
    await dayReport(rows[0]!, 'compliant');
    await dayReport(rows[1]!, 'non_compliant');
    await dayReport(rows[2]!, 'not_covered');
    const during = (await coordinator.get(`/console/map1193/days/${dayId}/report`)).body;
    expect(during).toContain('The day is not over yet');
    t.clock.set('2026-04-12T08:00:00Z');
    coordinator = await signIn(t, await createStaff(t, ['outreach_coordinator']));
    const res = await coordinator.get(`/console/map1193/days/${dayId}/report`);
    expect(res.statusCode).toBe(200);
    expect(res.body).not.toContain('The day is not over yet');
    expect(res.body).toContain('Event report: April 11, 2026, Spring sweep');
    expect(res.body).toContain('Could not check');
    volunteer = await signIn(t, await createStaff(t, ['volunteer']));
    expect((await volunteer.get(`/console/map1193/days/${dayId}/report`)).statusCode).toBe(403);
  });

  it('exports the same figures as CSV, with names a spreadsheet would run neutralised', async () => {
    await dayReport(rows[0]!, 'compliant');
    await dayReport(rows[2]!, 'not_covered');
    const res = await coordinator.get(`/console/map1193/days/${dayId}/report.csv`);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(res.headers['content-disposition']).toBe('attachment; filename="map1193-day-2026-04-11.csv"');
    expect(res.body.split('\r\n')).toEqual([
      'scope,name,stops,visited,compliant,missing,could_not_check',
      'day,2026-04-11 Spring sweep,3,2,1,0,1',
      // Routes run in city order, and "=Betatown" sorts first: North walks it and Motel A.
      "team,'@South,1,0,0,0,0",
      'team,North,2,2,1,0,1',
      "city,'=Betatown,1,1,0,0,1",
      'city,Alphaville,2,1,1,0,0',
      '',
    ]);
    expect((await volunteer.get(`/console/map1193/days/${dayId}/report.csv`)).statusCode).toBe(403);
  });
});
