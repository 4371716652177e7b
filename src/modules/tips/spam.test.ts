import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/helpers/app.ts';
import { createStaff, signIn, type TestStaff } from '../../../test/helpers/staff.ts';
import { basicTip, createOfficeKey, postTip } from './testing.ts';

let t: TestApp;
let reviewer: TestStaff;
let investigator: TestStaff;
let admin: TestStaff;
let clients = 0;
const db = () => t.app.services.db;

beforeAll(async () => {
  t = await createTestApp();
  await createOfficeKey(t);
  reviewer = await createStaff(t, ['tip_reviewer']);
  investigator = await createStaff(t, ['investigator']);
  admin = await createStaff(t, ['administrator']);
});
afterAll(async () => t.close());

async function newTip(words: string): Promise<string> {
  clients++;
  const before = new Set((await db().selectFrom('tips').select('id').execute()).map((r) => r.id));
  const res = await postTip(t, basicTip({ whatHappened: words, contactMode: 'details', contactDetails: 'spam@example.org' }), [], { ip: `198.51.100.${clients}` });
  expect(res.statusCode).toBe(200);
  return (await db().selectFrom('tips').select('id').execute()).map((r) => r.id).find((id) => !before.has(id))!;
}

const auditOf = async (action: string, tipId: string) =>
  (await db().selectFrom('auditLog').select(['actorId', 'detail']).where('action', '=', action).where('targetId', '=', tipId).execute()).map((r) => ({ actorId: r.actorId, detail: r.detail ? JSON.parse(String(r.detail)) : null }));
const remaining = async (tipId: string) => ({
  tips: (await db().selectFrom('tips').select('id').where('id', '=', tipId).execute()).length,
  grants: (await db().selectFrom('tipGrants').select('tipId').where('tipId', '=', tipId).execute()).length,
  contactGrants: (await db().selectFrom('tipContactGrants').select('tipId').where('tipId', '=', tipId).execute()).length,
});

describe('spam', () => {
  it('a reviewer flags a tip, audited; a reader who cannot triage may not', async () => {
    const id = await newTip('Buy cheap watches at example dot com.');
    expect((await (await signIn(t, investigator)).post(`/console/tips/${id}/spam`, {}, `/console/tips/${id}`)).statusCode).toBe(403);
    const res = await (await signIn(t, reviewer)).post(`/console/tips/${id}/spam`, {}, `/console/tips/${id}`);
    expect(res.headers.location).toBe(`/console/tips/${id}?done=spamFlagged`);
    expect((await db().selectFrom('tips').select('spamFlaggedAt').where('id', '=', id).executeTakeFirstOrThrow()).spamFlaggedAt).not.toBeNull();
    expect((await auditOf('tip.spam_flagged', id)).map((r) => r.actorId)).toEqual([reviewer.account.id]);
    expect(await remaining(id)).toEqual({ tips: 1, grants: 3, contactGrants: 2 });
  });

  it('an administrator sees flagged tips without a word of them, and deletes one at once with a reason, audited', async () => {
    const id = await newTip('SPAMWORDS for the administrator page.');
    await (await signIn(t, reviewer)).post(`/console/tips/${id}/spam`, {}, `/console/tips/${id}`);
    const session = await signIn(t, admin);
    const page = await session.get('/console/tips/spam');
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain(`T-${id.slice(0, 8)}`);
    expect(page.body).not.toContain('SPAMWORDS');
    const res = await session.post('/console/tips/spam', { reference: `T-${id.slice(0, 8)}`, reason: 'advertising' }, '/console/tips/spam');
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe('/console/tips/spam?deleted=1');
    expect(await remaining(id)).toEqual({ tips: 0, grants: 0, contactGrants: 0 });
    expect(await auditOf('tip.spam_deleted', id)).toEqual([{ actorId: admin.account.id, detail: { reason: 'advertising', flagged: true } }]);
  });

  it('deletes a tip no one flagged too, by its reference', async () => {
    const id = await newTip('Unflagged spam.');
    const res = await (await signIn(t, admin)).post('/console/tips/spam', { reference: id, reason: 'duplicate robot posts' }, '/console/tips/spam');
    expect(res.statusCode).toBe(303);
    expect(await remaining(id)).toEqual({ tips: 0, grants: 0, contactGrants: 0 });
    expect(await auditOf('tip.spam_deleted', id)).toEqual([{ actorId: admin.account.id, detail: { reason: 'duplicate robot posts', flagged: false } }]);
  });

  it('refuses a deletion without a reason or for an unknown tip, keeping what was typed, and deletes nothing', async () => {
    const id = await newTip('Kept without a reason.');
    const session = await signIn(t, admin);
    const noReason = await session.post('/console/tips/spam', { reference: `T-${id.slice(0, 8)}`, reason: '' }, '/console/tips/spam');
    expect(noReason.statusCode).toBe(422);
    expect(noReason.body).toContain('Give a reason of at least 3 characters');
    expect(noReason.body).toContain(`value="T-${id.slice(0, 8)}"`);
    const unknown = await session.post('/console/tips/spam', { reference: 'T-zzzzzzzz', reason: 'advertising' }, '/console/tips/spam');
    expect(unknown.statusCode).toBe(422);
    expect(unknown.body).toContain('No tip has that reference.');
    expect(await remaining(id)).toEqual({ tips: 1, grants: 3, contactGrants: 2 });
    expect(await auditOf('tip.spam_deleted', id)).toEqual([]);
  });

  it('lets no one but an administrator delete: a reviewer who flags cannot', async () => {
    const id = await newTip('A reviewer tries to delete.');
    const session = await signIn(t, reviewer);
    const res = await session.post('/console/tips/spam', { reference: id, reason: 'advertising' }, '/console/account');
    expect(res.statusCode).toBe(403);
    expect((await session.get('/console/tips/spam')).statusCode).toBe(403);
    expect(await remaining(id)).toEqual({ tips: 1, grants: 3, contactGrants: 2 });
  });
});
