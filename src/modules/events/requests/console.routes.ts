import type { FastifyInstance } from 'fastify';
import { h } from 'preact';
import { consoleRoute } from '../../../core/auth/console-route.ts';
import { notFound } from '../../../core/http/errors.ts';
import type { AppServices } from '../../../core/module.ts';
import { addNote, assignTrainer, convertToEvent, moveRequest, queue, requestView } from './queue.service.ts';
import { assignFormSchema, noteFormSchema, queueQuerySchema, requestPageQuerySchema, requestParamsSchema, statusFormSchema } from './schema.ts';
import { RequestQueuePage } from './views/queue.tsx';
import { RequestPage } from './views/request-page.tsx';

type Outcome = { ok: true } | { ok: false; refusal: string } | undefined;

/** The office's queue of training requests, for those holding `events.requests`. */
export function registerRequestConsoleRoutes(app: FastifyInstance, s: AppServices): void {
  const back = (id: string, outcome: Outcome, done: string) => {
    if (!outcome) throw notFound();
    return outcome.ok ? `/console/trainings/${id}?done=${done}` : `/console/trainings/${id}?error=${outcome.refusal}`;
  };

  consoleRoute(app, s, {
    method: 'GET',
    url: '/console/trainings',
    access: 'events.requests',
    query: queueQuerySchema,
    handler: async ({ query, ctx }, _request, reply) => {
      const { rows, cutoff } = await queue(ctx, query);
      return reply.page(h(RequestQueuePage, { rows, query, cutoff }));
    },
  });

  consoleRoute(app, s, {
    method: 'GET',
    url: '/console/trainings/:id',
    access: 'events.requests',
    params: requestParamsSchema,
    query: requestPageQuerySchema,
    handler: async ({ params, query, ctx }, _request, reply) => {
      const view = await requestView(ctx, params.id);
      if (!view) throw notFound();
      return reply.page(h(RequestPage, { ...view, ...(query.done ? { done: query.done } : {}), ...(query.error ? { error: query.error } : {}) }));
    },
  });

  consoleRoute(app, s, {
    method: 'POST',
    url: '/console/trainings/:id/status',
    access: 'events.requests',
    params: requestParamsSchema,
    body: statusFormSchema,
    handler: async ({ params, form, ctx }, _request, reply) => {
      const outcome: Outcome = form.ok ? await moveRequest(ctx, params.id, form.data.to, form.data.reason) : { ok: false, refusal: 'transition' };
      return reply.redirect(back(params.id, outcome, 'status'), 303);
    },
  });

  consoleRoute(app, s, {
    method: 'POST',
    url: '/console/trainings/:id/assign',
    access: 'events.requests',
    params: requestParamsSchema,
    body: assignFormSchema,
    handler: async ({ params, form, ctx }, _request, reply) => {
      const outcome: Outcome = form.ok ? await assignTrainer(ctx, params.id, form.data.trainerId) : { ok: false, refusal: 'trainer' };
      return reply.redirect(back(params.id, outcome, 'assigned'), 303);
    },
  });

  consoleRoute(app, s, {
    method: 'POST',
    url: '/console/trainings/:id/notes',
    access: 'events.requests',
    params: requestParamsSchema,
    body: noteFormSchema,
    handler: async ({ params, form, staff, ctx }, _request, reply) => {
      const author = { id: staff.account.id, label: staff.account.displayName };
      const outcome: Outcome = form.ok ? await addNote(ctx, params.id, author, form.data.body) : { ok: false, refusal: 'note' };
      return reply.redirect(back(params.id, outcome, 'note'), 303);
    },
  });

  consoleRoute(app, s, {
    method: 'POST',
    url: '/console/trainings/:id/convert',
    access: 'events.manage',
    params: requestParamsSchema,
    handler: async ({ params, ctx }, _request, reply) => {
      const outcome = await convertToEvent(ctx, params.id);
      if (!outcome) throw notFound();
      if (!outcome.ok) return reply.redirect(`/console/trainings/${params.id}?error=${outcome.refusal}`, 303);
      return reply.redirect(`/console/events/${outcome.eventId}?done=converted`, 303);
    },
  });
}
