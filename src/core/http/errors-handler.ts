import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { h } from 'preact';
import { type Catalogs, createTranslator } from '../i18n/catalog.ts';
import { demoSettings, type SettingsStore } from '../settings/settings.ts';
import { ErrorPage } from '../views/error-page.tsx';
import { ConsoleForbiddenPage } from '../views/forbidden-page.tsx';
import { DomainError } from '../errors.ts';
import { AppError } from './errors.ts';
import { localeFromPath } from './site.ts';

function wantsJson(request: FastifyRequest): boolean {
  return request.url.startsWith('/api/') || request.headers.accept === 'application/json';
}

async function ensureContext(request: FastifyRequest, catalogs: Catalogs, settings: SettingsStore) {
  if (!request.locale) request.locale = localeFromPath(request.url, catalogs);
  if (!request.t) request.t = createTranslator(catalogs, request.locale);
  if (!request.settings) {
    try {
      request.settings = await settings.get();
    } catch {
      // The database itself may be what failed; the error page must still render.
      request.settings = demoSettings;
    }
  }
}

/** `message` is already translated, and only ever a domain error's: a 5xx shows none. */
function sendError(request: FastifyRequest, reply: FastifyReply, status: number, code: string, message?: string, permission?: string) {
  if (wantsJson(request)) return reply.code(status).type('application/json').send(message ? { error: code, message } : { error: code });
  // Signed-in staff refused a console page stay in the console: its menu, and what to ask for.
  if (code === 'forbidden' && request.staff) return reply.page(h(ConsoleForbiddenPage, { permission }), status);
  return reply.page(h(ErrorPage, { status, message, code }), status);
}

/**
 * One place turns failures into responses: domain errors (AppError among them) keep their status
 * and translated message, Fastify's own client errors keep their status, everything else is a 500
 * whose detail reaches the log and never the page.
 */
export function registerErrorHandlers(app: FastifyInstance, catalogs: Catalogs, settings: SettingsStore): void {
  app.setErrorHandler(async (error: FastifyError | DomainError, request, reply) => {
    await ensureContext(request, catalogs, settings);
    if (error instanceof DomainError) {
      if (error instanceof AppError && error.retryAfter) reply.header('retry-after', String(error.retryAfter));
      const message = error.messageKey ? request.t(error.messageKey, error.params) : undefined;
      const permission = typeof error.params.permission === 'string' ? error.params.permission : undefined;
      return sendError(request, reply, error.status, error.code, message, permission);
    }
    const status = typeof error.statusCode === 'number' && error.statusCode >= 400 ? error.statusCode : 500;
    if (status >= 500) {
      const confidential = request.routeOptions.config?.confidential === true;
      // A database error's detail can quote the value it refused; on the tip line that value is the tip.
      const detail = confidential ? { errType: error.name, errCode: error.code } : { err: error };
      request.log.error({ ...detail, route: request.routeOptions.url }, 'request failed');
    }
    if (status === 429) reply.header('retry-after', String(reply.getHeader('retry-after') ?? 60));
    return sendError(request, reply, status, status >= 500 ? 'server_error' : (error.code ?? 'bad_request'));
  });

  app.setNotFoundHandler(async (request, reply) => {
    await ensureContext(request, catalogs, settings);
    return sendError(request, reply, 404, 'not_found');
  });
}
