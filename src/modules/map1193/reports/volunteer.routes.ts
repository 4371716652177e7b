import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { h } from 'preact';
import { localePrefix } from '../../../core/i18n/locale.ts';
import type { AppServices } from '../../../core/module.ts';
import { emptyForm } from '../../../core/views/forms.tsx';
import { consoleRoute } from '../../../core/auth/console-route.ts';
import { idParamsSchema, reportFormSchema } from '../schema.ts';
import { businessPage } from '../businesses/service.ts';
import { receiveReportForm } from './report-form.service.ts';
import { VolunteerReportPage } from './views/volunteer-report-page.tsx';

/** Generous for a day of action, a stop to an account flooding the inspection queue. */
const VOLUNTEER_LIMIT = { count: 60, windowMs: 3600_000 };

/**
 * A signed-in volunteer's report on any business, with a photo: the public report form, but
 * recorded as the volunteer's (channel "volunteer"). Registered where multipart parsing is in scope.
 */
export function registerVolunteerReportRoutes(app: FastifyInstance, services: AppServices, photoKey: Uint8Array): void {
  const url = '/console/map1193/businesses/:id/report';

  consoleRoute(app, services, {
    method: 'GET',
    url,
    access: 'map.report',
    params: idParamsSchema,
    handler: async ({ params, ctx }, _request, reply) => {
      const { business, law } = await businessPage(ctx, params.id);
      return reply.page(h(VolunteerReportPage, { business, reportId: randomUUID(), form: emptyForm, notice: law.notice }));
    },
  });

  consoleRoute(app, services, {
    method: 'POST',
    url,
    access: 'map.report',
    params: idParamsSchema,
    upload: { maxFiles: 1 },
    body: reportFormSchema,
    handler: async ({ params, form, files, staff, ctx }, request, reply) => {
      const limit = { key: `map1193.volunteer-report:${staff.account.id}`, ...VOLUNTEER_LIMIT };
      const answer = await receiveReportForm(ctx, { businessId: params.id, form, files, photoKey, limit, reporter: { channel: 'volunteer', id: staff.account.id } });
      if (answer.ok) return reply.redirect(`${localePrefix(request.locale, services.catalogs.defaultLocale)}/map1193/businesses/${answer.businessId}/thanks`, 303);
      const { business, law } = await businessPage(ctx, params.id);
      return reply.page(h(VolunteerReportPage, { business, reportId: answer.reportId, form: answer.form, notice: law.notice }), answer.status);
    },
  });
}
