import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { AppError } from '../http/errors.ts';
import { type Catalogs, createTranslator, type Translate } from '../i18n/catalog.ts';
import type { AppServices } from '../module.ts';
import { checkCsrf, maskCsrf } from './csrf.ts';
import { draftCookie, keepableFields, keepDraft, RESTORE_PATH } from './drafts.ts';
import { permissionsFor, type RouteAccess } from './permissions.ts';
import { IDLE_TIMEOUT_MS, type SessionManager } from './sessions.ts';
import type { SessionState } from './tables.ts';
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
 * Whether a request no route matched is a console one, judged by its decoded path: the router
 * decodes it, so `/%63onsole/x` is the console's as much as `/console/x` is.
 */
function consolePath(url: string): boolean {
  try {
    return isConsolePath(decodeURIComponent(url.split('?')[0]!));
  } catch {
    return false;
  }
}

/**
 * A URL-encoded form sent on a session that just timed out, by the same browser (its token
 * matches the dead session's CSRF secret, so another site cannot plant one): its typed fields
 * are kept for the person's next sign-in (`drafts.ts`). Files are never kept. True when kept.
 */
async function keepLapsedForm(services: AppServices, sessions: SessionManager, request: FastifyRequest, reply: FastifyReply, lapsed: Pick<SessionState, 'accountId' | 'csrfSecret'>): Promise<boolean> {
  if (!(request.headers['content-type'] ?? '').startsWith('application/x-www-form-urlencoded')) return false;
  const body = request.body as Record<string, unknown> | undefined;
  if (!checkCsrf(lapsed.csrfSecret, body?._csrf)) return false;
  const fields = keepableFields(body);
  const action = request.url.split('?')[0]!;
  if (!fields || action === RESTORE_PATH) return false;
  const cookie = await keepDraft(services.db, services.clock, lapsed.accountId, { action, fields });
  reply.header('set-cookie', draftCookie(sessions.secure, cookie));
  return true;
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

  const guard = async (request: FastifyRequest, reply: FastifyReply, access: RouteAccess) => {
    const { live: loaded, lapsed } = await sessions.open(services.db, request);
    const staff = loaded && { ...loaded, permissions: permissionsFor(loaded.roles), actor: actorOf(loaded.account) };
    if (staff) {
      request.staff = staff;
      const idleSecondsLeft = Math.max(0, Math.floor((Date.parse(staff.session.lastSeenAt) + IDLE_TIMEOUT_MS - services.clock.now().getTime()) / 1000));
      request.viewer = { id: staff.account.id, displayName: staff.account.displayName, email: staff.account.email, roles: staff.roles, permissions: staff.permissions, idleSecondsLeft };
      request.locale = services.catalogs.locales.includes(staff.account.locale) ? staff.account.locale : services.catalogs.defaultLocale;
      // Anonymous console forms keep the signed form token the form-token hook issued.
      if (access !== 'anonymous') request.csrfToken = maskCsrf(staff.session.csrfSecret);
    } else {
      request.locale = negotiateLocale(request.headers['accept-language'], services.catalogs, request.settings.languages);
    }
    request.t = translator(request.locale);

    if (access === 'anonymous') return;
    if (!staff) {
      if (request.method === 'POST' && lapsed && (await keepLapsedForm(services, sessions, request, reply, lapsed))) {
        return reply.redirect(`/console/sign-in?next=${encodeURIComponent(RESTORE_PATH)}&notice=kept`, 303);
      }
      const next = request.method === 'GET' ? `?next=${encodeURIComponent(request.url)}` : '';
      return reply.redirect(`/console/sign-in${next}`, 303);
    }
    const csrfInGuard = request.routeOptions.config?.csrfAfterUpload !== true;
    if (request.method === 'POST' && csrfInGuard && !checkCsrf(staff.session.csrfSecret, (request.body as Record<string, unknown> | undefined)?._csrf)) {
      throw new AppError('csrf');
    }
    if (!staff.session.secondFactorAt) {
      if (access === 'second_factor') return;
      return reply.redirect('/console/sign-in/second-factor', 303);
    }
    if (access === 'second_factor') return;
    // The refusal names the permission, so the console's own page can say what to ask for.
    if (!staff.permissions.has(access)) throw new AppError('forbidden', { params: { permission: access } });
  };

  // A callback hook that decides from the route the router matched (its declared access or its
  // pattern, never the raw URL) before any promise is made, so a public page pays one property
  // read. It stays a global hook so that it runs where it always did among the app's hooks.
  app.addHook('preHandler', (request, reply, done) => {
    const route = request.routeOptions;
    const access = route.config?.access;
    if (access !== undefined) {
      reply.header('cache-control', 'no-store');
      guard(request, reply, access).then(() => done(), done);
      return;
    }
    if (route.url === undefined ? !consolePath(request.url) : !isConsolePath(route.url)) return done();
    reply.header('cache-control', 'no-store');
    // A console path with no route answers 404; one no route matched gets the not-found page.
    done(route.url === undefined ? undefined : new AppError('not_found'));
  });

  // The opened private key lives for one request: wipe it once the answer is sent.
  app.addHook('onResponse', (request, _reply, done) => {
    request.staff?.keyPair?.privateKey.fill(0);
    done();
  });
}
