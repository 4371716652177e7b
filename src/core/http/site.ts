import type { FastifyInstance, FastifyReply, FastifyRequest, RouteHandlerMethod } from 'fastify';
import { type Catalogs, createTranslator, type Translate } from '../i18n/catalog.ts';
import { localePrefix } from '../i18n/locale.ts';
import type { OfficeSettings, SettingsStore } from '../settings/settings.ts';
import { type AssetManifest, assetUrl } from './assets.ts';
import type { NavItem, PageContext, Viewer } from '../views/context.ts';
import { type PageElement, renderDocument } from '../views/render.ts';
import { notFound } from './errors.ts';

declare module 'fastify' {
  interface FastifyRequest {
    locale: string;
    t: Translate;
    settings: OfficeSettings;
    /** Set by the console's session hook; public routes never have one. */
    viewer: Viewer | undefined;
    csrfToken: string | undefined;
  }
  interface FastifyContextConfig {
    locale?: string;
    /** Routes whose requests must leave no client trace in logs (the tip line). */
    confidential?: boolean;
  }
  interface FastifyReply {
    /** Renders a page inside the request's context and sends it as HTML. */
    page(page: PageElement, status?: number): FastifyReply;
  }
}

export type SiteOptions = {
  catalogs: Catalogs;
  settings: SettingsStore;
  manifest: AssetManifest;
  /** Public navigation, in menu order; modules add their entries before the app is ready. */
  nav: NavItem[];
  consoleNav: NavItem[];
};

/** Builds the view context from the request: locale, translator, office settings, assets. */
export function pageContext(request: FastifyRequest, options: SiteOptions): PageContext {
  const { catalogs } = options;
  const settings = request.settings;
  const locales = catalogs.locales.filter((l) => settings.languages.includes(l));
  const area = request.url.startsWith('/console') ? 'console' : 'public';
  // Console paths carry no locale: a staff member's language is an account setting.
  const prefix = area === 'console' ? '' : localePrefix(request.locale, catalogs.defaultLocale);
  return {
    locale: request.locale,
    defaultLocale: catalogs.defaultLocale,
    locales: locales.length ? locales : [catalogs.defaultLocale],
    t: request.t,
    settings,
    path: request.url.split('?')[0]!,
    href: (path) => (path === '/' ? `${prefix}/` : `${prefix}${path}`),
    asset: (name) => assetUrl(options.manifest, name),
    nav: options.nav,
    consoleNav: options.consoleNav,
    csrfToken: request.csrfToken,
    viewer: request.viewer,
    area,
  };
}

/** Locale from the path prefix, for requests no localized route matched (404s, errors). */
export function localeFromPath(url: string, catalogs: Catalogs): string {
  const first = url.split('/')[1]?.split('?')[0];
  return first && first !== catalogs.defaultLocale && catalogs.locales.includes(first) ? first : catalogs.defaultLocale;
}

/** Request decorations every route relies on: locale from the route, settings, translator, `reply.page`. */
export function registerSite(app: FastifyInstance, options: SiteOptions): void {
  const translators = new Map(options.catalogs.locales.map((l) => [l, createTranslator(options.catalogs, l)]));
  app.decorateRequest('locale', '');
  app.decorateRequest('t', null as unknown as Translate);
  app.decorateRequest('settings', null as unknown as OfficeSettings);
  app.decorateRequest('viewer', undefined);
  app.decorateRequest('csrfToken', undefined);
  app.decorateReply('page', function (this: FastifyReply, page: PageElement, status = 200) {
    const html = renderDocument(page, pageContext(this.request, options));
    return this.code(status).type('text/html; charset=utf-8').header('cache-control', 'no-store').send(html);
  });
  app.addHook('onRequest', async (request) => {
    request.settings = await options.settings.get();
    const routeLocale = request.routeOptions.config?.locale;
    const locale = routeLocale ?? localeFromPath(request.url, options.catalogs);
    request.locale = locale;
    request.t = translators.get(locale)!;
    // A locale the office has switched off answers as if the page did not exist.
    if (routeLocale && !request.settings.languages.includes(routeLocale) && routeLocale !== options.catalogs.defaultLocale) {
      throw notFound();
    }
  });
}

/**
 * Registers one public route per locale: `/path` for the default locale, `/<locale>/path` for
 * the others (home becomes `/es/`). Handlers read `request.locale`.
 */
export function localizedRoute(
  app: FastifyInstance,
  catalogs: Catalogs,
  route: {
    method: 'GET' | 'POST';
    path: string;
    handler: RouteHandlerMethod;
    confidential?: boolean;
    bodyLimit?: number;
    formToken?: string;
    formTokenFailure?: 'reject' | 'handle';
  },
): void {
  for (const locale of catalogs.locales) {
    const prefix = localePrefix(locale, catalogs.defaultLocale);
    const url = route.path === '/' ? `${prefix}/` : `${prefix}${route.path}`;
    app.route({
      method: route.method,
      url,
      handler: route.handler,
      ...(route.bodyLimit ? { bodyLimit: route.bodyLimit } : {}),
      config: { locale, confidential: route.confidential ?? false, formToken: route.formToken, formTokenFailure: route.formTokenFailure },
    });
  }
}
