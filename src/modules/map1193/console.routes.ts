import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { h } from 'preact';
import { notFound } from '../../core/http/errors.ts';
import { parseForm } from '../../core/http/forms.ts';
import type { AppServices } from '../../core/module.ts';
import { actorOf, consoleRoute } from '../accounts/index.ts';
import { dashboard } from './dashboard.service.ts';
import * as enforcement from './enforcement.service.ts';
import { caseStepFormSchema, idParamsSchema, inspectionQuerySchema } from './schema.ts';
import type { MapContext } from './service.ts';
import { CasePage } from './views/case-page.tsx';
import { DashboardPage } from './views/dashboard-page.tsx';
import { InspectionsPage } from './views/inspections-page.tsx';
import { NoticeLetterPage } from './views/notice-letter-page.tsx';

/** Refusals named in the redirect, shown as these messages. */
const ERRORS: Record<string, string> = {
  skipped: 'map.enforcement.errors.skipped',
  cureRunning: 'map.enforcement.errors.cureRunning',
  changed: 'map.enforcement.errors.changed',
};
const errorCode = (key: string) => Object.entries(ERRORS).find(([, v]) => v === key)?.[0] ?? 'skipped';

function idOf(request: FastifyRequest): string {
  const parsed = idParamsSchema.safeParse(request.params);
  if (!parsed.success) throw notFound();
  return parsed.data.id;
}

const back = (reply: FastifyReply, id: string, query: string) => reply.redirect(`/console/map1193/inspections/${id}?${query}`, 303);

/** The inspectors' console (queue, case files, stored notices) and the dashboard. */
export function registerMapConsoleRoutes(app: FastifyInstance, services: AppServices): void {
  const ctx: MapContext = { db: services.db, dialect: services.dialect, clock: services.clock };

  consoleRoute(app, {
    method: 'GET',
    url: '/console/map1193/inspections',
    access: 'map.inspect',
    handler: async (request, reply) => {
      const query = inspectionQuerySchema.parse(request.query ?? {});
      const { rows, cities } = await enforcement.inspectionQueue(ctx, query.city);
      return reply.page(h(InspectionsPage, { city: query.city, rows, cities, now: services.clock.now().toISOString() }));
    },
  });

  consoleRoute(app, {
    method: 'GET',
    url: '/console/map1193/inspections/:id',
    access: 'map.inspect',
    handler: async (request, reply) => {
      const file = await enforcement.caseFile(ctx, idOf(request));
      if (!file) throw notFound();
      const query = (request.query ?? {}) as Record<string, string>;
      return reply.page(h(CasePage, { file, now: services.clock.now().toISOString(), done: query.done === 'step', error: ERRORS[query.error ?? ''] }));
    },
  });

  consoleRoute(app, {
    method: 'POST',
    url: '/console/map1193/inspections/:id/step',
    access: 'map.inspect',
    handler: async (request, reply) => {
      const id = idOf(request);
      const parsed = parseForm(caseStepFormSchema, request.body);
      if (!parsed.ok) {
        if (!(await enforcement.caseFile(ctx, id))) throw notFound();
        return back(reply, id, 'error=skipped');
      }
      const result = await enforcement.takeStep({ ...ctx, audit: services.audit, actor: actorOf(request.staff!.account) }, id, parsed.data);
      if (!result.ok && result.problem === 'gone') throw notFound();
      return back(reply, id, result.ok ? 'done=step' : `error=${errorCode(result.problem)}`);
    },
  });

  consoleRoute(app, {
    method: 'GET',
    url: '/console/map1193/notices/:id',
    access: 'map.inspect',
    handler: async (request, reply) => {
      const stored = await enforcement.storedNotice(ctx, idOf(request));
      if (!stored) throw notFound();
      return reply.page(h(NoticeLetterPage, stored));
    },
  });

  consoleRoute(app, {
    method: 'GET',
    url: '/console/map1193/dashboard',
    access: 'map.dashboard',
    handler: async (_request, reply) => reply.page(h(DashboardPage, { data: await dashboard(ctx) })),
  });
}
