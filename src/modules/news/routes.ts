import type { FastifyInstance } from 'fastify';
import { h } from 'preact';
import { notFound } from '../../core/http/errors.ts';
import { localizedRoute } from '../../core/http/site.ts';
import { localePrefix } from '../../core/i18n/locale.ts';
import type { AppServices } from '../../core/module.ts';
import { markdownRenderer } from '../../core/views/markdown.ts';
import { atomFeed, entryId } from './feed.ts';
import { listQuerySchema, publicSlugSchema } from './schema.ts';
import { feedPosts, publicPage, publicPost } from './service.ts';
import { NewsListPage } from './views/news-list.tsx';
import { NewsPostPage } from './views/news-post.tsx';

/** The public news: list, post page and Atom feed, in every locale. Drafts are never served. */
export function registerNewsRoutes(app: FastifyInstance, s: AppServices): void {
  const isKnownPath = (path: string) => app.hasRoute({ method: 'GET', url: path });
  const markdown = markdownRenderer({ isKnownPath });
  // Feeds are read outside the site, so their links must be absolute; site-relative links in
  // posts resolve through xml:base, and only those the site serves stay links at all.
  const absolute = (locale: string, path: string) => `${s.config.baseUrl}${localePrefix(locale, s.catalogs.defaultLocale)}${path}`;

  localizedRoute(app, s, {
    method: 'GET',
    path: '/news',
    query: listQuerySchema,
    handler: async ({ query: { page }, ctx }, request, reply) => {
      if (page === null) throw notFound();
      const { posts, hasOlder } = await publicPage(ctx, request.locale, page);
      if (page > 1 && posts.length === 0) throw notFound();
      const items = posts.map((p) => ({ slug: p.slug, title: p.title, summary: p.summary, publishedAt: p.publishedAt ?? p.createdAt }));
      return reply.page(h(NewsListPage, { posts: items, page, hasOlder }));
    },
  });

  localizedRoute(app, s, {
    method: 'GET',
    path: '/news/feed.atom',
    handler: async ({ ctx }, request, reply) => {
      const locale = request.locale;
      const posts = await feedPosts(ctx, locale);
      const settings = request.settings;
      const updated = posts.reduce((max, p) => (p.updatedAt > max ? p.updatedAt : max), '') || ctx.clock.now().toISOString();
      const xml = atomFeed({
        id: absolute(locale, '/news/feed.atom'),
        title: request.t('content.news.feedTitle', { program: settings.programName, office: settings.officeName }),
        lang: locale,
        selfUrl: absolute(locale, '/news/feed.atom'),
        htmlUrl: absolute(locale, '/news'),
        baseUrl: `${s.config.baseUrl}/`,
        author: settings.officeName,
        updated,
        entries: posts.map((post) => ({
          id: entryId(s.config.baseUrl, post.createdAt, post.id),
          title: post.title,
          url: absolute(locale, `/news/${post.slug}`),
          published: post.publishedAt ?? post.createdAt,
          updated: post.updatedAt,
          summary: post.summary,
          html: markdown(post.body),
        })),
      });
      return reply.type('application/atom+xml; charset=utf-8').header('cache-control', 'public, max-age=300').send(xml);
    },
  });

  localizedRoute(app, s, {
    method: 'GET',
    path: '/news/:slug',
    params: publicSlugSchema,
    handler: async ({ params, ctx }, request, reply) => {
      const post = await publicPost(ctx, request.locale, params.slug);
      if (!post) throw notFound();
      return reply.page(h(NewsPostPage, { post: { ...post, publishedAt: post.publishedAt ?? post.createdAt }, html: markdown(post.body) }));
    },
  });
}
