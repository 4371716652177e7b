import { createHash, randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { h } from 'preact';
import { notFound } from '../../../core/http/errors.ts';
import { emptyForm, type FormState } from '../../../core/views/forms.tsx';
import type { Context } from '../../../core/context.ts';
import type { AppServices } from '../../../core/module.ts';
import { consoleRoute } from '../../../core/auth/console-route.ts';
import * as days from './service.ts';
import { actionDayFormSchema, doneQuerySchema, idParamsSchema, queuedReportSchema, routeReportFormSchema } from '../schema.ts';
import { listCities } from '../businesses/service.ts';
import { rulesOn } from '../rules/service.ts';
import { ActionDayPage } from './views/action-day-page.tsx';
import { ActionDaysPage } from './views/action-days-page.tsx';
import { MyRoutePage } from './views/my-route-page.tsx';
import { RouteReportPage } from './views/route-report-page.tsx';
import { EventReportPage } from './views/event-report-page.tsx';
import { progressSummary } from './views/action-day-page.tsx';
import { eventReportCsv, officeTime } from './event-report.ts';

/**
 * Names what the saved copy of a route must match: the plan (teams, stops), who and in which
 * language, and the asset files the pages load. The worker refetches the stop pages only when
 * it changes; whether a stop was reported is on the list page, which is saved on every visit.
 */
function routeVersion(locale: string, accountId: string, assets: Readonly<Record<string, string>>, routes: Awaited<ReturnType<typeof days.myRoute>>): string {
  const plan = routes.map((r) => [r.teamId, r.day, r.title, r.teamName, r.stops.map((s) => [s.id, s.name, s.address, s.city])]);
  return createHash('sha256').update(JSON.stringify([locale, accountId, assets, plan])).digest('base64url').slice(0, 22);
}

/** Days of action: coordinators plan them and watch progress; volunteers walk their route and report. */
export function registerActionRoutes(app: FastifyInstance, services: AppServices): void {
  const daysPage = async (ctx: Context, form: FormState = emptyForm) => h(ActionDaysPage, { days: await days.listActionDays(ctx), cities: await listCities(ctx), form });

  consoleRoute(app, services, {
    method: 'GET',
    url: '/console/map1193/days',
    access: 'map.coordinate',
    handler: async ({ ctx }, _request, reply) => reply.page(await daysPage(ctx)),
  });

  consoleRoute(app, services, {
    method: 'POST',
    url: '/console/map1193/days',
    access: 'map.coordinate',
    body: actionDayFormSchema,
    handler: async ({ form, ctx }, _request, reply) => {
      if (!form.ok) return reply.page(await daysPage(ctx, form), 422);
      const result = await days.createActionDay(ctx, form.data);
      if (!result.ok) return reply.page(await daysPage(ctx, { values: form.values, errors: result.errors }), 422);
      return reply.redirect(`/console/map1193/days/${result.id}`, 303);
    },
  });

  consoleRoute(app, services, {
    method: 'GET',
    url: '/console/map1193/days/:id',
    access: 'map.coordinate',
    params: idParamsSchema,
    handler: async ({ params, ctx }, _request, reply) => {
      const progress = await days.actionDayProgress(ctx, params.id);
      if (!progress) throw notFound();
      return reply.page(h(ActionDayPage, { progress }));
    },
  });

  // What the progress page's island polls: the same figures, with the same permission.
  consoleRoute(app, services, {
    method: 'GET',
    url: '/console/map1193/days/:id/progress.json',
    access: 'map.coordinate',
    params: idParamsSchema,
    handler: async ({ params, ctx }, request, reply) => {
      const progress = await days.actionDayProgress(ctx, params.id);
      if (!progress) return reply.code(404).header('cache-control', 'no-store').send({ error: 'not_found' });
      const { total, teams, cities } = progress;
      const updated = request.t('map.actions.updated', { time: officeTime(ctx.clock.now(), request.locale, request.settings.timeZone) });
      return reply.header('cache-control', 'no-store').send({ total, teams, cities, summary: progressSummary(request.t, total), updated });
    },
  });

  consoleRoute(app, services, {
    method: 'GET',
    url: '/console/map1193/days/:id/report',
    access: 'map.coordinate',
    params: idParamsSchema,
    handler: async ({ params, ctx }, _request, reply) => {
      const progress = await days.actionDayProgress(ctx, params.id);
      if (!progress) throw notFound();
      return reply.page(h(EventReportPage, { progress }));
    },
  });

  consoleRoute(app, services, {
    method: 'GET',
    url: '/console/map1193/days/:id/report.csv',
    access: 'map.coordinate',
    params: idParamsSchema,
    handler: async ({ params, ctx }, _request, reply) => {
      const progress = await days.actionDayProgress(ctx, params.id);
      if (!progress) throw notFound();
      return reply
        .type('text/csv; charset=utf-8')
        .header('content-disposition', `attachment; filename="map1193-day-${progress.day.day}.csv"`)
        .header('cache-control', 'no-store')
        .send(eventReportCsv(progress));
    },
  });

  consoleRoute(app, services, {
    method: 'GET',
    url: '/console/map1193/my-route',
    access: 'map.report',
    query: doneQuerySchema,
    handler: async ({ query, staff, ctx }, request, reply) => {
      const accountId = staff.account.id;
      const routes = await days.myRoute(ctx, accountId);
      return reply.page(h(MyRoutePage, { routes, accountId, done: query.done === '1', routeVersion: routeVersion(request.locale, accountId, services.site.manifest, routes) }));
    },
  });

  consoleRoute(app, services, {
    method: 'GET',
    url: '/console/map1193/my-route/:id',
    access: 'map.report',
    params: idParamsSchema,
    handler: async ({ params, staff, ctx }, _request, reply) => {
      const stop = await days.routeStop(ctx, params.id, staff.account.id);
      if (!stop) throw notFound();
      const { notice } = await rulesOn(ctx, ctx.clock.now());
      return reply.page(h(RouteReportPage, { stop, reportId: randomUUID(), accountId: staff.account.id, form: emptyForm, notice }));
    },
  });

  consoleRoute(app, services, {
    method: 'POST',
    url: '/console/map1193/my-route/:id',
    access: 'map.report',
    params: idParamsSchema,
    body: routeReportFormSchema,
    handler: async ({ params, form, staff, ctx }, _request, reply) => {
      const accountId = staff.account.id;
      const stop = await days.routeStop(ctx, params.id, accountId);
      if (!stop) throw notFound();
      if (!form.ok) {
        // The id is a hidden field: its message belongs to the form, not to a field to jump to.
        const { reportId: idError, ...errors } = form.errors;
        const kept = typeof form.values.reportId === 'string' && /^[0-9a-f-]{36}$/i.test(form.values.reportId) ? form.values.reportId : randomUUID();
        const { notice } = await rulesOn(ctx, ctx.clock.now());
        return reply.page(h(RouteReportPage, { stop, reportId: kept, accountId, notice, form: { values: form.values, errors: idError ? { ...errors, _form: idError } : errors } }), 422);
      }
      await days.reportFromRoute(ctx, accountId, stop.id, form.data);
      return reply.redirect('/console/map1193/my-route?done=1', 303);
    },
  });

  // The offline route list's sync: JSON in and out, idempotent by the client's report id, so a
  // sync interrupted after the server stored a report and resent later stores it once.
  consoleRoute(app, services, {
    method: 'POST',
    url: '/console/map1193/my-route/:id/report.json',
    access: 'map.report',
    params: idParamsSchema,
    handler: async ({ params, staff, ctx }, request, reply) => {
      const accountId = staff.account.id;
      const stop = await days.routeStop(ctx, params.id, accountId);
      if (!stop) return reply.code(404).header('cache-control', 'no-store').send({ ok: false, error: 'not_found' });
      // A JSON body, not a form: its schema checks it whole.
      const parsed = queuedReportSchema.safeParse(request.body);
      if (!parsed.success) return reply.code(422).header('cache-control', 'no-store').send({ ok: false, error: 'invalid', fields: [...new Set(parsed.error.issues.map((i) => String(i.path[0] ?? '')))] });
      const { observedAt, ...report } = parsed.data;
      const outcome = await days.reportFromRoute(ctx, accountId, stop.id, { ...report, observedAt: days.plausibleObservedAt(observedAt, ctx.clock.now()) });
      return reply.header('cache-control', 'no-store').send({ ok: true, reportId: report.reportId, created: outcome?.created ?? false });
    },
  });
}
