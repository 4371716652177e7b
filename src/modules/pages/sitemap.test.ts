import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/helpers/app.ts';
import { PAGE_SLUGS } from './content.ts';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => t.close());

const locs = (xml: string) => [...xml.matchAll(/<loc>([^<]*)<\/loc>/g)].map((m) => new URL(m[1]!).pathname);
const PUBLIC = ['/', ...PAGE_SLUGS.map((s) => `/${s}`), '/news', '/tip', '/map1193', '/map1193/check', '/map1193/notice', '/map1193/report-status', '/events', '/subscribe', '/trainings/request'];

describe('robots.txt', () => {
  it('keeps crawlers out of the tip follow-up in every language, the console, setup and the API, and names the sitemap', async () => {
    const res = await t.app.inject({ url: '/robots.txt' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('text/plain; charset=utf-8');
    const lines = res.body.split('\n');
    expect(lines[0]).toBe('User-agent: *');
    for (const path of ['/tip/follow-up', '/es/tip/follow-up', '/console', '/setup', '/api/']) expect(lines).toContain(`Disallow: ${path}`);
    // The public site stays open: nothing disallows "/" or a public page.
    expect(lines.filter((l) => l.startsWith('Disallow:')).map((l) => l.slice(10))).not.toContain('/');
    expect(lines).toContain(`Sitemap: ${t.app.services.config.baseUrl}/sitemap.xml`);
  });
});

describe('sitemap.xml', () => {
  it('lists every public page in every language, with its alternates, and no private page', async () => {
    const res = await t.app.inject({ url: '/sitemap.xml' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('application/xml; charset=utf-8');
    const paths = locs(res.body);
    const expected = [...PUBLIC, ...PUBLIC.map((p) => (p === '/' ? '/es/' : `/es${p}`))];
    expect([...paths].sort()).toEqual([...expected].sort());
    expect(paths.filter((p) => /follow-up|console|setup|\/api\//.test(p))).toEqual([]);
    expect(res.body).toContain(`<xhtml:link rel="alternate" hreflang="es" href="${t.app.services.config.baseUrl}/es/who-it-affects"/>`);
    // Every listed page answers.
    for (const path of paths) expect((await t.app.inject({ url: path })).statusCode, path).toBe(200);
  });

  it('lists only the languages the office has turned on', async () => {
    await t.app.services.settings.update({ languages: ['en'] });
    try {
      const paths = locs((await t.app.inject({ url: '/sitemap.xml' })).body);
      expect(paths.length).toBe(PUBLIC.length);
      expect(paths.some((p) => p.startsWith('/es'))).toBe(false);
      expect((await t.app.inject({ url: '/sitemap.xml' })).body).not.toContain('hreflang');
    } finally {
      await t.app.services.settings.update({ languages: ['en', 'es'] });
    }
  });
});
