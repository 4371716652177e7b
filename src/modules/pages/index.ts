import { definePermissions } from '../../core/auth/permissions.ts';
import path from 'node:path';
import type { AppModule } from '../../core/module.ts';
import { registerContentConsoleRoutes } from './console.routes.ts';
import { loadContentLibrary } from './content.ts';
import { registerPageRoutes } from './routes.ts';
import { registerSitemapRoutes } from './sitemap.ts';
import { ContentStore } from './store.ts';

export const PAGES_PERMISSIONS = definePermissions({ 'content.edit': ['administrator', 'content_editor'] });

declare module '../../core/auth/permissions.ts' {
  interface PermissionNames extends Record<keyof typeof PAGES_PERMISSIONS, true> {}
}

/**
 * The public site: home and the topic pages, written in Markdown per locale. The files are the
 * starting text; content editors publish revisions in the console, and the newest one is shown.
 */
export const pagesModule: AppModule = {
  name: 'pages',
  nav: [
    { path: '/', labelKey: 'pages.nav.home', order: 0 },
    { path: '/what-is-trafficking', labelKey: 'pages.nav.what', order: 10 },
    { path: '/who-it-affects', labelKey: 'pages.nav.who', order: 11 },
    { path: '/how-people-are-trafficked', labelKey: 'pages.nav.how', order: 12 },
    { path: '/why-people-are-trafficked', labelKey: 'pages.nav.why', order: 13 },
    { path: '/how-we-help', labelKey: 'pages.nav.weHelp', order: 14 },
    { path: '/how-you-can-help', labelKey: 'pages.nav.youHelp', order: 15 },
    { path: '/contact', labelKey: 'pages.nav.contact', order: 90 },
  ],
  consoleNav: [{ path: '/console/content', labelKey: 'content.nav.pages', permission: 'content.edit', order: 60 }],
  register(app, services) {
    const files = loadContentLibrary(
      path.join(services.config.rootDir, 'content'),
      services.catalogs.locales,
      services.catalogs.defaultLocale,
    );
    const store = new ContentStore(services.db, files, services.catalogs.defaultLocale);
    registerPageRoutes(app, services, store);
    registerContentConsoleRoutes(app, services, { files, store });
    registerSitemapRoutes(app, services);
  },
};
