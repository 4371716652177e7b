import type { FastifyInstance } from 'fastify';
import { h } from 'preact';
import type { AppServices } from '../../core/module.ts';
import { consoleRoute } from '../../core/auth/console-route.ts';
import { listQuery, messageParams } from './schema.ts';
import { deliveryOf, listMessages, readMessage } from './service.ts';
import { OutboxListPage, OutboxMessagePage } from './views/outbox-pages.tsx';

export function registerOutboxRoutes(app: FastifyInstance, s: AppServices): void {
  consoleRoute(app, s, {
    method: 'GET',
    url: '/console/outbox',
    access: 'outbox.read',
    query: listQuery,
    handler: async ({ query: { page }, ctx }, _request, reply) => {
      const result = await listMessages(ctx, page);
      return reply.page(h(OutboxListPage, { ...result, page: Math.min(page, result.pages), delivery: deliveryOf(ctx) }));
    },
  });

  consoleRoute(app, s, {
    method: 'GET',
    url: '/console/outbox/:id',
    access: 'outbox.read',
    params: messageParams,
    handler: async ({ params, ctx }, _request, reply) => {
      const message = await readMessage(ctx, params.id);
      return reply.page(h(OutboxMessagePage, { message, delivery: deliveryOf(ctx) }));
    },
  });
}
