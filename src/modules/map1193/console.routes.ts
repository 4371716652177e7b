import type { FastifyInstance, FastifyReply } from 'fastify';
import { h } from 'preact';
import { notFound } from '../../core/http/errors.ts';
import type { FormErrors } from '../../core/http/forms.ts';
import { emptyForm } from '../../core/views/forms.tsx';
import type { AppServices } from '../../core/module.ts';
import { consoleRoute } from '../../core/auth/console-route.ts';
import { dashboard } from './dashboard.service.ts';
import * as enforcement from './enforcement.service.ts';
import { caseQuerySchema, caseStepFormSchema, dashboardQuerySchema, idParamsSchema, inspectionQuerySchema } from './schema.ts';
import { listCities } from './service.ts';
import { cleanUploads, type PhotoProblem } from './photos.ts';
import { CasePage } from './views/case-page.tsx';
import { DashboardPage } from './views/dashboard-page.tsx';
import { InspectionsPage } from './views/inspections-page.tsx';
import { NoticeLetterPage } from './views/notice-letter-page.tsx';

const PHOTO_ERRORS: Record<PhotoProblem, string> = {
  tooLarge: 'map.enforcement.errors.photoTooLarge',
  type: 'map.enforcement.errors.photoType',
  unreadable: 'map.enforcement.errors.photoUnreadable',
};

/** A decrypted photo, as an image that can never be anything but an image. */
function sendPhoto(reply: FastifyReply, photo: { mime: string; bytes: Buffer } | undefined) {
  if (!photo) throw notFound();
  return reply.header('content-type', photo.mime).header('content-security-policy', "default-src 'none'; sandbox").header('content-disposition', 'inline').send(photo.bytes);
}

/** The inspectors' console (queue, case files, stored notices, photos) and the dashboard. */
export function registerMapConsoleRoutes(app: FastifyInstance, services: AppServices, photoKey: Uint8Array): void {
  consoleRoute(app, services, {
    method: 'GET',
    url: '/console/map1193/inspections',
    access: 'map.inspect',
    query: inspectionQuerySchema,
    handler: async ({ query, ctx }, _request, reply) => {
      const { rows, cities } = await enforcement.inspectionQueue(ctx, query.city);
      return reply.page(h(InspectionsPage, { city: query.city, rows, cities, now: ctx.clock.now().toISOString() }));
    },
  });

  consoleRoute(app, services, {
    method: 'GET',
    url: '/console/map1193/inspections/:id',
    access: 'map.inspect',
    params: idParamsSchema,
    query: caseQuerySchema,
    handler: async ({ params, query, ctx }, _request, reply) => {
      const file = await enforcement.openCaseFile(ctx, params.id);
      if (!file) throw notFound();
      return reply.page(h(CasePage, { file, now: ctx.clock.now().toISOString(), done: query.done === 'step', form: emptyForm }));
    },
  });

  // A visit's photos and a report's photo: decrypted for inspectors, each opening audited.
  const photoSources = [
    { kind: 'case', open: enforcement.casePhoto },
    { kind: 'report', open: enforcement.reportPhoto },
  ] as const;
  for (const source of photoSources) {
    consoleRoute(app, services, {
      method: 'GET',
      url: `/console/map1193/photos/${source.kind}/:id`,
      access: 'map.inspect',
      params: idParamsSchema,
      handler: async ({ params, ctx }, _request, reply) => sendPhoto(reply, await source.open(ctx, photoKey, params.id)),
    });
  }

  consoleRoute(app, services, {
    method: 'GET',
    url: '/console/map1193/notices/:id',
    access: 'map.inspect',
    params: idParamsSchema,
    handler: async ({ params, ctx }, _request, reply) => {
      const stored = await enforcement.storedNotice(ctx, params.id);
      if (!stored) throw notFound();
      return reply.page(h(NoticeLetterPage, stored));
    },
  });

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

/**
 * One step of a case, with the inspector's notes and photos. Registered where multipart parsing
 * is in scope. Bad photos or a refused step bring the case page back with the notes kept.
 */
export function registerCaseStepRoute(app: FastifyInstance, services: AppServices, photoKey: Uint8Array): void {
  consoleRoute(app, services, {
    method: 'POST',
    url: '/console/map1193/inspections/:id/step',
    access: 'map.inspect',
    params: idParamsSchema,
    upload: { maxFiles: enforcement.MAX_STEP_PHOTOS },
    body: caseStepFormSchema,
    handler: async ({ params: { id }, form: parsed, files, tooManyFiles, ctx }, _request, reply) => {
      const submitted = { values: parsed.values, files, tooManyFiles };
      const errors: FormErrors = parsed.ok ? {} : { ...parsed.errors };
      // Only a forged post names another action (the buttons offer the allowed ones): one line for the form.
      if (errors.action) {
        delete errors.action;
        // With far too many files the parser stops before the button's value: no step was chosen then.
        if (!submitted.tooManyFiles) errors._form = { key: 'map.enforcement.errors.skipped' };
      }
      const { photos, problem } = submitted.tooManyFiles ? { photos: [], problem: undefined } : await cleanUploads(submitted.files, 'photos');
      if (submitted.tooManyFiles) errors.photos = { key: 'map.enforcement.errors.tooManyPhotos', params: { max: enforcement.MAX_STEP_PHOTOS } };
      else if (problem) errors.photos = { key: PHOTO_ERRORS[problem] };
      const again = async (formErrors: FormErrors, status: number) => {
        // Chosen photos are not kept (a file input never refills): say so where they were chosen.
        if (submitted.files.length > 0 && !formErrors.photos) formErrors.photos = { key: 'map.enforcement.errors.photosAgain', params: { count: submitted.files.length } };
        const file = await enforcement.caseFile(ctx, id);
        if (!file) throw notFound();
        return reply.page(h(CasePage, { file, now: ctx.clock.now().toISOString(), done: false, form: { values: submitted.values, errors: formErrors } }), status);
      };
      if (!parsed.ok || Object.keys(errors).length > 0) return again(errors, 422);
      const result = await enforcement.takeStep(ctx, id, {
        ...parsed.data,
        photos: { key: photoKey, clean: photos },
      });
      if (!result.ok && result.problem === 'gone') throw notFound();
      if (!result.ok) return again({ _form: { key: result.problem } }, 409);
      return reply.redirect(`/console/map1193/inspections/${id}?done=step`, 303);
    },
  });
}
