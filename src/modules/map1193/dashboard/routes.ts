import type { FastifyInstance } from 'fastify';
import { h } from 'preact';
import type { AppServices } from '../../../core/module.ts';
import { consoleRoute } from '../../../core/auth/console-route.ts';
import { listCities } from '../businesses/service.ts';
import { listCategories } from '../rules/categories.service.ts';
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
    handler: async ({ query, ctx }, _request, reply) => {
      const categories = await listCategories(ctx);
      // A category no one stored is ignored, like any other filter value that does not parse.
      const trend = categories.some((c) => c.code === query.category) ? query : { ...query, category: undefined };
      const [data, cities] = await Promise.all([dashboard(ctx, trend), listCities(ctx)]);
      return reply.page(h(DashboardPage, { data, trend, cities, categories }));
    },
  });
}
