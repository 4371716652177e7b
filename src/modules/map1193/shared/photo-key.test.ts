import { randomBytes, randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../../test/helpers/app.ts';
import { multipart, type Part } from '../../../../test/helpers/multipart.ts';
import { createStaff, csrfFrom, signIn, type SignedIn } from '../../../../test/helpers/staff.ts';
import { loadPhotoKey, photoKeyPath, resealLegacyPhotos } from './photo-key.ts';
import { sniffFile as sniffImage } from '../../../core/uploads/index.ts';
import { casePhotoContext, openPhoto, sealPhoto } from './photos.ts';
import { businessRow, insertBusinesses } from '../testing.ts';

let t: TestApp;
let inspector: SignedIn;
const db = () => t.app.services.db;

beforeAll(async () => {
  t = await createTestApp();
  inspector = await signIn(t, await createStaff(t, ['compliance_inspector']));
});
afterAll(async () => t.close());

const jpeg = (background: string) => sharp({ create: { width: 120, height: 90, channels: 3, background } }).jpeg().toBuffer();

/** A public report with a photo and an inspector's visit with one, both through the real forms. */
async function photographedBusiness(): Promise<{ reportId: string; casePhotoId: string }> {
  const [business] = await insertBusinesses(db(), [businessRow({ name: `Photo Inn ${randomUUID()}`, status: 'reported_missing' })]);
  const reportId = randomUUID();
  const page = await t.app.inject({ url: `/map1193/businesses/${business!.id}` });
  const report = multipart([['_csrf', csrfFrom(page.body)], ['reportId', reportId], ['observed', 'missing'], ['photo', { filename: 'a.jpg', type: 'image/jpeg', data: await jpeg('#a04020') }]]);
  const sent = await t.app.inject({ method: 'POST', url: `/map1193/businesses/${business!.id}/report`, remoteAddress: `198.18.9.${1 + (randomBytes(1)[0]! % 250)}`, ...report });
  expect(sent.statusCode).toBe(200);
  const parts: Part[] = [['_csrf', csrfFrom((await inspector.get('/console/account')).body)], ['notes', ''], ['photos', { filename: 'door.jpg', type: 'image/jpeg', data: await jpeg('#2040a0') }], ['action', 'visit_violation']];
  const step = multipart(parts);
  const res = await t.app.inject({ method: 'POST', url: `/console/map1193/inspections/${business!.id}/step`, headers: { ...step.headers, cookie: inspector.cookie }, payload: step.payload });
  expect(res.statusCode).toBe(303);
  const photo = await db().selectFrom('mapCasePhotos as p').innerJoin('mapCases as c', 'c.id', 'p.caseId').select('p.id').where('c.businessId', '=', business!.id).executeTakeFirstOrThrow();
  return { reportId, casePhotoId: photo.id };
}

/**
 * The tables of this test's own database. Kysely's introspection lists every schema of a shared
 * PostgreSQL, where other test files create and drop theirs meanwhile.
 */
async function ownTables(): Promise<string[]> {
  const query =
    t.app.services.dialect === 'postgres'
      ? sql<{ name: string }>`select table_name as name from information_schema.tables where table_schema = current_schema() and table_type = 'BASE TABLE'`
      : sql<{ name: string }>`select name from sqlite_master where type = 'table' and name not like 'sqlite_%'`;
  const { rows } = await query.execute(db());
  expect(rows.length).toBeGreaterThan(10);
  return rows.map((r) => r.name);
}

/** Every row of every table, as a dump of the database would carry them. */
async function dumpAllRows(): Promise<unknown[]> {
  const rows: unknown[] = [];
  for (const table of await ownTables()) {
    rows.push(...(await db().selectFrom(table as never).selectAll().execute()));
  }
  return rows;
}

/** Every 32-byte value a dump holds, read as base64, base64url, hex or raw bytes: each could be a key. */
function candidateKeys(rows: unknown[]): Uint8Array[] {
  const found: Uint8Array[] = [];
  const consider = (bytes: Buffer) => bytes.length === 32 && found.push(new Uint8Array(bytes));
  const walk = (value: unknown): void => {
    if (typeof value === 'string') {
      for (const encoding of ['base64', 'base64url', 'hex'] as const) consider(Buffer.from(value, encoding));
      if (value.startsWith('{') || value.startsWith('[')) {
        try {
          walk(JSON.parse(value));
        } catch {
          // Not JSON: the string itself was considered.
        }
      }
    } else if (value instanceof Uint8Array) consider(Buffer.from(value));
    else if (value && typeof value === 'object') Object.values(value).forEach(walk);
  };
  rows.forEach(walk);
  return found;
}

const opens = async (key: Uint8Array, context: string, data: string) => openPhoto(key, context, data).then(() => true, () => false);

describe('the MAP1193 photo key', () => {
  it('is not in the database: a dump of every row opens no photo, while the inspector still sees them', async () => {
    const { reportId, casePhotoId } = await photographedBusiness();
    const report = await db().selectFrom('mapReportPhotos').select('data').where('reportId', '=', reportId).executeTakeFirstOrThrow();
    const visit = await db().selectFrom('mapCasePhotos').select('data').where('id', '=', casePhotoId).executeTakeFirstOrThrow();

    const candidates = candidateKeys(await dumpAllRows());
    expect(candidates.length).toBeGreaterThan(0);
    for (const key of candidates) {
      expect(await opens(key, reportId, report.data)).toBe(false);
      expect(await opens(key, casePhotoContext(casePhotoId), visit.data)).toBe(false);
    }
    // The key that does open them is the file in DATA_DIR, which a dump does not carry.
    const fileKey = await loadPhotoKey(t.config.dataDir);
    expect(await opens(fileKey, reportId, report.data)).toBe(true);
    expect(await opens(fileKey, casePhotoContext(casePhotoId), visit.data)).toBe(true);

    for (const url of [`/console/map1193/photos/report/${reportId}`, `/console/map1193/photos/case/${casePhotoId}`]) {
      const image = await t.app.inject({ url, headers: { cookie: inspector.cookie } });
      expect(image.statusCode, url).toBe(200);
      expect(sniffImage(image.rawPayload), url).toBe('image/jpeg');
    }
  });

  it('seals photos kept under the old database key again with the key file, once, and deletes the old key', async () => {
    const { reportId, casePhotoId } = await photographedBusiness();
    const fileKey = await loadPhotoKey(t.config.dataDir);
    // The photos as an earlier version stored them: sealed under a key kept in app_secrets.
    const legacy = randomBytes(32);
    const report = await db().selectFrom('mapReportPhotos').select('data').where('reportId', '=', reportId).executeTakeFirstOrThrow();
    const visit = await db().selectFrom('mapCasePhotos').select('data').where('id', '=', casePhotoId).executeTakeFirstOrThrow();
    const reportBytes = await openPhoto(fileKey, reportId, report.data);
    const visitBytes = await openPhoto(fileKey, casePhotoContext(casePhotoId), visit.data);
    await db().updateTable('mapReportPhotos').set({ data: await sealPhoto(legacy, reportId, reportBytes) }).where('reportId', '=', reportId).execute();
    await db().updateTable('mapCasePhotos').set({ data: await sealPhoto(legacy, casePhotoContext(casePhotoId), visitBytes) }).where('id', '=', casePhotoId).execute();
    await db().insertInto('appSecrets').values({ name: 'map1193.photos', value: legacy.toString('base64'), createdAt: t.clock.now().toISOString() }).execute();
    const url = `/console/map1193/photos/report/${reportId}`;
    expect((await t.app.inject({ url, headers: { cookie: inspector.cookie } })).statusCode).toBe(500);

    expect((await resealLegacyPhotos(db(), fileKey)).unreadable).toBe(0);
    expect(await db().selectFrom('appSecrets').select('name').where('name', '=', 'map1193.photos').executeTakeFirst()).toBeUndefined();
    for (const photoUrl of [url, `/console/map1193/photos/case/${casePhotoId}`]) {
      const image = await t.app.inject({ url: photoUrl, headers: { cookie: inspector.cookie } });
      expect(image.statusCode, photoUrl).toBe(200);
      expect(Buffer.compare(image.rawPayload, photoUrl === url ? reportBytes : visitBytes), photoUrl).toBe(0);
    }
    // With the old key gone, a second start changes nothing.
    expect(await resealLegacyPhotos(db(), fileKey)).toEqual({ resealed: 0, unreadable: 0 });
    expect(await opens(fileKey, reportId, (await db().selectFrom('mapReportPhotos').select('data').where('reportId', '=', reportId).executeTakeFirstOrThrow()).data)).toBe(true);
  });
});

describe('the photo key file', () => {
  const freshDir = () => fs.mkdtempSync(path.join(os.tmpdir(), 'heatwatch-photo-key-'));

  it('is made once, readable by the server only, and read back the same', async () => {
    const dir = freshDir();
    const first = await loadPhotoKey(dir);
    expect(first.length).toBe(32);
    expect(fs.statSync(photoKeyPath(dir)).mode & 0o077).toBe(0);
    expect(Buffer.compare(Buffer.from(await loadPhotoKey(dir)), Buffer.from(first))).toBe(0);
    const [a, b] = await Promise.all([loadPhotoKey(freshDir()), loadPhotoKey(freshDir())]);
    expect(Buffer.compare(Buffer.from(a), Buffer.from(b))).not.toBe(0);
  });

  it('stops the start when damaged rather than making a new key that would lose every photo', async () => {
    const dir = freshDir();
    await loadPhotoKey(dir);
    fs.writeFileSync(photoKeyPath(dir), 'not a key');
    await expect(loadPhotoKey(dir)).rejects.toThrow(/not 32 bytes/);
    expect(fs.readFileSync(photoKeyPath(dir), 'utf8')).toBe('not a key');
  });
});
