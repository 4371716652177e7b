import type { FastifyInstance } from 'fastify';
import { h } from 'preact';
import { z } from 'zod';
import type { AppServices } from '../../core/module.ts';
import { consoleRoute } from '../../core/auth/console-route.ts';
import { actorOf } from '../../core/auth/staff.ts';
import { deliveryOf, listMessages, readMessage } from './service.ts';
import { OutboxListPage, OutboxMessagePage } from './views/outbox-pages.tsx';

const listQuery = z.object({ page: z.coerce.number().int().min(1).max(100_000).catch(1) });

export function registerOutboxRoutes(app: FastifyInstance, s: AppServices): void {
  consoleRoute(app, s, {
    method: 'GET',
    url: '/console/outbox',
    access: 'outbox.read',
    handler: async (_input, request, reply) => {
      const { page } = listQuery.parse(request.query ?? {});
      const result = await listMessages(s, page);
      return reply.page(h(OutboxListPage, { ...result, page: Math.min(page, result.pages), delivery: deliveryOf(s) }));
    },
  });

  consoleRoute(app, s, {
    method: 'GET',
    url: '/console/outbox/:id',
    access: 'outbox.read',
    handler: async (_input, request, reply) => {
      const { id } = request.params as { id: string };
      const message = await readMessage(s, actorOf(request.staff!.account), id);
      return reply.page(h(OutboxMessagePage, { message, delivery: deliveryOf(s) }));
    },
  });
}
