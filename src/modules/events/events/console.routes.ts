import type { FastifyInstance } from 'fastify';
import { h } from 'preact';
import { z } from 'zod';
import { consoleRoute } from '../../../core/auth/console-route.ts';
import { notFound } from '../../../core/http/errors.ts';
import type { AppServices } from '../../../core/module.ts';
import { eventForStaff } from './service.ts';
import { ConsoleEventPage } from './views/console-event.tsx';

const eventParams = z.object({ id: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/) });
const eventQuery = z.object({ done: z.enum(['converted']).optional().catch(undefined) });

/** Events in the console, for those holding `events.manage`. */
export function registerEventConsoleRoutes(app: FastifyInstance, s: AppServices): void {
  consoleRoute(app, s, {
    method: 'GET',
    url: '/console/events/:id',
    access: 'events.manage',
    params: eventParams,
    query: eventQuery,
    handler: async ({ params, query, ctx }, _request, reply) => {
      const event = await eventForStaff(ctx, params.id);
      if (!event) throw notFound();
      return reply.page(h(ConsoleEventPage, { ...event, ...(query.done ? { done: query.done } : {}) }));
    },
  });
}
