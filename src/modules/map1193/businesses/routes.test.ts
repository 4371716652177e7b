import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../../test/helpers/app.ts';
import { businessRow, insertBusinesses } from '../testing.ts';
import type { BusinessRow } from '../tables.ts';

let t: TestApp;
let motel: BusinessRow;
let inactive: BusinessRow;
beforeAll(async () => {
  t = await createTestApp();
  const rows = [
    businessRow({ name: 'Café Ñandú Massage', address: '12 Harbor Way', city: 'Testburg', category: 'massage', status: 'reported_missing' }),
    businessRow({ name: 'Harbor Motel', address: '3 Pier Road', city: 'Sampleville', category: 'hotel', status: 'verified_compliant' }),
    businessRow({ name: '<script>alert(1)</script> Bar', city: 'Sampleville', category: 'bar', lat: null, lng: null }),
    businessRow({ name: 'Closed Truck Stop', city: 'Testburg', category: 'truck_stop', active: 0 }),
    // 30 more so the list has two pages of 25.
    ...Array.from({ length: 30 }, (_, i) => businessRow({ name: `Paged Bar ${String(i).padStart(2, '0')}`, city: 'Pagetown', category: 'bar' })),
  ];
  await insertBusinesses(t.app.services.db, rows);
  motel = rows[1]!;
  inactive = rows[3]!;
});
afterAll(async () => t.close());

const get = (url: string) => t.app.inject({ url });
const names = (html: string) => [...html.matchAll(/<td[^>]*><a href="[^"]+">([^<]+)<\/a><\/td>/g)].map((m) => m[1]);

describe('the public list', () => {
  it('renders without JavaScript: every business in a table, map container hidden, no inline styles', async () => {
    const res = await get('/map1193');
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('<h1>MAP1193: hotline notice map</h1>');
    expect(res.body).toContain('33 businesses listed.');
    expect(res.body).toMatch(/<section[^>]*id="map-section" hidden/);
    expect(res.body).toMatch(/<script src="\/assets\/map1193-[0-9a-f]{10}\.js" defer>/);
    expect(res.body).not.toMatch(/\sstyle="/);
    expect(res.body).not.toContain('<style');
    expect(res.body).not.toContain('<script>alert');
    expect(res.body).toContain('&lt;script>alert(1)&lt;/script> Bar');
    expect(names(res.body)).toHaveLength(25);
    expect(res.body).not.toContain('Closed Truck Stop');
  });

  it('passes the tile URL, attribution and map centre to the island through data attributes', async () => {
    const html = (await get('/map1193')).body;
    expect(html).toContain('data-tile-url="https://tile.openstreetmap.org/{z}/{x}/{y}.png"');
    expect(html).toContain('data-lat="37.8044"');
    expect(html).toContain('data-api="/api/map1193/businesses"');
  });

  it('searches name, address and city, ignoring case and accents', async () => {
    expect(names((await get('/map1193?q=cafe%20nandu')).body)).toEqual(['Café Ñandú Massage']);
    expect(names((await get('/map1193?q=HARBOR')).body)).toEqual(['Café Ñandú Massage', 'Harbor Motel']);
    expect(names((await get('/map1193?q=pier')).body)).toEqual(['Harbor Motel']);
    expect(names((await get('/map1193?q=testburg')).body)).toEqual(['Café Ñandú Massage']);
    expect(names((await get('/map1193?q=50%25')).body)).toEqual([]);
  });

  it('filters by category, city and status, and keeps the filters in the form', async () => {
    expect(names((await get('/map1193?category=hotel')).body)).toEqual(['Harbor Motel']);
    expect(names((await get('/map1193?status=reported_missing')).body)).toEqual(['Café Ñandú Massage']);
    const html = (await get('/map1193?city=Sampleville&category=bar')).body;
    expect(names(html)).toEqual(['&lt;script>alert(1)&lt;/script> Bar']);
    expect(html).toContain('<option value="Sampleville" selected>');
    expect(html).toContain('1 business matches your search.');
    // A filter value that is not one of ours is dropped, not an error page.
    expect((await get('/map1193?status=nonsense&page=-3')).statusCode).toBe(200);
  });

  it('paginates with links that keep the search', async () => {
    const first = (await get('/map1193?city=Pagetown')).body;
    expect(names(first)).toHaveLength(25);
    expect(first).toContain('href="/map1193?city=Pagetown&amp;page=2"');
    const second = (await get('/map1193?city=Pagetown&page=2')).body;
    expect(names(second)).toEqual(['Paged Bar 25', 'Paged Bar 26', 'Paged Bar 27', 'Paged Bar 28', 'Paged Bar 29']);
    expect(second).toContain('<span aria-current="page">Page 2</span>');
    expect(second).toContain('rel="prev"');
  });

  it('is translated into Spanish', async () => {
    const html = (await get('/es/map1193?category=hotel')).body;
    expect(html).toMatch(/<html lang="es"/);
    expect(html).toContain('MAP1193: mapa del aviso de la línea de ayuda');
    expect(html).toContain('Cumplimiento verificado');
    expect(html).toContain('Hotel, motel u hostal (bed and breakfast)');
    expect(html).toContain(`href="/es/map1193/businesses/${motel.id}"`);
    expect(html).toContain('data-business-base="/es/map1193/businesses/"');
  });

  it('is in the site menu', async () => {
    expect((await get('/')).body).toMatch(/<a href="\/map1193"[^>]*>MAP1193<\/a>/);
  });
});

describe('a business page', () => {
  it('shows the category, why the law covers it, since when, and the status', async () => {
    const html = (await get(`/map1193/businesses/${motel.id}`)).body;
    expect(html).toContain('<h1>Harbor Motel</h1>');
    expect(html).toContain('Hotel, motel or bed and breakfast');
    expect(html).toContain('Since January 1, 2019, hotels, motels and bed and breakfast inns must post the notice');
    expect(html).toContain('Covered since January 1, 2019 (AB 260).');
    expect(html).toContain('status-verified_compliant');
    expect(html).toMatch(/<input type="hidden" name="reportId" value="[0-9a-f-]{36}"\/>/);
    expect(html).toContain('enctype="multipart/form-data"');
  });

  it('gives every rendering a fresh report id', async () => {
    const id = (html: string) => /name="reportId" value="([^"]+)"/.exec(html)?.[1];
    expect(id((await get(`/map1193/businesses/${motel.id}`)).body)).not.toBe(id((await get(`/map1193/businesses/${motel.id}`)).body));
  });

  it('answers 404 for an unknown, malformed or inactive business, in the visitor language', async () => {
    expect((await get('/map1193/businesses/AAAAAAAAAAAAAAAAAAAAAA')).statusCode).toBe(404);
    expect((await get('/map1193/businesses/..%2F..%2Fetc')).statusCode).toBe(404);
    expect((await get(`/map1193/businesses/${inactive.id}`)).statusCode).toBe(404);
    const es = await get('/es/map1193/businesses/AAAAAAAAAAAAAAAAAAAAAA');
    expect(es.statusCode).toBe(404);
    expect(es.body).toContain('Página no encontrada');
  });

  it('is translated into Spanish', async () => {
    const html = (await get(`/es/map1193/businesses/${motel.id}`)).body;
    expect(html).toContain('Por qué la ley lo incluye');
    expect(html).toContain('Incluido desde el 1 de enero de 2019 (AB 260).');
    expect(html).toContain(`action="/es/map1193/businesses/${motel.id}/report"`);
  });
});

describe('does the law cover my business?', () => {
  it('starts with the kinds of business', async () => {
    const html = (await get('/map1193/check')).body;
    expect(html).toContain('<legend>What kind of business is it?</legend>');
    expect((html.match(/name="category"/g) ?? []).length).toBe(15);
  });

  it('answers at once for a kind without exceptions, with the date the rule came into force', async () => {
    const html = (await get('/map1193/check?category=pediatric_care')).body;
    expect(html).toContain('Yes: the law covers this business (Pediatric care facility).');
    expect(html).toContain('It has applied since January 1, 2024 (AB 1740).');
    expect(html).toContain('href="/map1193/notice"');
  });

  it('asks the exception question for massage and bars', async () => {
    const question = (await get('/map1193/check?category=massage')).body;
    expect(question).toContain('Is every person who gives massage there certified by the California Massage Therapy Council?');
    expect(question).toContain('<input type="hidden" name="category" value="massage"/>');
    expect((await get('/map1193/check?category=massage&answer=yes')).body).toContain('No: the law does not require the notice');
    expect((await get('/map1193/check?category=massage&answer=no')).body).toContain('Yes: the law covers this business');
    expect((await get('/map1193/check?category=bar&answer=yes')).body).toContain('Yes: the law covers this business');
    expect((await get('/map1193/check?category=bar&answer=no')).body).toContain('Only bars and nightclubs with an on-sale general public premises license are covered.');
  });

  it('re-asks with a message on bad input', async () => {
    const bad = await get('/map1193/check?category=bakery');
    expect(bad.statusCode).toBe(422);
    expect(bad.body).toContain('Choose the kind of business.');
    const noAnswer = await get('/map1193/check?category=bar&answer=maybe');
    expect(noAnswer.statusCode).toBe(422);
    expect(noAnswer.body).toContain('Answer yes or no.');
  });

  it('is translated into Spanish', async () => {
    expect((await get('/es/map1193/check?category=hotel')).body).toContain('Sí: la ley incluye este negocio (Hotel, motel u hostal (bed and breakfast)).');
  });
});

describe('the printable notice', () => {
  it('prints English, Spanish and the county language (Chinese) with the hotline numbers of the rules in force', async () => {
    const html = (await get('/map1193/notice')).body;
    expect(html).toMatch(/<link rel="stylesheet" href="\/assets\/map1193-notice-[0-9a-f]{10}\.css"\/>/);
    expect(html).toContain('<section class="notice-sheet" lang="en"');
    expect(html).toContain('<section class="notice-sheet" lang="es"');
    expect(html).toContain('<section class="notice-sheet" lang="zh-Hant"');
    expect(html).toContain('text 233733');
    expect(html).toContain('call the National Human Trafficking Hotline at 1-888-373-7888');
    expect(html).toContain('1-888-KEY-2-FREE or 1-888-539-2373');
    expect(html).toContain('envíe un mensaje de texto al 233733');
    expect(html).toContain('請傳送簡訊至 233733');
    expect(html).toContain('at least 8.5 by 11 inches, in type of at least 16 points, in English, Spanish and Chinese');
  });

  it('prints one language on request', async () => {
    const html = (await get('/map1193/notice?lang=es')).body;
    expect(html).toContain('lang="es"');
    expect(html).not.toContain('<section class="notice-sheet" lang="en"');
  });

  it('falls back to English and Spanish, with a note, for a third language it has no text for', async () => {
    await t.app.services.settings.update({ noticeThirdLanguage: 'Vietnamese' });
    try {
      const html = (await get('/map1193/notice')).body;
      expect(html).toContain('We do not have the notice text in Vietnamese yet.');
      expect((html.match(/class="notice-sheet"/g) ?? []).length).toBe(2);
    } finally {
      await t.app.services.settings.update({ noticeThirdLanguage: 'Chinese' });
    }
  });

  it('prints on letter paper by default and on legal paper on request (test/e2e/map1193-notice-print.test.ts prints both)', async () => {
    const html = (await get('/map1193/notice?lang=es')).body;
    expect(html).toContain('<body class="map1193-notice notice-paper-letter">');
    expect(html).toContain('href="/map1193/notice?lang=es&amp;paper=legal"');
    const legal = (await get('/map1193/notice?lang=es&paper=legal')).body;
    expect(legal).toContain('<body class="map1193-notice notice-paper-legal">');
    expect(legal).toContain('href="/map1193/notice?lang=en&amp;paper=legal"');
    expect((await get('/map1193/notice?paper=a4')).body).toContain('notice-paper-letter');
    const href = /href="(\/assets\/map1193-notice-[0-9a-f]{10}\.css)"/.exec(html)![1]!;
    const css = (await get(href)).body;
    expect(css).toMatch(/@page\s*{\s*size:\s*letter/);
    expect(css).toMatch(/@page legal\s*{\s*size:\s*legal/);
  });

  it('prints the version in force before 2019 with the hotline as it was then called and no text line', async () => {
    const now = t.clock.now();
    t.clock.set(new Date('2018-06-01T19:00:00Z'));
    try {
      const page = (await get('/map1193/notice')).body;
      // The sheets only: the site's hotline bar shows today's numbers on every page.
      const html = page.slice(page.indexOf('<section class="notice-sheet"'), page.indexOf('</main>'));
      expect(html).toContain('call the National Human Trafficking Resource Center at 1-888-373-7888');
      expect(html).toContain('llame al Centro Nacional de Recursos contra la Trata de Personas al 1-888-373-7888');
      expect(html).not.toContain('Human Trafficking Hotline');
      expect(html).not.toContain('233733');
    } finally {
      t.clock.set(now);
    }
  });

  it('is translated into Spanish around the notice', async () => {
    expect((await get('/es/map1193/notice')).body).toContain('Imprimir el aviso de la línea de ayuda');
  });
});
