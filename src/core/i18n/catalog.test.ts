import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createTranslator, loadCatalogs } from './catalog.ts';
import { localizePath } from './locale.ts';

const root = path.resolve(import.meta.dirname, '../../..');
const catalogs = loadCatalogs(path.join(root, 'locales'));

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(full);
    return /\.(ts|tsx)$/.test(entry.name) && !entry.name.endsWith('.test.ts') ? [full] : [];
  });
}

describe('catalogs', () => {
  it('never asks anyone to wait "1 minutes": every wait in minutes has its plural forms', () => {
    const waits = [...catalogs.messages.get('en')!].filter(([, text]) => /\{\w+\} minutes/.test(text)).map(([key]) => key);
    expect(waits.length).toBeGreaterThan(0);
    expect(waits.filter((key) => !key.endsWith('.other'))).toEqual([]);
    for (const key of waits.map((k) => k.slice(0, -'.other'.length))) {
      expect(createTranslator(catalogs, 'en')(key, { count: 1 }), key).toMatch(/\b1 minute\b(?!s)/);
      expect(createTranslator(catalogs, 'en')(key, { count: 2 }), key).toMatch(/\b2 minutes\b/);
      expect(createTranslator(catalogs, 'es')(key, { count: 1 }), key).toMatch(/\b1 minuto\b(?!s)/);
      expect(createTranslator(catalogs, 'es')(key, { count: 2 }), key).toMatch(/\b2 minutos\b/);
    }
  });

  it('offers English and Spanish', () => {
    expect(catalogs.locales).toEqual(expect.arrayContaining(['en', 'es']));
    expect(catalogs.locales[0]).toBe('en');
  });

  it.each(catalogs.locales.flatMap((a) => catalogs.locales.filter((b) => b !== a).map((b) => [a, b])))(
    'every key in %s is also in %s',
    (a, b) => {
      const missing = [...catalogs.messages.get(a)!.keys()].filter((k) => !catalogs.messages.get(b)!.has(k));
      expect(missing).toEqual([]);
    },
  );

  it('keeps the same {placeholders} in every translation of a message', () => {
    const placeholders = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
    const mismatched: string[] = [];
    for (const [key, text] of catalogs.messages.get('en')!) {
      for (const locale of catalogs.locales) {
        const other = catalogs.messages.get(locale)!.get(key);
        if (other !== undefined && placeholders(other).join() !== placeholders(text).join()) mismatched.push(`${locale}:${key}`);
      }
    }
    expect(mismatched).toEqual([]);
  });

  it('has a message for every literal key the code asks for', () => {
    const english = catalogs.messages.get('en')!;
    const asked = new Set<string>();
    for (const file of sourceFiles(path.join(root, 'src'))) {
      const text = fs.readFileSync(file, 'utf8');
      for (const m of text.matchAll(/\bt\(\s*'([a-zA-Z0-9_.]+)'/g)) asked.add(m[1]!);
      for (const m of text.matchAll(/labelKey:\s*'([a-zA-Z0-9_.]+)'/g)) asked.add(m[1]!);
    }
    expect(asked.size).toBeGreaterThan(20);
    const missing = [...asked].filter((k) => !english.has(k) && !english.has(`${k}.other`));
    expect(missing).toEqual([]);
  });
});

describe('createTranslator', () => {
  const messages = new Map([
    ['en', new Map([['a.greet', 'Hello {name}'], ['a.items.one', '{count} item'], ['a.items.other', '{count} items'], ['a.onlyEn', 'only English']])],
    ['es', new Map([['a.greet', 'Hola {name}'], ['a.items.one', '{count} artículo'], ['a.items.other', '{count} artículos']])],
  ]);
  const local = { locales: ['en', 'es'], defaultLocale: 'en', messages };

  it('interpolates parameters and leaves unknown placeholders visible', () => {
    expect(createTranslator(local, 'es')('a.greet', { name: 'Ana' })).toBe('Hola Ana');
    expect(createTranslator(local, 'en')('a.greet')).toBe('Hello {name}');
  });

  it('chooses plural forms by the locale rules', () => {
    const t = createTranslator(local, 'es');
    expect(t('a.items', { count: 1 })).toBe('1 artículo');
    expect(t('a.items', { count: 3 })).toBe('3 artículos');
  });

  it('falls back to the default locale, then to the key', () => {
    const t = createTranslator(local, 'es');
    expect(t('a.onlyEn')).toBe('only English');
    expect(t('a.nothing')).toBe('a.nothing');
  });
});

describe('localizePath', () => {
  it('moves a path between locales, with the default locale at the root', () => {
    expect(localizePath('/contact', 'en', 'es', 'en')).toBe('/es/contact');
    expect(localizePath('/es/contact', 'es', 'en', 'en')).toBe('/contact');
    expect(localizePath('/es/', 'es', 'en', 'en')).toBe('/');
    expect(localizePath('/', 'en', 'es', 'en')).toBe('/es/');
    expect(localizePath('/es/contact', 'es', 'vi', 'en')).toBe('/vi/contact');
  });
});
