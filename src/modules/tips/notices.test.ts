import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/helpers/app.ts';
import { createStaff, signIn } from '../../../test/helpers/staff.ts';
import { basicTip, createOfficeKey, postTip } from './testing.ts';

/** What the console pages say after a post redirected to them, read from the query string. */

let t: TestApp;

beforeAll(async () => {
  t = await createTestApp();
  await createOfficeKey(t);
});
afterAll(async () => t.close());

async function newTip(text: string): Promise<string> {
  const db = t.app.services.db;
  const known = (await db.selectFrom('tips').select('id').execute()).map((r: { id: string }) => r.id);
  await postTip(t, basicTip({ whatHappened: text }));
  return (await db.selectFrom('tips').select('id').where('id', 'not in', known.length ? known : ['-']).executeTakeFirstOrThrow()).id;
}

describe('the console pages after a post', () => {
  it('name the outcome on the tip page, and show nothing for a code they do not know', async () => {
    const reviewer = await signIn(t, await createStaff(t, ['tip_reviewer']));
    const id = await newTip('a tip whose page is opened with notices');
    const plain = await reviewer.get(`/console/tips/${id}`);
    expect(plain.statusCode).toBe(200);
    expect(plain.body).toContain('a tip whose page is opened with notices');
    expect(plain.body).not.toContain('role="status"');
    expect(plain.body).not.toContain('role="alert"');

    expect((await reviewer.get(`/console/tips/${id}?done=note`)).body).toContain('The note was saved.');
    expect((await reviewer.get(`/console/tips/${id}?error=noAccess`)).body).toContain('You cannot open this tip yourself, so you cannot share it.');
    // Names an object already has (constructor, toString) are no refusal either.
    for (const query of ['done=bogus', 'error=constructor', 'error=toString', 'done=note&done=tags', 'error=tips.detail.empty']) {
      const res = await reviewer.get(`/console/tips/${id}?${query}`);
      expect(res.statusCode, query).toBe(200);
      expect(res.body, query).not.toContain('role="status"');
      expect(res.body, query).not.toContain('role="alert"');
    }
  });

  it('say on the statistics page that the retention period was saved, only when it was', async () => {
    const admin = await signIn(t, await createStaff(t, ['administrator']));
    expect((await admin.get('/console/tips/stats')).body).not.toContain('The retention period was saved.');
    expect((await admin.get('/console/tips/stats?saved=1')).body).toContain('The retention period was saved.');
    expect((await admin.get('/console/tips/stats?saved=yes')).body).not.toContain('The retention period was saved.');
  });

  it('report on the access page how many tips were shared, reading anything else as none', async () => {
    const admin = await signIn(t, await createStaff(t, ['administrator']));
    expect((await admin.get('/console/tips/access')).body).not.toContain('Access shared to');
    expect((await admin.get('/console/tips/access?granted=3&unavailable=1')).body).toContain('Access shared to 3 tips; 1 could not be opened from that source.');
    expect((await admin.get('/console/tips/access?granted=abc')).body).toContain('Access shared to 0 tips; 0 could not be opened from that source.');
  });
});

it('logged no error while doing all of this', () => {
  expect(t.logs.filter((line) => /"level":(50|60)/.test(line))).toEqual([]);
});
