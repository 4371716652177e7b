import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../../test/helpers/app.ts';
import { csrfFrom } from '../../../../test/helpers/staff.ts';
import { businessRow, insertBusinesses } from '../testing.ts';

// Setup happens once per office, so every test gets an app (and a demo map) of its own.
let t: TestApp;
beforeEach(async () => {
  t = await createTestApp({ env: { SEED_DEMO: 'on' } });
  await insertBusinesses(t.app.services.db, [businessRow({ name: 'Riverbend Inn', city: 'Riverbend', source: 'county-licenses' })]);
});
afterEach(async () => t.close());

const fields = {
  officeName: 'Riverbend County District Attorney',
  county: 'Riverbend County',
  state: 'California',
  localTipPhone: '',
  languages: ['en', 'es'],
  adminName: 'Alex Admin',
  adminEmail: 'alex.admin@example.org',
  password: 'lantern orchard velvet compass',
  confirm: 'lantern orchard velvet compass',
};

/** The one-time setup token the app printed to its log at start. */
const setupToken = () => /"setupUrl":"[^"]*\?token=([A-Za-z0-9_-]+)"/.exec(t.logs.join(''))![1]!;

async function setUp(extra: Record<string, string>) {
  const token = setupToken();
  const form = await t.app.inject({ url: `/setup?token=${token}` });
  const res = await t.app.inject({ method: 'POST', url: `/setup?token=${token}`, payload: { ...fields, ...extra, _csrf: csrfFrom(form.body) } });
  expect(res.statusCode).toBe(200);
  return form.body;
}

/** Every business the map API knows, whole world, counted through its clusters. */
async function mapCount(): Promise<number> {
  const res = await t.app.inject({ url: '/api/map1193/businesses?bbox=-180,-90,180,90&zoom=2' });
  const body = res.json() as { features: { properties: { cluster?: boolean; count?: number } }[] };
  return body.features.reduce((sum, f) => sum + (f.properties.cluster ? Number(f.properties.count) : 1), 0);
}

const csv = async () => (await t.app.inject({ url: '/map1193/businesses.csv' })).body;
const list = async () => (await t.app.inject({ url: '/map1193?q=demo' })).body;

describe('demo data at first-run setup', () => {
  it('offers to remove the demo businesses, checked', async () => {
    const token = setupToken();
    const form = (await t.app.inject({ url: `/setup?token=${token}` })).body;
    expect(form).toMatch(/<input id="removeDemo-0" type="checkbox" name="removeDemo" value="yes" checked/);
    expect(form).toContain('Remove the demo businesses and their reports');
  });

  it('removes them and their reports when the box is checked: not on the map, in the list or in open data', async () => {
    const db = t.app.services.db;
    const demo = await db.selectFrom('mapBusinesses').select('id').where('source', '=', 'demo').executeTakeFirstOrThrow();
    await db
      .insertInto('mapReports')
      .values({ id: 'demo-report-1', businessId: demo.id, observed: 'missing', problems: '[]', note: null, judgement: 'non_compliant', reasons: '[]', channel: 'public', reporterId: null, actionDayId: null, hasPhoto: 0, observedAt: '2026-01-01T00:00:00.000Z', receivedAt: '2026-01-01T00:00:00.000Z' })
      .execute();
    expect(await mapCount()).toBeGreaterThan(200);
    expect(await csv()).toContain('Demo Bar 17');

    await setUp({ removeDemo: 'yes' });

    expect(await mapCount()).toBe(1);
    const data = await csv();
    expect(data).not.toMatch(/Demo /);
    expect(data).toContain('Riverbend Inn');
    expect(await list()).not.toMatch(/>Demo /);
    expect((await t.app.inject({ url: '/map1193?q=riverbend' })).body).toContain('>Riverbend Inn</a>');
    expect(await db.selectFrom('mapReports').select('id').execute()).toEqual([]);
    expect(await db.selectFrom('mapStatusEvents').select('id').where('cause', '=', 'demo').execute()).toEqual([]);
    const audit = await db.selectFrom('auditLog').select(['action', 'detail']).where('action', '=', 'map1193.demo_removed').execute();
    expect(audit).toHaveLength(1);
  });

  it('keeps them when the box is unchecked', async () => {
    const before = await mapCount();
    await setUp({});
    expect(await mapCount()).toBe(before);
    expect(await csv()).toContain('Demo Bar 17');
    expect(await list()).toMatch(/>Demo /);
  });
});
