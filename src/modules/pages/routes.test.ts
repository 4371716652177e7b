import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/helpers/app.ts';
import { PAGE_SLUGS } from './content.ts';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => t.close());

const paths = ['/', ...PAGE_SLUGS.map((s) => `/${s}`)];

describe('public pages', () => {
  it.each(paths)('%s renders in English with hotlines, quick exit and alternates', async (p) => {
    const res = await t.app.inject({ url: p });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
    const html = res.body;
    expect(html).toMatch(/^<!doctype html><html lang="en" dir="ltr">/);
    expect(html).toContain('href="tel:+18883737888"');
    expect(html).toContain('href="sms:233733"');
    expect(html).toContain('href="tel:911"');
    expect(html).toContain('href="tel:5550100199"');
    expect(html).toMatch(/<a class="quick-exit"[^>]*href="https:\/\/www\.google\.com\/"/);
    expect(html).toContain('<a class="skip-link" href="#main">Skip to main content</a>');
    expect(html).toMatch(/<link rel="alternate" hreflang="es" href="\/es\//);
    expect((html.match(/<h1[\s>]/g) ?? []).length).toBe(1);
  });

  it.each(paths)('/es%s renders in Spanish', async (p) => {
    const res = await t.app.inject({ url: p === '/' ? '/es/' : `/es${p}` });
    expect(res.statusCode).toBe(200);
    expect(res.body).toMatch(/<html lang="es"/);
    expect(res.body).toContain('Salida rápida');
    expect(res.body).toContain('Saltar al contenido principal');
    // The language switcher leads back to the same page in English.
    expect(res.body).toContain(`<a href="${p}" hreflang="en" lang="en">English</a>`);
  });

  it('answers /es without the trailing slash', async () => {
    const res = await t.app.inject({ url: '/es' });
    expect(res.statusCode).toBe(200);
    expect(res.body).toMatch(/<html lang="es"/);
  });

  it('carries the seed facts on the topic pages', async () => {
    const who = (await t.app.inject({ url: '/who-it-affects' })).body;
    expect(who).toMatch(/27 million/);
    expect(who).toMatch(/14,500/);
    const what = (await t.app.inject({ url: '/what-is-trafficking' })).body;
    expect(what).toMatch(/Trafficking Victims Protection Act/);
    const quien = (await t.app.inject({ url: '/es/who-it-affects' })).body;
    expect(quien).toMatch(/27 millones/);
  });

  it('links home-page cards to every topic page in the visitor language', async () => {
    const html = (await t.app.inject({ url: '/es/' })).body;
    for (const slug of PAGE_SLUGS.filter((s) => s !== 'privacy')) expect(html).toContain(`href="/es/${slug}"`);
  });

  it('never links to a page the site does not serve', async () => {
    const broken: string[] = [];
    for (const p of [...paths, ...paths.map((x) => (x === '/' ? '/es/' : `/es${x}`))]) {
      const html = (await t.app.inject({ url: p })).body;
      for (const m of html.matchAll(/href="(\/[^"#?]*)/g)) {
        const target = m[1]!;
        if (target.startsWith('/assets/')) continue;
        const res = await t.app.inject({ url: target });
        if (res.statusCode !== 200) broken.push(`${p} → ${target} (${res.statusCode})`);
      }
    }
    expect(broken).toEqual([]);
  });

  it('answers an unknown page with a translated 404', async () => {
    const en = await t.app.inject({ url: '/no-such-page' });
    expect(en.statusCode).toBe(404);
    expect(en.body).toContain('Page not found');
    const es = await t.app.inject({ url: '/es/no-such-page' });
    expect(es.statusCode).toBe(404);
    expect(es.body).toContain('Página no encontrada');
    expect(es.body).toMatch(/<html lang="es"/);
  });

  it('hides a language the office has switched off', async () => {
    await t.app.services.settings.update({ languages: ['en'] });
    try {
      expect((await t.app.inject({ url: '/es/contact' })).statusCode).toBe(404);
      const home = (await t.app.inject({ url: '/' })).body;
      expect(home).not.toContain('hreflang="es"');
    } finally {
      await t.app.services.settings.update({ languages: ['en', 'es'] });
    }
  });

  it('shows an office settings change at once, despite the page cache', async () => {
    const before = await t.app.services.settings.get();
    await t.app.services.settings.update({ localTipPhone: '(555) 010-0123', officeName: 'Test County DA' });
    try {
      const html = (await t.app.inject({ url: '/contact' })).body;
      expect(html).toContain('href="tel:5550100123"');
      expect(html).toContain('Test County DA');
    } finally {
      // The other tests read the office's own values.
      await t.app.services.settings.update({ localTipPhone: before.localTipPhone, officeName: before.officeName });
    }
  });

  it('has content for every page in every locale', () => {
    const root = path.resolve(import.meta.dirname, '../../../content');
    for (const locale of t.app.services.catalogs.locales) {
      for (const slug of ['home', ...PAGE_SLUGS]) {
        const source = fs.readFileSync(path.join(root, locale, `${slug}.md`), 'utf8');
        expect(source, `${locale}/${slug}`).toMatch(/^---\ntitle: .+\nsummary: .+\n---/);
      }
    }
  });
});
