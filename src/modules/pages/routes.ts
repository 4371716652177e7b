import type { FastifyInstance, FastifyRequest } from 'fastify';
import { h } from 'preact';
import type { AppServices } from '../../core/module.ts';
import { localizedRoute, pageContext } from '../../core/http/site.ts';
import { notFound } from '../../core/http/errors.ts';
import { type CachedPage, compressPage, sendCachedPage } from '../../core/http/cached-page.ts';
import { type PageElement, renderDocument } from '../../core/views/render.ts';
import { markdownRenderer } from '../../core/views/markdown.ts';
import { PAGE_SLUGS, type PageSlug } from './content.ts';
import type { ContentStore } from './store.ts';
import { ContentPage } from './views/content-page.tsx';
import { HomePage } from './views/home.tsx';

/** Calls to action on the home page, shown only when the office runs that part of the product. */
const HOME_ACTIONS = [
  { path: '/tip', labelKey: 'pages.home.actionTip' },
  { path: '/map1193', labelKey: 'pages.home.actionMap' },
  { path: '/subscribe', labelKey: 'pages.home.actionSubscribe' },
  { path: '/trainings/request', labelKey: 'pages.home.actionTraining' },
];

/**
 * Public pages are the same for every visitor of a locale, so their HTML is kept in memory,
 * already compressed, keyed by the settings and content versions: an administrator's or
 * editor's change shows at once.
 */
export function registerPageRoutes(app: FastifyInstance, services: AppServices, content: ContentStore): void {
  const cache = new Map<string, CachedPage>();
  const isKnownPath = (path: string) => app.hasRoute({ method: 'GET', url: path });

  const markdown = markdownRenderer({ isKnownPath });

  function cached(request: FastifyRequest, slug: PageSlug, build: () => PageElement): CachedPage {
    const key = `${request.locale}|${slug}|${services.settings.version}|${content.version}`;
    let page = cache.get(key);
    if (page === undefined) {
      page = compressPage(renderDocument(build(), pageContext(request, services.site)));
      if (cache.size > 500) cache.clear();
      cache.set(key, page);
    }
    return page;
  }

  localizedRoute(app, services, {
    method: 'GET',
    path: '/',
    handler: async (_input, request, reply) => {
      await content.sync();
      const page = cached(request, 'home', () => {
        const intro = content.get(request.locale, 'home');
        const cards = PAGE_SLUGS.filter((s) => s !== 'privacy').flatMap((slug) => {
          const doc = content.get(request.locale, slug);
          return doc ? [{ path: `/${slug}`, title: doc.title, summary: doc.summary }] : [];
        });
        const actions = HOME_ACTIONS.filter((a) => isKnownPath(a.path));
        return h(HomePage, { introHtml: markdown(intro?.body ?? ''), cards, actions });
      });
      return sendCachedPage(request, reply, page);
    },
  });

  for (const slug of PAGE_SLUGS) {
    localizedRoute(app, services, {
      method: 'GET',
      path: `/${slug}`,
      handler: async (_input, request, reply) => {
        await content.sync();
        const doc = content.get(request.locale, slug);
        if (!doc) throw notFound();
        const page = cached(request, slug, () =>
          h(ContentPage, { title: doc.title, summary: doc.summary, html: markdown(doc.body) }),
        );
        return sendCachedPage(request, reply, page);
      },
    });
  }
}
