import path from 'node:path';
import { h } from 'preact';
import { describe, expect, it } from 'vitest';
import { createTranslator, loadCatalogs } from '../../../core/i18n/catalog.ts';
import { demoSettings } from '../../../core/settings/settings.ts';
import type { PageContext } from '../../../core/views/context.ts';
import { renderDocument } from '../../../core/views/render.ts';
import { NewsConsoleListPage, sampleNewsConsoleListProps } from './console-list.tsx';
import { NewsEditorPage, sampleNewsEditorProps } from './editor.tsx';
import { NewsListPage, sampleNewsListProps } from './news-list.tsx';
import { NewsPostPage, sampleNewsPostProps } from './news-post.tsx';

const catalogs = loadCatalogs(path.resolve(import.meta.dirname, '../../../../locales'));

const context = (locale: string, area: 'public' | 'console'): PageContext => ({
  locale,
  defaultLocale: 'en',
  locales: ['en', 'es'],
  t: createTranslator(catalogs, locale),
  settings: demoSettings,
  path: area === 'console' ? '/console/news' : '/news',
  href: (p) => (locale === 'en' ? p : `/${locale}${p}`),
  asset: (name) => `/assets/${name}`,
  nav: [],
  consoleNav: [],
  csrfToken: area === 'console' ? 'token' : undefined,
  viewer: area === 'console' ? { id: 'a1', displayName: 'Ana', email: 'ana@example.org', roles: ['content_editor'], permissions: new Set(['news.publish']) } : undefined,
  area,
});

const views = [
  ['console list', 'console', () => h(NewsConsoleListPage, sampleNewsConsoleListProps)],
  ['editor', 'console', () => h(NewsEditorPage, sampleNewsEditorProps)],
  ['public list', 'public', () => h(NewsListPage, sampleNewsListProps)],
  ['public post', 'public', () => h(NewsPostPage, sampleNewsPostProps)],
] as const;

describe('news views', () => {
  it.each(views.flatMap(([name, area, view]) => ['en', 'es'].map((locale) => [name, locale, area, view] as const)))('%s renders in %s with every message translated', (_name, locale, area, view) => {
    const html = renderDocument(view(), context(locale, area));
    expect(html).not.toMatch(/content\.[a-zA-Z]+\.[a-zA-Z.]+/);
    expect((html.match(/<h1[\s>]/g) ?? []).length).toBe(1);
  });

  it('dates a post in the visitor\'s language', () => {
    expect(renderDocument(h(NewsPostPage, sampleNewsPostProps), context('es', 'public'))).toContain('14 de marzo de 2026');
    expect(renderDocument(h(NewsPostPage, sampleNewsPostProps), context('en', 'public'))).toContain('March 14, 2026');
  });
});
