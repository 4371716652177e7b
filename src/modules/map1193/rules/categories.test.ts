import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../../test/helpers/app.ts';
import { createStaff, signIn, type SignedIn } from '../../../../test/helpers/staff.ts';
import { contextFor } from '../../../core/context.ts';
import { listCategories } from './categories.service.ts';
import { csvRows, importBusinesses } from '../import/import.ts';
import { rulesOn } from './service.ts';
import { businessRow, insertBusinesses, RELEASED_CATEGORIES } from '../testing.ts';
import { SNAPSHOT_STALE_MS } from '../businesses/snapshot.ts';

// The kinds of business are data: the 15 the law names today are stored with their names, and
// an administrator adds the next one from the console, without a code change.

let t: TestApp;
let admin: SignedIn;
const db = () => t.app.services.db;
const ADD = '/console/map1193/rules/categories/new';

beforeAll(async () => {
  t = await createTestApp();
  t.clock.set('2026-09-01T18:00:00Z');
  admin = await signIn(t, await createStaff(t, ['administrator']));
});
afterAll(async () => t.close());

const get = async (url: string) => {
  const res = await t.app.inject({ url });
  expect(res.statusCode, url).toBe(200);
  return res.body;
};
const post = (fields: Record<string, string>) => admin.post(ADD, fields, ADD);
const disasterSite = { code: 'disaster_site', name_en: 'Designated disaster or mitigation site', name_es: 'Sitio designado de desastre o mitigación', description_en: 'Since September 1, 2026, designated disaster sites must post the notice.', description_es: '', bill: 'AB 2101 (2026)', effectiveFrom: '2026-09-01' };

describe('the stored kinds of business', () => {
  it('are the 15 the law names, in list order, with their English and Spanish names; businesses keep their codes', async () => {
    const categories = await listCategories({ db: db() });
    expect(categories.map((c) => c.code)).toEqual([...RELEASED_CATEGORIES]);
    expect(categories.find((c) => c.code === 'hotel')?.names).toEqual({ en: 'Hotel, motel or bed and breakfast', es: 'Hotel, motel u hostal (bed and breakfast)' });
    expect(categories.find((c) => c.code === 'personal_care')?.names.en).toBe('Hair, nail, electrolysis, skin care, barbering or cosmetology business');
    expect(categories.find((c) => c.code === 'personal_care')?.descriptions.es).toContain('barbería y cosmetología');
    const [bar] = await insertBusinesses(db(), [businessRow({ name: 'Stored Code Bar', category: 'bar' })]);
    expect(await get(`/map1193/businesses/${bar!.id}`)).toContain('<dd>Bar or nightclub (on-sale general public premises)</dd>');
    expect(await get(`/es/map1193/businesses/${bar!.id}`)).toContain('<dd>Bar o club nocturno (licencia general para consumo en el local)</dd>');
  });
});

describe('adding a kind of business', () => {
  it('asks for a code, a name in each language, the bill and the day, and is for administrators only', async () => {
    const form = await admin.get(ADD);
    expect(form.statusCode).toBe(200);
    for (const name of ['code', 'name_en', 'name_es', 'description_en', 'description_es', 'bill', 'effectiveFrom']) expect(form.body).toContain(`name="${name}"`);
    expect(form.body).toContain('Name in English');
    expect(form.body).toContain('Name in Español');
    expect(form.body).toContain('value="2026-09-01"');
    expect(await admin.get('/console/map1193/rules').then((r) => r.body)).toContain(`href="${ADD}"`);
    // The import permission is not the rules permission.
    const inspector = await signIn(t, await createStaff(t, ['compliance_inspector']));
    expect((await inspector.get(ADD)).statusCode).toBe(403);
    expect((await inspector.post(ADD, disasterSite, '/console/map1193/import')).statusCode).toBe(403);
    expect(await listCategories({ db: db() })).toHaveLength(15);
  });

  it('refuses a bad code, a missing name or a taken code, with the form as typed', async () => {
    const bad = await post({ ...disasterSite, code: 'Disaster Site!', name_es: ' ' });
    expect(bad.statusCode).toBe(422);
    expect(bad.body).toContain('Enter a code of 2 to 40 lower-case letters, digits and underscores, starting with a letter.');
    expect(bad.body).toContain('Enter the name in this language.');
    expect(bad.body).toContain('value="Disaster Site!"');
    expect(bad.body).toContain('value="Designated disaster or mitigation site"');
    const taken = await post({ ...disasterSite, code: 'bar' });
    expect(taken.statusCode).toBe(422);
    expect(taken.body).toContain('There is already a kind of business with the code bar.');
    expect(taken.body).toContain('value="AB 2101 (2026)"');
    expect(await listCategories({ db: db() })).toHaveLength(15);
  });

  it('stores it covered from its day, and every list, check, import and export offers it', async () => {
    const res = await post(disasterSite);
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe('/console/map1193/rules?done=added');
    const stored = (await listCategories({ db: db() })).at(-1);
    expect(stored).toMatchObject({ code: 'disaster_site', names: { en: disasterSite.name_en, es: disasterSite.name_es }, descriptions: { en: disasterSite.description_en } });
    expect((await rulesOn({ db: db() }, '2026-08-31')).categories.has('disaster_site')).toBe(false);
    expect((await rulesOn({ db: db() }, '2026-09-01')).categories.get('disaster_site')).toMatchObject({ bill: 'AB 2101 (2026)', since: '2026-09-01', exception: null });

    const rules = (await admin.get('/console/map1193/rules?done=added')).body;
    expect(rules).toContain('Kind of business added.');
    expect(rules).toContain('Designated disaster or mitigation site <code>disaster_site</code>');
    expect((await admin.get('/console/map1193/rules/categories/disaster_site')).statusCode).toBe(200);
    expect((await admin.get('/console/map1193/import')).body).toContain('<option value="disaster_site">Designated disaster or mitigation site</option>');

    // Public pages, in both languages.
    expect(await get('/map1193')).toContain('<option value="disaster_site">Designated disaster or mitigation site</option>');
    expect(await get('/es/map1193')).toContain('<option value="disaster_site">Sitio designado de desastre o mitigación</option>');
    expect(await get('/map1193/check')).toContain('value="disaster_site"');
    const answer = await get('/map1193/check?category=disaster_site');
    expect(answer).toContain('Yes: the law covers this business (Designated disaster or mitigation site).');
    expect(answer).toContain('Since September 1, 2026, designated disaster sites must post the notice.');
    // No Spanish description was written: the page shows none rather than another language's.
    const respuesta = await get('/es/map1193/check?category=disaster_site');
    expect(respuesta).toContain('Sí: la ley incluye este negocio (Sitio designado de desastre o mitigación).');
    expect(respuesta).not.toContain('designated disaster sites must post');

    // Imports take its code; a report on such a business is judged by the rules of its day.
    const ctx = contextFor(t.app.services, { id: 'admin-categories', label: 'Admin' });
    const report = await importBusinesses(ctx, { rows: csvRows(['external_id,name,city,category\nds-1,County Shelter,Demo City,disaster_site\nds-2,Bakery,Demo City,bakery\n'], {}), source: 'disaster-sites' });
    expect(report).toMatchObject({ inserted: 1, rejected: [{ row: 3, reason: 'unknown_category' }] });
    const shelter = await db().selectFrom('mapBusinesses').select(['id', 'category']).where('source', '=', 'disaster-sites').executeTakeFirstOrThrow();
    expect(shelter.category).toBe('disaster_site');
    expect(await get(`/map1193/businesses/${shelter.id}`)).toContain('<dd>Designated disaster or mitigation site</dd>');
    expect(await get('/map1193?category=disaster_site')).toContain('County Shelter');

    // Open data names it; the map API filters by it.
    expect(await get('/map1193/businesses.csv')).toMatch(/County Shelter,.*,disaster_site,.*,Designated disaster or mitigation site\r?\n/);
    const api = await t.app.inject({ url: '/api/map1193/businesses?bbox=-180,-90,180,90&zoom=15&category=disaster_site' });
    expect(api.statusCode).toBe(200);
  });
});

describe('the cached list page and the categories', () => {
  const tattoo = { ...disasterSite, code: 'tattoo_studio', name_en: 'Tattoo or body-art studio', name_es: 'Estudio de tatuajes o arte corporal', description_en: '', bill: 'AB 9 (2026)' };

  it('shows a kind of business in its filter as soon as an administrator adds it, in every language', async () => {
    // Both locales' default pages are rendered and cached first: the defect was a stale cache.
    expect(await get('/map1193')).not.toContain('value="tattoo_studio"');
    expect(await get('/es/map1193')).not.toContain('value="tattoo_studio"');
    expect((await post(tattoo)).statusCode).toBe(303);
    expect(await get('/map1193')).toContain('<option value="tattoo_studio">Tattoo or body-art studio</option>');
    expect(await get('/es/map1193')).toContain('<option value="tattoo_studio">Estudio de tatuajes o arte corporal</option>');
  });

  it('shows a category renamed by another writer (a hand-written UPDATE, another instance) within the freshness bound', async () => {
    const code = 'pier_kiosk';
    expect((await post({ ...tattoo, code, name_en: 'Pier kiosk', name_es: 'Quiosco del muelle' })).statusCode).toBe(303);
    expect(await get('/map1193')).toContain('<option value="pier_kiosk">Pier kiosk</option>');
    await db().updateTable('mapCategories').set({ names: JSON.stringify({ en: 'Pier or boardwalk kiosk', es: 'Quiosco del muelle o paseo' }) }).where('code', '=', code).execute();
    // This process learns of another writer's change the next time it reads the version.
    t.clock.advance(SNAPSHOT_STALE_MS);
    expect(await get('/map1193')).toContain('<option value="pier_kiosk">Pier or boardwalk kiosk</option>');
    expect(await get('/es/map1193')).toContain('<option value="pier_kiosk">Quiosco del muelle o paseo</option>');
  });
});
