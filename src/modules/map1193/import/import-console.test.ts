import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../../test/helpers/app.ts';
import { multipart, type Part } from '../../../../test/helpers/multipart.ts';
import { createStaff, csrfFrom, signIn, type SignedIn } from '../../../../test/helpers/staff.ts';

// The administrators' side of MAP1193 in the console: business imports by upload.
let t: TestApp;
let admin: SignedIn;
let inspector: SignedIn;
let volunteer: SignedIn;

const db = () => t.app.services.db;
const bySource = (source: string) => db().selectFrom('mapBusinesses').select(['externalId', 'name', 'category', 'lat']).where('source', '=', source).orderBy('externalId').execute();

// Imports and rule amendments change what the whole office sees: each test has an app of its
// own, with the rules as released.
beforeEach(async () => {
  t = await createTestApp();
  t.clock.set('2026-06-01T18:00:00Z');
  admin = await signIn(t, await createStaff(t, ['administrator']));
  inspector = await signIn(t, await createStaff(t, ['compliance_inspector']));
  volunteer = await signIn(t, await createStaff(t, ['volunteer']));
});
afterEach(async () => t.close());

describe('importing businesses from the console', () => {
  async function upload(session: SignedIn, fields: Record<string, string>, file?: { name: string; text: string | Buffer }) {
    const token = csrfFrom((await session.get('/console/map1193/import')).body);
    const parts: Part[] = [['_csrf', token], ...Object.entries(fields)];
    if (file) parts.push(['file', { filename: file.name, type: 'text/csv', data: Buffer.isBuffer(file.text) ? file.text : Buffer.from(file.text) }]);
    const body = multipart(parts);
    return t.app.inject({ method: 'POST', url: '/console/map1193/import', headers: { ...body.headers, cookie: session.cookie }, payload: body.payload });
  }

  const licences = [
    'Licence No,Business Name,Street,Town,Latitude,Longitude',
    'L-1,Upload Motel,1 Dock St,Harbor,37.8,-122.3',
    'L-2,Upload Salon,2 Dock St,Harbor,,',
    'L-3,,3 Dock St,Harbor,37.8,-122.3',
    'L-1,Upload Motel twin,1 Dock St,Harbor,37.8,-122.3',
  ].join('\n');
  const mapping = { map_external_id: 'Licence No', map_name: 'Business Name', map_address: 'Street', map_city: 'Town', map_lat: 'Latitude', map_lng: 'Longitude' };

  it('is open to administrators and inspectors, not to volunteers', async () => {
    expect((await admin.get('/console/map1193/import')).statusCode).toBe(200);
    expect((await inspector.get('/console/map1193/import')).statusCode).toBe(200);
    expect((await volunteer.get('/console/map1193/import')).statusCode).toBe(403);
  });

  it('imports a CSV with mapped columns and a default category, listing each rejected row with its reason', async () => {
    const res = await upload(inspector, { source: 'harbor-licences', format: 'auto', category: 'hotel', ...mapping }, { name: 'licences.csv', text: licences });
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('Rows read: 4. Added: 2. Updated: 0. Rejected: 2.');
    expect(res.body).toMatch(/<td>4<\/td>\s*<td>no name<\/td>/);
    expect(res.body).toMatch(/<td>5<\/td>\s*<td>the same id appears earlier in the file<\/td>/);
    expect(await bySource('harbor-licences')).toEqual([
      { externalId: 'L-1', name: 'Upload Motel', category: 'hotel', lat: 37.8 },
      { externalId: 'L-2', name: 'Upload Salon', category: 'hotel', lat: null },
    ]);
    const audit = await db().selectFrom('auditLog').select(['actorId', 'detail']).where('action', '=', 'map1193.import').executeTakeFirstOrThrow();
    expect(audit.actorId).not.toBeNull();
    expect(JSON.parse(String(audit.detail))).toMatchObject({ total: 4, inserted: 2, rejected: 2 });
  });

  it('updates instead of duplicating when the same source is imported again', async () => {
    expect((await upload(inspector, { source: 'harbor-licences', format: 'csv', category: 'hotel', ...mapping }, { name: 'licences.csv', text: licences })).body).toContain('Added: 2.');
    const res = await upload(inspector, { source: 'harbor-licences', format: 'csv', category: 'hotel', ...mapping }, { name: 'licences.csv', text: licences });
    expect(res.body).toContain('Rows read: 4. Added: 0. Updated: 2. Rejected: 2.');
    expect(await bySource('harbor-licences')).toHaveLength(2);
  });

  it('reads GeoJSON, telling it from the file', async () => {
    const geojson = JSON.stringify({
      type: 'FeatureCollection',
      features: [{ type: 'Feature', geometry: { type: 'Point', coordinates: [-122.25, 37.75] }, properties: { external_id: 'G-1', name: 'Geo Bar', category: 'bar' } }],
    });
    const res = await upload(admin, { source: 'geo', format: 'auto' }, { name: 'places.geojson', text: geojson });
    expect(res.body).toContain('Rows read: 1. Added: 1. Updated: 0. Rejected: 0.');
    expect(await bySource('geo')).toEqual([{ externalId: 'G-1', name: 'Geo Bar', category: 'bar', lat: 37.75 }]);
  });

  it('brings the form back with what was typed when the file is missing or unusable, and changes nothing', async () => {
    const noFile = await upload(inspector, { source: 'kept-source', format: 'auto', ...mapping });
    expect(noFile.statusCode).toBe(422);
    expect(noFile.body).toContain('Choose the file to import.');
    expect(noFile.body).toContain('value="kept-source"');
    expect(noFile.body).toContain('value="Business Name"');

    const wrongColumn = await upload(inspector, { source: 'broken', format: 'csv', map_name: 'Trading Name' }, { name: 'x.csv', text: licences });
    expect(wrongColumn.statusCode).toBe(422);
    expect(wrongColumn.body).toContain('The file has no column “Trading Name” (given for name).');
    const brokenCsv = await upload(inspector, { source: 'broken', format: 'csv' }, { name: 'x.csv', text: 'external_id,name\n"a1,Unclosed\n' });
    expect(brokenCsv.statusCode).toBe(422);
    expect(brokenCsv.body).toContain('The CSV file is broken near line');
    const windows1252 = await upload(inspector, { source: 'broken', format: 'csv' }, { name: 'x.csv', text: Buffer.from('external_id,name,category\nw1,Café España,bar\n', 'latin1') });
    expect(windows1252.statusCode).toBe(422);
    expect(windows1252.body).toContain('The file is not saved as UTF-8');
    const noSource = await upload(inspector, { source: '', format: 'csv' }, { name: 'x.csv', text: licences });
    expect(noSource.statusCode).toBe(422);
    expect(noSource.body).toContain('Choose the file again: a file is not kept when the form comes back.');
    const notGeo = await upload(inspector, { source: 'broken', format: 'geojson' }, { name: 'x.json', text: '{"type":"Feature"}' });
    expect(notGeo.body).toContain('not a GeoJSON FeatureCollection');
    expect(await bySource('broken')).toEqual([]);
  });
});
