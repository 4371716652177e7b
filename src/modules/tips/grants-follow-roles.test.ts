import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/helpers/app.ts';
import { createStaff, signIn, type TestStaff } from '../../../test/helpers/staff.ts';
import { basicTip, createOfficeKey, postTip } from './testing.ts';

let t: TestApp;
let admin: TestStaff;
let clients = 0;
const db = () => t.app.services.db;

/** An administrator changing an account on its console page, as the office would. */
async function asAdmin(app: TestApp, who: TestStaff, accountId: string, change: { roles: string[] } | { active: 'no' }) {
  const path = 'roles' in change ? 'roles' : 'status';
  const res = await (await signIn(app, who)).post(`/console/accounts/${accountId}/${path}`, change, `/console/accounts/${accountId}`);
  expect(res.statusCode).toBe(303);
}

beforeAll(async () => {
  t = await createTestApp();
  await createOfficeKey(t);
  admin = await createStaff(t, ['administrator']);
});
afterAll(async () => t.close());

/** A tip with contact details from a client of its own; answers its id. */
async function newTip(app = t): Promise<string> {
  clients++;
  const tips = () => app.app.services.db.selectFrom('tips').select('id').execute();
  const before = new Set((await tips()).map((r) => r.id));
  const res = await postTip(app, basicTip({ contactMode: 'details', contactDetails: `Caller ${clients}, 555-0100` }), [], { ip: `198.51.100.${clients}` });
  expect(res.statusCode).toBe(200);
  return (await tips()).map((r) => r.id).find((id) => !before.has(id))!;
}

const holdersOf = async (table: 'tipGrants' | 'tipContactGrants', tipId: string, app = t) =>
  (await app.app.services.db.selectFrom(table).select(['holderType', 'holderId']).where('tipId', '=', tipId).execute()).map((g) => `${g.holderType}:${g.holderId}`).sort();
const heldBy = async (table: 'tipGrants' | 'tipContactGrants', accountId: string) =>
  (await db().selectFrom(table).select('tipId').where('holderType', '=', 'account').where('holderId', '=', accountId).execute()).map((g) => g.tipId).sort();
const revocations = async (accountId: string) =>
  db().selectFrom('auditLog').select(['actorId', 'detail']).where('action', '=', 'tip.grants_revoked').where('targetId', '=', accountId).execute();

describe('who a new tip is sealed to', () => {
  it('is exactly the office key and the active accounts whose roles hold tips.read; its contact key, those who may also see identities', async () => {
    // An office of its own, so every account there is one this test made.
    const own = await createTestApp();
    try {
      const ownOffice = await createOfficeKey(own);
      const ownAdmin = await createStaff(own, ['administrator']);
      const reviewer = await createStaff(own, ['tip_reviewer']);
      const investigator = await createStaff(own, ['investigator']);
      const both = await createStaff(own, ['investigator', 'content_editor']);
      await createStaff(own, ['volunteer']);
      await createStaff(own, ['compliance_inspector', 'outreach_coordinator']);
      const gone = await createStaff(own, ['tip_reviewer']);
      await asAdmin(own, ownAdmin, gone.account.id, { active: 'no' });

      const id = await newTip(own);
      expect(await holdersOf('tipGrants', id, own)).toEqual([`account:${reviewer.account.id}`, `account:${investigator.account.id}`, `account:${both.account.id}`, `office:${ownOffice.id}`].sort());
      expect(await holdersOf('tipContactGrants', id, own)).toEqual([`account:${reviewer.account.id}`, `office:${ownOffice.id}`].sort());
    } finally {
      await own.close();
    }
  });
});

describe('grants follow roles', () => {
  async function readerWithTips(): Promise<{ staff: TestStaff; tips: string[] }> {
    const staff = await createStaff(t, ['tip_reviewer']);
    const tips = [await newTip(), await newTip()].sort();
    expect(await heldBy('tipGrants', staff.account.id)).toEqual(tips);
    expect(await heldBy('tipContactGrants', staff.account.id)).toEqual(tips);
    return { staff, tips };
  }

  it('deletes every tip key of an account that loses tips.read, audited, and leaves other holders alone', async () => {
    const { staff, tips } = await readerWithTips();
    const other = await holdersOf('tipGrants', tips[0]!);
    await asAdmin(t, admin, staff.account.id, { roles: ['volunteer'] });
    expect(await heldBy('tipGrants', staff.account.id)).toEqual([]);
    expect(await heldBy('tipContactGrants', staff.account.id)).toEqual([]);
    expect(await holdersOf('tipGrants', tips[0]!)).toEqual(other.filter((h) => h !== `account:${staff.account.id}`));
    const rows = await revocations(staff.account.id);
    expect(rows.map((r) => ({ actorId: r.actorId, detail: JSON.parse(String(r.detail)) }))).toEqual([{ actorId: admin.account.id, detail: { tips: 2, contacts: 2 } }]);
  });

  it('deletes every tip key of a deactivated account, audited', async () => {
    const { staff } = await readerWithTips();
    await asAdmin(t, admin, staff.account.id, { active: 'no' });
    expect(await heldBy('tipGrants', staff.account.id)).toEqual([]);
    expect(await heldBy('tipContactGrants', staff.account.id)).toEqual([]);
    expect((await revocations(staff.account.id)).map((r) => JSON.parse(String(r.detail)))).toEqual([{ tips: 2, contacts: 2 }]);
  });

  it('keeps the tip keys of an account that still reads tips, taking only the contact keys it may no longer open', async () => {
    const { staff, tips } = await readerWithTips();
    await asAdmin(t, admin, staff.account.id, { roles: ['investigator'] });
    expect(await heldBy('tipGrants', staff.account.id)).toEqual(tips);
    expect(await heldBy('tipContactGrants', staff.account.id)).toEqual([]);
    expect((await revocations(staff.account.id)).map((r) => JSON.parse(String(r.detail)))).toEqual([{ tips: 0, contacts: 2 }]);
  });

  it('changes nothing and audits nothing when the account keeps both', async () => {
    const { staff, tips } = await readerWithTips();
    await asAdmin(t, admin, staff.account.id, { roles: ['tip_reviewer', 'content_editor'] });
    expect(await heldBy('tipGrants', staff.account.id)).toEqual(tips);
    expect(await heldBy('tipContactGrants', staff.account.id)).toEqual(tips);
    expect(await revocations(staff.account.id)).toEqual([]);
  });
});
