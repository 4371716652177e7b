import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/helpers/app.ts';
import { createStaff, csrfFrom, signIn, type TestStaff } from '../../../test/helpers/staff.ts';
import { basicTip, createOfficeKey, postTip, receiptFrom } from './testing.ts';

const DAY = 24 * 3600_000;
let t: TestApp;
let reviewer: TestStaff;
const db = () => t.app.services.db;

async function newTip(text: string): Promise<{ id: string; receipt: string }> {
  const known = (await db().selectFrom('tips').select('id').execute()).map((r: { id: string }) => r.id);
  const res = await postTip(t, basicTip({ whatHappened: text }), [{ filename: 'a.pdf', type: 'application/pdf', data: Buffer.from('%PDF-1.4\n%%EOF\n') }]);
  const id = (await db().selectFrom('tips').select('id').where('id', 'not in', known.length ? known : ['-']).executeTakeFirstOrThrow()).id;
  return { id, receipt: receiptFrom(res.body) };
}

async function close(id: string) {
  const session = await signIn(t, reviewer);
  await session.get(`/console/tips/${id}`);
  await session.post(`/console/tips/${id}/reply`, { reply: 'Thank you.' }, `/console/tips/${id}`);
  await session.post(`/console/tips/${id}/notes`, { note: 'Closing note.' }, `/console/tips/${id}`);
  await session.post(`/console/tips/${id}/status`, { to: 'in_review' }, `/console/tips/${id}`);
  const res = await session.post(`/console/tips/${id}/status`, { to: 'closed', disposition: 'not_trafficking' }, `/console/tips/${id}`);
  expect(res.headers.location).toBe(`/console/tips/${id}?done=status`);
}

async function rowsOf(id: string) {
  const count = async (rows: Promise<unknown[]>) => (await rows).length;
  return {
    tips: await count(db().selectFrom('tips').select('id').where('id', '=', id).execute()),
    grants: await count(db().selectFrom('tipGrants').select('tipId').where('tipId', '=', id).execute()),
    messages: await count(db().selectFrom('tipMessages').select('tipId').where('tipId', '=', id).execute()),
    notes: await count(db().selectFrom('tipNotes').select('tipId').where('tipId', '=', id).execute()),
    files: await count(db().selectFrom('tipAttachments').select('tipId').where('tipId', '=', id).execute()),
  };
}

async function follow(receipt: string) {
  const page = await t.app.inject({ url: '/tip/follow-up', remoteAddress: '192.0.2.77' });
  return t.app.inject({ method: 'POST', url: '/tip/follow-up', remoteAddress: '192.0.2.77', payload: { receipt, _csrf: csrfFrom(page.body) } });
}

// The retention period is the office's and the job deletes every tip past it, so each test has
// an app of its own, starting on the same day.
beforeEach(async () => {
  t = await createTestApp();
  await createOfficeKey(t);
  reviewer = await createStaff(t, ['tip_reviewer']);
  t.clock.set('2026-01-10T09:00:00Z');
});
afterEach(async () => {
  try {
    // Nothing a test does here may log an error.
    expect(t.logs.filter((line) => /"level":(50|60)/.test(line))).toEqual([]);
  } finally {
    await t.close();
  }
});

describe('retention of closed tips', () => {
  let closed: { id: string; receipt: string };
  let open: { id: string; receipt: string };

  beforeEach(async () => {
    closed = await newTip('closed tip');
    open = await newTip('open tip that stays');
    await close(closed.id);
    expect(await rowsOf(closed.id)).toEqual({ tips: 1, grants: 2, messages: 1, notes: 1, files: 1 });
  });

  it('keeps a closed tip for 365 days by default', async () => {
    expect((await t.app.services.settings.get()).tipRetentionDays).toBe(365);
    t.clock.advance(300 * DAY);
    await t.app.services.jobs.runDue();
    expect((await rowsOf(closed.id)).tips).toBe(1);
  });

  it('warns in the console during the last 7 days', async () => {
    t.clock.set(new Date(Date.parse('2026-01-10T09:00:00Z') + 360 * DAY));
    const session = await signIn(t, reviewer);
    const queue = await session.get('/console/tips?status=closed');
    expect(queue.body).toContain('Deleted on January 10, 2027');
    const page = await session.get(`/console/tips/${closed.id}`);
    expect(page.body).toContain('This closed tip will be deleted for good on January 10, 2027.');
    const home = await session.get('/console');
    expect(home.body).toMatch(/stat-value">1<\/span><span>closed tips deleted within 7 days/);
  });

  it('deletes the tip, its keys, messages, notes, files and receipt once the period ends, audited', async () => {
    expect((await follow(closed.receipt)).statusCode).toBe(200);
    t.clock.set(new Date(Date.parse('2026-01-10T09:00:00Z') + 365 * DAY + 3600_000));
    await t.app.services.jobs.runDue();
    expect(await rowsOf(closed.id)).toEqual({ tips: 0, grants: 0, messages: 0, notes: 0, files: 0 });
    expect((await rowsOf(open.id)).tips).toBe(1);
    const audit = await db().selectFrom('auditLog').select(['actorId', 'detail']).where('action', '=', 'tip.deleted').where('targetId', '=', closed.id).executeTakeFirstOrThrow();
    expect(audit.actorId).toBeNull();
    expect(JSON.parse(audit.detail)).toEqual({ reason: 'retention', days: 365 });
    const res = await follow(closed.receipt);
    expect(res.statusCode).toBe(422);
    expect(res.body).toContain('That code does not open a tip.');
    expect((await follow(open.receipt)).statusCode).toBe(200);
  });

  it('follows a shorter period set by an administrator', async () => {
    const admin = await signIn(t, await createStaff(t, ['administrator']));
    const page = await admin.get('/console/tips/stats');
    expect(page.body).toContain('name="days"');
    const bad = await t.app.inject({ method: 'POST', url: '/console/tips/retention', headers: { cookie: admin.cookie }, payload: { days: '0', _csrf: csrfFrom(page.body) } });
    expect(bad.statusCode).toBe(422);
    const saved = await admin.post('/console/tips/retention', { days: '30' }, '/console/tips/stats');
    expect(saved.headers.location).toBe('/console/tips/stats?saved=1');
    expect((await t.app.services.settings.get()).tipRetentionDays).toBe(30);
    const soon = await newTip('short retention');
    await close(soon.id);
    t.clock.advance(29 * DAY);
    await t.app.services.jobs.runDue();
    expect((await rowsOf(soon.id)).tips).toBe(1);
    t.clock.advance(2 * DAY);
    await t.app.services.jobs.runDue();
    expect((await rowsOf(soon.id)).tips).toBe(0);
  });
});
