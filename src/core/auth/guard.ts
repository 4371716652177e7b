import type { FastifyInstance, FastifyRequest } from 'fastify';
import { AppError } from '../http/errors.ts';
import { type Catalogs, createTranslator, type Translate } from '../i18n/catalog.ts';
import type { AppServices } from '../module.ts';
import { checkCsrf, maskCsrf } from './csrf.ts';
import { permissionsFor } from './permissions.ts';
import type { SessionManager } from './sessions.ts';
import { actorOf } from './staff.ts';

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

  app.addHook('preHandler', async (request, reply) => {
    if (!consoleRequest(request)) return;
    reply.header('cache-control', 'no-store');
    const access = request.routeOptions.config?.access;
    if (!request.routeOptions.url) return;
    if (access === undefined) throw new AppError('not_found');

    const loaded = await sessions.load(services.db, request);
    if (loaded) {
      const permissions = permissionsFor(loaded.roles);
      request.staff = { ...loaded, permissions, actor: actorOf(loaded.account) };
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
    if (!permissions(request).has(access)) throw new AppError('forbidden');
  });

  // The opened private key lives for one request: wipe it once the answer is sent.
  app.addHook('onResponse', async (request) => {
    request.staff?.keyPair?.privateKey.fill(0);
  });
}

const permissions = (request: FastifyRequest) => request.staff?.permissions ?? new Set();
