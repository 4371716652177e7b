import type { FastifyInstance } from 'fastify';
import { h } from 'preact';
import { z } from 'zod';
import { consoleRoute } from '../../../core/auth/console-route.ts';
import { checkbox } from '../../../core/http/forms.ts';
import type { AppServices } from '../../../core/module.ts';
import { doneQuerySchema } from '../schema.ts';
import { digestWanted, setDigestWanted } from './service.ts';
import { AlertsPage } from './views/alerts-page.tsx';

const alertsFormSchema = z.object({ digest: checkbox() });

/** An inspector's own alert settings. */
export function registerAlertRoutes(app: FastifyInstance, services: AppServices): void {
  consoleRoute(app, services, {
    method: 'GET',
    url: '/console/map1193/alerts',
    access: 'map.inspect',
    query: doneQuerySchema,
    handler: async ({ query, staff, ctx }, _request, reply) => reply.page(h(AlertsPage, { digest: await digestWanted(ctx, staff.account.id), done: query.done === '1' })),
  });

  consoleRoute(app, services, {
    method: 'POST',
    url: '/console/map1193/alerts',
    access: 'map.inspect',
    body: alertsFormSchema,
    handler: async ({ form, staff, ctx }, _request, reply) => {
      // One checkbox: nothing it sends can be wrong, an absent box is "no".
      await setDigestWanted(ctx, staff.account.id, form.ok && form.data.digest);
      return reply.redirect('/console/map1193/alerts?done=1', 303);
    },
  });
}
