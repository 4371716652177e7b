import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../../../test/helpers/database.ts';
import { manualClock } from '../../../core/clock.ts';
import { demoSettings } from '../../../core/settings/settings.ts';
import { RELEASED_CATEGORIES } from '../testing.ts';
import { demoBusinesses, seedDemoBusinesses } from './demo.ts';
import { createTestApp } from '../../../../test/helpers/app.ts';

let tdb: TestDatabase;
beforeAll(async () => {
  tdb = await createTestDatabase();
});
afterAll(async () => tdb.close());

describe('demo businesses', () => {
  it('are a few hundred obviously fictitious businesses of every kind around the map center', () => {
    const rows = demoBusinesses({ lat: 37.8, lng: -122.27 }, '2026-01-01T00:00:00Z');
    expect(rows.length).toBeGreaterThanOrEqual(200);
    expect(rows.length).toBeLessThanOrEqual(500);
    expect(rows.every((r) => /^Demo [A-Za-z ]+ \d+$/.test(r.name))).toBe(true);
    expect(new Set(rows.map((r) => r.category))).toEqual(new Set(RELEASED_CATEGORIES));
    const placed = rows.filter((r) => r.lat !== null);
    expect(placed.length).toBeLessThan(rows.length);
    expect(placed.every((r) => Math.abs(r.lat! - 37.8) < 0.2 && Math.abs(r.lng! + 122.27) < 0.25)).toBe(true);
    expect(rows.map((r) => r.name)).toContain('Demo Bar 17');
  });

  it('are seeded once, only in demo mode, only into an empty table', async () => {
    const clock = manualClock();
    const db = tdb.handle.db;
    expect(await seedDemoBusinesses(db, { ...demoSettings, demo: false }, clock)).toBe(0);
    const added = await seedDemoBusinesses(db, demoSettings, clock);
    expect(added).toBeGreaterThan(200);
    expect(await seedDemoBusinesses(db, demoSettings, clock)).toBe(0);
    const count = await db.selectFrom('mapBusinesses').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    expect(Number(count.n)).toBe(added);
    const events = await db.selectFrom('mapStatusEvents').select((eb) => eb.fn.countAll<number>().as('n')).where('cause', '=', 'demo').executeTakeFirstOrThrow();
    expect(Number(events.n)).toBeGreaterThan(0);
  });

  it('fill the map of an app started with SEED_DEMO on, and not with it off', async () => {
    const on = await createTestApp({ env: { SEED_DEMO: 'on' } });
    const off = await createTestApp();
    try {
      expect((await on.app.inject({ url: '/map1193?q=demo%20bar%2017' })).body).toContain('>Demo Bar 17</a>');
      expect((await off.app.inject({ url: '/map1193' })).body).toContain('0 businesses listed.');
    } finally {
      await on.close();
      await off.close();
    }
  });
});
