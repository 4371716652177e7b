import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/helpers/app.ts';
import { createStaff, signIn, type TestStaff } from '../../../test/helpers/staff.ts';
import { basicTip, createOfficeKey, postTip, type TipFields } from './testing.ts';

let t: TestApp;
let reviewer: TestStaff;
let clients = 0;
const db = () => t.app.services.db;

beforeAll(async () => {
  t = await createTestApp();
  await createOfficeKey(t);
  reviewer = await createStaff(t, ['tip_reviewer'], { email: 'urgent-reviewer@example.org' });
});
afterAll(async () => t.close());

/** Posts a tip from a client of its own; answers its id, found by the words only it carries. */
async function tipWith(fields: TipFields): Promise<string> {
  clients++;
  const before = new Set((await db().selectFrom('tips').select('id').execute()).map((r) => r.id));
  expect((await postTip(t, basicTip(fields), [], { ip: `198.51.100.${clients}` })).statusCode).toBe(200);
  return (await db().selectFrom('tips').select('id').execute()).map((r) => r.id).find((id) => !before.has(id))!;
}

/** Signed in afresh: the clock moves past the idle timeout between pages. */
const queueAs = async (url: string) => (await signIn(t, reviewer)).get(url);

const urgentMailsTo = async (email: string) =>
  (await db().selectFrom('outbox').select('subject').where('toAddress', '=', email).execute()).filter((m) => m.subject === 'An urgent tip has arrived').length;

describe('a minor who may be involved', () => {
  it('makes the tip urgent: sorted before newer tips and announced at once, as danger now is', async () => {
    const minor = await tipWith({ minor: 'yes', danger: 'no' });
    t.clock.advance(2 * 3600_000);
    const newer = await tipWith({ minor: 'no', danger: 'no' });
    const rows = await db().selectFrom('tips').select(['id', 'urgent']).where('id', 'in', [minor, newer]).execute();
    expect(Object.fromEntries(rows.map((r) => [r.id, Number(r.urgent)]))).toEqual({ [minor]: 1, [newer]: 0 });

    const queue = (await queueAs('/console/tips')).body;
    expect(queue.indexOf(`T-${minor.slice(0, 8)}`)).toBeGreaterThan(-1);
    expect(queue.indexOf(`T-${minor.slice(0, 8)}`)).toBeLessThan(queue.indexOf(`T-${newer.slice(0, 8)}`));

    const before = await urgentMailsTo(reviewer.account.email);
    t.clock.advance(61_000);
    await t.app.services.jobs.runDue();
    // The urgent notice, on the notifier's next run: the hourly digest would wait.
    expect(await urgentMailsTo(reviewer.account.email)).toBe(before + 1);
  });

  it('leaves a tip with no minor and no danger among the others', async () => {
    const plain = await tipWith({ minor: 'unsure', danger: 'no' });
    expect(Number((await db().selectFrom('tips').select('urgent').where('id', '=', plain).executeTakeFirstOrThrow()).urgent)).toBe(0);
  });
});

describe('the queue', () => {
  it('shows how long each tip has waited since it was received', async () => {
    const id = await tipWith({ whatHappened: 'A tip to watch age.' });
    t.clock.advance(3 * 3600_000);
    const row = (html: string) => html.slice(html.indexOf(`T-${id.slice(0, 8)}`), html.indexOf('</tr>', html.indexOf(`T-${id.slice(0, 8)}`)));
    expect(row((await queueAs('/console/tips?status=all')).body)).toMatch(/data-age[^>]*>3 hours ago</);
    t.clock.advance(3 * 24 * 3600_000);
    expect(row((await queueAs('/console/tips?status=all')).body)).toMatch(/data-age[^>]*>3 days ago</);
  });
});
