import { sql } from 'kysely';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/helpers/app.ts';
import { createStaff, type TestStaff } from '../../../test/helpers/staff.ts';
import { basicTip, createOfficeKey, postTip, receiptFrom } from './testing.ts';

let t: TestApp;
let reviewer: TestStaff;
const db = () => t.app.services.db;

beforeAll(async () => {
  t = await createTestApp();
  await createOfficeKey(t);
  reviewer = await createStaff(t, ['tip_reviewer'], { email: 'retry-reviewer@example.org' });
});
afterAll(async () => t.close());

const pendingTips = async () => (await db().selectFrom('tips').select('id').where('notifyPending', '=', 1).execute()).map((r) => r.id);
const urgentMails = async () => db().selectFrom('outbox').select('toAddress').where('template', '=', 'tips.urgent').where('toAddress', '=', reviewer.account.email).execute();

it('keeps tips pending when the notice cannot be queued, and announces them on a later run', async () => {
  const res = await postTip(t, basicTip({ danger: 'yes' }));
  expect(receiptFrom(res.body)).toBeTruthy();
  const before = await pendingTips();
  expect(before).toHaveLength(1);

  // The outbox out of reach: every insert of a message fails, as on a full disk or a lost table.
  await sql`alter table outbox rename to outbox_parked`.execute(db());
  try {
    t.clock.advance(61_000);
    await t.app.services.jobs.runDue();
  } finally {
    await sql`alter table outbox_parked rename to outbox`.execute(db());
  }
  expect(await pendingTips()).toEqual(before);
  expect(await urgentMails()).toHaveLength(0);

  // The failed run is retried (or the next minute's run picks the tip up): the notice goes out once.
  t.clock.advance(61_000);
  await t.app.services.jobs.runDue();
  expect(await pendingTips()).toEqual([]);
  expect(await urgentMails()).toHaveLength(1);
});

it('keeps tips pending while no account can read them, and tells the first reader added', async () => {
  const alone = await createTestApp();
  try {
    await createOfficeKey(alone);
    await postTip(alone, basicTip({ danger: 'yes' }));
    alone.clock.advance(61_000);
    await alone.app.services.jobs.runDue();
    const pending = await alone.app.services.db.selectFrom('tips').select('id').where('notifyPending', '=', 1).execute();
    expect(pending).toHaveLength(1);

    const first = await createStaff(alone, ['tip_reviewer'], { email: 'first-reader@example.org' });
    alone.clock.advance(61_000);
    await alone.app.services.jobs.runDue();
    const told = await alone.app.services.db.selectFrom('outbox').select('template').where('toAddress', '=', first.account.email).execute();
    expect(told.map((m) => m.template)).toEqual(['tips.urgent']);
  } finally {
    await alone.close();
  }
});
