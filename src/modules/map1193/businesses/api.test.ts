import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../../test/helpers/app.ts';
import { cellSizeDeg, MAX_FEATURES } from './service.ts';
import { businessRow, insertBusinesses } from '../testing.ts';

let t: TestApp;
type Collection = {
  type: string;
  clustered: boolean;
  truncated: boolean;
  features: { geometry: { coordinates: [number, number] }; properties: Record<string, unknown> }[];
};

// A dense town of 6,000 businesses in a 0.06° square, a lone motel far from it, and some without a position.
const TOWN = { lat: 37.5, lng: -121.5 };
beforeAll(async () => {
  t = await createTestApp();
  const town = Array.from({ length: 6000 }, (_, i) =>
    businessRow({
      name: `Town Bar ${i}`,
      lat: TOWN.lat + (i % 80) * 0.00075,
      lng: TOWN.lng + Math.floor(i / 80) * 0.0008,
      category: i % 3 === 0 ? 'hotel' : 'bar',
      status: i % 10 === 0 ? 'reported_missing' : 'unknown',
    }),
  );
  const lone = businessRow({ name: 'Lone Motel', lat: 36.9, lng: -120.9, category: 'hotel', status: 'verified_compliant' });
  const unplaced = Array.from({ length: 5 }, () => businessRow({ name: 'Unplaced Bar', lat: null, lng: null }));
  await insertBusinesses(t.app.services.db, [...town, lone, ...unplaced]);
});
afterAll(async () => t.close());

async function api(query: string) {
  const res = await t.app.inject({ url: `/api/map1193/businesses?${query}` });
  // The GeoJSON is written as text: it must be exactly what JSON.stringify makes of it.
  expect(JSON.stringify(res.json())).toBe(res.body);
  return { status: res.statusCode, type: res.headers['content-type'], body: res.json() as Collection & { error?: string; fields?: string[] } };
}

describe('GET /api/map1193/businesses', () => {
  it('clusters server-side at county zoom: grid cells with counts that add up', async () => {
    const { status, type, body } = await api('bbox=-122,36.5,-120.5,38&zoom=10');
    expect(status).toBe(200);
    expect(type).toMatch(/^application\/geo\+json/);
    expect(body.type).toBe('FeatureCollection');
    expect(body.clustered).toBe(true);
    expect(body.truncated).toBe(false);
    const clusters = body.features.filter((f) => f.properties.cluster);
    const points = body.features.filter((f) => !f.properties.cluster);
    expect(clusters.length).toBeGreaterThan(0);
    expect(clusters.length).toBeLessThan(50);
    expect(clusters.reduce((sum, f) => sum + Number(f.properties.count), 0) + points.length).toBe(6001);
    expect(clusters.reduce((sum, f) => sum + Number(f.properties.problems), 0)).toBe(600);
    // The lone motel has a cell of its own, so it comes back as itself, not as "1".
    expect(points).toEqual([{ type: 'Feature', geometry: { type: 'Point', coordinates: [-120.9, 36.9] }, properties: expect.objectContaining({ name: 'Lone Motel', status: 'verified_compliant', category: 'hotel' }) }]);
  });

  it('sends a city view compressed, brotli or gzip, that decodes to the same GeoJSON', async () => {
    const url = `/api/map1193/businesses?bbox=${TOWN.lng - 0.01},${TOWN.lat - 0.01},${TOWN.lng + 0.07},${TOWN.lat + 0.07}&zoom=15`;
    const plain = await t.app.inject({ url });
    for (const [encoding, decode] of [['br', brotliDecompressSync], ['gzip', gunzipSync]] as const) {
      const res = await t.app.inject({ url, headers: { 'accept-encoding': encoding } });
      expect(res.headers['content-encoding']).toBe(encoding);
      expect(res.rawPayload.length).toBeLessThan(plain.rawPayload.length / 3);
      expect(decode(res.rawPayload).toString('utf8')).toBe(plain.body);
    }
  });

  it('streams a large view compressed with Vary, thirty at once alike, and sends a small one whole', async () => {
    const url = `/api/map1193/businesses?bbox=${TOWN.lng - 0.01},${TOWN.lat - 0.01},${TOWN.lng + 0.07},${TOWN.lat + 0.07}&zoom=15`;
    const plain = await t.app.inject({ url });
    expect(plain.headers['content-length']).toBe(String(plain.rawPayload.length));
    const answers = await Promise.all(Array.from({ length: 30 }, (_, i) => t.app.inject({ url, headers: { 'accept-encoding': i % 2 ? 'gzip' : 'br;q=0.9, gzip;q=0.5' } })));
    for (const [i, res] of answers.entries()) {
      expect(res.headers['content-encoding']).toBe(i % 2 ? 'gzip' : 'br');
      expect(res.headers.vary).toBe('accept-encoding');
      expect(res.headers['cache-control']).toBe('public, max-age=30');
      expect((i % 2 ? gunzipSync : brotliDecompressSync)(res.rawPayload).equals(plain.rawPayload)).toBe(true);
    }
    const small = await t.app.inject({ url: '/api/map1193/businesses?bbox=-122,36.5,-120.5,38&zoom=10', headers: { 'accept-encoding': 'gzip' } });
    // A few clusters: one buffer with its length (under the 1 kB threshold, not even compressed).
    expect(small.headers['content-length']).toBe(String(small.rawPayload.length));
    expect(JSON.parse(small.body).clustered).toBe(true);
  });

  it('makes smaller cells as the zoom grows', async () => {
    const far = (await api('bbox=-122,36.5,-120.5,38&zoom=9')).body.features.length;
    const near = (await api('bbox=-122,36.5,-120.5,38&zoom=12')).body.features.length;
    expect(near).toBeGreaterThan(far);
    expect(cellSizeDeg(13)).toBeCloseTo(cellSizeDeg(12) / 2);
  });

  it('sends businesses one by one from zoom 14, never more than 5,000, and says when it cut', async () => {
    const { body } = await api('bbox=-121.6,37.4,-121.4,37.6&zoom=14');
    expect(body.clustered).toBe(false);
    expect(body.features).toHaveLength(MAX_FEATURES);
    expect(body.truncated).toBe(true);
    expect(body.features[0]!.properties).toEqual({ id: expect.any(String), name: expect.stringMatching(/^Town Bar/), category: expect.any(String), status: expect.any(String) });
    const small = (await api('bbox=-121.5001,37.4999,-121.499,37.5016&zoom=17')).body;
    expect(small.truncated).toBe(false);
    expect(small.features.length).toBeGreaterThan(0);
    expect(small.features.length).toBeLessThan(10);
  });

  it('never puts a business without a position on the map', async () => {
    const { body } = await api('bbox=-180,-90,180,90&zoom=16');
    expect(body.features.some((f) => f.properties.name === 'Unplaced Bar')).toBe(false);
  });

  it('applies the list filters', async () => {
    const { body } = await api('bbox=-122,36.5,-120.5,38&zoom=15&category=hotel&status=verified_compliant');
    expect(body.features.map((f) => f.properties.name)).toEqual(['Lone Motel']);
  });

  it.each([
    ['', ['bbox', 'zoom']],
    ['bbox=1,2,3&zoom=5', ['bbox']],
    ['bbox=a,b,c,d&zoom=5', ['bbox']],
    ['bbox=,,,&zoom=5', ['bbox']],
    ['bbox=-200,0,10,10&zoom=5', ['bbox']],
    ['bbox=0,-91,10,10&zoom=5', ['bbox']],
    ['bbox=10,0,0,10&zoom=5', ['bbox']],
    ['bbox=0,0,10,10&zoom=23', ['zoom']],
    ['bbox=0,0,10,10&zoom=1.5', ['zoom']],
    ['bbox=0,0,10,10&zoom=5&status=lost', ['status']],
  ])('answers 400 JSON for %j', async (query, fields) => {
    const { status, type, body } = await api(query);
    expect(status).toBe(400);
    expect(type).toMatch(/^application\/json/);
    expect(body).toEqual({ error: 'bad_request', fields });
  });
});
