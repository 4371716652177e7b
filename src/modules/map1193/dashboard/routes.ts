import type { FastifyInstance } from 'fastify';
import { h } from 'preact';
import type { AppServices } from '../../../core/module.ts';
import { consoleRoute } from '../../../core/auth/console-route.ts';
import { listCities } from '../businesses/service.ts';
import { dashboardQuerySchema } from '../schema.ts';
import { dashboard } from './service.ts';
import { DashboardPage } from './views/dashboard-page.tsx';

/** The compliance dashboard. */
export function registerDashboardRoutes(app: FastifyInstance, services: AppServices): void {
  consoleRoute(app, services, {
    method: 'GET',
    url: '/console/map1193/dashboard',
    access: 'map.dashboard',
    query: dashboardQuerySchema,
    handler: async ({ query: trend, ctx }, _request, reply) => {
      const [data, cities] = await Promise.all([dashboard(ctx, trend), listCities(ctx)]);
      return reply.page(h(DashboardPage, { data, trend, cities }));
    },
  });
}
