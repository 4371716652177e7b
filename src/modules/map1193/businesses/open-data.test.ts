import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../../test/helpers/app.ts';
import { csvRecords } from '../import/csv-reader.ts';
import { exportBusinesses } from './service.ts';
import { businessRow, insertBusinesses } from '../testing.ts';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
  await insertBusinesses(t.app.services.db, [
    businessRow({ name: '=HYPERLINK("http://evil.example","Click")', address: '+1 Main St', city: '@Demo City', externalId: 'formula-1', lat: 37.1, lng: -122.1 }),
    businessRow({ name: 'Motel, "Quoted"', address: 'line\nbreak', externalId: 'quoted-1', lat: null, lng: null, status: 'reported_missing' }),
    businessRow({ name: 'Hidden Closed Bar', externalId: 'inactive-1', active: 0 }),
    ...Array.from({ length: 2500 }, (_, i) => businessRow({ name: `Bulk Bar ${i}`, externalId: `bulk-${i}`, category: 'bar' })),
  ]);
});
afterAll(async () => t.close());

async function parse(csv: string) {
  const rows: string[][] = [];
  for await (const r of csvRecords([csv])) rows.push(r.fields);
  return rows;
}

describe('open data', () => {
  it('streams every active business as CSV with the public fields', async () => {
    const res = await t.app.inject({ url: '/map1193/businesses.csv' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(res.headers['content-disposition']).toBe('attachment; filename="map1193-businesses.csv"');
    expect(res.headers['content-length']).toBeUndefined();
    const rows = await parse(res.body);
    expect(rows[0]).toEqual(['id', 'name', 'address', 'city', 'lat', 'lng', 'category', 'status', 'status_changed_at', 'last_report_at', 'source', 'external_id', 'category_name']);
    expect(rows).toHaveLength(1 + 2502);
    expect(new Set(rows.slice(1).map((r) => r[0])).size).toBe(2502);
    expect(res.body).not.toContain('Hidden Closed Bar');
    expect(res.body).not.toMatch(/search_text|searchText/);
  });

  it('neutralises cells a spreadsheet would run as formulas, and quotes the rest correctly', async () => {
    const rows = await parse((await t.app.inject({ url: '/map1193/businesses.csv' })).body);
    const formula = rows.find((r) => r[11] === 'formula-1')!;
    expect(formula.slice(1, 6)).toEqual(['\'=HYPERLINK("http://evil.example","Click")', "'+1 Main St", "'@Demo City", '37.1', '-122.1']);
    const quoted = rows.find((r) => r[11] === 'quoted-1')!;
    expect(quoted.slice(1, 8)).toEqual(['Motel, "Quoted"', 'line\nbreak', 'Demo City', '', '', 'hotel', 'reported_missing']);
  });

  it('streams GeoJSON, with a null geometry for businesses that have no position', async () => {
    const res = await t.app.inject({ url: '/map1193/businesses.geojson' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('application/geo+json; charset=utf-8');
    const doc = res.json() as { type: string; features: { id: string; geometry: unknown; properties: Record<string, unknown> }[] };
    expect(doc.type).toBe('FeatureCollection');
    expect(doc.features).toHaveLength(2502);
    const formula = doc.features.find((f) => f.properties.externalId === 'formula-1')!;
    expect(formula.geometry).toEqual({ type: 'Point', coordinates: [-122.1, 37.1] });
    expect(formula.properties.name).toBe('=HYPERLINK("http://evil.example","Click")');
    expect(doc.features.find((f) => f.properties.externalId === 'quoted-1')!.geometry).toBeNull();
  });

  it('compresses the stream for clients that accept it', async () => {
    const res = await t.app.inject({ url: '/map1193/businesses.csv', headers: { 'accept-encoding': 'gzip' } });
    expect(res.headers['content-encoding']).toBe('gzip');
  });

  it('reads the table in keyset pages, each business once', async () => {
    const seen: string[] = [];
    for await (const b of exportBusinesses({ db: t.app.services.db }, 700)) seen.push(b.id);
    expect(seen).toHaveLength(2502);
    expect(new Set(seen).size).toBe(2502);
  });
});
