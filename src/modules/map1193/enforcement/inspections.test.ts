import { createHash } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../../test/helpers/app.ts';
import { createStaff, signIn, type SignedIn, type TestStaff } from '../../../../test/helpers/staff.ts';
import { verifyAuditChain } from '../../../core/audit/audit.ts';
import { businessRow, insertBusinesses } from '../testing.ts';
import type { BusinessRow } from '../tables.ts';

let t: TestApp;
let inspector: TestStaff;
let session: SignedIn;
let volunteerSession: SignedIn;
let missing: BusinessRow;
let elsewhere: BusinessRow;
let fine: BusinessRow;
const DAY = 86_400_000;

const db = () => t.app.services.db;
const step = (id: string, action: string, notes = '') => session.post(`/console/map1193/inspections/${id}/step`, { action, notes });
const statusOf = async (id: string) => (await db().selectFrom('mapBusinesses').select('status').where('id', '=', id).executeTakeFirstOrThrow()).status;
const openCase = async (id: string) => db().selectFrom('mapCases').selectAll().where('businessId', '=', id).orderBy('openedAt', 'desc').executeTakeFirstOrThrow();
/** Signs in again: a month on the manual clock outlasts any session. */
const renew = async () => (session = await signIn(t, inspector));

// The queue lists every business reported missing and a case moves the clock by months: each
// test has an app of its own, on the same day with the same three businesses.
beforeEach(async () => {
  t = await createTestApp();
  t.clock.set('2026-03-02T17:00:00Z');
  const rows = await insertBusinesses(db(), [
    businessRow({ name: 'Queue Motel', city: 'Testburg', status: 'reported_missing', lastReportAt: '2026-02-01T10:00:00.000Z', queuedAt: '2026-02-01T10:00:00.000Z' }),
    businessRow({ name: 'Other Town Bar', city: 'Elsewhere', category: 'bar', status: 'reported_missing', lastReportAt: '2026-02-20T10:00:00.000Z', queuedAt: '2026-02-20T10:00:00.000Z' }),
    businessRow({ name: 'Fine Airport', city: 'Testburg', category: 'airport', status: 'reported_posted', lastReportAt: '2026-02-10T10:00:00.000Z' }),
  ]);
  [missing, elsewhere, fine] = [rows[0]!, rows[1]!, rows[2]!];
  inspector = await createStaff(t, ['compliance_inspector'], { name: 'Ines Inspector' });
  session = await signIn(t, inspector);
  volunteerSession = await signIn(t, await createStaff(t, ['volunteer']));
});
afterEach(async () => t.close());

describe('role checks', () => {
  it('refuses a volunteer the queue, a case, a step and a notice (403)', async () => {
    for (const url of ['/console/map1193/inspections', `/console/map1193/inspections/${missing.id}`, '/console/map1193/notices/x']) {
      expect((await volunteerSession.get(url)).statusCode, url).toBe(403);
    }
    expect((await volunteerSession.post(`/console/map1193/inspections/${missing.id}/step`, { action: 'visit_violation' })).statusCode).toBe(403);
    expect(await statusOf(missing.id)).toBe('reported_missing');
  });

  it('answers 404 for a business that does not exist', async () => {
    expect((await session.get('/console/map1193/inspections/no-such-id')).statusCode).toBe(404);
    expect((await step('no-such-id', 'visit_violation')).statusCode).toBe(404);
    expect((await session.get('/console/map1193/notices/no-such-id')).statusCode).toBe(404);
  });
});

describe('the queue', () => {
  it('lists businesses reported missing, oldest report first, with their age; filters by city', async () => {
    const res = await session.get('/console/map1193/inspections');
    expect(res.statusCode).toBe(200);
    expect(res.headers['cache-control']).toBe('no-store');
    const a = res.body.indexOf('Queue Motel');
    const b = res.body.indexOf('Other Town Bar');
    expect(a).toBeGreaterThan(0);
    expect(b).toBeGreaterThan(a);
    expect(res.body).not.toContain('Fine Airport');
    expect(res.body).toContain('29 days');
    expect(res.body).not.toMatch(/\sstyle="/);
    const filtered = await session.get('/console/map1193/inspections?city=Elsewhere');
    expect(filtered.body).toContain('Other Town Bar');
    expect(filtered.body).not.toContain('Queue Motel');
  });
});

describe('a case from visit to payment', () => {
  /** A violation visit and the notice: the cure period starts. */
  async function noticeSent(id: string) {
    expect((await step(id, 'visit_violation', 'No notice near the entrance')).headers.location).toContain('done=step');
    expect((await step(id, 'send_notice')).headers.location).toContain('done=step');
  }

  /** The notice, then a failed re-inspection once the 30 days have passed: $500. */
  async function penalised(id: string) {
    await noticeSent(id);
    t.clock.advance(30 * DAY);
    await renew();
    expect((await step(id, 'reinspect_failed')).headers.location).toContain('done=step');
  }

  it('refuses skipped steps: no notice, re-inspection or payment before a violation visit', async () => {
    for (const action of ['send_notice', 'reinspect_cured', 'reinspect_failed', 'record_payment', 'refer']) {
      // The case page comes back with the refusal and the notes as typed.
      const res = await step(missing.id, action, `Tried ${action}`);
      expect(res.statusCode).toBe(409);
      expect(res.body).toContain('steps cannot be skipped');
      expect(res.body).toContain(`Tried ${action}</textarea>`);
    }
    expect(await db().selectFrom('mapCases').select('id').where('businessId', '=', missing.id).execute()).toEqual([]);
    const forged = await step(missing.id, 'close_everything', 'Kept');
    expect(forged.statusCode).toBe(422);
    expect(forged.body).toContain('steps cannot be skipped');
    expect(forged.body).toContain('Kept</textarea>');
  });

  it('records a violation visit, then a stored notice with its SHA-256 and a 30-day cure clock', async () => {
    expect((await step(missing.id, 'visit_violation', 'No notice near the entrance')).headers.location).toBe(`/console/map1193/inspections/${missing.id}?done=step`);
    expect((await openCase(missing.id)).stage).toBe('violation');
    const sent = await step(missing.id, 'send_notice');
    expect(sent.headers.location).toContain('done=step');
    const kase = await openCase(missing.id);
    expect(kase.stage).toBe('notice_sent');
    expect(kase.cureDueAt).toBe(new Date(Date.parse(kase.noticeSentAt!) + 30 * DAY).toISOString());
    expect(await statusOf(missing.id)).toBe('notice_sent');
    const notice = await db().selectFrom('mapNotices').selectAll().where('caseId', '=', kase.id).executeTakeFirstOrThrow();
    expect(notice.sha256).toBe(createHash('sha256').update(notice.letter, 'utf8').digest('hex'));
    expect(notice.format).toBe('html');
    expect(notice.letter).toContain('Notice of violation');
    expect(notice.letter).toContain('Queue Motel');
    expect(notice.letter).toContain('$500');
    const page = await session.get(`/console/map1193/notices/${notice.id}`);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain(notice.sha256);
    expect(page.body).toContain('The stored letter is unchanged');
    const file = await session.get(`/console/map1193/inspections/${missing.id}`);
    expect(file.body).toContain('No notice near the entrance');
    expect(file.body).toContain(`/console/map1193/notices/${notice.id}`);
  });

  it('refuses the penalty while the cure period runs, and records $500 once it has ended', async () => {
    await noticeSent(missing.id);
    t.clock.advance(29 * DAY);
    await renew();
    const early = await step(missing.id, 'reinspect_failed');
    expect(early.statusCode).toBe(409);
    expect(early.body).toContain('The cure period has not ended');
    expect((await openCase(missing.id)).penaltyUsd).toBeNull();
    t.clock.advance(DAY);
    await renew();
    expect((await step(missing.id, 'reinspect_failed')).headers.location).toContain('done=step');
    const kase = await openCase(missing.id);
    expect(kase.stage).toBe('penalised');
    expect(kase.penaltyUsd).toBe(500);
    expect(await statusOf(missing.id)).toBe('penalised');
  });

  it('closes on payment; a later offence costs $1,000', async () => {
    await penalised(missing.id);
    await step(missing.id, 'record_payment');
    expect((await openCase(missing.id)).stage).toBe('paid');
    expect((await step(missing.id, 'refer')).statusCode).toBe(409);
    await step(missing.id, 'visit_violation');
    await step(missing.id, 'send_notice');
    const second = await db().selectFrom('mapNotices').select('letter').where('businessId', '=', missing.id).orderBy('createdAt', 'desc').executeTakeFirstOrThrow();
    expect(second.letter).toContain('civil penalty of $1,000');
    t.clock.advance(31 * DAY);
    await renew();
    await step(missing.id, 'reinspect_failed');
    expect((await openCase(missing.id)).penaltyUsd).toBe(1000);
    await step(missing.id, 'refer');
    expect((await openCase(missing.id)).stage).toBe('referred');
  });

  it('audits every step in the chain and shows each on the public history without the inspector', async () => {
    await penalised(missing.id);
    for (const action of ['record_payment', 'visit_violation', 'send_notice']) expect((await step(missing.id, action)).headers.location).toContain('done=step');
    t.clock.advance(31 * DAY);
    await renew();
    for (const action of ['reinspect_failed', 'refer']) expect((await step(missing.id, action)).headers.location).toContain('done=step');
    const audit = await db().selectFrom('auditLog').select(['action', 'actorId']).where('action', 'like', 'map1193.case.%').execute();
    expect(audit.map((r: { action: string }) => r.action)).toEqual(
      ['visit_violation', 'send_notice', 'reinspect_failed', 'record_payment', 'visit_violation', 'send_notice', 'reinspect_failed', 'refer'].map((a) => `map1193.case.${a}`),
    );
    expect(audit.every((r) => r.actorId === inspector.account.id)).toBe(true);
    expect((await verifyAuditChain(db())).ok).toBe(true);
    const events = await db().selectFrom('mapStatusEvents').select(['cause', 'toStatus', 'actorId']).where('businessId', '=', missing.id).orderBy('at').execute();
    expect(events.map((e: { cause: string }) => e.cause)).toEqual(['inspection', 'notice', 'penalty', 'payment', 'inspection', 'notice', 'penalty', 'referral']);
    expect(events.every((e: { actorId: string | null }) => e.actorId === null)).toBe(true);
    const page = await t.app.inject({ url: `/map1193/businesses/${missing.id}` });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('Notice of violation sent');
    expect(page.body).toContain('Penalty imposed');
    expect(page.body).not.toContain('Ines Inspector');
    expect(page.body).not.toContain(inspector.account.email);
  });

  it('a compliant visit closes at once and marks the business verified', async () => {
    await step(fine.id, 'visit_compliant');
    expect((await openCase(fine.id)).stage).toBe('compliant');
    expect(await statusOf(fine.id)).toBe('verified_compliant');
    expect(elsewhere.status).toBe('reported_missing');
  });
});

describe('opening a case file', () => {
  it('audits each opening as the inspector, and nothing for a business that does not exist', async () => {
    const [own] = (await insertBusinesses(db(), [businessRow({ name: 'Opened Inn', city: 'Testburg' })])) as [BusinessRow];
    const reader = await signIn(t, inspector);
    expect((await reader.get(`/console/map1193/inspections/${own.id}`)).statusCode).toBe(200);
    const reads = await db().selectFrom('auditLog').select(['action', 'targetType', 'actorId']).where('targetId', '=', own.id).execute();
    expect(reads).toEqual([{ action: 'map1193.case_file_open', targetType: 'map1193.business', actorId: inspector.account.id }]);
    const absent = 'no-such-business-here';
    expect((await reader.get(`/console/map1193/inspections/${absent}`)).statusCode).toBe(404);
    expect(await db().selectFrom('auditLog').select('seq').where('targetId', '=', absent).execute()).toEqual([]);
  });

  it('says a step was recorded only on the page a recorded step leads to (?done=step)', async () => {
    const [own] = (await insertBusinesses(db(), [businessRow({ name: 'Notice Inn', city: 'Testburg' })])) as [BusinessRow];
    const reader = await signIn(t, inspector);
    const url = `/console/map1193/inspections/${own.id}`;
    expect((await reader.get(`${url}?done=step`)).body).toContain('Step recorded.');
    for (const query of ['', '?done=1', '?done=step&done=step']) expect((await reader.get(`${url}${query}`)).body, query).not.toContain('Step recorded.');
  });
});
