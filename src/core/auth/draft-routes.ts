import { h } from 'preact';
import type { FastifyInstance } from 'fastify';
import type { AppServices } from '../module.ts';
import { RestorePage } from '../views/restore-page.tsx';
import { consoleRoute } from './console-route.ts';
import { clearDraftCookie, KEEP_ALIVE_PATH, readDraftCookie, RESTORE_PATH, takeDraft } from './drafts.ts';
import { IDLE_TIMEOUT_MS } from './sessions.ts';

/**
 * The platform's two routes for a session that times out: the keep-alive the warning's button
 * posts to, and the page that gives back a form kept when it was sent on a lapsed session.
 */
export function registerDraftRoutes(app: FastifyInstance, services: AppServices): void {
  const { sessions } = services;

  consoleRoute(app, services, {
    method: 'GET',
    url: RESTORE_PATH,
    access: 'console.use',
    handler: async ({ staff }, request, reply) => {
      // Read once, whoever asks: the row is deleted and the cookie cleared even when the draft
      // belongs to someone else (who gets nothing) or has expired.
      const cookie = readDraftCookie(request, sessions.secure);
      const draft = cookie ? await takeDraft(services.db, services.clock, cookie, staff.account.id) : undefined;
      if (cookie) clearDraftCookie(reply, sessions.secure);
      return reply.page(h(RestorePage, draft ?? {}));
    },
  });

  // Posted by the island with the page's CSRF token (checked by the guard, like any post).
  consoleRoute(app, services, {
    method: 'POST',
    url: KEEP_ALIVE_PATH,
    access: 'console.use',
    handler: async ({ staff }, _request, reply) => {
      const at = await sessions.touch(services.db, staff.session.idHash);
      return reply.header('cache-control', 'no-store').send({ idleSeconds: Math.floor(IDLE_TIMEOUT_MS / 1000), at });
    },
  });
}
