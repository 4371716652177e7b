import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/helpers/app.ts';
import { createStaff, signIn, type TestStaff } from '../../../test/helpers/staff.ts';
import { openPartText, openTipKey } from './crypto.ts';
import { basicTip, createOfficeKey, type OfficeKey, postTip } from './testing.ts';

let t: TestApp;
let office: OfficeKey;
let reviewer: TestStaff;
let investigator: TestStaff;
let clients = 0;
const db = () => t.app.services.db;
const CONTACT = 'Rosa, 555-0142, after 6 pm';

beforeAll(async () => {
  t = await createTestApp();
  office = await createOfficeKey(t);
  reviewer = await createStaff(t, ['tip_reviewer']);
  investigator = await createStaff(t, ['investigator']);
});
afterAll(async () => t.close());

async function newTip(contact = CONTACT): Promise<string> {
  clients++;
  const before = new Set((await db().selectFrom('tips').select('id').execute()).map((r) => r.id));
  const res = await postTip(t, basicTip({ contactMode: 'details', contactDetails: contact }), [], { ip: `198.51.100.${clients}` });
  expect(res.statusCode).toBe(200);
  return (await db().selectFrom('tips').select('id').execute()).map((r) => r.id).find((id) => !before.has(id))!;
}

const contactOpens = async (tipId: string) =>
  (await db().selectFrom('auditLog').select(['actorId', 'detail']).where('action', '=', 'tip.contact_open').where('targetId', '=', tipId).execute()).map((r) => ({ actorId: r.actorId, detail: JSON.parse(String(r.detail)) }));

describe('contact details', () => {
  it('are sealed under a key of their own: the tip key does not open them, the contact key does', async () => {
    const id = await newTip();
    const row = await db().selectFrom('tips').select(['contactBox']).where('id', '=', id).executeTakeFirstOrThrow();
    const tipGrant = await db().selectFrom('tipGrants').select('sealedKey').where('tipId', '=', id).where('holderType', '=', 'office').executeTakeFirstOrThrow();
    const contactGrant = await db().selectFrom('tipContactGrants').select('sealedKey').where('tipId', '=', id).where('holderType', '=', 'office').executeTakeFirstOrThrow();
    const tipKey = await openTipKey(tipGrant.sealedKey, office.keyPair);
    await expect(openPartText(tipKey, id, 'contact', row.contactBox!)).rejects.toThrow();
    expect(await openPartText(await openTipKey(contactGrant.sealedKey, office.keyPair), id, 'contact', row.contactBox!)).toBe(CONTACT);
    // An investigator reads tips but holds no contact key.
    const held = await db().selectFrom('tipContactGrants').select('holderId').where('tipId', '=', id).where('holderType', '=', 'account').execute();
    expect(held.map((g) => g.holderId)).toEqual([reviewer.account.id]);
  });

  it('show as "given" to a reader who may not see identities, who cannot open them', async () => {
    const id = await newTip();
    const session = await signIn(t, investigator);
    const page = await session.get(`/console/tips/${id}`);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('Contact details given.');
    expect(page.body).toContain('Only staff allowed to see a tipster’s identity can open them.');
    expect(page.body).not.toContain(CONTACT);
    expect(page.body).not.toContain(`/console/tips/${id}/contact`);
    const refused = await session.post(`/console/tips/${id}/contact`, { reason: 'curious' }, `/console/tips/${id}`);
    expect(refused.statusCode).toBe(403);
    expect(refused.body).not.toContain(CONTACT);
    expect(await contactOpens(id)).toEqual([]);
  });

  it('open for a reviewer only with a reason, which the audit row keeps', async () => {
    const id = await newTip();
    const session = await signIn(t, reviewer);
    const page = await session.get(`/console/tips/${id}`);
    expect(page.body).toContain('Contact details given.');
    expect(page.body).not.toContain(CONTACT);
    const noReason = await session.post(`/console/tips/${id}/contact`, { reason: ' ' }, `/console/tips/${id}`);
    expect(noReason.statusCode).toBe(303);
    expect(noReason.headers.location).toBe(`/console/tips/${id}?error=reason`);
    expect(await contactOpens(id)).toEqual([]);
    const opened = await session.post(`/console/tips/${id}/contact`, { reason: 'arranging a safe call' }, `/console/tips/${id}`);
    expect(opened.statusCode).toBe(200);
    expect(opened.body).toContain(CONTACT);
    expect(await contactOpens(id)).toEqual([{ actorId: reviewer.account.id, detail: { reason: 'arranging a safe call' } }]);
  });

  it('stay closed to a reviewer who joined after the tip came in, and nothing is audited as opened', async () => {
    const id = await newTip();
    const late = await createStaff(t, ['tip_reviewer']);
    const session = await signIn(t, late);
    const res = await session.post(`/console/tips/${id}/contact`, { reason: 'joined later' }, '/console/account');
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe(`/console/tips/${id}?error=noAccess`);
    expect(await contactOpens(id)).toEqual([]);
  });
});

describe('the tip form', () => {
  it.each([
    ['', 'they are sealed apart from your tip', 'may require us to report it to child welfare services'],
    ['/es', 'se sellan aparte de su aviso', 'informar a los servicios de protección infantil'],
  ])('says before the send button what the office does with identity, and that a minor at risk may be reported (%s)', async (locale, identity, minor) => {
    const res = await t.app.inject({ url: `${locale}/tip` });
    expect(res.statusCode).toBe(200);
    const submit = res.body.indexOf('type="submit"');
    expect(res.body.indexOf(identity)).toBeGreaterThan(-1);
    expect(res.body.indexOf(identity)).toBeLessThan(submit);
    expect(res.body.indexOf(minor)).toBeGreaterThan(-1);
    expect(res.body.indexOf(minor)).toBeLessThan(submit);
  });
});
