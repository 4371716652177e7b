import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../../test/helpers/app.ts';
import { readMail, startSmtp } from '../../../../test/helpers/smtp.ts';
import { createStaff, signIn, type TestStaff } from '../../../../test/helpers/staff.ts';
import { contextFor, SYSTEM } from '../../../core/context.ts';
import { newId } from '../../../core/crypto/server-secret.ts';
import { businessRow, insertBusinesses } from '../testing.ts';
import { cureMilestone, officeMidnight, sendCureAlerts, sendMissingDigests } from './service.ts';

let smtp: Awaited<ReturnType<typeof startSmtp>>;
let t: TestApp;
let inspector: TestStaff;
let other: TestStaff;
const db = () => t.app.services.db;
type Mail = { toAddress: string; subject: string; textBody: string; template: string };
const mails = async (template?: string): Promise<Mail[]> =>
  db().selectFrom('outbox').select(['toAddress', 'subject', 'textBody', 'template']).$if(template !== undefined, (q) => q.where('template', '=', template!)).orderBy('createdAt').orderBy('id').execute();

/** Moves the clock to `iso` and runs what is due there, as the job runner would. */
async function at(iso: string) {
  t.clock.set(iso);
  await t.app.services.jobs.runDue();
}

beforeAll(async () => {
  smtp = await startSmtp();
});
afterAll(async () => smtp.close());
beforeEach(async () => {
  t = await createTestApp({ env: { SMTP_URL: smtp.url, BASE_URL: 'https://heatwatch.example.org' } });
  smtp.received.length = 0;
  // Everything happens in 2026, after the accounts exist.
  t.clock.set('2026-05-04T16:00:00Z');
  inspector = await createStaff(t, ['compliance_inspector'], { email: `inspector-${newId().slice(0, 6).toLowerCase()}@example.org` });
  other = await createStaff(t, ['compliance_inspector'], { email: `inspectora-${newId().slice(0, 6).toLowerCase()}@example.org`, locale: 'es' });
});
afterEach(async () => t.close());

/** A business with a notice sent by `who` at 10 a.m. Pacific on 4 May 2026: 30 days of cure, to 3 June. */
async function noticeSent(who: TestStaff, name = 'Harbor Motel') {
  t.clock.set('2026-05-04T17:00:00Z');
  const [business] = await insertBusinesses(db(), [businessRow({ name, city: 'Riverbend', status: 'reported_missing' })]);
  const session = await signIn(t, who);
  const page = `/console/map1193/inspections/${business!.id}`;
  for (const action of ['visit_violation', 'send_notice']) {
    const res = await session.post(`${page}/step`, { action, notes: '' }, page);
    expect(res.headers.location).toBe(`${page}?done=step`);
  }
  const kase = await db().selectFrom('mapCases').select(['id', 'cureDueAt']).where('businessId', '=', business!.id).executeTakeFirstOrThrow();
  expect(kase.cureDueAt?.slice(0, 13)).toBe('2026-06-03T17');
  return business!;
}

describe('cure period milestones', () => {
  it('are counted in office days', () => {
    expect(cureMilestone('2026-05-30', '2026-06-03')).toBeUndefined();
    expect(cureMilestone('2026-05-31', '2026-06-03')).toBe('cure_soon');
    expect(cureMilestone('2026-06-02', '2026-06-03')).toBe('cure_soon');
    expect(cureMilestone('2026-06-03', '2026-06-03')).toBe('cure_ends');
    expect(cureMilestone('2026-06-06', '2026-06-03')).toBeUndefined();
  });

  it('e-mail the inspector three days before and on the day, not earlier and not twice', async () => {
    const business = await noticeSent(inspector);
    // 11:30 p.m. on 30 May in California: four days left there, though it is already 31 May in UTC.
    await at('2026-05-31T06:30:00Z');
    expect(await mails('map1193.cure_soon')).toEqual([]);
    // Half past midnight on 31 May, Pacific time.
    await at('2026-05-31T07:30:00Z');
    const soon = await mails('map1193.cure_soon');
    expect(soon.map((m) => m.toAddress)).toEqual([inspector.account.email]);
    expect(soon[0]!.subject).toBe('The cure period for Harbor Motel ends on June 3, 2026');
    expect(soon[0]!.textBody).toContain(`https://heatwatch.example.org/console/map1193/inspections/${business.id}`);
    // The job again, hours later, and in two workers at once: nothing more.
    await at('2026-05-31T15:00:00Z');
    const ctx = contextFor(t.app.services, SYSTEM);
    expect(await Promise.all([sendCureAlerts(ctx), sendCureAlerts(ctx)])).toEqual([0, 0]);
    await at('2026-06-02T20:00:00Z');
    expect(await mails('map1193.cure_soon')).toHaveLength(1);
    expect(await mails('map1193.cure_ends')).toEqual([]);

    await at('2026-06-03T07:05:00Z');
    const ends = await mails('map1193.cure_ends');
    expect(ends.map((m) => [m.toAddress, m.subject])).toEqual([[inspector.account.email, 'The cure period for Harbor Motel ends today, June 3, 2026']]);
    await at('2026-06-03T08:05:00Z');
    await at('2026-06-04T08:05:00Z');
    expect(await mails('map1193.cure_ends')).toHaveLength(1);
    // Delivered through the outbox over real SMTP.
    const delivered = smtp.received.filter((m) => m.envelopeTo.includes(inspector.account.email));
    expect(await Promise.all(delivered.map(async (m) => (await readMail(m.raw)).subject))).toEqual(['The cure period for Harbor Motel ends on June 3, 2026', 'The cure period for Harbor Motel ends today, June 3, 2026']);
  });

  it('e-mail every inspector, each in their language, when the one who sent the notice no longer inspects', async () => {
    await noticeSent(inspector, 'Casa Verde Motel');
    await db().updateTable('accounts').set({ status: 'deactivated' }).where('id', '=', inspector.account.id).execute();
    await at('2026-05-31T16:00:00Z');
    const soon = await mails('map1193.cure_soon');
    expect(soon.map((m) => [m.toAddress, m.subject])).toEqual([[other.account.email, 'El plazo de subsanación de Casa Verde Motel termina el 3 de junio de 2026']]);
  });

  it('stop once the case moves on', async () => {
    const business = await noticeSent(inspector);
    await db().updateTable('mapCases').set({ stage: 'cured' }).where('businessId', '=', business.id).execute();
    await at('2026-05-31T16:00:00Z');
    await at('2026-06-03T16:00:00Z');
    expect(await mails()).toEqual([]);
  });
});

describe('the weekly digest of missing reports', () => {
  async function report(businessId: string, observed: 'missing' | 'posted', receivedAt: string) {
    await db()
      .insertInto('mapReports')
      .values({ id: newId(), businessId, observed, problems: '[]', note: null, judgement: observed === 'missing' ? 'non_compliant' : 'compliant', reasons: '[]', channel: 'public', reporterId: null, actionDayId: null, hasPhoto: 0, observedAt: receivedAt, receivedAt })
      .execute();
  }

  it('goes on Monday morning, office time, only to inspectors who asked, per city, once', async () => {
    const [a, b, c] = await insertBusinesses(db(), [businessRow({ city: 'Riverbend' }), businessRow({ city: 'Alder Creek' }), businessRow({ city: 'Riverbend' })]);
    // The week before Monday 8 June 2026, in California: 1 June 00:00 to 8 June 00:00 (07:00Z).
    await report(a!.id, 'missing', '2026-06-01T07:00:00.000Z');
    await report(c!.id, 'missing', '2026-06-05T12:00:00.000Z');
    await report(b!.id, 'missing', '2026-06-08T06:59:00.000Z');
    await report(b!.id, 'posted', '2026-06-03T12:00:00.000Z');
    await report(a!.id, 'missing', '2026-06-01T06:59:00.000Z');
    await report(a!.id, 'missing', '2026-06-08T07:00:00.000Z');

    const session = await signIn(t, other);
    expect((await session.post('/console/map1193/alerts', { digest: 'yes' })).headers.location).toBe('/console/map1193/alerts?done=1');
    expect((await session.get('/console/map1193/alerts')).body).toMatch(/value="yes" checked/);

    // 7:30 a.m. on Monday in California.
    await at('2026-06-08T14:30:00Z');
    expect(await mails('map1193.missing_digest')).toEqual([]);
    await at('2026-06-08T15:30:00Z');
    const digest = await mails('map1193.missing_digest');
    expect(digest.map((m) => m.toAddress)).toEqual([other.account.email]);
    expect(digest[0]!.subject).toBe('3 reportes nuevos de “ausente” del 1 de junio de 2026 al 7 de junio de 2026');
    expect(digest[0]!.textBody).toContain('- Alder Creek: 1 reporte: https://heatwatch.example.org/console/map1193/inspections?city=Alder%20Creek');
    expect(digest[0]!.textBody).toContain('- Riverbend: 2 reportes:');
    await at('2026-06-08T18:30:00Z');
    expect(await Promise.all([sendMissingDigests(contextFor(t.app.services, SYSTEM)), sendMissingDigests(contextFor(t.app.services, SYSTEM))])).toEqual([0, 0]);
    await at('2026-06-09T15:30:00Z');
    expect(await mails('map1193.missing_digest')).toHaveLength(1);
    const sent = smtp.received.find((m) => m.envelopeTo.includes(other.account.email))!;
    expect((await readMail(sent.raw)).text).toContain('Riverbend: 2 reportes');

    // Turned off: the next Monday sends nothing to anyone.
    await (await signIn(t, other)).post('/console/map1193/alerts', {});
    await report(a!.id, 'missing', '2026-06-10T12:00:00.000Z');
    await at('2026-06-15T16:00:00Z');
    expect(await mails('map1193.missing_digest')).toHaveLength(1);
  });

  it('finds the office midnight across daylight saving', () => {
    expect(officeMidnight('2026-06-08', 'America/Los_Angeles').toISOString()).toBe('2026-06-08T07:00:00.000Z');
    expect(officeMidnight('2026-01-12', 'America/Los_Angeles').toISOString()).toBe('2026-01-12T08:00:00.000Z');
    expect(officeMidnight('2026-03-08', 'America/Los_Angeles').toISOString()).toBe('2026-03-08T08:00:00.000Z');
  });

  it('is a setting only inspectors have', async () => {
    const volunteer = await signIn(t, await createStaff(t, ['volunteer']));
    expect((await volunteer.get('/console/map1193/alerts')).statusCode).toBe(403);
  });
});
