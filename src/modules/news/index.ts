import { definePermissions } from '../../core/auth/permissions.ts';
import type { AppModule } from '../../core/module.ts';
import { registerNewsConsoleRoutes } from './console.routes.ts';
import { registerNewsRoutes } from './routes.ts';
import { draftCount } from './service.ts';

export const NEWS_PERMISSIONS = definePermissions({ 'news.publish': ['administrator', 'content_editor'] });

declare module '../../core/auth/permissions.ts' {
  interface PermissionNames extends Record<keyof typeof NEWS_PERMISSIONS, true> {}
}

/**
 * News posts: written in Markdown per locale in the console, published and unpublished by
 * content editors, shown on /news with an Atom feed. Authors' names stay in the console.
 */
export const newsModule: AppModule = {
  name: 'news',
  // Always in the menu: an office without news yet gets a page that says so, not a dead link.
  nav: [{ path: '/news', labelKey: 'content.nav.news', order: 80 }],
  consoleNav: [{ path: '/console/news', labelKey: 'content.nav.newsConsole', permission: 'news.publish', order: 61 }],
  consoleCards: [
    { permission: 'news.publish', load: async (ctx) => [{ labelKey: 'content.cards.drafts', value: await draftCount(ctx), href: '/console/news' }] },
  ],
  register(app, s) {
    registerNewsRoutes(app, s);
    registerNewsConsoleRoutes(app, s);
  },
};
