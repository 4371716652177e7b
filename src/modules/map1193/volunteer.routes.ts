import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { h } from 'preact';
import { z } from 'zod';
import { AppError } from '../../core/http/errors.ts';
import { localePrefix } from '../../core/i18n/locale.ts';
import type { FormErrors } from '../../core/http/forms.ts';
import type { AppServices } from '../../core/module.ts';
import { emptyForm } from '../../core/views/forms.tsx';
import { consoleRoute } from '../../core/auth/console-route.ts';
import { cleanUploads, REPORT_PHOTO_ERRORS } from './photos.ts';
import { idParamsSchema, reportFormSchema } from './schema.ts';
import { businessPage, submitReport } from './service.ts';
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
      const { business } = await businessPage(ctx, params.id);
      return reply.page(h(VolunteerReportPage, { business, reportId: randomUUID(), form: emptyForm }));
    },
  });

  consoleRoute(app, services, {
    method: 'POST',
    url,
    access: 'map.report',
    params: idParamsSchema,
    upload: { maxFiles: 1 },
    body: reportFormSchema,
    handler: async ({ params, form: parsed, files, tooManyFiles, staff, ctx }, request, reply) => {
      const { business } = await businessPage(ctx, params.id);
      const limit = await ctx.rateLimiter.consume(`map1193.volunteer-report:${staff.account.id}`, VOLUNTEER_LIMIT.count, VOLUNTEER_LIMIT.windowMs);
      if (!limit.allowed) throw new AppError('too_many_requests', { retryAfter: limit.retryAfterSeconds });
      const submitted = { values: parsed.values, files, tooManyFiles };
      const errors: FormErrors = parsed.ok ? {} : { ...parsed.errors };
      // The id is a hidden field: its message belongs to the form, not to a field to jump to.
      if (errors.reportId) {
        errors._form = errors.reportId;
        delete errors.reportId;
      }
      const { photos, problem } = await cleanUploads(submitted.files, 'photo');
      if (problem) errors.photo = { key: REPORT_PHOTO_ERRORS[problem] };
      const photo = photos[0];
      if (!parsed.ok || Object.keys(errors).length > 0) {
        if (submitted.files.length > 0 && !errors.photo) errors.photo = { key: 'map.report.errors.photoAgain' };
        // The same id again, so a first try that did get through cannot be stored twice.
        const sent = submitted.values.reportId;
        const reportId = typeof sent === 'string' && z.uuid().safeParse(sent).success ? sent : randomUUID();
        return reply.page(h(VolunteerReportPage, { business, reportId, form: { values: submitted.values, errors } }), 422);
      }
      await submitReport(ctx, {
        id: parsed.data.reportId,
        businessId: business.id,
        observed: parsed.data.observed,
        problems: parsed.data.observed === 'wrong' ? parsed.data.problems : [],
        note: parsed.data.note,
        channel: 'volunteer',
        reporterId: staff.account.id,
        photo: photo ? { clean: photo, key: photoKey } : undefined,
      });
      return reply.redirect(`${localePrefix(request.locale, services.catalogs.defaultLocale)}/map1193/businesses/${business.id}/thanks`, 303);
    },
  });
}
