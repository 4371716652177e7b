import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../../test/helpers/app.ts';
import type { TestDatabase } from '../../../../test/helpers/database.ts';
import { type Context, contextFor } from '../../../core/context.ts';
import { CLI_ACTOR } from '../../accounts/index.ts';
import { RELEASED_CATEGORIES } from '../testing.ts';
import { categoryFrom, csvRows, geojsonRows, ImportFileError, importBusinesses, parseMapping, runBusinessImport } from './import.ts';
import type { Db } from '../../../database.ts';

let t: TestApp;
let tdb: TestDatabase;
let ctx: Context;
let db: Db;
beforeAll(async () => {
  t = await createTestApp();
  t.clock.set('2026-03-01T12:00:00Z');
  tdb = t.db;
  db = tdb.handle.db;
  // As the `heatwatch import` command acts.
  ctx = contextFor(t.app.services, CLI_ACTOR);
});
afterAll(async () => t.close());

const importCsv = (text: string, source: string, mapping = {}) => importBusinesses(ctx, { rows: csvRows([text], mapping), source });
const bySource = (source: string) => db.selectFrom('mapBusinesses').selectAll().where('source', '=', source).orderBy('externalId').execute();

describe('import from CSV', () => {
  it('imports good rows and reports each bad row with its reason', async () => {
    const csv = [
      'external_id,name,address,city,lat,lng,category',
      'a1,Blue Motel,1 Main St,Oakland,37.80,-122.27,hotel',
      'a2,,2 Main St,Oakland,37.80,-122.27,hotel',
      'a3,Spa Three,3 Main St,Oakland,37.80,-122.27,bakery',
      'a4,Bar Four,4 Main St,Oakland,95,-122.27,bar',
      'a5,Bar Five,5 Main St,Oakland,37.8,,bar',
      'a6,Bar Six,6 Main St,Oakland,abc,-122.2,bar',
      'a1,Blue Motel again,1 Main St,Oakland,37.80,-122.27,hotel',
      'a7,No Position Salon,7 Main St,Oakland,,,Nail salon',
      ',Nameless id,8 Main St,Oakland,,,bar',
      'a8,"Truck ""Stop"", Inc","9 Main St, Unit 2",Oakland,37.7,-122.1,Truck stop',
    ].join('\n');
    const report = await importCsv(csv, 'bad-rows');
    expect(report).toMatchObject({ source: 'bad-rows', total: 10, inserted: 3, updated: 0 });
    expect(report.rejected.map((r) => [r.row, r.reason])).toEqual([
      [3, 'missing_name'],
      [4, 'unknown_category'],
      [5, 'bad_coordinates'],
      [6, 'bad_coordinates'],
      [7, 'bad_coordinates'],
      [8, 'duplicate_in_file'],
      [10, 'missing_external_id'],
    ]);
    const rows = await bySource('bad-rows');
    expect(rows.map((r) => [r.externalId, r.name, r.category, r.lat, r.lng])).toEqual([
      ['a1', 'Blue Motel', 'hotel', 37.8, -122.27],
      ['a7', 'No Position Salon', 'personal_care', null, null],
      ['a8', 'Truck "Stop", Inc', 'truck_stop', 37.7, -122.1],
    ]);
    expect(rows[2]!.address).toBe('9 Main St, Unit 2');
    expect(rows.every((r) => r.status === 'unknown' && r.active === 1)).toBe(true);
  });

  it('is idempotent: importing the same file again updates, never duplicates, and keeps status', async () => {
    const csv = 'external_id,name,city,category,lat,lng\nr1,Rest Stop One,Sampleville,rest_area,37.5,-122\nr2,Airport Two,Sampleville,airport,,\n';
    expect(await importCsv(csv, 'again')).toMatchObject({ inserted: 2, updated: 0, rejected: [] });
    const first = await bySource('again');
    await db.updateTable('mapBusinesses').set({ status: 'notice_sent', active: 0 }).where('id', '=', first[0]!.id).execute();
    const changed = csv.replace('Rest Stop One', 'Rest Stop 1');
    expect(await importCsv(changed, 'again')).toMatchObject({ inserted: 0, updated: 2, rejected: [] });
    const second = await bySource('again');
    expect(second.map((r) => r.id)).toEqual(first.map((r) => r.id));
    expect(second[0]).toMatchObject({ name: 'Rest Stop 1', status: 'notice_sent', active: 1, searchText: 'rest stop 1  sampleville'.replace('  ', ' ') });
    // Another source may use the same external ids without touching these rows.
    expect(await importCsv(csv, 'other-source')).toMatchObject({ inserted: 2, updated: 0 });
  });

  it('maps columns by name, case-insensitively, and refuses a mapped column that is missing', async () => {
    const csv = 'Licence No,Business Name,Street,Town,Latitude,Longitude,Type\nL-1,Demo Bar 1,1 Test Rd,Testburg,37.1,-122.1,BAR\n';
    const mapping = parseMapping('external_id=licence no, name=Business Name,address=Street,city=Town,lat=Latitude,lng=Longitude,category=Type');
    expect(await importCsv(csv, 'mapped', mapping)).toMatchObject({ inserted: 1, rejected: [] });
    expect((await bySource('mapped'))[0]).toMatchObject({ externalId: 'L-1', name: 'Demo Bar 1', address: '1 Test Rd', city: 'Testburg', category: 'bar' });
    await expect(importCsv(csv, 'mapped', { name: 'Nope' })).rejects.toBeInstanceOf(ImportFileError);
    expect(() => parseMapping('colour=Red')).toThrow(ImportFileError);
  });

  it('writes one audit row per import, in the same transaction', async () => {
    // An earlier import of this test's own, so that "one per import" is seen against another.
    await importCsv('external_id,name,category\nz0,Earlier Bar,bar\n', 'audited-earlier');
    const before = await tdb.handle.db.selectFrom('auditLog').select('seq').where('action', '=', 'map1193.import').where('targetId', '=', 'audited-earlier').execute();
    await importCsv('external_id,name,category\nz1,Audited Bar,bar\n', 'audited');
    const rows = await tdb.handle.db.selectFrom('auditLog').selectAll().where('action', '=', 'map1193.import').where('targetId', '=', 'audited').execute();
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ actorLabel: 'cli', targetType: 'map1193.source' });
    expect(JSON.parse(rows[0]!.detail)).toMatchObject({ total: 1, inserted: 1, rejected: 0 });
    expect(before).toHaveLength(1);
  });

  it('rolls the whole file back when it turns out malformed half way', async () => {
    const csv = 'external_id,name,category\nm1,Good Bar,bar\nm2,"broken,bar\n';
    await expect(importCsv(csv, 'malformed')).rejects.toThrow(/never closed/);
    expect(await bySource('malformed')).toEqual([]);
  });

  it('knows categories by code, label-like wording and common aliases', () => {
    const codes = new Set<string>(RELEASED_CATEGORIES);
    expect(categoryFrom('Truck Stop', codes)).toBe('truck_stop');
    expect(categoryFrom('MOTEL', codes)).toBe('hotel');
    expect(categoryFrom('bed-and-breakfast', codes)).toBe('hotel');
    expect(categoryFrom('hair salon', codes)).toBe('personal_care');
    expect(categoryFrom('bakery', codes)).toBeUndefined();
    // An alias leads only to a category that is stored.
    expect(categoryFrom('motel', new Set(['bar']))).toBeUndefined();
  });
});

describe('import from GeoJSON', () => {
  it('takes positions from Point geometries and fields from properties', async () => {
    const document = {
      type: 'FeatureCollection',
      features: [
        { type: 'Feature', geometry: { type: 'Point', coordinates: [-122.2, 37.9] }, properties: { id: 'g1', title: 'Geo Motel', kind: 'hotel', town: 'Demo City' } },
        { type: 'Feature', geometry: null, properties: { id: 'g2', title: 'Geo Bar', kind: 'bar' } },
        { type: 'Feature', geometry: { type: 'Point', coordinates: [200, 37.9] }, properties: { id: 'g3', title: 'Far Bar', kind: 'bar' } },
        { type: 'Feature', geometry: { type: 'Polygon', coordinates: [] }, properties: { id: 'g4', title: 'Area Airport', kind: 'airport' } },
      ],
    };
    const mapping = parseMapping('external_id=id,name=title,category=kind,city=town');
    const report = await importBusinesses(ctx, { rows: geojsonRows(document, mapping), source: 'geo' });
    expect(report).toMatchObject({ total: 4, inserted: 3 });
    expect(report.rejected).toEqual([{ row: 3, reason: 'bad_coordinates', externalId: 'g3', name: 'Far Bar' }]);
    const rows = await bySource('geo');
    expect(rows.map((r) => [r.externalId, r.lat, r.lng, r.city])).toEqual([
      ['g1', 37.9, -122.2, 'Demo City'],
      ['g2', null, null, ''],
      ['g4', null, null, ''],
    ]);
    expect(() => [...geojsonRows({ type: 'Feature' })]).toThrow(ImportFileError);
  });
});

describe('heatwatch import businesses', () => {
  it('reads a file, prints the summary and writes every rejected row when asked', async () => {
    const file = path.join(tdb.dir, 'licences.csv');
    const rejects = path.join(tdb.dir, 'rejects.csv');
    fs.writeFileSync(file, 'external_id,name,category\nc1,CLI Bar,bar\nc2,,bar\nc3,=HYPERLINK("x"),nowhere\n');
    const lines: string[] = [];
    const code = await runBusinessImport([file, '--rejects', rejects], ctx, (l) => lines.push(l));
    expect(code).toBe(0);
    expect(lines[0]).toMatch(/^source "licences": 3 rows, 1 inserted, 0 updated, 2 rejected/);
    expect(lines.slice(1)).toEqual(['  row 3: missing_name (c2)', '  row 4: unknown_category (c3)']);
    expect(fs.readFileSync(rejects, 'utf8')).toBe('row,reason,external_id,name\r\n3,missing_name,c2,\r\n4,unknown_category,c3,"\'=HYPERLINK(""x"")"\r\n');
  });

  it('fails without changing anything on a bad option or a missing file', async () => {
    const lines: string[] = [];
    expect(await runBusinessImport([path.join(tdb.dir, 'none.csv')], ctx, (l) => lines.push(l))).toBe(1);
    expect(await runBusinessImport(['x.csv', '--format', 'xls'], ctx, (l) => lines.push(l))).toBe(1);
    expect(await runBusinessImport([], ctx, (l) => lines.push(l))).toBe(2);
    expect(lines.join('\n')).toMatch(/nothing was changed/);
  });
});

describe('a large import', () => {
  it('imports 100,000 rows, all of them, in batches', async () => {
    const cities = ['Demo City', 'Example Town', 'Sampleville'];
    function* lines() {
      yield 'external_id,name,address,city,lat,lng,category\n';
      for (let i = 0; i < 100_000; i++) {
        yield `big-${i},Demo Business ${i},${i} Example Street,${cities[i % 3]},${(37 + (i % 1000) / 1000).toFixed(4)},${(-122 - (i % 997) / 1000).toFixed(4)},${i % 2 ? 'bar' : 'hotel'}\n`;
      }
    }
    const report = await importBusinesses(ctx, { rows: csvRows(lines()), source: 'big' });
    expect(report).toMatchObject({ total: 100_000, inserted: 100_000, updated: 0, rejected: [] });
    const count = await db.selectFrom('mapBusinesses').select((eb) => eb.fn.countAll<number>().as('n')).where('source', '=', 'big').executeTakeFirstOrThrow();
    expect(Number(count.n)).toBe(100_000);
  }, 120_000);
});
