import { Writable } from 'node:stream';
import type { KyselyPlugin, RootOperationNode } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type App, buildApp } from '../../../app.ts';
import { manualClock } from '../../../core/clock.ts';
import { contextFor, PUBLIC, SYSTEM } from '../../../core/context.ts';
import { connectDatabase } from '../../../core/db/connect.ts';
import type { Database } from '../../../database.ts';
import { testConfig } from '../../../../test/helpers/app.ts';
import { createTestDatabase, type TestDatabase } from '../../../../test/helpers/database.ts';
import { importBusinesses } from '../import/import.ts';
import { takeStep } from '../enforcement/service.ts';
import { businessRow, insertBusinesses } from '../testing.ts';
import { SNAPSHOT_STALE_MS, submitReport } from './service.ts';

// Two app instances on one database, as two servers behind a load balancer: A with a clock the
// test moves and a log of every query it sends, B on a connection pool of its own.
let db: TestDatabase;
let a: App;
let b: App;
let closeB: () => Promise<void>;
const clock = manualClock(new Date());
const queries: RootOperationNode[] = [];
const counting: KyselyPlugin = {
  transformQuery: (args) => {
    queries.push(args.node);
    return args.node;
  },
  transformResult: async (args) => args.result,
};
const sink = () => new Writable({ write: (_chunk, _enc, done) => done() });

beforeAll(async () => {
  db = await createTestDatabase();
  const config = testConfig(db.dir);
  a = await buildApp({ config, database: { ...db.handle, db: db.handle.db.withPlugin(counting) }, clock, logStream: sink() });
  await a.ready();
  const other = db.handle.dialect === 'sqlite'
    ? connectDatabase<Database>(`sqlite:${db.handle.file}`, { rootDir: db.dir })
    : connectDatabase<Database>(process.env.TEST_DATABASE_URL!, { rootDir: db.dir, schema: db.handle.schema, poolSize: 2 });
  b = await buildApp({ config, database: other, clock: manualClock(new Date()), logStream: sink() });
  await b.ready();
  closeB = async () => {
    await b.close();
    await other.destroy();
  };
});
afterAll(async () => {
  await closeB();
  await a.close();
  await db.close();
});

type Feature = { geometry: { coordinates: [number, number] }; properties: Record<string, unknown> };
async function features(app: App, query: string): Promise<Feature[]> {
  const res = await app.inject({ url: `/api/map1193/businesses?${query}` });
  expect(res.statusCode).toBe(200);
  expect(JSON.stringify(res.json())).toBe(res.body);
  return (res.json() as { features: Feature[] }).features;
}
const ids = (html: string) => [...html.matchAll(/<td[^>]*><a href="\/map1193\/businesses\/([^"]+)">/g)].map((m) => m[1]!);

// Each test uses its own patch of map, far from the others.
const box = (lat: number, lng: number) => `bbox=${[lng - 0.05, lat - 0.05, lng + 0.05, lat + 0.05].map((x) => x.toFixed(4)).join(',')}&zoom=15`;

describe('the in-memory snapshot of the businesses', () => {
  it('sees a business imported and a status changed through this instance at once', async () => {
    const here = { lat: 40.1, lng: -100.1 };
    expect(await features(a, box(here.lat, here.lng))).toEqual([]);
    const ctx = contextFor(a.services, PUBLIC);
    await importBusinesses(ctx, {
      source: 'snapshot-test',
      rows: [{ row: 2, external_id: 'snap-1', name: 'Snapshot Spa', address: '1 Test Road', city: 'Snapville', lat: String(here.lat), lng: String(here.lng), category: 'massage' }],
    });
    const [added] = await features(a, box(here.lat, here.lng));
    expect(added!.properties).toEqual({ id: expect.any(String), name: 'Snapshot Spa', category: 'massage', status: 'unknown' });

    await submitReport(ctx, { id: crypto.randomUUID(), businessId: String(added!.properties.id), observed: 'missing', problems: [], note: undefined, channel: 'public' });
    // A report is an observation: the official status on the map stays until an inspector's step.
    const [reported] = await features(a, box(here.lat, here.lng));
    expect(reported!.properties.status).toBe('unknown');
    const step = await takeStep(contextFor(a.services, SYSTEM), String(added!.properties.id), { action: 'visit_compliant' });
    expect(step.ok).toBe(true);
    const [changed] = await features(a, box(here.lat, here.lng));
    expect(changed!.properties.status).toBe('verified_compliant');
  });

  it('sees a business added, changed or deactivated by another instance within SNAPSHOT_STALE_MS, and not sooner', async () => {
    const here = { lat: 41.2, lng: -101.2 };
    // Quotes, a backslash and accents: the GeoJSON is written as text.
    const KEPT = 'Kept "Motel" \\ Ñandú';
    const [kept, closing] = await insertBusinesses(b.services.db, [
      businessRow({ name: KEPT, lat: here.lat, lng: here.lng }),
      businessRow({ name: 'Closing Bar', lat: here.lat + 0.01, lng: here.lng, category: 'bar' }),
    ]);
    clock.advance(SNAPSHOT_STALE_MS);
    expect((await features(a, box(here.lat, here.lng))).map((f) => f.properties.name).sort()).toEqual(['Closing Bar', KEPT]);

    // B changes a status, deactivates one business and adds one; A's clock has not moved.
    await b.services.db.updateTable('mapBusinesses').set({ status: 'verified_compliant' }).where('id', '=', kept!.id).execute();
    await b.services.db.updateTable('mapBusinesses').set({ active: 0 }).where('id', '=', closing!.id).execute();
    await insertBusinesses(b.services.db, [businessRow({ name: 'New Hotel', lat: here.lat - 0.01, lng: here.lng })]);
    const before = await features(a, box(here.lat, here.lng));
    expect(before.map((f) => f.properties.name).sort()).toEqual(['Closing Bar', KEPT]);

    clock.advance(SNAPSHOT_STALE_MS);
    const after = await features(a, box(here.lat, here.lng));
    expect(after.map((f) => [f.properties.name, f.properties.status]).sort()).toEqual([
      [KEPT, 'verified_compliant'],
      ['New Hotel', 'unknown'],
    ]);
    expect((await a.inject({ url: '/map1193?q=closing%20bar' })).body).not.toContain('Closing Bar');
  });

  it('draws a cluster at the mean position of its members', async () => {
    const members = [
      { lat: 42.301, lng: -102.301 },
      { lat: 42.302, lng: -102.309 },
      { lat: 42.318, lng: -102.304 },
    ];
    await insertBusinesses(a.services.db, members.map((m, i) => businessRow({ name: `Cluster Bar ${i}`, ...m })));
    const found = await features(a, 'bbox=-102.5,42.2,-102.1,42.4&zoom=10');
    expect(found).toHaveLength(1);
    const [cluster] = found;
    expect(cluster!.properties).toEqual({ cluster: true, count: 3, problems: 0, good: 0 });
    const [lng, lat] = cluster!.geometry.coordinates;
    expect(lat).toBeCloseTo(members.reduce((s, m) => s + m.lat, 0) / 3, 6);
    expect(lng).toBeCloseTo(members.reduce((s, m) => s + m.lng, 0) / 3, 6);
  });
});

describe('the list, paged by keyset', () => {
  it('gives every business exactly once across its pages, names tied or not', async () => {
    // 80 businesses, many with the same name, so the order rests on the id as well.
    const rows = await insertBusinesses(
      a.services.db,
      Array.from({ length: 80 }, (_, i) => businessRow({ name: `Keyset Bar ${i % 7}`, city: 'Keyset Town', lat: i % 5 === 0 ? null : 43, lng: i % 5 === 0 ? null : -103 })),
    );
    const seen: string[] = [];
    for (let page = 1; page <= 4; page++) {
      const html = (await a.inject({ url: `/map1193?city=Keyset%20Town&page=${page}` })).body;
      expect(html).toContain('80');
      seen.push(...ids(html));
    }
    expect(seen).toHaveLength(80);
    expect(new Set(seen)).toEqual(new Set(rows.map((r) => r.id)));
    expect(ids((await a.inject({ url: '/map1193?city=Keyset%20Town&page=5' })).body)).toEqual([]);
  });

  it('serves the default page from its cache, with no count(*) and, the second time, no query at all', async () => {
    queries.length = 0;
    const first = await a.inject({ url: '/map1193' });
    expect(first.statusCode).toBe(200);
    const counts = queries.filter((q) => JSON.stringify(q).includes('"func":"count"'));
    expect(counts).toEqual([]);

    queries.length = 0;
    const second = await a.inject({ url: '/map1193' });
    expect(second.body).toBe(first.body);
    expect(queries).toEqual([]);
    // Filtered pages count from the snapshot too.
    await a.inject({ url: '/map1193?city=Keyset%20Town&page=2' });
    expect(queries.filter((q) => JSON.stringify(q).includes('"func":"count"'))).toEqual([]);
  });

  it('shows a new business on the cached default page as soon as it is stored', async () => {
    const before = (await a.inject({ url: '/map1193' })).body;
    await insertBusinesses(a.services.db, [businessRow({ name: 'AAA First Of All Motel' })]);
    const after = (await a.inject({ url: '/map1193' })).body;
    expect(before).not.toContain('AAA First Of All Motel');
    expect(after).toContain('AAA First Of All Motel');
  });
});
