import fs from 'node:fs';
import path from 'node:path';
import { type MarkdownDocument, parseFrontMatter } from '../../core/views/markdown.ts';

/** The public pages, in menu order; each is `content/<locale>/<slug>.md`. */
export const PAGE_SLUGS = [
  'what-is-trafficking',
  'who-it-affects',
  'how-people-are-trafficked',
  'why-people-are-trafficked',
  'how-we-help',
  'how-you-can-help',
  'contact',
  'privacy',
] as const;

export type PageSlug = (typeof PAGE_SLUGS)[number] | 'home';

export type ContentLibrary = {
  /** The page in `locale`, or in the default locale when that locale has no file. */
  get(locale: string, slug: PageSlug): MarkdownDocument | undefined;
  /** The page's own file in `locale`, without falling back. */
  own(locale: string, slug: PageSlug): MarkdownDocument | undefined;
};

export const EDITABLE_SLUGS: readonly PageSlug[] = ['home', ...PAGE_SLUGS];

export function isPageSlug(value: string): value is PageSlug {
  return (EDITABLE_SLUGS as readonly string[]).includes(value);
}

/** Reads every page of every locale once at start; a missing page falls back to the default locale. */
export function loadContentLibrary(contentDir: string, locales: readonly string[], defaultLocale: string): ContentLibrary {
  const docs = new Map<string, MarkdownDocument>();
  for (const locale of locales) {
    for (const slug of EDITABLE_SLUGS) {
      const file = path.join(contentDir, locale, `${slug}.md`);
      if (fs.existsSync(file)) docs.set(`${locale}/${slug}`, parseFrontMatter(fs.readFileSync(file, 'utf8')));
    }
  }
  return {
    get: (locale, slug) => docs.get(`${locale}/${slug}`) ?? docs.get(`${defaultLocale}/${slug}`),
    own: (locale, slug) => docs.get(`${locale}/${slug}`),
  };
}
