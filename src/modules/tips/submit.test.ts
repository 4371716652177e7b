import { sql } from 'kysely';
import sharp from 'sharp';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/helpers/app.ts';
import { openSealed } from '../../core/crypto/sodium.ts';
import { openPart, openPartJson } from './crypto.ts';
import type { FileMeta } from './model.ts';
import { SUBMIT_LIMIT } from './routes.ts';
import { basicTip, createOfficeKey, type OfficeKey, openForm, postTip, receiptFrom } from './testing.ts';

let t: TestApp;
let office: OfficeKey;
beforeAll(async () => {
  t = await createTestApp();
  // The tip line opens once the office has a recovery key (the closed case has its own app).
  office = await createOfficeKey(t);
});
afterAll(async () => t.close());

const db = () => t.app.services.db;
/** The tips stored so far, to tell the ones a test makes from the others. */
const tipIds = async () => new Set((await db().selectFrom('tips').select('id').execute()).map((r) => r.id));
/** The ids of the tips stored since `before` was taken. */
const madeSince = async (before: Set<string>) => [...(await tipIds())].filter((id) => !before.has(id));

afterEach(() => {
  // Nothing a test does here may log an error (the one that must, removes its own line).
  expect(t.logs.filter((line) => /"level":(50|60)/.test(line))).toEqual([]);
});

/** Every header a tip-line answer must carry, and the one it must never carry. */
function expectPrivateAnswer(res: { headers: Record<string, unknown> }) {
  expect(res.headers['set-cookie']).toBeUndefined();
  expect(res.headers['cache-control']).toBe('no-store');
  expect(res.headers['referrer-policy']).toBe('no-referrer');
}

async function jpegWithExif(text: string): Promise<Buffer> {
  return sharp({ create: { width: 64, height: 48, channels: 3, background: '#884422' } })
    .jpeg()
    .withExif({ IFD0: { ImageDescription: text, Artist: text }, IFD3: { GPSLatitudeRef: 'N', GPSLatitude: '37/1 48/1 0/1' } })
    .toBuffer();
}

describe('before setup', () => {
  it('shows the statement and the hotlines but no form while the office has no recovery key', async () => {
    // The other tests open the tip line: this one needs an office that has not.
    const fresh = await createTestApp();
    try {
      const res = await fresh.app.inject({ url: '/tip' });
      expect(res.statusCode).toBe(200);
      expectPrivateAnswer(res);
      expect(res.body).toContain('This form is not for emergencies');
      expect(res.body).toContain('The online tip form is not open yet');
      expect(res.body).not.toContain('name="whatHappened"');
    } finally {
      await fresh.close();
    }
  });
});

describe('the tip form', () => {
  it.each([['/tip', 'What happened?'], ['/es/tip', '¿Qué pasó?']])('%s renders the statement and every field, with nothing kept by the browser', async (url, question) => {
    const res = await t.app.inject({ url });
    expect(res.statusCode).toBe(200);
    expectPrivateAnswer(res);
    expect(res.body).toContain(question);
    expect(res.body).toMatch(/<form method="post" action="[^"]*\/tip" enctype="multipart\/form-data" autocomplete="off"/);
    for (const name of ['whatHappened', 'whereAddress', 'whereCity', 'whereBusiness', 'whereDetails', 'when', 'peopleCount', 'peopleAges', 'vehicles', 'phones', 'online', 'contactDetails']) {
      expect(res.body).toMatch(new RegExp(`name="${name}"[^>]*autocomplete="off"|autocomplete="off"[^>]*name="${name}"`));
    }
    for (const name of ['kind', 'minor', 'danger', 'signs', 'contactMode']) expect(res.body).toContain(`name="${name}"`);
    expect(res.body).toContain('type="file"');
    expect(res.body).toContain('href="tel:911"');
    expect(res.body).toContain('1\u2011888\u2011373\u20117888');
    expect(res.body).toMatch(/<meta name="robots" content="noindex, nofollow"/);
    // No script of the page's own: nothing could write to localStorage.
    expect(res.body.match(/<script /g)?.length).toBe(1);
  });

  it('stores a tip, shows a 16-digit receipt once, grouped, and keeps only coarse fields in plain text', async () => {
    t.clock.set('2026-03-04T10:42:17.123Z');
    const before = await tipIds();
    const res = await postTip(t, basicTip({ whereCity: 'Riverbend' }));
    expect(res.statusCode).toBe(200);
    expectPrivateAnswer(res);
    expect(res.body).toMatch(/data-receipt[^>]*>\d{4} \d{4} \d{4} \d{4}</);
    expect(receiptFrom(res.body)).toMatch(/^\d{16}$/);
    const made = await madeSince(before);
    expect(made).toHaveLength(1);
    const row = await db().selectFrom('tips').selectAll().where('id', '=', made[0]!).executeTakeFirstOrThrow();
    expect(row).toMatchObject({ kind: 'labour', urgent: 0, minor: 'no', language: 'en', status: 'new', receivedAt: '2026-03-04T10:00:00.000Z' });
    expect(JSON.stringify(row)).not.toContain('Riverbend');
    expect(JSON.stringify(row)).not.toContain(receiptFrom(res.body));
  });

  it('marks a tip urgent when someone is in danger now and puts 911 first on the receipt', async () => {
    const before = await tipIds();
    const res = await postTip(t, basicTip({ danger: 'yes' }), [], { locale: '/es' });
    expect(res.statusCode).toBe(200);
    const main = res.body.slice(res.body.indexOf('<main'));
    expect(main.indexOf('href="tel:911"')).toBeLessThan(main.indexOf('data-receipt'));
    expect(main).toContain('Usted dijo que alguien está en peligro ahora mismo');
    const row = await db().selectFrom('tips').select(['urgent', 'language']).where('id', 'in', await madeSince(before)).executeTakeFirstOrThrow();
    expect(row).toEqual({ urgent: 1, language: 'es' });
  });

  it('always shows the 911 guidance beside the danger question, without blocking the form', async () => {
    const res = await t.app.inject({ url: '/tip' });
    const fieldset = res.body.slice(res.body.indexOf('<fieldset id="danger"'), res.body.indexOf('</fieldset>', res.body.indexOf('<fieldset id="danger"')));
    expect(fieldset).toContain('If someone is in danger right now, call 911 first.');
  });

  it('brings the form back with everything typed and the message beside the field (422)', async () => {
    const before = await tipIds();
    const res = await postTip(t, { whatHappened: '   ', whereCity: 'Kept City', vehicles: 'a white van', signs: ['debt', 'lives_at_work'], contactMode: 'details' });
    expect(res.statusCode).toBe(422);
    expectPrivateAnswer(res);
    expect(res.body).toContain('Tell us what happened.');
    expect(res.body).toContain('value="Kept City"');
    expect(res.body).toContain('a white van</textarea>');
    expect(res.body).toMatch(/value="debt" checked/);
    expect(res.body).toMatch(/value="lives_at_work" checked/);
    expect(res.body).toContain('Write the contact details you want to give');
    expect(await madeSince(before)).toEqual([]);
  });

  it('brings a stale form back filled instead of refusing it', async () => {
    const form = await openForm(t);
    t.clock.advance(7 * 3600_000);
    const res = await postTip(t, basicTip({ whereBusiness: 'Golden Lantern' }), [], { csrf: form.csrf, submissionId: form.submissionId });
    expect(res.statusCode).toBe(422);
    expect(res.body).toContain('This form had been open for a long time');
    expect(res.body).toContain('value="Golden Lantern"');
    expect(res.body).toContain(`name="submissionId" value="${form.submissionId}"`);
  });

  it('keeps a robot-filled form from being stored', async () => {
    const before = await tipIds();
    const res = await postTip(t, basicTip({ website: 'http://spam.example' }));
    expect(res.statusCode).toBe(422);
    expect(res.body).not.toContain('spam.example');
    expect(await madeSince(before)).toEqual([]);
  });

  it('answers a file over 10 MB with the form and every value, not an error page (413)', async () => {
    const big = Buffer.alloc(10 * 1024 * 1024 + 10, 0);
    big.set([0xff, 0xd8, 0xff], 0);
    const res = await postTip(t, basicTip({ whereCity: 'Bigfile Town' }), [{ filename: 'big.jpg', type: 'image/jpeg', data: big }]);
    expect(res.statusCode).toBe(413);
    expectPrivateAnswer(res);
    expect(res.body).toContain('is larger than 10 MB');
    expect(res.body).toContain('value="Bigfile Town"');
    expect(res.body).toContain('Workers sleep in the back of the restaurant.</textarea>');
  });

  it('refuses a sixth file, keeping the values', async () => {
    const png = await sharp({ create: { width: 4, height: 4, channels: 3, background: '#000' } }).png().toBuffer();
    const files = Array.from({ length: 6 }, (_, i) => ({ filename: `p${i}.png`, type: 'image/png', data: png }));
    const res = await postTip(t, basicTip({ whereCity: 'Six Files' }), files);
    expect(res.statusCode).toBe(413);
    expect(res.body).toContain('You can attach up to 5 files');
    expect(res.body).toContain('value="Six Files"');
  });

  it('reads the type from the bytes: a text file named .jpg is refused', async () => {
    const res = await postTip(t, basicTip(), [{ filename: 'photo.jpg', type: 'image/jpeg', data: Buffer.from('not really a picture') }]);
    expect(res.statusCode).toBe(422);
    expect(res.body).toContain('is not a photo');
  });

  it('re-encodes images so EXIF and GPS are gone, keeps PDFs, and encrypts both', async () => {
    const jpeg = await jpegWithExif('camera-owner-name');
    expect((await sharp(jpeg).metadata()).exif).toBeDefined();
    const pdf = Buffer.from('%PDF-1.4\n1 0 obj << /Author (pdf-author-name) >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n');
    const gif = await sharp({ create: { width: 8, height: 8, channels: 3, background: '#00ff00' } }).gif().toBuffer();
    const before = await tipIds();
    const res = await postTip(t, basicTip(), [
      { filename: 'IMG_0001.jpg', type: 'image/jpeg', data: jpeg },
      { filename: 'flyer.pdf', type: 'application/pdf', data: pdf },
      { filename: 'ad.gif', type: 'image/gif', data: gif },
    ]);
    expect(res.statusCode).toBe(200);
    const made = await madeSince(before);
    expect(made).toHaveLength(1);
    const tip = { id: made[0]! };
    const grant = await db().selectFrom('tipGrants').select('sealedKey').where('tipId', '=', tip.id).where('holderType', '=', 'office').executeTakeFirstOrThrow();
    const tipKey = await openSealed(new Uint8Array(Buffer.from(grant.sealedKey, 'base64')), office.keyPair);
    const rows = await db().selectFrom('tipAttachments').selectAll().where('tipId', '=', tip.id).execute();
    expect(rows).toHaveLength(3);
    const files = await Promise.all(
      rows.map(async (r: any) => ({
        meta: await openPartJson<FileMeta>(tipKey, tip.id, `file-meta:${r.id}`, r.metaBox),
        bytes: Buffer.from(await openPart(tipKey, tip.id, `file:${r.id}`, r.dataBox)),
        stored: r.dataBox as string,
      })),
    );
    const image = files.find((f) => f.meta.name === 'IMG_0001.jpg')!;
    expect(image.meta.mime).toBe('image/jpeg');
    const meta = await sharp(image.bytes).metadata();
    expect(meta.exif).toBeUndefined();
    expect(meta.xmp).toBeUndefined();
    expect(image.bytes.includes('camera-owner-name')).toBe(false);
    const kept = files.find((f) => f.meta.name === 'flyer.pdf')!;
    expect(kept.bytes.equals(pdf)).toBe(true);
    expect(Buffer.from(kept.stored, 'base64').includes('pdf-author-name')).toBe(false);
    expect(files.find((f) => f.meta.name === 'ad.png')!.meta.mime).toBe('image/png');
  });

  it('brings the form back filled when the server fails to store it (500), logging no detail', async () => {
    await sql`alter table tips rename to tips_unavailable`.execute(db());
    try {
      const res = await postTip(t, basicTip({ whereBusiness: 'Kept Through Failure' }));
      expect(res.statusCode).toBe(500);
      expect(res.body).toContain('your tip was not stored');
      expect(res.body).toContain('value="Kept Through Failure"');
      expect(res.body).toContain('Workers sleep in the back of the restaurant.</textarea>');
    } finally {
      await sql`alter table tips_unavailable rename to tips`.execute(db());
    }
    const logged = t.logs.filter((line) => line.includes('tip not stored'));
    expect(logged).toHaveLength(1);
    expect(logged[0]).not.toContain('Kept Through Failure');
    expect(logged[0]).not.toContain('tips_unavailable');
    // Later checks in this file expect a clean log.
    t.logs.splice(t.logs.indexOf(logged[0]!), 1);
  });

  it('stores a form sent twice only once', async () => {
    const form = await openForm(t);
    const before = await tipIds();
    const first = await postTip(t, basicTip(), [], { csrf: form.csrf, submissionId: form.submissionId });
    const second = await postTip(t, basicTip(), [], { csrf: form.csrf, submissionId: form.submissionId });
    expect(first.statusCode).toBe(200);
    expect(second.statusCode).toBe(200);
    expect(second.body).toContain('This tip was already received');
    expect(second.body).not.toContain('data-receipt');
    expect(await madeSince(before)).toHaveLength(1);
  });
});

describe('a burst from one client', () => {
  it('slows a hundred submissions from one address while another person gets through at once', async () => {
    const before = await tipIds();
    const form = await openForm(t, '/tip', { ip: '198.51.100.66' });
    const burst = Array.from({ length: 100 }, (_, i) => postTip(t, basicTip({ whereCity: `burst ${i}` }), [], { ip: '198.51.100.66', csrf: form.csrf, submissionId: `burst-submission-${String(i).padStart(4, '0')}` }));
    const single = postTip(t, basicTip(), [], { ip: '192.0.2.200' }).then((res) => ({ res }));
    const [results, one] = await Promise.all([Promise.all(burst), single]);
    const statuses = results.map((r) => r.statusCode);
    expect(statuses.filter((s) => s === 200)).toHaveLength(SUBMIT_LIMIT.count);
    expect(statuses.filter((s) => s === 429)).toHaveLength(100 - SUBMIT_LIMIT.count);
    const refused = results.find((r) => r.statusCode === 429)!;
    expect(refused.headers['retry-after']).toBeDefined();
    // Refused, but nothing typed is lost.
    expect(refused.body).toMatch(/value="burst \d+"/);
    // The clock has not moved: the address waits out the whole window.
    expect(Number(refused.headers['retry-after'])).toBe(SUBMIT_LIMIT.windowMs / 1000);
    // At once: the other person is stored with no wait asked of them.
    expect(one.res.statusCode).toBe(200);
    expect(one.res.headers['retry-after']).toBeUndefined();
    expect(await madeSince(before)).toHaveLength(SUBMIT_LIMIT.count + 1);
    // Once the window has passed on the app's clock, the address is let through again.
    t.clock.advance(SUBMIT_LIMIT.windowMs);
    expect((await postTip(t, basicTip(), [], { ip: '198.51.100.66' })).statusCode).toBe(200);
  });
});
