import sharp from 'sharp';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../../test/helpers/app.ts';
import { multipart, type Part } from '../../../../test/helpers/multipart.ts';
import { createStaff, csrfFrom, signIn, type SignedIn, type TestStaff } from '../../../../test/helpers/staff.ts';
import { reencodeImage, sniffFile as sniffImage } from '../../../core/uploads/index.ts';
import { loadPhotoKey } from '../shared/photo-key.ts';
import { REPORT_PHOTOS } from '../shared/photos.ts';
import { submitReport } from '../businesses/service.ts';
import { businessRow, insertBusinesses } from '../testing.ts';
import type { BusinessRow } from '../tables.ts';

const reencodePhoto = (bytes: Buffer) => reencodeImage(bytes, 'image/jpeg', REPORT_PHOTOS);

let t: TestApp;
let inspector: TestStaff;
let session: SignedIn;

const db = () => t.app.services.db;
const openCase = async (id: string) => db().selectFrom('mapCases').selectAll().where('businessId', '=', id).orderBy('openedAt', 'desc').executeTakeFirstOrThrow();
/** Signs in again: a month on the manual clock outlasts any session. */
const renew = async () => (session = await signIn(t, inspector));

// A case moves the clock: each test has an app of its own.
beforeEach(async () => {
  t = await createTestApp();
  t.clock.set('2026-03-02T17:00:00Z');
  inspector = await createStaff(t, ['compliance_inspector'], { name: 'Ines Inspector' });
  session = await signIn(t, inspector);
});
afterEach(async () => t.close());

describe('photos in the case file', () => {
  const photo = (colour: string) =>
    sharp({ create: { width: 400, height: 300, channels: 3, background: colour } })
      .jpeg()
      .withExif({ IFD0: { Make: 'TestCam', Model: 'Inspector Phone 3' }, IFD3: { GPSLatitudeRef: 'N', GPSLatitude: '37/1 48/1 15/1' } })
      .toBuffer();

  async function postStep(id: string, parts: Part[], csrf?: string) {
    const token = csrf ?? csrfFrom((await session.get(`/console/map1193/inspections/${id}`)).body);
    const body = multipart([['_csrf', token], ...parts]);
    return t.app.inject({ method: 'POST', url: `/console/map1193/inspections/${id}/step`, headers: { ...body.headers, cookie: session.cookie }, payload: body.payload });
  }

  /** The photos of this business's case, and of no other. */
  const photosOf = (businessId: string) =>
    db().selectFrom('mapCasePhotos').innerJoin('mapCases', 'mapCases.id', 'mapCasePhotos.caseId').select(['mapCasePhotos.id', 'width', 'height', 'mime', 'data']).where('mapCases.businessId', '=', businessId).execute();

  /** A violation visit with two photos, the case file the other tests start from. */
  const visitWithPhotos = async (id: string) =>
    postStep(id, [
      ['notes', 'Notice missing at reception'],
      ['photos', { filename: 'front.jpg', type: 'image/jpeg', data: await photo('#aa3030') }],
      ['photos', { filename: 'desk.jpg', type: 'image/jpeg', data: await photo('#3030aa') }],
      ['action', 'visit_violation'],
    ]);

  // A business of each test's own, reported missing and not yet visited.
  let business: BusinessRow;
  beforeEach(async () => {
    [business] = (await insertBusinesses(db(), [businessRow({ name: 'Photo Spa', city: 'Testburg', category: 'massage', status: 'reported_missing' })])) as [BusinessRow];
    await renew();
  });

  it('stores a visit with its photos re-encoded without EXIF or GPS, shows them and audits how many', async () => {
    const res = await visitWithPhotos(business.id);
    expect(res.statusCode).toBe(303);
    const rows = await photosOf(business.id);
    expect(rows).toHaveLength(2);
    expect(rows.every((r: { mime: string; width: number }) => r.mime === 'image/jpeg' && r.width === 400)).toBe(true);
    // Sealed at rest: no JPEG header in the stored column.
    expect(rows.some((r: { data: string }) => Buffer.from(r.data, 'base64').includes(Buffer.from([0xff, 0xd8, 0xff])))).toBe(false);

    const file = await session.get(`/console/map1193/inspections/${business.id}`);
    expect(file.body).toContain('Notice missing at reception');
    for (const row of rows) expect(file.body).toContain(`src="/console/map1193/photos/case/${row.id}"`);
    const image = await t.app.inject({ url: `/console/map1193/photos/case/${rows[0]!.id}`, headers: { cookie: session.cookie } });
    expect(image.statusCode).toBe(200);
    expect(image.headers['content-type']).toBe('image/jpeg');
    expect(image.headers['cache-control']).toBe('no-store');
    expect(image.headers['content-security-policy']).toContain('sandbox');
    const served = image.rawPayload;
    expect((await sharp(served).metadata()).exif).toBeUndefined();
    expect(served.includes('Inspector Phone')).toBe(false);

    const reads = await db().selectFrom('auditLog').select(['action', 'targetType', 'targetId', 'actorId']).where('action', 'in', ['map1193.case_file_open', 'map1193.photo_open']).execute();
    expect(reads).toEqual(
      expect.arrayContaining([
        { action: 'map1193.case_file_open', targetType: 'map1193.business', targetId: business.id, actorId: inspector.account.id },
        { action: 'map1193.photo_open', targetType: 'map1193.case_photo', targetId: rows[0]!.id, actorId: inspector.account.id },
      ]),
    );
    const audit = await db().selectFrom('auditLog').select('detail').where('action', '=', 'map1193.case.visit_violation').where('targetType', '=', 'map1193.case').orderBy('seq', 'desc').executeTakeFirstOrThrow();
    expect(JSON.parse(String(audit.detail)).photos).toBe(2);
  });

  it('brings the form back with the notes kept when a photo is not an image or there are too many', async () => {
    expect((await visitWithPhotos(business.id)).statusCode).toBe(303);
    const notText = await postStep(business.id, [['notes', 'Second visit'], ['photos', { filename: 'notice.jpg', type: 'image/jpeg', data: Buffer.from('not an image at all') }], ['action', 'send_notice']]);
    expect(notText.statusCode).toBe(422);
    expect(notText.body).toContain('id="photos-error">Photos must be JPEG, PNG or WebP images.');
    expect(notText.body).toContain('Second visit</textarea>');
    const many: Part[] = [['notes', 'Lots of photos']];
    for (let i = 0; i < 7; i += 1) many.push(['photos', { filename: `p${i}.jpg`, type: 'image/jpeg', data: await photo('#208020') }]);
    const tooMany = await postStep(business.id, [...many, ['action', 'send_notice']]);
    expect(tooMany.statusCode).toBe(422);
    expect(tooMany.body).toContain('Choose at most 6 photos.');
    expect(tooMany.body).not.toContain('steps cannot be skipped');
    // Refused for another reason (a step out of order): the photos chosen are said not to be kept.
    const refused = await postStep(business.id, [['notes', 'Out of order'], ['photos', { filename: 'a.jpg', type: 'image/jpeg', data: await photo('#101010') }], ['action', 'record_payment']]);
    expect(refused.statusCode).toBe(409);
    expect(refused.body).toContain('Your photos were not saved: choose them again.');
    expect(tooMany.body).toContain('Lots of photos</textarea>');
    expect((await openCase(business.id)).stage).toBe('violation');
    expect(await photosOf(business.id)).toHaveLength(2);
  });

  it('refuses a multipart step without its CSRF token, and photos to anyone but inspectors', async () => {
    expect((await visitWithPhotos(business.id)).statusCode).toBe(303);
    const forged = await postStep(business.id, [['action', 'send_notice']], 'not-a-token');
    expect(forged.statusCode).toBe(403);
    expect((await openCase(business.id)).stage).toBe('violation');
    const [row] = await photosOf(business.id);
    const volunteer = await signIn(t, await createStaff(t, ['volunteer']));
    expect((await volunteer.get(`/console/map1193/photos/case/${row!.id}`)).statusCode).toBe(403);
    expect((await session.get('/console/map1193/photos/case/no-such-photo')).statusCode).toBe(404);
  });

  it("shows the reports on the business, with a report's photo to the inspector", async () => {
    const reportId = crypto.randomUUID();
    const key = await loadPhotoKey(t.config.dataDir);
    const clean = await reencodePhoto(await photo('#c0c020'));
    await submitReport({ db: db(), dialect: t.app.services.dialect, clock: t.clock, settings: t.app.services.settings }, { id: reportId, businessId: business.id, observed: 'missing', problems: [], note: 'Looked by the door', channel: 'public', photo: { clean, key } });
    const file = await session.get(`/console/map1193/inspections/${business.id}`);
    expect(file.body).toContain('Looked by the door');
    expect(file.body).toContain('public report');
    expect(file.body).toContain(`/console/map1193/photos/report/${reportId}`);
    const image = await t.app.inject({ url: `/console/map1193/photos/report/${reportId}`, headers: { cookie: session.cookie } });
    expect(image.statusCode).toBe(200);
    expect(sniffImage(image.rawPayload)).toBe('image/jpeg');
  });

  it("audits every opening of a report's photo as the inspector, and nothing for a photo that does not exist", async () => {
    const [own] = (await insertBusinesses(db(), [businessRow({ name: 'Audit Lodge', city: 'Testburg' })])) as [BusinessRow];
    const reportId = crypto.randomUUID();
    const key = await loadPhotoKey(t.config.dataDir);
    const clean = await reencodePhoto(await photo('#20c0c0'));
    await submitReport({ db: db(), dialect: t.app.services.dialect, clock: t.clock, settings: t.app.services.settings }, { id: reportId, businessId: own.id, observed: 'missing', problems: [], note: undefined, channel: 'public', photo: { clean, key } });
    const reader = await signIn(t, inspector);
    const open = (id: string) => t.app.inject({ url: `/console/map1193/photos/report/${id}`, headers: { cookie: reader.cookie } });
    expect((await open(reportId)).statusCode).toBe(200);
    expect((await open(reportId)).statusCode).toBe(200);
    const reads = await db().selectFrom('auditLog').select(['action', 'targetType', 'actorId']).where('targetId', '=', reportId).execute();
    const read = { action: 'map1193.photo_open', targetType: 'map1193.report', actorId: inspector.account.id };
    expect(reads).toEqual([read, read]);
    const absent = crypto.randomUUID();
    expect((await open(absent)).statusCode).toBe(404);
    expect(await db().selectFrom('auditLog').select('seq').where('targetId', '=', absent).execute()).toEqual([]);
  });
});
