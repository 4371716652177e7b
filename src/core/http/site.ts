import type { FastifyInstance, FastifyReply, FastifyRequest, RouteHandlerMethod } from 'fastify';
import { type Catalogs, createTranslator, type Translate } from '../i18n/catalog.ts';
import { localePrefix } from '../i18n/locale.ts';
import type { OfficeSettings, SettingsStore } from '../settings/settings.ts';
import { type AssetManifest, assetUrl } from './assets.ts';
import type { NavItem, PageContext, Viewer } from '../views/context.ts';
import { type PageElement, renderDocument } from '../views/render.ts';
import { contextFor, type Context, PUBLIC } from '../context.ts';
import type { AppServices } from '../module.ts';
import { AppError, notFound } from './errors.ts';
import { verifyFormToken } from './form-token.ts';
import { type InputSchemas, parseInput, readBody, type RouteInput } from './route-input.ts';

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

type PublicRouteOptions = {
  method: 'GET' | 'POST';
  confidential?: boolean;
  bodyLimit?: number;
  formToken?: string;
  formTokenFailure?: 'reject' | 'handle';
};

/** A public route with a plain Fastify handler that reads the request itself. */
export type PlainLocalizedRoute = PublicRouteOptions & { path: string; handler: RouteHandlerMethod };

/** What a typed public handler receives: its parsed input and a context acting as `PUBLIC`. */
export type PublicInput<P, Q, B> = RouteInput<P, Q, B> & { ctx: Context };

type PublicHandler<P, Q, B> = (input: PublicInput<P, Q, B>, request: FastifyRequest, reply: FastifyReply) => Promise<unknown>;

/** A public route whose params, query and body are declared as zod schemas, as on `consoleRoute`. */
export type TypedLocalizedRoute<P, Q, B> = PublicRouteOptions & InputSchemas<P, Q, B> & { path: string; handler: PublicHandler<P, Q, B> };

/** One URL, not one per locale: pages like first-run setup that exist in the default locale only. */
export type PublicRoute<P, Q, B> = PublicRouteOptions & InputSchemas<P, Q, B> & { url: string; handler: PublicHandler<P, Q, B> };

// One public context per app: the home page is served many times a second, and nothing in this
// context belongs to a request (no client address, user agent or session).
const publicContexts = new WeakMap<AppServices, Context>();
function publicContext(services: AppServices): Context {
  let ctx = publicContexts.get(services);
  if (!ctx) publicContexts.set(services, (ctx = contextFor(services, PUBLIC)));
  return ctx;
}

function registerPublic<P, Q, B>(app: FastifyInstance, services: AppServices, url: string, locale: string | undefined, route: PublicRouteOptions & InputSchemas<P, Q, B> & { handler: PublicHandler<P, Q, B> }): void {
  const upload = route.upload;
  if (upload && (route.method !== 'POST' || !route.formToken)) throw new Error(`public route ${url}: only posts carrying a form token take files`);
  // Multipart fields arrive after the token hook has run: that hook is told to let the request
  // through, and the token is checked here once the body is read, with the route's own rule.
  const tokenAfterRead = upload !== undefined;
  const ctx = publicContext(services);
  const takesInput = route.method === 'POST' || route.params !== undefined || route.query !== undefined || route.body !== undefined;
  const noInput = Object.freeze({ params: Object.freeze({}), query: Object.freeze({}), form: undefined, files: Object.freeze([]), tooManyFiles: false, tooManyParts: false, truncatedValues: false, ctx }) as unknown as PublicInput<P, Q, B>;
  app.route({
    method: route.method,
    url,
    ...(route.bodyLimit ? { bodyLimit: route.bodyLimit } : {}),
    config: {
      ...(locale === undefined ? {} : { locale }),
      confidential: route.confidential ?? false,
      formToken: route.formToken,
      formTokenFailure: tokenAfterRead ? 'handle' : route.formTokenFailure,
    },
    handler: async (request, reply) => {
      if (!takesInput) return route.handler(noInput, request, reply);
      const body = route.method === 'POST' ? await readBody(request, upload) : undefined;
      if (tokenAfterRead) {
        request.formTokenValid = verifyFormToken(services.secret, route.formToken!, body?.values._csrf, services.clock.now());
        if (!request.formTokenValid && route.formTokenFailure !== 'handle') throw new AppError('csrf');
      }
      return route.handler({ ...parseInput(request, route, body), ctx }, request, reply);
    },
  });
}

/**
 * Registers one public route per locale: `/path` for the default locale, `/<locale>/path` for
 * the others (home becomes `/es/`). Handlers read `request.locale`.
 *
 * Given the app's services, the route may declare `params`, `query` and `body` (and `upload`)
 * schemas and its handler gets them parsed, as on `consoleRoute`, with a context acting as
 * `PUBLIC`: params that do not parse answer 404, a query that does not parse reads as empty.
 * Given only the catalogs, the handler is a plain Fastify handler.
 */
export function localizedRoute<P = undefined, Q = undefined, B = undefined>(app: FastifyInstance, services: AppServices, route: TypedLocalizedRoute<P, Q, B>): void;
export function localizedRoute(app: FastifyInstance, catalogs: Catalogs, route: PlainLocalizedRoute): void;
export function localizedRoute<P, Q, B>(app: FastifyInstance, source: AppServices | Catalogs, route: TypedLocalizedRoute<P, Q, B> | PlainLocalizedRoute): void {
  const services = 'catalogs' in source ? source : undefined;
  const catalogs = 'catalogs' in source ? source.catalogs : source;
  for (const locale of catalogs.locales) {
    const prefix = localePrefix(locale, catalogs.defaultLocale);
    const url = route.path === '/' ? `${prefix}/` : `${prefix}${route.path}`;
    if (services) {
      registerPublic(app, services, url, locale, route as TypedLocalizedRoute<P, Q, B>);
      continue;
    }
    app.route({
      method: route.method,
      url,
      handler: (route as PlainLocalizedRoute).handler,
      ...(route.bodyLimit ? { bodyLimit: route.bodyLimit } : {}),
      config: { locale, confidential: route.confidential ?? false, formToken: route.formToken, formTokenFailure: route.formTokenFailure },
    });
  }
}

/**
 * Registers a typed public route at one URL, whatever the locale (read from the path as on
 * pages no route matched). For the few pages that are not part of the localized site.
 */
export function publicRoute<P = undefined, Q = undefined, B = undefined>(app: FastifyInstance, services: AppServices, route: PublicRoute<P, Q, B>): void {
  registerPublic(app, services, route.url, undefined, route);
}
