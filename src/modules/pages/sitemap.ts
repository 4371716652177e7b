import type { FastifyInstance } from 'fastify';
import { localePrefix } from '../../core/i18n/locale.ts';
import type { AppServices } from '../../core/module.ts';
import { PAGE_SLUGS } from './content.ts';

/**
 * Public entry points that are not in the menu. Each is listed only while a route answers it,
 * so an office without MAP1193 lists none of them (as the home page's calls to action).
 */
const LINKED_PAGES = ['/map1193/check', '/map1193/notice', '/map1193/report-status', '/subscribe', '/trainings/request'];

/**
 * Never indexed: the tip follow-up (a receipt code opens a conversation), the console, first-run
 * setup and the map's data API. The tip line's and the console's pages also say noindex.
 */
const PRIVATE_PATHS = ['/tip/follow-up', '/console', '/setup', '/api/'];

const xmlEscape = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** The public pages in every language the office has turned on, as paths with their locale prefix. */
export function sitemapEntries(services: AppServices, hasRoute: (path: string) => boolean, languages: readonly string[]): { path: string; alternates: { locale: string; path: string }[] }[] {
  const { locales: known, defaultLocale } = services.catalogs;
  const enabled = known.filter((l) => languages.includes(l));
  const locales = enabled.length ? enabled : [defaultLocale];
  const paths = [...new Set([...services.site.nav.map((item) => item.path), ...PAGE_SLUGS.map((slug) => `/${slug}`), ...LINKED_PAGES])]
    .filter((p) => !PRIVATE_PATHS.some((hidden) => p.startsWith(hidden)) && hasRoute(p));
  const localized = (p: string, locale: string) => (p === '/' ? `${localePrefix(locale, defaultLocale)}/` : `${localePrefix(locale, defaultLocale)}${p}`);
  return paths.flatMap((p) => {
    const alternates = locales.map((locale) => ({ locale, path: localized(p, locale) }));
    return alternates.map((a) => ({ path: a.path, alternates }));
  });
}

/** `robots.txt` and `sitemap.xml`, from the routes and the office's languages: nothing to keep in step by hand. */
export function registerSitemapRoutes(app: FastifyInstance, services: AppServices): void {
  const hasRoute = (path: string) => app.hasRoute({ method: 'GET', url: path });
  const base = services.config.baseUrl;

  app.get('/robots.txt', async (_request, reply) => {
    const { locales, defaultLocale } = services.catalogs;
    const prefixes = locales.map((l) => localePrefix(l, defaultLocale));
    const disallowed = [...new Set(PRIVATE_PATHS.flatMap((p) => (p === '/tip/follow-up' ? prefixes.map((prefix) => `${prefix}${p}`) : [p])))];
    const body = ['User-agent: *', ...disallowed.map((p) => `Disallow: ${p}`), '', `Sitemap: ${base}/sitemap.xml`, ''].join('\n');
    return reply.header('content-type', 'text/plain; charset=utf-8').header('cache-control', 'public, max-age=3600').send(body);
  });

  app.get('/sitemap.xml', async (_request, reply) => {
    const entries = sitemapEntries(services, hasRoute, (await services.settings.get()).languages);
    const urls = entries.map(({ path, alternates }) =>
      [
        '  <url>',
        `    <loc>${xmlEscape(base + path)}</loc>`,
        ...(alternates.length > 1 ? alternates.map((a) => `    <xhtml:link rel="alternate" hreflang="${a.locale}" href="${xmlEscape(base + a.path)}"/>`) : []),
        '  </url>',
      ].join('\n'),
    );
    const body = [
      '<?xml version="1.0" encoding="UTF-8"?>',
      '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" xmlns:xhtml="http://www.w3.org/1999/xhtml">',
      ...urls,
      '</urlset>',
      '',
    ].join('\n');
    return reply.header('content-type', 'application/xml; charset=utf-8').header('cache-control', 'public, max-age=3600').send(body);
  });
}
