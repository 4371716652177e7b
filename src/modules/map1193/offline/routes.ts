import fs from 'node:fs/promises';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { h } from 'preact';
import type { AppServices } from '../../../core/module.ts';
import { consoleRoute } from '../../../core/auth/console-route.ts';
import { OfflineRoutePage } from './views/offline-route-page.tsx';

const WORKER_ASSET = 'map1193-sw.js';

/**
 * What the volunteer's route needs to work offline, beside the pages themselves: the service
 * worker, a page for stops it has no copy of, and the session facts its sync starts from.
 */
export function registerOfflineRoutes(app: FastifyInstance, services: AppServices): void {
  let workerSource: Promise<Buffer> | undefined;
  const loadWorker = () => {
    const file = services.site.manifest[WORKER_ASSET];
    if (!file) throw new Error(`${WORKER_ASSET} is missing from the asset manifest: run "npm run build"`);
    return fs.readFile(path.join(services.config.rootDir, 'public', 'assets', file));
  };

  // A fixed address, not a hashed asset: the browser checks this URL for a newer worker. The
  // header lets it control all of /console/, so it also sees the sign-in and sign-out posts.
  consoleRoute(app, services, {
    method: 'GET',
    url: '/console/map1193/sw.js',
    // Open to all: it holds nothing secret, and a phone whose session has expired must still be
    // able to fetch a fixed worker when the browser checks for updates.
    access: 'anonymous',
    handler: async (_input, _request, reply) => {
      workerSource ??= loadWorker().catch((error: unknown) => {
        workerSource = undefined;
        throw error;
      });
      return reply
        .header('content-type', 'text/javascript; charset=utf-8')
        .header('service-worker-allowed', '/console/')
        .send(await workerSource);
    },
  });

  consoleRoute(app, services, {
    method: 'GET',
    url: '/console/map1193/my-route/offline',
    access: 'map.report',
    handler: async (_input, _request, reply) => reply.page(h(OfflineRoutePage, {})),
  });

  // Who is signed in and a current CSRF token: the queued reports a cached page sends were made
  // with whatever token that page held, and only the account that made them may send them.
  consoleRoute(app, services, {
    method: 'GET',
    url: '/console/map1193/my-route/sync.json',
    access: 'map.report',
    handler: async ({ staff }, request, reply) => reply.header('cache-control', 'no-store').send({ account: staff.account.id, csrf: request.csrfToken }),
  });
}
