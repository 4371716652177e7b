import type { FastifyInstance, FastifyRequest } from 'fastify';
import { h } from 'preact';
import { hmac } from '../../../core/crypto/server-secret.ts';
import { notFound } from '../../../core/http/errors.ts';
import { limitKeyOf } from '../../../core/http/rate-limiter.ts';
import { localizedRoute } from '../../../core/http/site.ts';
import type { AppServices } from '../../../core/module.ts';
import { emptyForm } from '../../../core/views/forms.tsx';
import { cancelParams, eventParams, registeredQuery, registrationFormSchema } from './schema.ts';
import { byCancelToken, cancelByToken, eventPage, register, upcomingEvents } from './service.ts';
import { CalendarPage } from './views/calendar.tsx';
import { CancelPage, EventPage, RegisteredPage } from './views/event-page.tsx';

/** The public calendar, an event's page and registration, and the cancel link. */
export function registerRegistrationRoutes(app: FastifyInstance, s: AppServices): void {
  const clientKey = (request: FastifyRequest) => `events:register:${hmac(s.secret, 'events.register', limitKeyOf(request.ip))}`;
  const prefixOf = (locale: string) => (locale === s.catalogs.defaultLocale ? '' : `/${locale}`);

  localizedRoute(app, s, {
    method: 'GET',
    path: '/events',
    handler: async ({ ctx }, _request, reply) => reply.page(h(CalendarPage, { events: await upcomingEvents(ctx) })),
  });

  localizedRoute(app, s, {
    method: 'GET',
    path: '/events/:id',
    params: eventParams,
    formToken: 'event-registration',
    handler: async ({ params, ctx }, _request, reply) => {
      const data = await eventPage(ctx, params.id);
      if (!data) throw notFound();
      return reply.page(h(EventPage, { ...data, form: emptyForm }));
    },
  });

  localizedRoute(app, s, {
    method: 'POST',
    path: '/events/:id/register',
    params: eventParams,
    formToken: 'event-registration',
    formTokenFailure: 'handle',
    body: registrationFormSchema,
    handler: async ({ params, form, ctx }, request, reply) => {
      const data = await eventPage(ctx, params.id);
      if (!data) throw notFound();
      const answer = await register(ctx, data.event, { form, tokenValid: request.formTokenValid, locale: request.locale, clientKey: clientKey(request) });
      if (answer.page === 'done') return reply.redirect(`${prefixOf(request.locale)}/events/${params.id}/registered?as=${answer.status}`, 303);
      if (answer.retryAfterSeconds) reply.header('retry-after', String(answer.retryAfterSeconds));
      const fresh = await eventPage(ctx, params.id);
      const retry = answer.retryAfterSeconds ? { retryMinutes: Math.ceil(answer.retryAfterSeconds / 60) } : {};
      return reply.page(h(EventPage, { ...(fresh ?? data), form: answer.form, ...(answer.notice ? { notice: answer.notice } : {}), ...retry }), answer.status);
    },
  });

  localizedRoute(app, s, {
    method: 'GET',
    path: '/events/:id/registered',
    params: eventParams,
    query: registeredQuery,
    handler: async ({ params, query, ctx }, _request, reply) => {
      const data = await eventPage(ctx, params.id);
      if (!data) throw notFound();
      return reply.page(h(RegisteredPage, { event: data.event, status: query.as }));
    },
  });

  localizedRoute(app, s, {
    method: 'GET',
    path: '/events/cancel/:token',
    params: cancelParams,
    formToken: 'event-cancel',
    handler: async ({ params, ctx }, _request, reply) => {
      const found = await byCancelToken(ctx, params.token);
      if (!found) throw notFound();
      return reply.page(h(CancelPage, { event: found.event, state: found.registration.status === 'cancelled' ? 'already' : 'ask' }));
    },
  });

  localizedRoute(app, s, {
    method: 'POST',
    path: '/events/cancel/:token',
    params: cancelParams,
    formToken: 'event-cancel',
    handler: async ({ params, ctx }, _request, reply) => {
      const found = await byCancelToken(ctx, params.token);
      const outcome = await cancelByToken(ctx, params.token);
      if (!found || !outcome) throw notFound();
      return reply.page(h(CancelPage, { event: found.event, state: outcome }));
    },
  });
}
