import sharp from 'sharp';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../../test/helpers/app.ts';
import { multipart, type Part } from '../../../../test/helpers/multipart.ts';
import { createStaff, csrfFrom, signIn, type SignedIn, type TestStaff } from '../../../../test/helpers/staff.ts';
import { businessRow, insertBusinesses } from '../testing.ts';
import type { BusinessRow } from '../tables.ts';

// A volunteer's signed-in report on any business, outside a day of action.
let t: TestApp;
let volunteer: TestStaff;
let session: SignedIn;
let business: BusinessRow;
const url = () => `/console/map1193/businesses/${business.id}/report`;

beforeAll(async () => {
  t = await createTestApp();
  [business] = (await insertBusinesses(t.app.services.db, [businessRow({ name: 'Signed Motel', category: 'hotel' })])) as [BusinessRow];
});
afterAll(async () => t.close());
// A volunteer of each test's own: the report limit is counted per account.
beforeEach(async () => {
  volunteer = await createStaff(t, ['volunteer']);
  session = await signIn(t, volunteer);
});

async function send(parts: Part[]) {
  const page = (await session.get(url())).body;
  const reportId = /name="reportId" value="([^"]+)"/.exec(page)![1]!;
  const body = multipart([['_csrf', csrfFrom(page)], ['reportId', reportId], ...parts]);
  return { reportId, res: await t.app.inject({ method: 'POST', url: url(), headers: { ...body.headers, cookie: session.cookie }, payload: body.payload }) };
}

describe('a volunteer report from the console', () => {
  it('is linked from the public business page and asks a visitor to sign in', async () => {
    const page = await t.app.inject({ url: `/map1193/businesses/${business.id}` });
    expect(page.body).toContain(`href="${url()}"`);
    const anonymous = await t.app.inject({ url: url() });
    expect(anonymous.statusCode).toBe(303);
    expect(anonymous.headers.location).toContain('/console/sign-in');
  });

  it('records the report as the volunteer’s, with its photo', async () => {
    const image = await sharp({ create: { width: 200, height: 150, channels: 3, background: '#226644' } }).jpeg().toBuffer();
    const { reportId, res } = await send([['observed', 'missing'], ['note', 'Nothing at the door'], ['photo', { filename: 'door.jpg', type: 'image/jpeg', data: image }]]);
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe(`/map1193/businesses/${business.id}/thanks`);
    const row = await t.app.services.db.selectFrom('mapReports').select(['channel', 'reporterId', 'hasPhoto', 'note', 'actionDayId']).where('id', '=', reportId).executeTakeFirstOrThrow();
    expect(row).toEqual({ channel: 'volunteer', reporterId: volunteer.account.id, hasPhoto: 1, note: 'Nothing at the door', actionDayId: null });
  });

  it('brings the form back with the note and the same report id when a question is unanswered', async () => {
    const { reportId, res } = await send([['note', 'Forgot to choose']]);
    expect(res.statusCode).toBe(422);
    expect(res.body).toContain('Choose whether the notice is posted.');
    expect(res.body).toContain('Forgot to choose</textarea>');
    expect(res.body).toContain(`name="reportId" value="${reportId}"`);
  });

  it('is limited per account, so one account cannot flood the inspection queue', async () => {
    for (let i = 0; i < 60; i += 1) await t.app.services.rateLimiter.consume(`map1193.volunteer-report:${volunteer.account.id}`, 60, 3600_000);
    const { res } = await send([['observed', 'missing']]);
    expect(res.statusCode).toBe(429);
  });
});
