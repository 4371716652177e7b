import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/helpers/app.ts';
import { multipart, type Part } from '../../../test/helpers/multipart.ts';
import { createStaff, csrfFrom, signIn, type SignedIn, type TestStaff } from '../../../test/helpers/staff.ts';

let t: TestApp;
let adminStaff: TestStaff;
let admin: SignedIn;

beforeAll(async () => {
  t = await createTestApp();
  adminStaff = await createStaff(t, ['administrator']);
  admin = await signIn(t, adminStaff);
});
afterAll(async () => t.close());

async function postLogo(who: SignedIn, parts: Part[]) {
  const body = multipart([['_csrf', csrfFrom((await who.get('/console/account')).body)], ...parts]);
  return t.app.inject({ method: 'POST', url: '/console/settings/logo', headers: { ...body.headers, cookie: who.cookie }, payload: body.payload });
}
const photoWithGps = () =>
  sharp({ create: { width: 1200, height: 400, channels: 3, background: '#204080' } })
    .jpeg()
    .withExif({ IFD0: { Artist: 'Someone Private', ImageDescription: 'GPS 37.8 -122.27' } })
    .toBuffer();

describe('the letterhead logo', () => {
  it('is re-encoded without metadata, scaled to 600 px, stored as the image itself, shown and audited', async () => {
    const sent = await photoWithGps();
    expect((await sharp(sent).metadata()).exif).toBeDefined();
    const res = await postLogo(admin, [['logo', { filename: 'seal.jpg', type: 'image/jpeg', data: sent }]]);
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe('/console/settings?notice=logoSaved');
    const logo = (await t.app.services.settings.get()).letterheadLogo!;
    expect(logo.dataUrl).toMatch(/^data:image\/jpeg;base64,/);
    expect([logo.width, logo.height]).toEqual([600, 200]);
    const kept = Buffer.from(logo.dataUrl.split(',')[1]!, 'base64');
    expect((await sharp(kept).metadata()).exif).toBeUndefined();
    expect(kept.includes(Buffer.from('Someone Private'))).toBe(false);
    const page = await admin.get('/console/settings?notice=logoSaved');
    expect(page.body).toContain(`src="${logo.dataUrl}"`);
    expect(page.body).toContain('Logo saved.');
    const audit = await t.app.services.db.selectFrom('auditLog').selectAll().orderBy('seq', 'desc').executeTakeFirstOrThrow();
    expect(audit).toMatchObject({ action: 'settings.update', actorId: adminStaff.account.id, detail: JSON.stringify({ changed: 'letterheadLogo' }) });
  });

  it('refuses a file that is not an image, keeps the logo there was, and says why (422)', async () => {
    const before = (await t.app.services.settings.get()).letterheadLogo;
    const res = await postLogo(admin, [['logo', { filename: 'seal.png', type: 'image/png', data: Buffer.from('<svg onload=alert(1)>') }]]);
    expect(res.statusCode).toBe(422);
    expect(res.body).toContain('id="logo-error"');
    expect(res.body).toContain('seal.png is not a PNG, JPEG or WebP image.');
    expect((await t.app.services.settings.get()).letterheadLogo).toEqual(before);
    expect((await postLogo(admin, [['logo', { filename: '', type: 'application/octet-stream', data: Buffer.alloc(0) }]])).statusCode).toBe(422);
  });

  it('is removed with the remove button', async () => {
    await postLogo(admin, [['logo', { filename: 'seal.jpg', type: 'image/jpeg', data: await photoWithGps() }]]);
    const res = await postLogo(admin, [['remove', '1']]);
    expect(res.headers.location).toBe('/console/settings?notice=logoRemoved');
    expect((await t.app.services.settings.get()).letterheadLogo).toBeNull();
  });

  it('is refused to staff who do not manage settings, and without a CSRF token', async () => {
    const inspector = await signIn(t, await createStaff(t, ['compliance_inspector']));
    const before = (await t.app.services.settings.get()).letterheadLogo;
    expect((await postLogo(inspector, [['logo', { filename: 'seal.jpg', type: 'image/jpeg', data: await photoWithGps() }]])).statusCode).toBe(403);
    const body = multipart([['logo', { filename: 'seal.jpg', type: 'image/jpeg', data: await photoWithGps() }]]);
    const forged = await t.app.inject({ method: 'POST', url: '/console/settings/logo', headers: { ...body.headers, cookie: admin.cookie }, payload: body.payload });
    expect(forged.statusCode).toBe(403);
    expect((await t.app.services.settings.get()).letterheadLogo).toEqual(before);
  });
});
