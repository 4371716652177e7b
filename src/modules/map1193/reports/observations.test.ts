import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../../test/helpers/app.ts';
import { multipart, type Part } from '../../../../test/helpers/multipart.ts';
import { createStaff, signIn, type SignedIn } from '../../../../test/helpers/staff.ts';
import { issueFormToken } from '../../../core/http/form-token.ts';
import { dashboard } from '../dashboard/service.ts';
import { businessRow, insertBusinesses } from '../testing.ts';
import type { BusinessRow } from '../tables.ts';

// One report is an observation, never a verdict: the official status, the inspectors' queue,
// the per-client and per-business limits, and what a report says was wrong.
let t: TestApp;
let inspector: SignedIn;
const db = () => t.app.services.db;

beforeAll(async () => {
  t = await createTestApp();
  t.clock.set('2026-05-20T17:00:00Z');
  inspector = await signIn(t, await createStaff(t, ['compliance_inspector']));
});
afterAll(async () => t.close());

const newBusiness = async (overrides: Partial<BusinessRow> = {}) => (await insertBusinesses(db(), [businessRow({ category: 'truck_stop', ...overrides })]))[0]!;

let clients = 0;
const token = () => issueFormToken(t.app.services.secret, 'map1193.report', t.clock.now());
const post = (business: BusinessRow, parts: Part[], options: { ip?: string; locale?: string } = {}) =>
  t.app.inject({
    method: 'POST',
    url: `${options.locale ?? ''}/map1193/businesses/${business.id}/report`,
    remoteAddress: options.ip ?? `198.19.${Math.floor(++clients / 250)}.${(clients % 250) + 1}`,
    ...multipart([['_csrf', token()], ['reportId', randomUUID()], ...parts]),
  });

const official = async (id: string) => (await db().selectFrom('mapBusinesses').select(['status', 'queuedAt']).where('id', '=', id).executeTakeFirstOrThrow());
const queue = async () => (await inspector.get('/console/map1193/inspections')).body;
/** The queue's table row for one business. */
const rowOf = (html: string, id: string) => new RegExp(`<tr><td[^>]*><a href="/console/map1193/inspections/${id}">[\\s\\S]*?</tr>`).exec(html)?.[0];

describe('the official status', () => {
  it('is not changed by a single report, whichever it says; the page shows it beside the community picture', async () => {
    const business = await newBusiness();
    expect((await post(business, [['observed', 'missing']])).statusCode).toBe(200);
    expect(await official(business.id)).toMatchObject({ status: 'unknown' });
    const page = (await t.app.inject({ url: `/map1193/businesses/${business.id}` })).body;
    expect(page).toContain('<dt>Official status</dt><dd><span class="status-badge status-unknown">Not checked yet</span></dd>');
    expect(page).toContain('1 report in the last 90 days: 1 missing');
    expect(page).not.toContain('Reports disagree');

    await post(business, [['observed', 'missing']]);
    await post(business, [['observed', 'posted']]);
    expect(await official(business.id)).toMatchObject({ status: 'unknown' });
    const later = (await t.app.inject({ url: `/map1193/businesses/${business.id}` })).body;
    expect(later).toContain('3 reports in the last 90 days: 2 missing, 1 posted');
    expect(later).toContain('Reports disagree');
    const es = (await t.app.inject({ url: `/es/map1193/businesses/${business.id}` })).body;
    expect(es).toContain('3 reportes en los últimos 90 días: 2 sin aviso, 1 con aviso');
    expect(es).toContain('Los reportes no coinciden');
    expect(es).toContain('<dt>Estado oficial</dt>');
    expect(es).toContain('<a href="/es/map1193/report-status">¿Ya envió un reporte?');
  });

  it('leaves out of the picture reports older than 90 days', async () => {
    const business = await newBusiness();
    await post(business, [['observed', 'posted']]);
    t.clock.advance(91 * 86_400_000);
    try {
      const page = (await t.app.inject({ url: `/map1193/businesses/${business.id}` })).body;
      expect(page).toContain('No reports in the last 90 days.');
    } finally {
      t.clock.set('2026-05-20T17:00:00Z');
    }
  });

  it('changes only through an inspector step, which also takes the business off the queue', async () => {
    const business = await newBusiness();
    await post(business, [['observed', 'missing']]);
    expect((await official(business.id)).queuedAt).not.toBeNull();
    const res = await inspector.post(`/console/map1193/inspections/${business.id}/step`, { action: 'visit_compliant', notes: '' });
    expect(res.statusCode).toBe(303);
    expect(await official(business.id)).toEqual({ status: 'verified_compliant', queuedAt: null });
    expect(rowOf(await queue(), business.id)).toBeUndefined();
  });
});

describe('the inspectors queue', () => {
  it('takes a business in on one credible missing or wrong report', async () => {
    const missing = await newBusiness();
    const wrong = await newBusiness();
    const posted = await newBusiness();
    await post(missing, [['observed', 'missing']]);
    await post(wrong, [['observed', 'wrong'], ['problems', 'hotline_wrong']]);
    await post(posted, [['observed', 'posted']]);
    const html = await queue();
    expect(rowOf(html, missing.id)).toContain('1 report in the last 90 days: 1 missing');
    expect(rowOf(html, wrong.id)).toContain('1 posted but wrong');
    expect(rowOf(html, posted.id)).toBeUndefined();
  });

  it('does not take in a report the rules of its day do not make credible', async () => {
    // A notice without the text line was lawful before 2019; a hotel was not covered before 2019.
    const hotel = await newBusiness({ category: 'hotel' });
    t.clock.set('2018-06-01T17:00:00Z');
    try {
      await post(hotel, [['observed', 'missing']]);
      expect((await official(hotel.id)).queuedAt).toBeNull();
    } finally {
      t.clock.set('2026-05-20T17:00:00Z');
    }
  });

  it('keeps a business whose reports conflict, flagged with the counts, until an inspector steps in', async () => {
    const business = await newBusiness();
    await post(business, [['observed', 'missing']]);
    // Later anonymous "posted" reports take nothing off the queue.
    await post(business, [['observed', 'posted']]);
    await post(business, [['observed', 'posted']]);
    expect(await official(business.id)).toMatchObject({ status: 'unknown' });
    const row = rowOf(await queue(), business.id);
    expect(row).toContain('3 reports in the last 90 days: 2 posted, 1 missing');
    expect(row).toContain('<span class="status-badge reports-disagree">Reports disagree</span>');
    const file = (await inspector.get(`/console/map1193/inspections/${business.id}`)).body;
    expect(file).toContain('Reports disagree');

    await inspector.post(`/console/map1193/inspections/${business.id}/step`, { action: 'visit_violation', notes: '' });
    // An open case keeps it on the queue; the report flag itself is answered.
    expect(rowOf(await queue(), business.id)).toContain('Visited: violation found');
    expect((await official(business.id)).queuedAt).toBeNull();
  });
});

describe('the limits on anonymous reports', () => {
  it('hold per business when thirty reports arrive at once from thirty clients', async () => {
    const business = await newBusiness();
    const answers = await Promise.all(Array.from({ length: 30 }, (_, i) => post(business, [['observed', 'missing'], ['note', `Note ${i}`]], { ip: `203.0.113.${i + 1}` })));
    expect(answers.filter((r) => r.statusCode === 200)).toHaveLength(10);
    const refused = answers.filter((r) => r.statusCode === 429);
    expect(refused).toHaveLength(20);
    expect(refused[0]!.body).toContain('This business has already had many reports today.');
    expect(refused[0]!.body).toContain('value="missing" checked');
    expect(refused[0]!.body).toMatch(/Note \d+<\/textarea>/);
    const stored = await db().selectFrom('mapReports').select('id').where('businessId', '=', business.id).execute();
    expect(stored).toHaveLength(10);
    // In Spanish too.
    const es = await post(business, [['observed', 'posted']], { locale: '/es' });
    expect(es.statusCode).toBe(429);
    expect(es.body).toContain('Este negocio ya recibió muchos reportes hoy.');
  });

  it('hold per client when thirty-five arrive at once from one address', async () => {
    const businesses = await insertBusinesses(db(), Array.from({ length: 35 }, () => businessRow({ category: 'truck_stop' })));
    const answers = await Promise.all(businesses.map((b) => post(b, [['observed', 'posted']], { ip: '2001:db8:99:5::1' })));
    expect(answers.filter((r) => r.statusCode === 200)).toHaveLength(30);
    expect(answers.filter((r) => r.statusCode === 429)).toHaveLength(5);
    const stored = await db().selectFrom('mapReports').select('id').where('businessId', 'in', businesses.map((b) => b.id)).execute();
    expect(stored).toHaveLength(30);
  });

  it('do not count a signed-in volunteer against the business limit', async () => {
    const business = await newBusiness();
    await Promise.all(Array.from({ length: 10 }, (_, i) => post(business, [['observed', 'posted']], { ip: `203.0.114.${i + 1}` })));
    expect((await post(business, [['observed', 'posted']])).statusCode).toBe(429);
    const { submitReport } = await import('../businesses/service.ts');
    const outcome = await submitReport({ db: db(), dialect: t.app.services.dialect, clock: t.clock, settings: t.app.services.settings }, { id: randomUUID(), businessId: business.id, observed: 'missing', problems: [], note: undefined, channel: 'volunteer', reporterId: 'someone' });
    expect(outcome.created).toBe(true);
  });
});

describe('what a report says was wrong', () => {
  it('stores which language, the hotline and the rest, and shows them on the public page and to the inspector', async () => {
    const business = await newBusiness();
    const res = await post(business, [['observed', 'wrong'], ['problems', 'missing_spanish'], ['problems', 'missing_county'], ['problems', 'hotline_wrong'], ['problems', 'hidden']]);
    expect(res.statusCode).toBe(200);
    const [row] = await db().selectFrom('mapReports').select(['problems', 'reasons', 'judgement']).where('businessId', '=', business.id).execute();
    expect(row).toEqual({ problems: 'missing_spanish,missing_county,hotline_wrong,hidden', reasons: 'missing_spanish,missing_county,hotline_wrong,hidden', judgement: 'non_compliant' });
    const page = (await t.app.inject({ url: `/map1193/businesses/${business.id}` })).body;
    expect(page).toContain('(Spanish version missing; Chinese version missing; hotline number missing or wrong; hidden or hard to see)');
    const es = (await t.app.inject({ url: `/es/map1193/businesses/${business.id}` })).body;
    expect(es).toContain('falta la versión en español; falta la versión en el tercer idioma (Chinese)');
    const file = (await inspector.get(`/console/map1193/inspections/${business.id}`)).body;
    expect(file).toContain('Spanish version missing, Chinese version missing, hotline number missing or wrong');
  });

  it('offers each deficiency as a checkbox and each could-not-check answer as a choice, without JavaScript', async () => {
    const business = await newBusiness();
    const page = (await t.app.inject({ url: `/map1193/businesses/${business.id}` })).body;
    for (const p of ['missing_english', 'missing_spanish', 'missing_county', 'hotline_wrong', 'no_text_line', 'too_small', 'hidden']) expect(page).toContain(`type="checkbox" name="problems" value="${p}"`);
    expect(page).not.toContain('value="missing_language"');
    for (const o of ['closed', 'no_access', 'not_this_kind', 'closed_for_good']) expect(page).toContain(`type="radio" name="observed" value="${o}"`);
  });
});

describe('reports that could not check the notice', () => {
  it('go to the data-quality queue, not the inspectors queue, and count toward no compliance figure', async () => {
    const closed = await newBusiness({ city: 'Quality City' });
    const gone = await newBusiness({ city: 'Quality City' });
    const before = await dashboard({ db: db(), clock: t.clock });
    await post(closed, [['observed', 'closed']]);
    await post(closed, [['observed', 'no_access']]);
    await post(gone, [['observed', 'closed_for_good']]);
    const stored = await db().selectFrom('mapReports').select(['judgement', 'reasons']).where('businessId', '=', closed.id).execute();
    expect(stored).toEqual([{ judgement: 'unchecked', reasons: 'not_checked' }, { judgement: 'unchecked', reasons: 'not_checked' }]);
    expect(await official(closed.id)).toEqual({ status: 'unknown', queuedAt: null });
    expect(rowOf(await queue(), closed.id)).toBeUndefined();

    const after = await dashboard({ db: db(), clock: t.clock });
    expect(after.weeks.at(-1)).toEqual(before.weeks.at(-1));
    expect(after.byCity.find((r) => r.label === 'Quality City')).toMatchObject({ compliant: 0, known: 0, total: 2 });
    const csv = (await t.app.inject({ url: '/map1193/businesses.csv' })).body;
    expect(csv.split('\n').find((l) => l.startsWith(closed.id))).toContain(',unknown,');

    const dq = (await inspector.get('/console/map1193/data-quality')).body;
    expect(dq).toContain(closed.name);
    expect(dq).toContain('1 found it closed, 1 could not get in');
    expect(dq).toContain('1 says it has closed for good');
  });

  it('leave the queue by a review: kept stays on the map, removed goes off it, each audited', async () => {
    const kept = await newBusiness();
    const removed = await newBusiness();
    await post(kept, [['observed', 'not_this_kind']]);
    await post(removed, [['observed', 'closed_for_good']]);
    const keep = await inspector.post(`/console/map1193/data-quality/${kept.id}/review`, { outcome: 'kept' });
    expect(keep.statusCode).toBe(303);
    expect(keep.headers.location).toBe('/console/map1193/data-quality?done=kept');
    expect((await inspector.post(`/console/map1193/data-quality/${removed.id}/review`, { outcome: 'removed' })).statusCode).toBe(303);
    const dq = (await inspector.get('/console/map1193/data-quality?done=removed')).body;
    expect(dq).toContain('The business was taken off the map.');
    expect(dq).not.toContain(`/map1193/businesses/${kept.id}"`);
    expect(dq).not.toContain(`/map1193/businesses/${removed.id}"`);
    expect((await t.app.inject({ url: `/map1193/businesses/${kept.id}` })).statusCode).toBe(200);
    expect((await t.app.inject({ url: `/map1193/businesses/${removed.id}` })).statusCode).toBe(404);
    // Nothing left to review: a second decision is refused.
    expect((await inspector.post(`/console/map1193/data-quality/${kept.id}/review`, { outcome: 'removed' })).statusCode).toBe(404);
    expect((await t.app.inject({ url: `/map1193/businesses/${kept.id}` })).statusCode).toBe(200);
    const audit = await db().selectFrom('auditLog').select(['targetId', 'detail']).where('action', '=', 'map1193.data_quality_review').where('targetId', 'in', [kept.id, removed.id]).execute();
    expect(audit).toHaveLength(2);
  });

  it('is a page for inspectors and administrators only', async () => {
    const admin = await signIn(t, await createStaff(t, ['administrator']));
    expect((await admin.get('/console/map1193/data-quality')).statusCode).toBe(200);
    for (const role of ['volunteer', 'outreach_coordinator'] as const) {
      const other = await signIn(t, await createStaff(t, [role]));
      expect((await other.get('/console/map1193/data-quality')).statusCode, role).toBe(403);
      const business = await newBusiness();
      await post(business, [['observed', 'closed']]);
      expect((await other.post(`/console/map1193/data-quality/${business.id}/review`, { outcome: 'removed' })).statusCode, role).toBe(403);
      expect((await t.app.inject({ url: `/map1193/businesses/${business.id}` })).statusCode).toBe(200);
    }
  });
});
