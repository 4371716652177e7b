import path from 'node:path';
import { h } from 'preact';
import { describe, expect, it } from 'vitest';
import { createTranslator, loadCatalogs } from '../../../core/i18n/catalog.ts';
import { demoSettings } from '../../../core/settings/settings.ts';
import type { PageContext } from '../../../core/views/context.ts';
import { renderDocument } from '../../../core/views/render.ts';
import { ContentListPage, sampleContentListProps } from './console-list.tsx';
import { PageEditorPage, samplePageEditorProps } from './page-editor.tsx';
import { PageHistoryPage, samplePageHistoryProps } from './page-history.tsx';
import { PageRevisionPage, samplePageRevisionProps } from './page-revision.tsx';

const catalogs = loadCatalogs(path.resolve(import.meta.dirname, '../../../../locales'));

const context = (locale: string): PageContext => ({
  locale,
  defaultLocale: 'en',
  locales: ['en', 'es'],
  t: createTranslator(catalogs, locale),
  settings: demoSettings,
  path: '/console/content',
  href: (p) => p,
  asset: (name) => `/assets/${name}`,
  nav: [],
  consoleNav: [],
  csrfToken: 'token',
  viewer: { id: 'a1', displayName: 'Ana', email: 'ana@example.org', roles: ['content_editor'], permissions: new Set(['content.edit']) },
  area: 'console',
});

const views = [
  ['list', () => h(ContentListPage, sampleContentListProps)],
  ['editor', () => h(PageEditorPage, samplePageEditorProps)],
  ['history', () => h(PageHistoryPage, samplePageHistoryProps)],
  ['revision', () => h(PageRevisionPage, samplePageRevisionProps)],
] as const;

describe('content console views', () => {
  it.each(views.flatMap(([name, view]) => ['en', 'es'].map((locale) => [name, locale, view] as const)))('%s renders in %s with every message translated', (_name, locale, view) => {
    const html = renderDocument(view(), context(locale));
    expect(html).toMatch(/<h1>[^<]+<\/h1>/);
    // An untranslated key would show as itself.
    expect(html).not.toMatch(/content\.[a-zA-Z]+\.[a-zA-Z.]+/);
    expect((html.match(/<h1[\s>]/g) ?? []).length).toBe(1);
  });
});
