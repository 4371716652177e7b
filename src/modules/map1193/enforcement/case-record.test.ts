import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../../test/helpers/app.ts';
import { attrOf, parsePage, textOf } from '../../../../test/helpers/html.ts';
import { multipart } from '../../../../test/helpers/multipart.ts';
import { createStaff, csrfFrom, signIn, type SignedIn, type TestStaff } from '../../../../test/helpers/staff.ts';
import { verifyAuditChain } from '../../../core/audit/audit.ts';
import { businessRow, insertBusinesses } from '../testing.ts';

let t: TestApp;
let inspector: TestStaff;
let session: SignedIn;
const db = () => t.app.services.db;
const DAY = 86_400_000;

beforeAll(async () => {
  t = await createTestApp();
  t.clock.set('2026-03-02T17:00:00Z');
  inspector = await createStaff(t, ['compliance_inspector'], { name: 'Ines Inspector' });
  session = await signIn(t, inspector);
});
afterAll(async () => t.close());

let made = 0;
const newBusiness = async () => (await insertBusinesses(db(), [businessRow({ name: `Record Motel ${++made}`, status: 'reported_missing' })]))[0]!;
const recordUrl = (id: string) => `/console/map1193/inspections/${id}/record`;
const recordReads = async (id: string) => (await db().selectFrom('auditLog').select('seq').where('action', '=', 'map1193.case_record_open').where('targetId', '=', id).execute()).length;

/** A violation visit with a photo and what was found, then the notice. */
async function caseWithLetter(businessId: string) {
  const photo = await sharp({ create: { width: 240, height: 160, channels: 3, background: '#705030' } }).jpeg().toBuffer();
  const body = multipart([
    ['_csrf', csrfFrom((await session.get('/console/account')).body)],
    ['notes', 'Back door only'],
    ['deficiencies', 'not_posted'],
    ['photos', { filename: 'door.jpg', type: 'image/jpeg', data: photo }],
    ['action', 'visit_violation'],
  ]);
  const visit = await t.app.inject({ method: 'POST', url: `/console/map1193/inspections/${businessId}/step`, headers: { ...body.headers, cookie: session.cookie }, payload: body.payload });
  expect(visit.statusCode).toBe(303);
  t.clock.advance(DAY);
  session = await signIn(t, inspector);
  expect((await session.post(`/console/map1193/inspections/${businessId}/step`, { action: 'send_notice', notes: '' })).statusCode).toBe(303);
}

describe('the case record for a hearing', () => {
  it('lists each step with who, when and the seq and hash of the audit row that recorded it', async () => {
    const business = await newBusiness();
    await caseWithLetter(business.id);
    const res = await session.get(recordUrl(business.id));
    expect(res.statusCode).toBe(200);
    const page = parsePage(res.body);
    const kase = await db().selectFrom('mapCases').selectAll().where('businessId', '=', business.id).executeTakeFirstOrThrow();
    const steps = await db().selectFrom('mapCaseSteps').selectAll().where('caseId', '=', kase.id).orderBy('at').execute();
    expect(steps.map((s) => s.action)).toEqual(['visit_violation', 'send_notice']);
    const rows = page.elements.filter((e) => e.tagName === 'tr' && attrOf(e, 'data-step'));
    expect(rows.map((r) => attrOf(r, 'data-step'))).toEqual(steps.map((s) => s.id));
    const seqs: number[] = [];
    for (const [i, row] of rows.entries()) {
      const cell = (cls: string) => textOf(row.childNodes.find((c) => 'tagName' in c && attrOf(c, 'class')?.includes(cls)) as never).trim();
      const seq = Number(cell('audit-seq'));
      const audit = await db().selectFrom('auditLog').selectAll().where('seq', '=', seq).executeTakeFirstOrThrow();
      expect(audit.hash).toBe(cell('audit-hash'));
      expect(audit).toMatchObject({ action: `map1193.case.${steps[i]!.action}`, targetType: 'map1193.case', targetId: kase.id, actorId: inspector.account.id });
      expect(textOf(row)).toContain('Ines Inspector');
      seqs.push(seq);
    }
    expect(page.text).toContain(`This record covers audit rows ${Math.min(...seqs)} to ${Math.max(...seqs)}.`);
    expect(page.text).toContain(`Case ${kase.caseNumber}, opened Mar 2, 2026, 9:00 AM PST`);
    expect(page.text).toContain('The notice was not posted.');
    expect(page.text).toContain('Back door only');
    const notice = await db().selectFrom('mapNotices').select(['id', 'sha256']).where('caseId', '=', kase.id).executeTakeFirstOrThrow();
    expect(page.text).toContain(`SHA-256 of the letter: ${notice.sha256} (matches the stored letter)`);
    const photo = await db().selectFrom('mapCasePhotos').select('id').where('caseId', '=', kase.id).executeTakeFirstOrThrow();
    expect(page.elements.some((e) => e.tagName === 'img' && attrOf(e, 'src') === `/console/map1193/photos/case/${photo.id}`)).toBe(true);
    // The chain's head as printed is the head after this reading's own row, and the chain holds.
    const head = await db().selectFrom('auditHead').select(['seq', 'hash']).executeTakeFirstOrThrow();
    expect(page.text).toContain(`row ${head.seq}, hash ${head.hash}`);
    expect(page.text).toContain(`This reading is audit row ${head.seq}.`);
    expect(page.text).toContain('heatwatch audit verify');
    expect((await verifyAuditChain(db())).ok).toBe(true);
    expect(await recordReads(business.id)).toBe(1);
  });

  it('is refused to staff without the inspection permission, and nothing is audited then', async () => {
    const business = await newBusiness();
    for (const roles of [['volunteer'], ['outreach_coordinator'], ['administrator']] as const) {
      const other = await signIn(t, await createStaff(t, [...roles]));
      expect((await other.get(recordUrl(business.id))).statusCode, roles.join()).toBe(403);
    }
    const anonymous = await t.app.inject({ url: recordUrl(business.id) });
    expect(anonymous.statusCode).not.toBe(200);
    expect(await recordReads(business.id)).toBe(0);
  });

  it('answers 404 for a business that does not exist, without an audit row', async () => {
    expect((await session.get(recordUrl('no-such-business'))).statusCode).toBe(404);
    expect(await recordReads('no-such-business')).toBe(0);
  });
});
