import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../../test/helpers/app.ts';
import { attrOf, parsePage, textOf } from '../../../../test/helpers/html.ts';
import { createStaff, signIn, type SignedIn, type TestStaff } from '../../../../test/helpers/staff.ts';
import { verifyAuditChain } from '../../../core/audit/audit.ts';
import { businessRow, insertBusinesses } from '../testing.ts';
import type { BusinessRow } from '../tables.ts';

// One app for the file: every test makes its own businesses and finds its cases by them.
let t: TestApp;
let inspector: TestStaff;
let session: SignedIn;
const db = () => t.app.services.db;

beforeAll(async () => {
  t = await createTestApp({ env: { BASE_URL: 'https://heatwatch.example.org' } });
  t.clock.set('2026-03-02T17:00:00Z');
  await t.app.services.settings.update({
    officeName: 'Alameda County District Attorney',
    contactAddress: '1225 Fallon Street, Oakland, CA 94612',
    officePhone: '(510) 272-6222',
    noticeThirdLanguage: 'Chinese',
  });
  inspector = await createStaff(t, ['compliance_inspector'], { name: 'Ines Inspector' });
  session = await signIn(t, inspector);
});
afterAll(async () => t.close());

let made = 0;
async function newBusiness(overrides: Partial<BusinessRow> = {}) {
  const [row] = await insertBusinesses(db(), [businessRow({ name: `Letter Motel ${++made}`, address: `${made} Harbor Way`, city: 'Oakland', category: 'hotel', status: 'reported_missing', ...overrides })]);
  return row!;
}
const step = (id: string, action: string, fields: Record<string, string | string[]> = {}) => session.post(`/console/map1193/inspections/${id}/step`, { action, notes: '', ...fields });
const caseOf = (businessId: string) => db().selectFrom('mapCases').selectAll().where('businessId', '=', businessId).orderBy('openedAt', 'desc').executeTakeFirstOrThrow();
const noticeOf = (businessId: string) => db().selectFrom('mapNotices').selectAll().where('businessId', '=', businessId).orderBy('createdAt', 'desc').executeTakeFirstOrThrow();

async function noticeFor(business: BusinessRow) {
  expect((await step(business.id, 'visit_violation', { deficiencies: ['no_text_line', 'missing_spanish'], notes: 'Staff only: manager was rude' })).statusCode).toBe(303);
  expect((await step(business.id, 'send_notice')).statusCode).toBe(303);
  return noticeOf(business.id);
}

/** The letter's page in one language, as a browser reads it. */
function section(letter: string, lang: string) {
  const page = parsePage(letter);
  const found = page.elements.find((e) => e.tagName === 'section' && attrOf(e, 'lang') === lang);
  expect(found, `a section in ${lang}`).toBeDefined();
  return { text: textOf(found!).replace(/\s+/g, ' '), links: page.elements.filter((e) => e.tagName === 'a').map((a) => attrOf(a, 'href')) };
}

describe('the notice of violation', () => {
  it('names every element of the letter in English', async () => {
    const business = await newBusiness();
    const notice = await noticeFor(business);
    const kase = await caseOf(business.id);
    expect(kase.caseNumber).toMatch(/^2026-\d{4}$/);
    const { text, links } = section(notice.letter, 'en');
    for (const part of [
      'Alameda County District Attorney', '1225 Fallon Street, Oakland, CA 94612', '(510) 272-6222', // letterhead
      'Ines Inspector', `Case number${kase.caseNumber}`, 'March 2, 2026',
      `To the owner or operator of ${business.name}`, business.address, 'Oakland',
      'Hotel, motel or bed and breakfast', // category
      'The text line was missing or wrong.', 'The notice was not posted in Spanish.', // deficiencies
      'California Civil Code § 52.6',
      'You have 30 days, until April 1, 2026, to correct the violation.',
      'a civil penalty of $500 will be imposed ($500 for a first offense, $1,000 for each later offense)',
      'https://heatwatch.example.org/map1193/check', 'https://oag.ca.gov/human-trafficking/sb1193',
      '1-888-373-7888', '233733',
    ]) expect(text, part).toContain(part);
    expect(links).toContain('https://heatwatch.example.org/map1193/check');
    // The inspector's notes are for staff, never for the business.
    expect(notice.letter).not.toContain('manager was rude');
  });

  it('names every element in Spanish too, and says plainly that the Chinese text must be added', async () => {
    const business = await newBusiness();
    const notice = await noticeFor(business);
    const kase = await caseOf(business.id);
    const { text } = section(notice.letter, 'es');
    for (const part of [
      'Aviso de infracción', 'Alameda County District Attorney', '(510) 272-6222', 'Ines Inspector', kase.caseNumber!,
      '2 de marzo de 2026', `Al propietario o encargado de ${business.name}`, business.address,
      'Faltaba la línea de mensajes de texto o era incorrecta.', 'Código Civil de California, § 52.6',
      'Tiene 30 días, hasta el 1 de abril de 2026, para corregir la infracción.',
      '500', '1000', 'US$', // Intl writes "500 US$" and "1000 US$" in Spanish
      'https://heatwatch.example.org/es/map1193/check', 'https://oag.ca.gov/human-trafficking/sb1193',
    ]) expect(text, part).toContain(part);
    expect(text).toContain('chino');
    const pages = parsePage(notice.letter).elements.filter((e) => e.tagName === 'section');
    expect(pages.map((p) => attrOf(p, 'lang'))).toEqual(['en', 'es', 'en']);
    expect(textOf(pages[2]!)).toContain('Chinese: translation required');
    expect(textOf(pages[2]!)).toContain(kase.caseNumber!);
  });

  it('keeps the letter as issued, with its SHA-256, after the settings change', async () => {
    const business = await newBusiness();
    const notice = await noticeFor(business);
    expect(notice.sha256).toBe(createHash('sha256').update(notice.letter, 'utf8').digest('hex'));
    const before = await session.get(`/console/map1193/notices/${notice.id}`);
    const logo = { dataUrl: 'data:image/png;base64,iVBORw0KGgo=', width: 10, height: 10 };
    await t.app.services.settings.update({ officeName: 'Renamed Office of the District Attorney', officePhone: '(510) 000-0000', letterheadLogo: logo });
    try {
      const after = await session.get(`/console/map1193/notices/${notice.id}`);
      expect(after.statusCode).toBe(200);
      expect(after.body).toContain('Alameda County District Attorney');
      expect(after.body).toContain('(510) 272-6222');
      expect(after.body).not.toContain('(510) 000-0000');
      expect(after.body).toContain(notice.sha256);
      expect(after.body).toContain('The stored letter is unchanged');
      const letterOf = (html: string) => html.slice(html.indexOf('<div class="notice-letter">'), html.indexOf('</main>'));
      expect(letterOf(after.body)).toBe(letterOf(before.body));
      expect(await noticeOf(business.id)).toEqual(notice);
      expect(after.body).not.toContain(logo.dataUrl);
      // A letter issued now carries the new letterhead, logo and all.
      const later = await noticeFor(await newBusiness());
      expect(later.letter).toContain(`src="${logo.dataUrl}"`);
      expect(later.letter).toContain('Renamed Office of the District Attorney');
    } finally {
      await t.app.services.settings.update({ officeName: 'Alameda County District Attorney', officePhone: '(510) 272-6222', letterheadLogo: null });
    }
    // The audit row of the step carries the letter's hash: the chain vouches for it.
    const row = await db().selectFrom('auditLog').select('detail').where('action', '=', 'map1193.case.send_notice').where('targetId', '=', (await caseOf(business.id)).id).executeTakeFirstOrThrow();
    expect(JSON.parse(row.detail)).toMatchObject({ noticeId: notice.id, letterSha256: notice.sha256 });
    expect((await verifyAuditChain(db())).ok).toBe(true);
  });

  it('shows an altered letter as text, never as markup, and says it does not match', async () => {
    const business = await newBusiness();
    const notice = await noticeFor(business);
    await db().updateTable('mapNotices').set({ letter: `${notice.letter}<img src=x onerror=alert(1)>` }).where('id', '=', notice.id).execute();
    const page = await session.get(`/console/map1193/notices/${notice.id}`);
    expect(page.body).toContain('does not match its SHA-256');
    expect(page.body).not.toContain('<img src=x');
    expect(page.body).toContain('&lt;img src=x');
  });
});

describe('case numbers', () => {
  it('are unique and sequential within the year under 30 parallel case openings', async () => {
    const businesses = await Promise.all(Array.from({ length: 30 }, () => newBusiness()));
    const answers = await Promise.all(businesses.map((b) => step(b.id, 'visit_violation')));
    expect(answers.map((a) => a.statusCode)).toEqual(businesses.map(() => 303));
    const numbers = await Promise.all(businesses.map(async (b) => (await caseOf(b.id)).caseNumber!));
    expect(new Set(numbers).size).toBe(30);
    const seq = numbers.map((n) => Number(n.slice(5))).sort((a, b) => a - b);
    expect(numbers.every((n) => n.startsWith('2026-'))).toBe(true);
    expect(seq).toEqual(Array.from({ length: 30 }, (_, i) => seq[0]! + i));
    const counter = await db().selectFrom('mapCaseCounters').select('last').where('year', '=', 2026).executeTakeFirstOrThrow();
    expect(Number(counter.last)).toBe(seq[29]);
  });

  it('take the year in California: New Year in UTC is still the old year in Oakland', async () => {
    // An app of its own: its clock goes to New Year's Eve and does not come back.
    const own = await createTestApp();
    try {
      own.clock.set('2027-01-01T05:00:00Z');
      const staff = await createStaff(own, ['compliance_inspector']);
      let who = await signIn(own, staff);
      const [late, early] = await insertBusinesses(own.app.services.db, [businessRow({ status: 'reported_missing' }), businessRow({ status: 'reported_missing' })]);
      const visit = (id: string) => who.post(`/console/map1193/inspections/${id}/step`, { action: 'visit_violation', notes: '' });
      const numberOf = async (id: string) => (await own.app.services.db.selectFrom('mapCases').select('caseNumber').where('businessId', '=', id).executeTakeFirstOrThrow()).caseNumber;
      await visit(late!.id);
      expect(await numberOf(late!.id)).toBe('2026-0001');
      own.clock.set('2027-01-01T09:00:00Z');
      who = await signIn(own, staff);
      await visit(early!.id);
      expect(await numberOf(early!.id)).toBe('2027-0001');
    } finally {
      await own.close();
    }
  });
});
