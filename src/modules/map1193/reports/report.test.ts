import { randomUUID } from 'node:crypto';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../../test/helpers/app.ts';
import { multipart, type Part } from '../../../../test/helpers/multipart.ts';
import { issueFormToken } from '../../../core/http/form-token.ts';
import { sniffFile as sniffImage } from '../../../core/uploads/index.ts';
import { loadPhotoKey } from '../shared/photo-key.ts';
import { openPhoto } from '../shared/photos.ts';
import { businessRow, insertBusinesses } from '../testing.ts';
import type { BusinessRow } from '../tables.ts';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => t.close());


async function newBusiness(overrides: Partial<BusinessRow> = {}) {
  const [row] = await insertBusinesses(t.app.services.db, [businessRow({ category: 'hotel', ...overrides })]);
  return row!;
}

let clients = 0;

/** A token as the report form carries it; tests that are about the token pass their own. */
const token = () => issueFormToken(t.app.services.secret, 'map1193.report', t.clock.now());

const post = (business: BusinessRow, parts: Part[], options: { locale?: string; ip?: string; csrf?: string | null } = {}) => {
  const csrf = options.csrf === undefined ? token() : options.csrf;
  const withToken: Part[] = csrf === null ? parts : [['_csrf', csrf], ...parts];
  // Each post comes from an address of its own unless the test names one, so only the rate-limit test meets the limit.
  const ip = options.ip ?? `198.18.${Math.floor(++clients / 250)}.${(clients % 250) + 1}`;
  return t.app.inject({ method: 'POST', url: `${options.locale ?? ''}/map1193/businesses/${business.id}/report`, remoteAddress: ip, ...multipart(withToken) });
};

const db = () => t.app.services.db;
const reportsOf = (id: string) => db().selectFrom('mapReports').selectAll().where('businessId', '=', id).execute();
const statusOf = async (id: string) => (await db().selectFrom('mapBusinesses').select('status').where('id', '=', id).executeTakeFirstOrThrow()).status;

/** JPEG segment markers before the image data: APP1 (0xE1) is where EXIF and XMP live. */
function jpegMarkers(jpeg: Buffer): number[] {
  const markers: number[] = [];
  let i = 2;
  while (i + 4 <= jpeg.length && jpeg[i] === 0xff) {
    const marker = jpeg[i + 1]!;
    markers.push(marker);
    if (marker === 0xda) break;
    i += 2 + jpeg.readUInt16BE(i + 2);
  }
  return markers;
}

describe('reporting a notice', () => {
  it('stores a report in three taps and thanks on a page of its own (no redirect: the outcome code is on it)', async () => {
    const business = await newBusiness();
    const id = randomUUID();
    const res = await post(business, [['reportId', id], ['observed', 'missing']]);
    expect(res.statusCode).toBe(200);
    expect(res.headers.location).toBeUndefined();
    expect(res.body).toContain(`We received your report about ${business.name}.`);
    expect(res.body).toMatch(/<p class="report-code"><strong>[0-9A-Z]{5}-[0-9A-Z]{5}<\/strong><\/p>/);
    expect(await reportsOf(business.id)).toEqual([
      expect.objectContaining({ id, observed: 'missing', problems: '', judgement: 'non_compliant', reasons: 'notice_missing', channel: 'public', reporterId: null, hasPhoto: 0, note: null }),
    ]);
    // An observation, not a verdict: the official status waits for an inspector.
    expect(await statusOf(business.id)).toBe('unknown');
  });

  it('stores the same report id once, however often it is sent', async () => {
    const business = await newBusiness();
    const id = randomUUID();
    const parts: Part[] = [['reportId', id], ['observed', 'posted'], ['note', 'Near the door']];
    const responses = await Promise.all([post(business, parts), post(business, parts), post(business, parts)]);
    expect(responses.map((r) => r.statusCode)).toEqual([200, 200, 200]);
    expect(await reportsOf(business.id)).toHaveLength(1);
    // Only the try that stored the report shows a code: the others could not match its stored hash.
    expect(responses.filter((r) => r.body.includes('class="report-code"'))).toHaveLength(1);
    const events = await db().selectFrom('mapStatusEvents').selectAll().where('businessId', '=', business.id).execute();
    expect(events).toEqual([]);
  });

  it('records what is wrong with a posted notice', async () => {
    const business = await newBusiness();
    await post(business, [['reportId', randomUUID()], ['observed', 'wrong'], ['problems', 'too_small'], ['problems', 'hidden']]);
    expect(await reportsOf(business.id)).toEqual([expect.objectContaining({ observed: 'wrong', problems: 'too_small,hidden', judgement: 'non_compliant', reasons: 'too_small,hidden' })]);
    const page = (await t.app.inject({ url: `/map1193/businesses/${business.id}` })).body;
    expect(page).toContain('A visitor reported the notice posted but not as required (too small');
    expect(page).toContain('1 report in the last 90 days: 1 posted but wrong');
  });

  it('never overrides an inspector status, but still records the observation', async () => {
    const business = await newBusiness({ status: 'notice_sent' });
    await post(business, [['reportId', randomUUID()], ['observed', 'posted']]);
    expect(await statusOf(business.id)).toBe('notice_sent');
    expect(await reportsOf(business.id)).toHaveLength(1);
  });

  it('re-renders the form with 422, the values kept and each message beside its field', async () => {
    const business = await newBusiness();
    const id = randomUUID();
    const res = await post(business, [['reportId', id], ['observed', 'wrong'], ['note', 'Behind the <b>counter</b>']]);
    expect(res.statusCode).toBe(422);
    expect(res.body).toContain('<title>Please check your report about');
    expect(res.body).toContain('id="problems-error">Choose what is wrong with the notice.</span>');
    expect(res.body).toContain('<input id="observed-2" type="radio" name="observed" value="wrong" checked/>');
    expect(res.body).toContain('Behind the &lt;b>counter&lt;/b></textarea>');
    expect(res.body).toContain(`name="reportId" value="${id}"`);
    expect(await reportsOf(business.id)).toEqual([]);

    const none = await post(business, [['reportId', id]]);
    expect(none.statusCode).toBe(422);
    expect(none.body).toContain('Choose whether the notice is posted.');
    const long = await post(business, [['reportId', id], ['observed', 'posted'], ['note', 'x'.repeat(1001)]]);
    expect(long.statusCode).toBe(422);
    expect(long.body).toContain('at most 1000 characters');
    const noId = await post(business, [['reportId', 'not-a-uuid'], ['observed', 'posted']]);
    expect(noId.statusCode).toBe(422);
    expect(noId.body).toMatch(/name="reportId" value="[0-9a-f-]{36}"/);
  });

  it('answers in Spanish, before and after', async () => {
    const business = await newBusiness();
    const bad = await post(business, [['reportId', randomUUID()]], { locale: '/es' });
    expect(bad.statusCode).toBe(422);
    expect(bad.body).toContain('Indique si el aviso está colocado.');
    const ok = await post(business, [['reportId', randomUUID()], ['observed', 'posted']], { locale: '/es' });
    expect(ok.statusCode).toBe(200);
    expect(ok.body).toContain('Gracias por su reporte');
    expect(ok.body).toContain('Su código de reporte');
    expect(ok.body).toContain('href="/es/map1193/report-status"');
  });

  it('accepts a plain URL-encoded form too', async () => {
    const business = await newBusiness();
    const res = await t.app.inject({
      method: 'POST',
      url: `/map1193/businesses/${business.id}/report`,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: `_csrf=${encodeURIComponent(token())}&reportId=${randomUUID()}&observed=missing`,
    });
    expect(res.statusCode).toBe(200);
    expect(await reportsOf(business.id)).toHaveLength(1);
  });

  it('works from the rendered page: its form carries a token the post is checked against', async () => {
    const business = await newBusiness();
    const page = (await t.app.inject({ url: `/map1193/businesses/${business.id}` })).body;
    const csrf = /name="_csrf" value="([^"]+)"/.exec(page)?.[1];
    const reportId = /name="reportId" value="([^"]+)"/.exec(page)?.[1];
    expect(csrf).toBeDefined();
    const res = await post(business, [['reportId', reportId!], ['observed', 'posted']], { csrf: csrf! });
    expect(res.statusCode).toBe(200);
    expect((await reportsOf(business.id))[0]!.id).toBe(reportId);
  });

  it('refuses a post without a valid token, keeping the answers and offering a fresh form', async () => {
    const business = await newBusiness();
    for (const csrf of [null, 'forged.token', issueFormToken(t.app.services.secret, 'map1193.report', new Date(t.clock.now().getTime() - 7 * 3600_000))]) {
      const res = await post(business, [['reportId', randomUUID()], ['observed', 'missing'], ['note', 'By the door']], { csrf });
      expect(res.statusCode).toBe(422);
      expect(res.body).toContain('This form was open too long or did not come from this site.');
      expect(res.body).toContain('value="missing" checked');
      expect(res.body).toContain('By the door</textarea>');
      expect(res.body).toMatch(/name="_csrf" value="[^"]+"/);
    }
    expect(await reportsOf(business.id)).toEqual([]);
  });

  it('answers 404 for a report on an unknown business', async () => {
    const res = await post({ id: 'AAAAAAAAAAAAAAAAAAAAAA' } as BusinessRow, [['reportId', randomUUID()], ['observed', 'posted']]);
    expect(res.statusCode).toBe(404);
  });

  it('shows the public history with dates and never who reported', async () => {
    const business = await newBusiness();
    await post(business, [['reportId', randomUUID()], ['observed', 'missing'], ['note', 'Ask for Maria at the desk']], { ip: '198.51.100.23' });
    const html = (await t.app.inject({ url: `/map1193/businesses/${business.id}` })).body;
    expect(html).toContain('A visitor reported the notice missing.');
    expect(html).not.toContain('Status changed to');
    expect(html).not.toContain('Maria');
    expect(html).not.toContain('198.51.100.23');
    const csv = (await t.app.inject({ url: '/map1193/businesses.csv' })).body;
    expect(csv).not.toContain('Maria');
  });

  it('limits anonymous reports per client, keyed by an HMAC of the address, with the form kept as typed', async () => {
    const businesses = await insertBusinesses(db(), Array.from({ length: 31 }, () => businessRow({ category: 'hotel' })));
    const ip = '192.0.2.99';
    const codes: number[] = [];
    for (const business of businesses.slice(0, 30)) codes.push((await post(business, [['reportId', randomUUID()], ['observed', 'posted']], { ip })).statusCode);
    expect(codes.every((c) => c === 200)).toBe(true);
    const over = await post(businesses[30]!, [['reportId', randomUUID()], ['observed', 'missing'], ['note', 'By the lift']], { ip });
    expect(over.statusCode).toBe(429);
    expect(over.body).toContain('Many reports have come from your connection in the last hour.');
    expect(over.body).toContain('value="missing" checked');
    expect(over.body).toContain('By the lift</textarea>');
    expect((await post(businesses[30]!, [['reportId', randomUUID()], ['observed', 'posted']], { ip: '192.0.2.100' })).statusCode).toBe(200);
    const logs = t.logs.join('');
    expect(logs).not.toContain('192.0.2.99');
    const stored = JSON.stringify(await db().selectFrom('mapReports').selectAll().execute());
    expect(stored).not.toContain('192.0.2.99');
  });

  it('limits an IPv6 client by its /64, whichever of its addresses it uses', async () => {
    const businesses = await insertBusinesses(db(), Array.from({ length: 31 }, () => businessRow({ category: 'hotel' })));
    const codes: number[] = [];
    for (const [i, business] of businesses.entries()) codes.push((await post(business, [['reportId', randomUUID()], ['observed', 'posted']], { ip: `2001:db8:7:1::${(i + 1).toString(16)}` })).statusCode);
    expect(codes.slice(0, 30).every((c) => c === 200)).toBe(true);
    expect(codes[30]).toBe(429);
    expect((await post(businesses[30]!, [['reportId', randomUUID()], ['observed', 'posted']], { ip: '2001:db8:7:2::1' })).statusCode).toBe(200);
  });
});

describe('a photo with the report', () => {
  const photoKey = async () => await loadPhotoKey(t.config.dataDir);

  it('is re-encoded without EXIF or GPS, encrypted at rest, and never published', async () => {
    const original = await sharp({ create: { width: 320, height: 240, channels: 3, background: '#c03020' } })
      .jpeg()
      .withExif({
        IFD0: { Make: 'TestCam', Model: 'Secret Phone 9' },
        IFD3: { GPSLatitudeRef: 'N', GPSLatitude: '37/1 48/1 15/1', GPSLongitudeRef: 'W', GPSLongitude: '122/1 16/1 0/1' },
      })
      .toBuffer();
    const before = await sharp(original).metadata();
    expect(before.exif?.includes('Secret Phone 9')).toBe(true);
    // The GPS IFD pointer tag (0x8825) is in the original's EXIF.
    expect(before.exif?.includes(Buffer.from([0x88, 0x25])) || before.exif?.includes(Buffer.from([0x25, 0x88]))).toBe(true);
    expect(jpegMarkers(original)).toContain(0xe1);

    const business = await newBusiness();
    const id = randomUUID();
    const res = await post(business, [['reportId', id], ['observed', 'posted'], ['photo', { filename: 'IMG_0001.jpg', type: 'image/jpeg', data: original }]]);
    expect(res.statusCode).toBe(200);
    const row = await db().selectFrom('mapReportPhotos').selectAll().where('reportId', '=', id).executeTakeFirstOrThrow();
    expect(row).toMatchObject({ mime: 'image/jpeg', width: 320, height: 240 });
    expect(Buffer.from(row.data, 'base64').includes(Buffer.from([0xff, 0xd8, 0xff]))).toBe(false);

    const stored = await openPhoto(await photoKey(), id, row.data);
    expect(sniffImage(stored)).toBe('image/jpeg');
    const after = await sharp(stored).metadata();
    expect(after.exif).toBeUndefined();
    expect(after.xmp).toBeUndefined();
    expect(jpegMarkers(stored)).not.toContain(0xe1);
    expect(stored.includes('Secret Phone')).toBe(false);
    expect(stored.includes('TestCam')).toBe(false);
    expect((await reportsOf(business.id))[0]!.hasPhoto).toBe(1);
    // A box opened with another report's id fails: the ciphertext is bound to its report.
    await expect(openPhoto(await photoKey(), randomUUID(), row.data)).rejects.toThrow();
  });

  it('accepts PNG and WebP by their bytes, whatever the file is called', async () => {
    for (const [format, name] of [['png', 'photo.jpg'], ['webp', 'photo.gif']] as const) {
      const image = await sharp({ create: { width: 40, height: 30, channels: 3, background: '#00aa00' } })[format]().toBuffer();
      const business = await newBusiness();
      const res = await post(business, [['reportId', randomUUID()], ['observed', 'posted'], ['photo', { filename: name, type: 'application/octet-stream', data: image }]]);
      expect(res.statusCode, format).toBe(200);
    }
  });

  it('refuses a file that is not an image, even named .jpg with an image type, and keeps the answers', async () => {
    const business = await newBusiness();
    const fake = Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>');
    const res = await post(business, [['reportId', randomUUID()], ['observed', 'missing'], ['photo', { filename: 'notice.jpg', type: 'image/jpeg', data: fake }]]);
    expect(res.statusCode).toBe(422);
    expect(res.body).toContain('id="photo-error">The photo must be a JPEG, PNG or WebP image.');
    expect(res.body).toContain('value="missing" checked');
    expect(await reportsOf(business.id)).toEqual([]);
  });

  it('refuses a broken image that starts like a JPEG', async () => {
    const business = await newBusiness();
    const broken = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.alloc(200, 7)]);
    const res = await post(business, [['reportId', randomUUID()], ['observed', 'posted'], ['photo', { filename: 'a.jpg', type: 'image/jpeg', data: broken }]]);
    expect(res.statusCode).toBe(422);
    expect(res.body).toContain('We could not read that image.');
  });

  it('refuses a photo over 10 MB', async () => {
    const business = await newBusiness();
    const big = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.alloc(10 * 1024 * 1024 + 10, 1)]);
    const res = await post(business, [['reportId', randomUUID()], ['observed', 'posted'], ['photo', { filename: 'big.jpg', type: 'image/jpeg', data: big }]]);
    expect(res.statusCode).toBe(422);
    expect(res.body).toContain('The photo is larger than 10 MB.');
    expect(await reportsOf(business.id)).toEqual([]);
  });

  it('treats an empty file input as no photo', async () => {
    const business = await newBusiness();
    const res = await post(business, [['reportId', randomUUID()], ['observed', 'posted'], ['photo', { filename: '', type: 'application/octet-stream', data: Buffer.alloc(0) }]]);
    expect(res.statusCode).toBe(200);
    expect((await reportsOf(business.id))[0]!.hasPhoto).toBe(0);
  });
});
