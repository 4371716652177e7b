import type { FastifyInstance, FastifyReply } from 'fastify';
import { h } from 'preact';
import { notFound } from '../../../core/http/errors.ts';
import { emptyForm } from '../../../core/views/forms.tsx';
import type { AppServices } from '../../../core/module.ts';
import { consoleRoute } from '../../../core/auth/console-route.ts';
import * as enforcement from './service.ts';
import { caseQuerySchema, caseStepFormSchema, idParamsSchema, inspectionQuerySchema } from '../schema.ts';
import { receiveStepForm } from './step-form.service.ts';
import { caseRecord } from './case-record.ts';
import { CasePage } from './views/case-page.tsx';
import { CaseRecordPage } from './views/case-record-page.tsx';
import { InspectionsPage } from './views/inspections-page.tsx';
import { NoticeLetterPage } from './views/notice-letter-page.tsx';

/** A decrypted photo, as an image that can never be anything but an image. */
function sendPhoto(reply: FastifyReply, photo: { mime: string; bytes: Buffer } | undefined) {
  if (!photo) throw notFound();
  return reply.header('content-type', photo.mime).header('content-security-policy', "default-src 'none'; sandbox").header('content-disposition', 'inline').send(photo.bytes);
}

/** The inspectors' console: queue, case files, stored notices, photos. */
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

  // The whole case for a hearing, printable: reading it is audited like opening the case file.
  consoleRoute(app, services, {
    method: 'GET',
    url: '/console/map1193/inspections/:id/record',
    access: 'map.inspect',
    params: idParamsSchema,
    handler: async ({ params, ctx }, _request, reply) => {
      const record = await caseRecord(ctx, params.id);
      if (!record) throw notFound();
      return reply.page(h(CaseRecordPage, { record }));
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
    handler: async ({ params: { id }, form, files, tooManyFiles, ctx }, _request, reply) => {
      const answer = await receiveStepForm(ctx, id, { form, files, tooManyFiles, photoKey });
      if (answer.ok) return reply.redirect(`/console/map1193/inspections/${id}?done=step`, 303);
      const file = await enforcement.caseFile(ctx, id);
      if (!file) throw notFound();
      return reply.page(h(CasePage, { file, now: ctx.clock.now().toISOString(), done: false, form: answer.form }), answer.status);
    },
  });
}
