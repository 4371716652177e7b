import type { FastifyInstance, FastifyRequest } from 'fastify';
import { h } from 'preact';
import { hmac } from '../../../core/crypto/server-secret.ts';
import { limitKeyOf } from '../../../core/http/rate-limiter.ts';
import { localizedRoute } from '../../../core/http/site.ts';
import { localePrefix } from '../../../core/i18n/locale.ts';
import type { AppServices } from '../../../core/module.ts';
import { emptyForm } from '../../../core/views/forms.tsx';
import { offeredTopics } from '../topics/service.ts';
import { subscribeFormSchema, tokenParams } from './schema.ts';
import { confirmSubscription, pendingConfirmation, receiveSignup, type SignupJob, subscribePage } from './service.ts';
import { ConfirmedPage, ConfirmPage, LinkInvalidPage, SubscribePage, SubscribeSentPage } from './views/subscribe-page.tsx';

/** The public subscribe form and its confirmation link, in every locale; nothing about the client is kept. */
export function registerSubscribeRoutes(app: FastifyInstance, s: AppServices, job: SignupJob): void {
  // Keyed by an HMAC of the address, like the tip form: the limiter never holds an address.
  const clientKey = (request: FastifyRequest) => `mailing:subscribe:${hmac(s.secret, 'mailing.subscribe', limitKeyOf(request.ip))}`;
  const prefixed = (request: FastifyRequest, path: string) => `${localePrefix(request.locale, s.catalogs.defaultLocale)}${path}`;

  localizedRoute(app, s, {
    method: 'GET',
    path: '/subscribe',
    formToken: 'mailing-subscribe',
    handler: async ({ ctx }, request, reply) => reply.page(h(SubscribePage, { form: emptyForm, ...(await subscribePage(ctx, request.locale)) })),
  });

  localizedRoute(app, s, {
    method: 'POST',
    path: '/subscribe',
    formToken: 'mailing-subscribe',
    formTokenFailure: 'handle',
    body: subscribeFormSchema,
    handler: async ({ ctx, form }, request, reply) => {
      const answer = await receiveSignup(ctx, { form, locale: request.locale, clientKey: clientKey(request), tokenValid: request.formTokenValid, job });
      if (answer.ok) return reply.redirect(prefixed(request, '/subscribe/sent'), 303);
      if (answer.retryAfterSeconds) reply.header('retry-after', String(answer.retryAfterSeconds));
      return reply.page(h(SubscribePage, { form: answer.form, ...answer.page }), answer.status);
    },
  });

  localizedRoute(app, s, {
    method: 'GET',
    path: '/subscribe/sent',
    handler: async (_input, _request, reply) => reply.page(h(SubscribeSentPage, {})),
  });

  localizedRoute(app, s, {
    method: 'GET',
    path: '/subscribe/confirm/:token',
    params: tokenParams,
    formToken: 'mailing-confirm',
    handler: async ({ ctx, params }, _request, reply) => {
      reply.header('cache-control', 'no-store');
      const pending = await pendingConfirmation(ctx, params.token);
      if (!pending) return reply.page(h(LinkInvalidPage, {}), 410);
      return reply.page(h(ConfirmPage, { token: params.token, topics: await offeredTopics(ctx.db), chosen: pending.topics, alreadySubscribed: pending.alreadySubscribed }));
    },
  });

  localizedRoute(app, s, {
    method: 'POST',
    path: '/subscribe/confirm/:token',
    params: tokenParams,
    formToken: 'mailing-confirm',
    handler: async ({ ctx, params }, _request, reply) => {
      reply.header('cache-control', 'no-store');
      if (!(await confirmSubscription(ctx, params.token))) return reply.page(h(LinkInvalidPage, {}), 410);
      return reply.page(h(ConfirmedPage, {}));
    },
  });
}
