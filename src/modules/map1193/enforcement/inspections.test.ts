import { createHash } from 'node:crypto';
import sharp from 'sharp';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../../test/helpers/app.ts';
import { multipart, type Part } from '../../../../test/helpers/multipart.ts';
import { createStaff, csrfFrom, signIn, type SignedIn, type TestStaff } from '../../../../test/helpers/staff.ts';
import { verifyAuditChain } from '../../../core/audit/audit.ts';
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
let volunteerSession: SignedIn;
let missing: BusinessRow;
let elsewhere: BusinessRow;
let fine: BusinessRow;
const DAY = 86_400_000;

const db = () => t.app.services.db;
const step = (id: string, action: string, notes = '') => session.post(`/console/map1193/inspections/${id}/step`, { action, notes });
const statusOf = async (id: string) => (await db().selectFrom('mapBusinesses').select('status').where('id', '=', id).executeTakeFirstOrThrow()).status;
const openCase = async (id: string) => db().selectFrom('mapCases').selectAll().where('businessId', '=', id).orderBy('openedAt', 'desc').executeTakeFirstOrThrow();
/** Signs in again: a month on the manual clock outlasts any session. */
const renew = async () => (session = await signIn(t, inspector));

// The queue lists every business reported missing and a case moves the clock by months: each
// test has an app of its own, on the same day with the same three businesses.
beforeEach(async () => {
  t = await createTestApp();
  t.clock.set('2026-03-02T17:00:00Z');
  const rows = await insertBusinesses(db(), [
    businessRow({ name: 'Queue Motel', city: 'Testburg', status: 'reported_missing', lastReportAt: '2026-02-01T10:00:00.000Z' }),
    businessRow({ name: 'Other Town Bar', city: 'Elsewhere', category: 'bar', status: 'reported_missing', lastReportAt: '2026-02-20T10:00:00.000Z' }),
    businessRow({ name: 'Fine Airport', city: 'Testburg', category: 'airport', status: 'reported_posted', lastReportAt: '2026-02-10T10:00:00.000Z' }),
  ]);
  [missing, elsewhere, fine] = [rows[0]!, rows[1]!, rows[2]!];
  inspector = await createStaff(t, ['compliance_inspector'], { name: 'Ines Inspector' });
  session = await signIn(t, inspector);
  volunteerSession = await signIn(t, await createStaff(t, ['volunteer']));
});
afterEach(async () => t.close());

describe('role checks', () => {
  it('refuses a volunteer the queue, a case, a step and a notice (403)', async () => {
    for (const url of ['/console/map1193/inspections', `/console/map1193/inspections/${missing.id}`, '/console/map1193/notices/x']) {
      expect((await volunteerSession.get(url)).statusCode, url).toBe(403);
    }
    expect((await volunteerSession.post(`/console/map1193/inspections/${missing.id}/step`, { action: 'visit_violation' })).statusCode).toBe(403);
    expect(await statusOf(missing.id)).toBe('reported_missing');
  });

  it('answers 404 for a business that does not exist', async () => {
    expect((await session.get('/console/map1193/inspections/no-such-id')).statusCode).toBe(404);
    expect((await step('no-such-id', 'visit_violation')).statusCode).toBe(404);
    expect((await session.get('/console/map1193/notices/no-such-id')).statusCode).toBe(404);
  });
});

describe('the queue', () => {
  it('lists businesses reported missing, oldest report first, with their age; filters by city', async () => {
    const res = await session.get('/console/map1193/inspections');
    expect(res.statusCode).toBe(200);
    expect(res.headers['cache-control']).toBe('no-store');
    const a = res.body.indexOf('Queue Motel');
    const b = res.body.indexOf('Other Town Bar');
    expect(a).toBeGreaterThan(0);
    expect(b).toBeGreaterThan(a);
    expect(res.body).not.toContain('Fine Airport');
    expect(res.body).toContain('29 days');
    expect(res.body).not.toMatch(/\sstyle="/);
    const filtered = await session.get('/console/map1193/inspections?city=Elsewhere');
    expect(filtered.body).toContain('Other Town Bar');
    expect(filtered.body).not.toContain('Queue Motel');
  });
});

describe('a case from visit to payment', () => {
  /** A violation visit and the notice: the cure period starts. */
  async function noticeSent(id: string) {
    expect((await step(id, 'visit_violation', 'No notice near the entrance')).headers.location).toContain('done=step');
    expect((await step(id, 'send_notice')).headers.location).toContain('done=step');
  }

  /** The notice, then a failed re-inspection once the 30 days have passed: $500. */
  async function penalised(id: string) {
    await noticeSent(id);
    t.clock.advance(30 * DAY);
    await renew();
    expect((await step(id, 'reinspect_failed')).headers.location).toContain('done=step');
  }

  it('refuses skipped steps: no notice, re-inspection or payment before a violation visit', async () => {
    for (const action of ['send_notice', 'reinspect_cured', 'reinspect_failed', 'record_payment', 'refer']) {
      // The case page comes back with the refusal and the notes as typed.
      const res = await step(missing.id, action, `Tried ${action}`);
      expect(res.statusCode).toBe(409);
      expect(res.body).toContain('steps cannot be skipped');
      expect(res.body).toContain(`Tried ${action}</textarea>`);
    }
    expect(await db().selectFrom('mapCases').select('id').where('businessId', '=', missing.id).execute()).toEqual([]);
    const forged = await step(missing.id, 'close_everything', 'Kept');
    expect(forged.statusCode).toBe(422);
    expect(forged.body).toContain('steps cannot be skipped');
    expect(forged.body).toContain('Kept</textarea>');
  });

  it('records a violation visit, then a stored notice with its SHA-256 and a 30-day cure clock', async () => {
    expect((await step(missing.id, 'visit_violation', 'No notice near the entrance')).headers.location).toBe(`/console/map1193/inspections/${missing.id}?done=step`);
    expect((await openCase(missing.id)).stage).toBe('violation');
    const sent = await step(missing.id, 'send_notice');
    expect(sent.headers.location).toContain('done=step');
    const kase = await openCase(missing.id);
    expect(kase.stage).toBe('notice_sent');
    expect(kase.cureDueAt).toBe(new Date(Date.parse(kase.noticeSentAt!) + 30 * DAY).toISOString());
    expect(await statusOf(missing.id)).toBe('notice_sent');
    const notice = await db().selectFrom('mapNotices').selectAll().where('caseId', '=', kase.id).executeTakeFirstOrThrow();
    expect(notice.sha256).toBe(createHash('sha256').update(notice.letter, 'utf8').digest('hex'));
    expect(notice.letter).toContain('NOTICE OF VIOLATION');
    expect(notice.letter).toContain('Queue Motel');
    expect(notice.letter).toContain('$500');
    const page = await session.get(`/console/map1193/notices/${notice.id}`);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain(notice.sha256);
    expect(page.body).toContain('the stored letter is unchanged');
    const file = await session.get(`/console/map1193/inspections/${missing.id}`);
    expect(file.body).toContain('No notice near the entrance');
    expect(file.body).toContain(`/console/map1193/notices/${notice.id}`);
  });

  it('refuses the penalty while the cure period runs, and records $500 once it has ended', async () => {
    await noticeSent(missing.id);
    t.clock.advance(29 * DAY);
    await renew();
    const early = await step(missing.id, 'reinspect_failed');
    expect(early.statusCode).toBe(409);
    expect(early.body).toContain('The cure period has not ended');
    expect((await openCase(missing.id)).penaltyUsd).toBeNull();
    t.clock.advance(DAY);
    await renew();
    expect((await step(missing.id, 'reinspect_failed')).headers.location).toContain('done=step');
    const kase = await openCase(missing.id);
    expect(kase.stage).toBe('penalised');
    expect(kase.penaltyUsd).toBe(500);
    expect(await statusOf(missing.id)).toBe('penalised');
  });

  it('closes on payment; a later offence costs $1,000', async () => {
    await penalised(missing.id);
    await step(missing.id, 'record_payment');
    expect((await openCase(missing.id)).stage).toBe('paid');
    expect((await step(missing.id, 'refer')).statusCode).toBe(409);
    await step(missing.id, 'visit_violation');
    await step(missing.id, 'send_notice');
    const second = await db().selectFrom('mapNotices').select('letter').where('businessId', '=', missing.id).orderBy('createdAt', 'desc').executeTakeFirstOrThrow();
    expect(second.letter).toContain('civil penalty of $1,000');
    t.clock.advance(31 * DAY);
    await renew();
    await step(missing.id, 'reinspect_failed');
    expect((await openCase(missing.id)).penaltyUsd).toBe(1000);
    await step(missing.id, 'refer');
    expect((await openCase(missing.id)).stage).toBe('referred');
  });

  it('audits every step in the chain and shows each on the public history without the inspector', async () => {
    await penalised(missing.id);
    for (const action of ['record_payment', 'visit_violation', 'send_notice']) expect((await step(missing.id, action)).headers.location).toContain('done=step');
    t.clock.advance(31 * DAY);
    await renew();
    for (const action of ['reinspect_failed', 'refer']) expect((await step(missing.id, action)).headers.location).toContain('done=step');
    const audit = await db().selectFrom('auditLog').select(['action', 'actorId']).where('action', 'like', 'map1193.case.%').execute();
    expect(audit.map((r: { action: string }) => r.action)).toEqual(
      ['visit_violation', 'send_notice', 'reinspect_failed', 'record_payment', 'visit_violation', 'send_notice', 'reinspect_failed', 'refer'].map((a) => `map1193.case.${a}`),
    );
    expect(audit.every((r) => r.actorId === inspector.account.id)).toBe(true);
    expect((await verifyAuditChain(db())).ok).toBe(true);
    const events = await db().selectFrom('mapStatusEvents').select(['cause', 'toStatus', 'actorId']).where('businessId', '=', missing.id).orderBy('at').execute();
    expect(events.map((e: { cause: string }) => e.cause)).toEqual(['inspection', 'notice', 'penalty', 'payment', 'inspection', 'notice', 'penalty', 'referral']);
    expect(events.every((e: { actorId: string | null }) => e.actorId === null)).toBe(true);
    const page = await t.app.inject({ url: `/map1193/businesses/${missing.id}` });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('Notice of violation sent');
    expect(page.body).toContain('Penalty imposed');
    expect(page.body).not.toContain('Ines Inspector');
    expect(page.body).not.toContain(inspector.account.email);
  });

  it('a compliant visit closes at once and marks the business verified', async () => {
    await step(fine.id, 'visit_compliant');
    expect((await openCase(fine.id)).stage).toBe('compliant');
    expect(await statusOf(fine.id)).toBe('verified_compliant');
    expect(elsewhere.status).toBe('reported_missing');
  });
});

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
    await submitReport({ db: db(), dialect: t.app.services.dialect, clock: t.clock }, { id: reportId, businessId: business.id, observed: 'missing', problems: [], note: 'Looked by the door', channel: 'public', photo: { clean, key } });
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
    await submitReport({ db: db(), dialect: t.app.services.dialect, clock: t.clock }, { id: reportId, businessId: own.id, observed: 'missing', problems: [], note: undefined, channel: 'public', photo: { clean, key } });
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

describe('opening a case file', () => {
  it('audits each opening as the inspector, and nothing for a business that does not exist', async () => {
    const [own] = (await insertBusinesses(db(), [businessRow({ name: 'Opened Inn', city: 'Testburg' })])) as [BusinessRow];
    const reader = await signIn(t, inspector);
    expect((await reader.get(`/console/map1193/inspections/${own.id}`)).statusCode).toBe(200);
    const reads = await db().selectFrom('auditLog').select(['action', 'targetType', 'actorId']).where('targetId', '=', own.id).execute();
    expect(reads).toEqual([{ action: 'map1193.case_file_open', targetType: 'map1193.business', actorId: inspector.account.id }]);
    const absent = 'no-such-business-here';
    expect((await reader.get(`/console/map1193/inspections/${absent}`)).statusCode).toBe(404);
    expect(await db().selectFrom('auditLog').select('seq').where('targetId', '=', absent).execute()).toEqual([]);
  });

  it('says a step was recorded only on the page a recorded step leads to (?done=step)', async () => {
    const [own] = (await insertBusinesses(db(), [businessRow({ name: 'Notice Inn', city: 'Testburg' })])) as [BusinessRow];
    const reader = await signIn(t, inspector);
    const url = `/console/map1193/inspections/${own.id}`;
    expect((await reader.get(`${url}?done=step`)).body).toContain('Step recorded.');
    for (const query of ['', '?done=1', '?done=step&done=step']) expect((await reader.get(`${url}${query}`)).body, query).not.toContain('Step recorded.');
  });
});
