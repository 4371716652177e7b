import type { FastifyInstance } from 'fastify';
import { h } from 'preact';
import { consoleRoute } from '../../core/auth/console-route.ts';
import type { AppServices } from '../../core/module.ts';
import { emptyForm } from '../../core/views/forms.tsx';
import { spamDeleteFormSchema, spamQuerySchema } from './schema.ts';
import { deleteAsSpam, spamQueue } from './spam.service.ts';
import { SpamPage } from './views/spam-page.tsx';

/** The administrator's spam page: flagged tips, and deleting a tip at once with a reason. */
export function registerTipSpamRoutes(app: FastifyInstance, s: AppServices): void {
  consoleRoute(app, s, {
    method: 'GET',
    url: '/console/tips/spam',
    access: 'tips.spam',
    query: spamQuerySchema,
    handler: async ({ query, ctx }, _request, reply) => reply.page(h(SpamPage, { flagged: await spamQueue(ctx), form: emptyForm, deleted: query.deleted === '1' })),
  });

  consoleRoute(app, s, {
    method: 'POST',
    url: '/console/tips/spam',
    access: 'tips.spam',
    body: spamDeleteFormSchema,
    handler: async ({ form, ctx }, _request, reply) => {
      if (!form.ok) return reply.page(h(SpamPage, { flagged: await spamQueue(ctx), form }), 422);
      if (!(await deleteAsSpam(ctx, form.data.reference, form.data.reason))) {
        return reply.page(h(SpamPage, { flagged: await spamQueue(ctx), form: { values: form.values, errors: { reference: { key: 'tips.spam.errors.unknown' } } } }), 422);
      }
      return reply.redirect('/console/tips/spam?deleted=1', 303);
    },
  });
}
