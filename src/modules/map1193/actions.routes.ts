import { createHash, randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { h } from 'preact';
import { notFound } from '../../core/http/errors.ts';
import { parseForm } from '../../core/http/forms.ts';
import { emptyForm } from '../../core/views/forms.tsx';
import type { Context } from '../../core/context.ts';
import type { AppServices } from '../../core/module.ts';
import { consoleRoute } from '../../core/auth/console-route.ts';
import * as days from './actions.service.ts';
import { actionDayFormSchema, idOf, queuedReportSchema, routeReportFormSchema } from './schema.ts';
import { listCities } from './service.ts';
import { ActionDayPage } from './views/action-day-page.tsx';
import { ActionDaysPage } from './views/action-days-page.tsx';
import { MyRoutePage } from './views/my-route-page.tsx';
import { RouteReportPage } from './views/route-report-page.tsx';

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
  const daysPage = async (ctx: Context, form = emptyForm) => h(ActionDaysPage, { days: await days.listActionDays(ctx), cities: await listCities(ctx), form });

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
    handler: async ({ ctx }, request, reply) => {
      const parsed = parseForm(actionDayFormSchema, request.body);
      if (!parsed.ok) return reply.page(await daysPage(ctx, { values: parsed.values, errors: parsed.errors }), 422);
      const result = await days.createActionDay(ctx, parsed.data);
      if (!result.ok) return reply.page(await daysPage(ctx, { values: parsed.values, errors: result.errors }), 422);
      return reply.redirect(`/console/map1193/days/${result.id}`, 303);
    },
  });

  consoleRoute(app, services, {
    method: 'GET',
    url: '/console/map1193/days/:id',
    access: 'map.coordinate',
    handler: async ({ ctx }, request, reply) => {
      const progress = await days.actionDayProgress(ctx, idOf(request));
      if (!progress) throw notFound();
      return reply.page(h(ActionDayPage, { progress }));
    },
  });

  consoleRoute(app, services, {
    method: 'GET',
    url: '/console/map1193/my-route',
    access: 'map.report',
    handler: async ({ ctx }, request, reply) => {
      const accountId = request.staff!.account.id;
      const routes = await days.myRoute(ctx, accountId);
      const done = (request.query as Record<string, string> | undefined)?.done === '1';
      return reply.page(h(MyRoutePage, { routes, accountId, done, routeVersion: routeVersion(request.locale, accountId, services.site.manifest, routes) }));
    },
  });

  consoleRoute(app, services, {
    method: 'GET',
    url: '/console/map1193/my-route/:id',
    access: 'map.report',
    handler: async ({ ctx }, request, reply) => {
      const stop = await days.routeStop(ctx, idOf(request), request.staff!.account.id);
      if (!stop) throw notFound();
      return reply.page(h(RouteReportPage, { stop, reportId: randomUUID(), accountId: request.staff!.account.id, form: emptyForm }));
    },
  });

  consoleRoute(app, services, {
    method: 'POST',
    url: '/console/map1193/my-route/:id',
    access: 'map.report',
    handler: async ({ ctx }, request, reply) => {
      const accountId = request.staff!.account.id;
      const stop = await days.routeStop(ctx, idOf(request), accountId);
      if (!stop) throw notFound();
      const parsed = parseForm(routeReportFormSchema, request.body);
      if (!parsed.ok && parsed.errors.reportId) {
        parsed.errors._form = parsed.errors.reportId;
        delete parsed.errors.reportId;
      }
      if (!parsed.ok) {
        const kept = typeof parsed.values.reportId === 'string' && /^[0-9a-f-]{36}$/i.test(parsed.values.reportId) ? parsed.values.reportId : randomUUID();
        return reply.page(h(RouteReportPage, { stop, reportId: kept, accountId, form: { values: parsed.values, errors: parsed.errors } }), 422);
      }
      await days.reportFromRoute(ctx, accountId, stop.id, parsed.data);
      return reply.redirect('/console/map1193/my-route?done=1', 303);
    },
  });

  // The offline route list's sync: JSON in and out, idempotent by the client's report id, so a
  // sync interrupted after the server stored a report and resent later stores it once.
  consoleRoute(app, services, {
    method: 'POST',
    url: '/console/map1193/my-route/:id/report.json',
    access: 'map.report',
    handler: async ({ ctx }, request, reply) => {
      const accountId = request.staff!.account.id;
      const stop = await days.routeStop(ctx, idOf(request), accountId);
      if (!stop) return reply.code(404).header('cache-control', 'no-store').send({ ok: false, error: 'not_found' });
      const parsed = queuedReportSchema.safeParse(request.body);
      if (!parsed.success) return reply.code(422).header('cache-control', 'no-store').send({ ok: false, error: 'invalid', fields: [...new Set(parsed.error.issues.map((i) => String(i.path[0] ?? '')))] });
      const { observedAt, ...form } = parsed.data;
      const outcome = await days.reportFromRoute(ctx, accountId, stop.id, { ...form, observedAt: days.plausibleObservedAt(observedAt, services.clock.now()) });
      return reply.header('cache-control', 'no-store').send({ ok: true, reportId: form.reportId, created: outcome?.created ?? false });
    },
  });
}
