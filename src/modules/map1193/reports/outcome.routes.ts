import type { FastifyInstance } from 'fastify';
import { h } from 'preact';
import { consoleRoute } from '../../../core/auth/console-route.ts';
import { hmac } from '../../../core/crypto/server-secret.ts';
import { notFound } from '../../../core/http/errors.ts';
import { limitKeyOf } from '../../../core/http/rate-limiter.ts';
import { localizedRoute } from '../../../core/http/site.ts';
import type { AppServices } from '../../../core/module.ts';
import { emptyForm } from '../../../core/views/forms.tsx';
import { dataQualityQuerySchema, dataQualityReviewSchema, idParamsSchema, reportStatusFormSchema } from '../schema.ts';
import { dataQualityQueue, reviewListing } from './data-quality.service.ts';
import { myReports, normalizeCode, outcomeByCode } from './outcome.service.ts';
import { DataQualityPage } from './views/data-quality-page.tsx';
import { MyReportsPage } from './views/my-reports-page.tsx';
import { ReportStatusPage } from './views/report-status-page.tsx';

/** Code lookups per client per hour, right or wrong: a 50-bit code cannot be found by trying. */
export const LOOKUP_LIMIT = { count: 10, windowMs: 3600_000 };
const LOOKUP_FORM = 'map1193.report-status';

/** What became of a report: the anonymous reporter's code lookup, the volunteer's list, and the data-quality queue. */
export function registerOutcomeRoutes(app: FastifyInstance, services: AppServices): void {
  localizedRoute(app, services.catalogs, {
    method: 'GET',
    path: '/map1193/report-status',
    formToken: LOOKUP_FORM,
    handler: async (_request, reply) => reply.page(h(ReportStatusPage, { form: emptyForm })),
  });

  localizedRoute(app, services, {
    method: 'POST',
    path: '/map1193/report-status',
    formToken: LOOKUP_FORM,
    formTokenFailure: 'handle',
    body: reportStatusFormSchema,
    handler: async ({ form, ctx }, request, reply) => {
      // The code is never echoed back into the page: a shared screen should not keep it.
      const refuse = (key: string, status: 422 | 429) => reply.page(h(ReportStatusPage, { form: { values: {}, errors: { code: { key } } } }), status);
      if (!request.formTokenValid) return refuse('map.outcome.errors.stale', 422);
      const key = `map1193.report-status:${hmac(ctx.secret, 'map1193.report-status', limitKeyOf(request.ip))}`;
      const decision = await ctx.rateLimiter.consume(key, LOOKUP_LIMIT.count, LOOKUP_LIMIT.windowMs);
      if (!decision.allowed) {
        reply.header('retry-after', String(decision.retryAfterSeconds));
        return refuse('map.outcome.errors.tooMany', 429);
      }
      if (!form.ok || !normalizeCode(form.data.code)) return refuse('map.outcome.errors.format', 422);
      const report = await outcomeByCode(ctx, form.data.code);
      if (!report) return refuse('map.outcome.errors.wrong', 422);
      return reply.page(h(ReportStatusPage, { form: emptyForm, report }));
    },
  });

  consoleRoute(app, services, {
    method: 'GET',
    url: '/console/map1193/my-reports',
    access: 'map.report',
    handler: async ({ staff, ctx }, _request, reply) => reply.page(h(MyReportsPage, { reports: await myReports(ctx, staff.account.id) })),
  });

  consoleRoute(app, services, {
    method: 'GET',
    url: '/console/map1193/data-quality',
    access: 'map.data_quality',
    query: dataQualityQuerySchema,
    handler: async ({ query, ctx }, _request, reply) => reply.page(h(DataQualityPage, { items: await dataQualityQueue(ctx), done: query.done })),
  });

  consoleRoute(app, services, {
    method: 'POST',
    url: '/console/map1193/data-quality/:id/review',
    access: 'map.data_quality',
    params: idParamsSchema,
    body: dataQualityReviewSchema,
    handler: async ({ params, form, ctx }, _request, reply) => {
      // Only a forged post names another outcome (the buttons offer two), and a listing already
      // reviewed has nothing left to decide: both are a 404, like a record that is not there.
      if (!form.ok || !(await reviewListing(ctx, params.id, form.data.outcome))) throw notFound();
      return reply.redirect(`/console/map1193/data-quality?done=${form.data.outcome}`, 303);
    },
  });
}
