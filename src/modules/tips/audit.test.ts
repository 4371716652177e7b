import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/helpers/app.ts';
import { createStaff, signIn } from '../../../test/helpers/staff.ts';
import { basicTip, createOfficeKey, type OfficeKey, postTip } from './testing.ts';

/** Who the audit log names for each thing staff do to a tip or the tip settings. */

let t: TestApp;
let office: OfficeKey;

beforeAll(async () => {
  t = await createTestApp();
  office = await createOfficeKey(t);
});
afterAll(async () => t.close());

const db = () => t.app.services.db;

async function newTip(text: string): Promise<string> {
  const known = (await db().selectFrom('tips').select('id').execute()).map((r: { id: string }) => r.id);
  await postTip(t, basicTip({ whatHappened: text }), [{ filename: 'lease.pdf', type: 'application/pdf', data: Buffer.from('%PDF-1.4\n%%EOF\n') }]);
  return (await db().selectFrom('tips').select('id').where('id', 'not in', known.length ? known : ['-']).executeTakeFirstOrThrow()).id;
}

type Row = { action: string; actorId: string | null; actorLabel: string };
const rowsAfter = async (seq: number): Promise<Row[]> =>
  db().selectFrom('auditLog').select(['action', 'actorId', 'actorLabel']).where('seq', '>', seq).orderBy('seq').execute();
const lastSeq = async (): Promise<number> => Number((await db().selectFrom('auditLog').select(db().fn.max('seq').as('seq')).executeTakeFirst())?.seq ?? 0);

describe('the audit log of console work on tips', () => {
  it('names the signed-in reviewer for every reading and change of a tip', async () => {
    const reviewer = await createStaff(t, ['tip_reviewer']);
    const colleague = await createStaff(t, ['investigator']);
    const session = await signIn(t, reviewer);
    const id = await newTip('a tip worked on from start to handoff');
    const back = `/console/tips/${id}`;
    const before = await lastSeq();

    const page = await session.get(back);
    const file = /href="(\/console\/tips\/[^"]+\/files\/[^"]+)"/.exec(page.body)![1]!;
    expect((await session.get(file)).statusCode).toBe(200);
    const posts: [string, Record<string, string>][] = [
      ['status', { to: 'in_review' }],
      ['assign', { assigneeId: reviewer.account.id }],
      ['duplicate', { duplicateOf: '' }],
      ['tags', { tags: 'farm' }],
      ['notes', { note: 'Called the inspector.' }],
      ['reply', { reply: 'Thank you, we are looking into it.' }],
      ['grant', { accountId: colleague.account.id }],
      ['status', { to: 'referred', referredTo: 'labour_standards' }],
    ];
    for (const [action, fields] of posts) {
      const res = await session.post(`${back}/${action}`, fields);
      expect(res.headers.location, action).toMatch(/\?done=/);
    }
    expect((await session.get(`${back}/handoff`)).statusCode).toBe(200);

    const rows = await rowsAfter(before);
    expect(rows.map((r) => r.action)).toEqual([
      'tip.open',
      'tip.file_open',
      'tip.status',
      'tip.assign',
      'tip.duplicate',
      'tip.tags',
      'tip.note',
      'tip.reply',
      'tip.grant',
      'tip.status',
      'tip.handoff',
    ]);
    for (const row of rows) expect(row, row.action).toMatchObject({ actorId: reviewer.account.id, actorLabel: reviewer.account.email });
  });

  it('names the administrator who set the retention period, typed a wrong recovery key or shared tips with the right one', async () => {
    const admin = await createStaff(t, ['administrator']);
    const reader = await createStaff(t, ['investigator']);
    await newTip('a tip shared through the recovery key');
    const session = await signIn(t, admin);
    const before = await lastSeq();

    expect((await session.post('/console/tips/retention', { days: '200' })).statusCode).toBe(303);
    const refused = await session.post('/console/tips/access', { accountId: reader.account.id, source: 'recovery', recoveryKey: 'HWRK-0000-1111' });
    expect(refused.statusCode).toBe(422);
    const shared = await session.post('/console/tips/access', { accountId: reader.account.id, source: 'recovery', recoveryKey: office.recoveryKey });
    expect(shared.statusCode).toBe(303);

    const rows = await rowsAfter(before);
    expect(rows.slice(0, 2).map((r) => r.action)).toEqual(['settings.tip_retention', 'tip.recovery_key_refused']);
    expect(rows.slice(2).length).toBeGreaterThan(0);
    expect(new Set(rows.slice(2).map((r) => r.action))).toEqual(new Set(['tip.grant']));
    for (const row of rows) expect(row, row.action).toMatchObject({ actorId: admin.account.id, actorLabel: admin.account.email });
  });
});
