import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { ANONYMOUS, contextFor, type Context } from '../context.ts';
import { AppError } from '../http/errors.ts';
import { type InputSchemas, parseInput, readBody, type RouteInput, type UploadLimits } from '../http/route-input.ts';
import type { AppServices } from '../module.ts';
import { checkCsrf } from './csrf.ts';
import type { RouteAccess } from './permissions.ts';
import type { Staff } from './staff.ts';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Every /console route declares who may use it; one without is never served. */
    access?: RouteAccess;
    /** A multipart console form: its CSRF token is checked once the body has been read. */
    csrfAfterUpload?: boolean;
  }
  interface FastifyRequest {
    /** The signed-in staff member on console routes; handlers get it typed from `consoleRoute`. */
    staff: Staff | undefined;
  }
}

/** What a console handler receives: its typed input, the staff member and a context acting as them. */
export type ConsoleInput<A extends RouteAccess, P, Q, B> = RouteInput<P, Q, B> & {
  /** Never undefined behind a permission; on `anonymous` pages, whoever is signed in, if anyone. */
  staff: A extends 'anonymous' ? Staff | undefined : Staff;
  ctx: Context;
};

export type ConsoleRoute<A extends RouteAccess, P, Q, B> = InputSchemas<P, Q, B> & {
  method: 'GET' | 'POST';
  url: string;
  access: A;
  bodyLimit?: number;
  handler(input: ConsoleInput<A, P, Q, B>, request: FastifyRequest, reply: FastifyReply): Promise<unknown>;
};

/** All console routes, with their declared access, for the role-matrix test and the docs. */
export const consoleRoutes: { method: string; url: string; access: RouteAccess }[] = [];

/**
 * Registers a console route with its permission: the one way modules add staff pages. The
 * guard has checked the session, second factor, permission and (for URL-encoded posts) the
 * CSRF token before the handler runs; an upload's token is checked here, once the body is read.
 */
export function consoleRoute<A extends RouteAccess, P = undefined, Q = undefined, B = undefined>(app: FastifyInstance, services: AppServices, route: ConsoleRoute<A, P, Q, B>): void {
  if (!route.url.startsWith('/console')) throw new Error(`console route ${route.url} must live under /console`);
  if (!consoleRoutes.some((r) => r.method === route.method && r.url === route.url)) {
    consoleRoutes.push({ method: route.method, url: route.url, access: route.access });
  }
  const upload: UploadLimits | undefined = route.upload;
  if (upload && (route.method !== 'POST' || route.access === 'anonymous')) throw new Error(`console route ${route.url}: only signed-in posts take files`);
  app.route({
    method: route.method,
    url: route.url,
    ...(route.bodyLimit ? { bodyLimit: route.bodyLimit } : {}),
    config: { access: route.access, ...(route.access === 'anonymous' ? { formToken: 'console' } : {}), ...(upload ? { csrfAfterUpload: true } : {}) },
    handler: async (request, reply) => {
      const staff = request.staff;
      const body = route.method === 'POST' ? await readBody(request, upload) : undefined;
      if (upload && (!staff || !checkCsrf(staff.session.csrfSecret, body?.values._csrf))) throw new AppError('csrf');
      const input = parseInput(request, route, body);
      const ctx = staff ? contextFor(services, staff.actor) : contextFor(services, ANONYMOUS);
      return route.handler({ ...input, staff: staff as ConsoleInput<A, P, Q, B>['staff'], ctx }, request, reply);
    },
  });
}
