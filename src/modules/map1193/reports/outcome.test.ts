import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../../test/helpers/app.ts';
import { multipart, type Part } from '../../../../test/helpers/multipart.ts';
import { createStaff, csrfFrom, signIn, type SignedIn, type TestStaff } from '../../../../test/helpers/staff.ts';
import { hmac } from '../../../core/crypto/server-secret.ts';
import { issueFormToken } from '../../../core/http/form-token.ts';
import { businessRow, insertBusinesses } from '../testing.ts';
import type { BusinessRow } from '../tables.ts';
import { codeHash, newOutcomeCode, normalizeCode } from './outcome.service.ts';

// The reporter learns the outcome: an anonymous reporter by a short code, a signed-in volunteer
// on a page of their own. Neither shows other reporters, their words, or who the inspector was.
let t: TestApp;
let inspectorStaff: TestStaff;
const db = () => t.app.services.db;

beforeAll(async () => {
  t = await createTestApp();
  t.clock.set('2026-05-20T17:00:00Z');
  inspectorStaff = await createStaff(t, ['compliance_inspector'], { name: 'Inspector Quentin Vale', email: 'quentin.vale@example.org' });
});
afterAll(async () => t.close());

const newBusiness = async () => (await insertBusinesses(db(), [businessRow({ category: 'truck_stop' })]))[0]!;
let clients = 0;
const nextIp = () => `198.20.${Math.floor(++clients / 250)}.${(clients % 250) + 1}`;

/** An anonymous report; answers the code its thank-you page shows. */
async function report(business: BusinessRow, parts: Part[], locale = ''): Promise<string> {
  const res = await t.app.inject({
    method: 'POST',
    url: `${locale}/map1193/businesses/${business.id}/report`,
    remoteAddress: nextIp(),
    ...multipart([['_csrf', issueFormToken(t.app.services.secret, 'map1193.report', t.clock.now())], ['reportId', randomUUID()], ...parts]),
  });
  expect(res.statusCode).toBe(200);
  return /<p class="report-code"><strong>([0-9A-Z-]+)<\/strong>/.exec(res.body)![1]!;
}

/** The public lookup, as its form posts it. */
async function lookUp(code: string, options: { locale?: string; ip?: string } = {}) {
  const page = await t.app.inject({ url: `${options.locale ?? ''}/map1193/report-status` });
  return t.app.inject({
    method: 'POST',
    url: `${options.locale ?? ''}/map1193/report-status`,
    remoteAddress: options.ip ?? nextIp(),
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    payload: new URLSearchParams({ _csrf: csrfFrom(page.body), code }).toString(),
  });
}

/** An inspector's step, signed in afresh: the tests move the clock past a session's idle limit. */
const step = async (businessId: string, action: string, notes = '') => (await signIn(t, inspectorStaff)).post(`/console/map1193/inspections/${businessId}/step`, { action, notes });

describe('the outcome code', () => {
  it('is random, in two groups of five, and read back forgivingly', () => {
    const codes = new Set(Array.from({ length: 200 }, newOutcomeCode));
    expect(codes.size).toBe(200);
    for (const code of codes) expect(code).toMatch(/^[0-9A-HJKMNP-TV-Z]{5}-[0-9A-HJKMNP-TV-Z]{5}$/);
    expect(normalizeCode(' abcde fgh1o ')).toBe('ABCDEFGH10');
    expect(normalizeCode('ABCDE-FGH1')).toBeUndefined();
    expect(normalizeCode('ABCDE-FGHU1')).toBeUndefined();
  });

  it('is stored only as an HMAC with the server secret', async () => {
    const business = await newBusiness();
    const code = await report(business, [['observed', 'missing']]);
    const [row] = await db().selectFrom('mapReports').select('lookupHash').where('businessId', '=', business.id).execute();
    expect(row!.lookupHash).toBe(hmac(t.app.services.secret, 'map1193.report-code', code.replace('-', '')));
    expect(row!.lookupHash).toBe(codeHash(t.app.services.secret, code.toLowerCase()));
    expect(JSON.stringify(await db().selectFrom('mapReports').selectAll().where('businessId', '=', business.id).execute())).not.toContain(code.replace('-', ''));
  });

  it("shows the report's own state, then the office's step, and nothing else", async () => {
    const business = await newBusiness();
    const mine = await report(business, [['observed', 'wrong'], ['problems', 'missing_spanish'], ['note', 'My own note']]);
    // Another visitor's report on the same business, with words of their own.
    await report(business, [['observed', 'posted'], ['note', 'Someone else wrote this']]);

    const waiting = await lookUp(mine);
    expect(waiting.statusCode).toBe(200);
    expect(waiting.body).toContain(`Your report about ${business.name}`);
    expect(waiting.body).toContain('you reported: It is posted, but not as the law requires (Spanish version missing)');
    expect(waiting.body).toContain("The business is on the inspectors' list for a visit.");

    t.clock.advance(86_400_000);
    expect((await step(business.id, 'visit_violation', 'Spoke with the manager, Ms. Oakley')).statusCode).toBe(303);
    const followed = await lookUp(mine.toLowerCase().replace('-', ' '));
    expect(followed.body).toContain('The office followed up.');
    expect(followed.body).toContain('May 21, 2026: An inspector visited and found the notice missing or wrong.');
    for (const secret of ['Someone else wrote this', 'My own note', 'Oakley', 'Quentin', 'Vale', 'quentin.vale', 'Reports disagree', '2 reports']) expect(followed.body).not.toContain(secret);

    const es = await lookUp(mine, { locale: '/es' });
    expect(es.body).toContain(`Su reporte sobre ${business.name}`);
    expect(es.body).toContain('La oficina dio seguimiento.');
    expect(es.body).toContain('Un inspector visitó el negocio y encontró que el aviso falta o es incorrecto.');
  });

  it('tells a report that needs no visit, and one passed to the data team', async () => {
    const business = await newBusiness();
    expect((await lookUp(await report(business, [['observed', 'posted']]))).body).toContain('Recorded. A report that the notice is posted');
    const closed = await report(business, [['observed', 'closed']]);
    expect((await lookUp(closed)).body).toContain("Passed to the office's data team");
    await (await signIn(t, inspectorStaff)).post(`/console/map1193/data-quality/${business.id}/review`, { outcome: 'kept' });
    expect((await lookUp(closed)).body).toContain('The listing was checked and stays on the map.');
  });

  it('refuses a wrong or malformed code with a message, the code not echoed', async () => {
    const wrong = await lookUp('ZZZZZ-ZZZZZ');
    expect(wrong.statusCode).toBe(422);
    expect(wrong.body).toContain('No report has this code.');
    expect(wrong.body).not.toContain('ZZZZZ');
    const malformed = await lookUp('hello');
    expect(malformed.statusCode).toBe(422);
    expect(malformed.body).toContain('Enter the code as you were given it');
    const es = await lookUp('ZZZZZ-ZZZZZ', { locale: '/es' });
    expect(es.body).toContain('Ningún reporte tiene este código.');
  });

  it('is looked up at most ten times an hour per client (an IPv6 client by its /64), right or wrong', async () => {
    const business = await newBusiness();
    const code = await report(business, [['observed', 'missing']]);
    const answers = await Promise.all(Array.from({ length: 12 }, (_, i) => lookUp(i % 2 ? code : 'ZZZZZ-ZZZZZ', { ip: `2001:db8:44:7::${i + 1}` })));
    expect(answers.filter((r) => r.statusCode === 429)).toHaveLength(2);
    const refused = answers.find((r) => r.statusCode === 429)!;
    expect(refused.body).toContain('Too many codes were tried from your connection.');
    expect(refused.headers['retry-after']).toBeDefined();
    expect((await lookUp(code, { ip: '2001:db8:44:8::1' })).statusCode).toBe(200);
  });

  it('refuses a lookup posted without the form token', async () => {
    const res = await t.app.inject({ method: 'POST', url: '/map1193/report-status', remoteAddress: nextIp(), headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: 'code=ZZZZZ-ZZZZZ' });
    expect(res.statusCode).toBe(422);
    expect(res.body).toContain('This form was open too long or did not come from this site.');
  });
});

describe("a volunteer's own reports", () => {
  it("lists the volunteer's reports, not anyone else's, each with what the office did", async () => {
    const business = await newBusiness();
    const other = await newBusiness();
    const volunteerStaff = await createStaff(t, ['volunteer']);
    let volunteer = await signIn(t, volunteerStaff);
    const send = async (who: SignedIn, target: BusinessRow, parts: Part[]) => {
      const url = `/console/map1193/businesses/${target.id}/report`;
      const page = (await who.get(url)).body;
      const body = multipart([['_csrf', csrfFrom(page)], ['reportId', /name="reportId" value="([^"]+)"/.exec(page)![1]!], ...parts]);
      return t.app.inject({ method: 'POST', url, headers: { ...body.headers, cookie: who.cookie }, payload: body.payload });
    };
    expect((await send(volunteer, business, [['observed', 'missing']])).statusCode).toBe(303);
    const someoneElse = await signIn(t, await createStaff(t, ['volunteer']));
    await send(someoneElse, other, [['observed', 'posted']]);

    const before = (await volunteer.get('/console/map1193/my-reports')).body;
    expect(before).toContain(business.name);
    expect(before).not.toContain(other.name);
    expect(before).toContain("The business is on the inspectors' list for a visit.");

    t.clock.advance(86_400_000);
    await step(business.id, 'visit_compliant', 'Met Quentin at the door');
    volunteer = await signIn(t, volunteerStaff);
    const after = (await volunteer.get('/console/map1193/my-reports')).body;
    expect(after).toContain('An inspector visited and found the notice posted as the law requires.');
    expect(after).not.toContain('Quentin');
    const es = await t.app.inject({ url: '/console/map1193/my-reports', headers: { cookie: volunteer.cookie, 'accept-language': 'es' } });
    expect(es.statusCode).toBe(200);
  });

  it('is a page for signed-in reporters', async () => {
    const res = await t.app.inject({ url: '/console/map1193/my-reports' });
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toContain('/console/sign-in');
  });
});
