import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../../test/helpers/app.ts';
import { createStaff, signIn, type SignedIn } from '../../../../test/helpers/staff.ts';
import { newId } from '../../../core/crypto/server-secret.ts';
import { dashboard, weekOf } from './service.ts';
import type { CaseRow, Judgement, ReportRow } from '../tables.ts';
import { businessRow, insertBusinesses } from '../testing.ts';

let t: TestApp;
let session: SignedIn;
const db = () => t.app.services.db;

beforeAll(async () => {
  t = await createTestApp();
  t.clock.set('2026-05-20T12:00:00Z');
  const rows = await insertBusinesses(db(), [
    businessRow({ city: 'Dashville', category: 'hotel', status: 'verified_compliant' }),
    businessRow({ city: 'Dashville', category: 'hotel', status: 'reported_missing' }),
    businessRow({ city: 'Dashville', category: 'bar', status: 'cured' }),
    businessRow({ city: 'Chartown', category: 'bar', status: 'notice_sent' }),
    businessRow({ city: 'Chartown', category: 'bar', status: 'unknown' }),
    // What a single report set before reports became observations, as the migration left it.
    businessRow({ city: 'Legacyville', category: 'massage', status: 'reported_posted', lastReportAt: '2026-03-02T10:00:00.000Z' }),
    businessRow({ city: 'Legacyville', category: 'massage', status: 'reported_missing', lastReportAt: '2026-03-01T10:00:00.000Z', queuedAt: '2026-03-01T10:00:00.000Z' }),
    businessRow({ city: 'Legacyville', category: 'massage', status: 'verified_compliant' }),
  ]);
  const report = (businessId: string, observedAt: string, judgement: Judgement): ReportRow => ({
    id: crypto.randomUUID(), businessId, observed: judgement === 'compliant' ? 'posted' : 'missing', problems: '', note: null, judgement, reasons: '',
    channel: 'public', reporterId: null, actionDayId: null, hasPhoto: 0, observedAt, receivedAt: observedAt,
    lookupHash: null, reviewedAt: null, reviewOutcome: null,
  });
  await db().insertInto('mapReports').values([
    report(rows[0]!.id, '2026-05-18T10:00:00.000Z', 'compliant'),
    report(rows[1]!.id, '2026-05-19T10:00:00.000Z', 'non_compliant'),
    report(rows[2]!.id, '2026-05-12T10:00:00.000Z', 'compliant'),
    report(rows[3]!.id, '2025-01-01T10:00:00.000Z', 'non_compliant'),
  ]).execute();
  const kase = (openedAt: string): CaseRow => ({ id: newId(), businessId: rows[3]!.id, stage: 'notice_sent', openedAt, noticeSentAt: null, cureDueAt: null, penaltyUsd: null, closedAt: null, updatedAt: openedAt, caseNumber: null });
  await db().insertInto('mapCases').values([kase('2026-05-10T00:00:00.000Z'), kase('2026-02-01T00:00:00.000Z'), { ...kase('2026-01-01T00:00:00.000Z'), stage: 'paid' }]).execute();
  session = await signIn(t, await createStaff(t, ['outreach_coordinator']));
});
afterAll(async () => t.close());

describe('the dashboard figures', () => {
  it('weeks start on Monday', () => {
    expect(weekOf(new Date('2026-05-20T12:00:00Z'))).toBe('2026-05-18');
    expect(weekOf(new Date('2026-05-18T00:00:00Z'))).toBe('2026-05-18');
    expect(weekOf(new Date('2026-05-17T23:59:59Z'))).toBe('2026-05-11');
  });

  it('counts compliance by city and category, reports per week and open cases by age', async () => {
    const data = await dashboard({ db: db(), clock: t.clock });
    expect(data.byCity.find((r) => r.label === 'Dashville')).toEqual({ label: 'Dashville', compliant: 2, known: 2, awaiting: 1, total: 3 });
    expect(data.byCity.find((r) => r.label === 'Chartown')).toEqual({ label: 'Chartown', compliant: 0, known: 1, awaiting: 0, total: 2 });
    expect(data.byCategory.find((r) => r.label === 'bar')).toEqual({ label: 'bar', compliant: 1, known: 2, awaiting: 0, total: 3 });
    expect(data.weeks).toHaveLength(12);
    expect(data.weeks.at(-1)).toEqual({ week: '2026-05-18', reports: 2, compliant: 1, judged: 2 });
    expect(data.weeks.at(-2)).toEqual({ week: '2026-05-11', reports: 1, compliant: 1, judged: 1 });
    expect(data.weeks.reduce((n, w) => n + w.reports, 0)).toBe(3);
    expect(data.ages).toEqual([
      { bucket: '0_30', count: 1 },
      { bucket: '31_60', count: 0 },
      { bucket: '61_90', count: 0 },
      { bucket: 'over_90', count: 1 },
    ]);
  });

  it('counts the legacy reported statuses as awaiting an inspector, never as official compliance', async () => {
    const data = await dashboard({ db: db(), clock: t.clock });
    // One business verified compliant by an inspector: 100 %, whatever the two reports said.
    expect(data.byCity.find((r) => r.label === 'Legacyville')).toEqual({ label: 'Legacyville', compliant: 1, known: 1, awaiting: 2, total: 3 });
    expect(data.byCategory.find((r) => r.label === 'massage')).toEqual({ label: 'massage', compliant: 1, known: 1, awaiting: 2, total: 3 });
  });

  it('narrows the weekly trend to a city, a category or both', async () => {
    const inCity = await dashboard({ db: db(), clock: t.clock }, { city: 'Dashville' });
    expect(inCity.weeks.at(-1)).toEqual({ week: '2026-05-18', reports: 2, compliant: 1, judged: 2 });
    const bars = await dashboard({ db: db(), clock: t.clock }, { category: 'bar' });
    expect(bars.weeks.at(-1)).toMatchObject({ reports: 0 });
    expect(bars.weeks.at(-2)).toEqual({ week: '2026-05-11', reports: 1, compliant: 1, judged: 1 });
    const hotelsInChartown = await dashboard({ db: db(), clock: t.clock }, { city: 'Chartown', category: 'hotel' });
    expect(hotelsInChartown.weeks.reduce((n, w) => n + w.reports, 0)).toBe(0);
    // The rates by city and category do not depend on the trend's filter.
    expect(inCity.byCity).toEqual((await dashboard({ db: db(), clock: t.clock })).byCity);
  });
});

describe('the dashboard page', () => {
  it('renders inline SVG charts with presentation attributes, no style attribute, and the figures as tables', async () => {
    const res = await session.get('/console/map1193/dashboard');
    expect(res.statusCode).toBe(200);
    expect(res.body.match(/<svg /g)?.length).toBe(4);
    expect(res.body).toContain('<title id="by-city-title">Compliance rate by city</title>');
    expect(res.body).toContain('fill="#1d4ed8"');
    expect(res.body).not.toMatch(/\sstyle="/);
    expect(res.body).not.toContain('<style');
    expect(res.body).not.toContain('<script>');
    // Dashville: two official statuses, both compliant; the third business was only reported missing.
    expect(res.body).toContain('<th scope="row">Dashville</th><td>100%</td><td>2</td><td>2</td><td>1</td><td>3</td>');
    expect(res.body).toContain('<th scope="row">Chartown</th><td>0%</td><td>0</td><td>1</td><td>0</td><td>2</td>');
    expect(res.body).toContain('Reported, awaiting an inspector');
  });

  it('gives the weekly chart named axes, a drawn 0 % line and a marker on every judged week, and every chart a table', async () => {
    const res = await session.get('/console/map1193/dashboard');
    const weeks = /<svg id="weeks"[\s\S]*?<\/svg>/.exec(res.body)![0];
    for (const label of ['Reports', 'Notice posted', 'Week (month-day it starts)', '0 %', '50 %', '100 %']) expect(weeks).toContain(`>${label}</text>`);
    // The 0 % line is drawn in the rate's own colour, solid, across the plot.
    expect(weeks).toMatch(/<line x1="44" y1="176" x2="592" y2="176" stroke="#b45309" stroke-width="1"><\/line>/);
    expect(weeks.match(/<circle /g)?.length).toBeGreaterThan(0);
    // Each chart is followed, in its section, by a table of the same figures.
    for (const id of ['by-city', 'by-category', 'weeks', 'ages']) {
      const after = res.body.slice(res.body.indexOf(`<svg id="${id}"`));
      const section = after.slice(0, after.indexOf('</section>'));
      expect(section, id).toMatch(/<table[\s\S]*<th scope="col">/);
    }
  });

  it('shows the trend for the city and category chosen, ignoring a category that does not exist', async () => {
    const res = await session.get('/console/map1193/dashboard?city=Dashville&category=hotel');
    expect(res.body).toContain('Reports per week (last 12 weeks): Dashville, Hotel, motel or bed and breakfast');
    expect(res.body).toContain('<option value="Dashville" selected>');
    const odd = await session.get('/console/map1193/dashboard?category=bakery');
    expect(odd.statusCode).toBe(200);
    expect(odd.body).toContain('<h2 id="weeks-h">Reports per week (last 12 weeks)</h2>');
  });

  it('is refused to a volunteer (403)', async () => {
    const volunteer = await signIn(t, await createStaff(t, ['volunteer']));
    expect((await volunteer.get('/console/map1193/dashboard')).statusCode).toBe(403);
  });
});
