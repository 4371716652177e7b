import type { FastifyInstance, FastifyRequest, RouteHandlerMethod } from 'fastify';
import { AppError } from '../../core/http/errors.ts';
import { type MultipartForm, readMultipartForm } from '../../core/http/multipart.ts';
import { type Catalogs, createTranslator, type Translate } from '../../core/i18n/catalog.ts';
import type { AppServices } from '../../core/module.ts';
import type { KeyPair } from '../../core/crypto/sodium.ts';
import { type Permission, permissionsFor, type RouteAccess } from './permissions.ts';
import { checkCsrf, type LoadedSession, maskCsrf, type SessionManager } from './sessions.ts';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Every /console route declares who may use it; one without is never served. */
    access?: RouteAccess;
    /** A multipart console form: its CSRF token is checked once the body has been read. */
    csrfAfterUpload?: boolean;
  }
  interface FastifyRequest {
    /** The signed-in staff member on console routes. */
    staff: (LoadedSession & { permissions: ReadonlySet<Permission>; keyPair: KeyPair | undefined }) | undefined;
    /** The form a multipart console route received, read and CSRF-checked before its handler runs. */
    consoleForm: MultipartForm | undefined;
  }
}

export type ConsoleRoute = {
  method: 'GET' | 'POST';
  url: string;
  access: RouteAccess;
  handler: RouteHandlerMethod;
  bodyLimit?: number;
  /**
   * The route takes files (multipart/form-data). Register it where @fastify/multipart is in
   * scope; the handler finds the form in `request.consoleForm`.
   */
  multipart?: { maxFiles: number; maxFileBytes?: number };
};

/** All console routes, with their declared access, for the role-matrix test and the docs. */
export const consoleRoutes: { method: string; url: string; access: RouteAccess }[] = [];

/** Registers a console route with its permission. The one way modules add staff pages. */
export function consoleRoute(app: FastifyInstance, route: ConsoleRoute): void {
  if (!route.url.startsWith('/console')) throw new Error(`console route ${route.url} must live under /console`);
  if (!consoleRoutes.some((r) => r.method === route.method && r.url === route.url)) {
    consoleRoutes.push({ method: route.method, url: route.url, access: route.access });
  }
  const upload = route.multipart;
  if (upload && (route.method !== 'POST' || route.access === 'anonymous')) throw new Error(`console route ${route.url}: only signed-in posts take files`);
  // A multipart body is read in the handler, after the guard has run, so the CSRF check the
  // guard makes for every other post happens here, before the route's own code sees anything.
  const handler: RouteHandlerMethod = upload
    ? async function (this: FastifyInstance, request, reply) {
        const form = await readMultipartForm(request, upload);
        if (!checkCsrf(request.staff!.session.csrfSecret, form.values._csrf)) throw new AppError('csrf');
        request.consoleForm = form;
        return route.handler.call(this, request, reply);
      }
    : route.handler;
  app.route({
    method: route.method,
    url: route.url,
    handler,
    ...(route.bodyLimit ? { bodyLimit: route.bodyLimit } : {}),
    config: { access: route.access, ...(route.access === 'anonymous' ? { formToken: 'console' } : {}), ...(upload ? { csrfAfterUpload: true } : {}) },
  });
}

/** Picks the best offered locale from Accept-Language, for pages shown before sign-in. */
export function negotiateLocale(header: string | undefined, catalogs: Catalogs, offered: readonly string[]): string {
  const wanted = (header ?? '')
    .split(',')
    .map((part) => {
      const [tag, q] = part.trim().split(';q=');
      return { lang: (tag ?? '').toLowerCase().split('-')[0]!, q: q ? Number(q) : 1 };
    })
    .sort((a, b) => b.q - a.q);
  for (const { lang } of wanted) if (catalogs.locales.includes(lang) && offered.includes(lang)) return lang;
  return catalogs.defaultLocale;
}

const isConsolePath = (path: string) => path === '/console' || path.startsWith('/console/');

/**
 * Whether the guard applies. Decided from the route the router matched, never from the raw URL:
 * the router decodes the path, so `/%63onsole/audit` reaches the /console/audit route while its
 * raw URL does not start with /console. A request no route matched is judged by its decoded path.
 */
function consoleRequest(request: FastifyRequest): boolean {
  if (request.routeOptions.config?.access !== undefined) return true;
  const pattern = request.routeOptions.url;
  if (pattern) return isConsolePath(pattern);
  try {
    return isConsolePath(decodeURIComponent(request.url.split('?')[0]!));
  } catch {
    return false;
  }
}

/**
 * The one gate in front of /console: a live session, a finished second factor, the route's
 * permission, and a CSRF token on every post. Pages before sign-in declare 'anonymous'.
 */
export function registerConsoleGuard(app: FastifyInstance, services: AppServices, sessions: SessionManager): void {
  const translators = new Map<string, Translate>();
  const translator = (locale: string) => {
    let t = translators.get(locale);
    if (!t) translators.set(locale, (t = createTranslator(services.catalogs, locale)));
    return t;
  };
  app.decorateRequest('staff', undefined);
  app.decorateRequest('consoleForm', undefined);

  app.addHook('preHandler', async (request, reply) => {
    if (!consoleRequest(request)) return;
    reply.header('cache-control', 'no-store');
    const access = request.routeOptions.config?.access;
    if (!request.routeOptions.url) return;
    if (access === undefined) throw new AppError('not_found');

    const loaded = await sessions.load(services.db, request);
    if (loaded) {
      const permissions = permissionsFor(loaded.roles);
      request.staff = { ...loaded, permissions, keyPair: sessions.keysFor(loaded.session.idHash) };
      request.viewer = { id: loaded.account.id, displayName: loaded.account.displayName, email: loaded.account.email, roles: loaded.roles, permissions };
      request.locale = services.catalogs.locales.includes(loaded.account.locale) ? loaded.account.locale : services.catalogs.defaultLocale;
      // Anonymous console forms keep the signed form token the form-token hook issued.
      if (access !== 'anonymous') request.csrfToken = maskCsrf(loaded.session.csrfSecret);
    } else {
      request.locale = negotiateLocale(request.headers['accept-language'], services.catalogs, request.settings.languages);
    }
    request.t = translator(request.locale);

    if (access === 'anonymous') return;
    if (!loaded) {
      const next = request.method === 'GET' ? `?next=${encodeURIComponent(request.url)}` : '';
      return reply.redirect(`/console/sign-in${next}`, 303);
    }
    const csrfInGuard = request.routeOptions.config?.csrfAfterUpload !== true;
    if (request.method === 'POST' && csrfInGuard && !checkCsrf(loaded.session.csrfSecret, (request.body as Record<string, unknown> | undefined)?._csrf)) {
      throw new AppError('csrf');
    }
    if (!loaded.session.secondFactorAt) {
      if (access === 'second_factor') return;
      return reply.redirect('/console/sign-in/second-factor', 303);
    }
    if (access === 'second_factor') return;
    if (!request.staff!.permissions.has(access)) throw new AppError('forbidden');
  });
}
