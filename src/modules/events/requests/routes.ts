import type { FastifyInstance, FastifyRequest } from 'fastify';
import { h } from 'preact';
import { z } from 'zod';
import { hmac } from '../../../core/crypto/server-secret.ts';
import { limitKeyOf } from '../../../core/http/rate-limiter.ts';
import { localizedRoute } from '../../../core/http/site.ts';
import type { AppServices } from '../../../core/module.ts';
import { emptyForm } from '../../../core/views/forms.tsx';
import { requestFormSchema } from './schema.ts';
import { receiveRequestForm } from './submit.service.ts';
import { RequestFormPage, RequestSentPage } from './views/request-form.tsx';

const REFERENCE = /^TR-[0-9A-Z]{8}$/;
const sentQuery = z.object({ ref: z.string().regex(REFERENCE).optional().catch(undefined) });

/** "Host a training": the public form and its thank-you page. */
export function registerRequestRoutes(app: FastifyInstance, s: AppServices): void {
  // The address only ever becomes an HMAC for the limiter's key; it is not stored or logged here.
  const clientKey = (request: FastifyRequest) => `events:request:${hmac(s.secret, 'events.request', limitKeyOf(request.ip))}`;

  localizedRoute(app, s.catalogs, {
    method: 'GET',
    path: '/trainings/request',
    formToken: 'training-request',
    handler: async (_request, reply) => reply.page(h(RequestFormPage, { form: emptyForm })),
  });

  localizedRoute(app, s, {
    method: 'POST',
    path: '/trainings/request',
    formToken: 'training-request',
    formTokenFailure: 'handle',
    body: requestFormSchema,
    handler: async ({ form, ctx }, request, reply) => {
      const answer = await receiveRequestForm(ctx, { form, tokenValid: request.formTokenValid, locale: request.locale, clientKey: clientKey(request) });
      if (answer.page === 'sent') {
        const prefix = request.locale === s.catalogs.defaultLocale ? '' : `/${request.locale}`;
        return reply.redirect(`${prefix}/trainings/request/sent?ref=${answer.reference}`, 303);
      }
      if (answer.failure) {
        const { name, code } = answer.failure as { name?: string; code?: string };
        request.log.error({ errType: name, errCode: code, route: request.routeOptions.url }, 'training request not stored');
      }
      if (answer.retryAfterSeconds) reply.header('retry-after', String(answer.retryAfterSeconds));
      const retryMinutes = answer.retryAfterSeconds ? { retryMinutes: Math.ceil(answer.retryAfterSeconds / 60) } : {};
      return reply.page(h(RequestFormPage, { form: answer.form, ...(answer.notice ? { notice: answer.notice } : {}), ...retryMinutes }), answer.status);
    },
  });

  localizedRoute(app, s, {
    method: 'GET',
    path: '/trainings/request/sent',
    query: sentQuery,
    handler: async ({ query }, _request, reply) => reply.page(h(RequestSentPage, { reference: query.ref })),
  });
}
