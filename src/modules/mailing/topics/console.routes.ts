import type { FastifyInstance } from 'fastify';
import { h } from 'preact';
import { consoleRoute } from '../../../core/auth/console-route.ts';
import { notFound } from '../../../core/http/errors.ts';
import type { AppServices } from '../../../core/module.ts';
import { editTopicSchema, newTopicSchema, topicKeySchema, topicsNoticeQuery } from './schema.ts';
import { createTopic, topicForEdit, topicsWithCounts, updateTopic } from './service.ts';
import { TopicEditPage, TopicsPage } from './views/topics-page.tsx';

/** The list's topics, for those holding `mailing.topics`. */
export function registerTopicRoutes(app: FastifyInstance, s: AppServices): void {
  consoleRoute(app, s, {
    method: 'GET',
    url: '/console/mailing/topics',
    access: 'mailing.topics',
    query: topicsNoticeQuery,
    handler: async ({ ctx, query }, _request, reply) => reply.page(h(TopicsPage, { topics: await topicsWithCounts(ctx), form: { values: {}, errors: {} }, notice: query.notice })),
  });

  consoleRoute(app, s, {
    method: 'POST',
    url: '/console/mailing/topics',
    access: 'mailing.topics',
    body: newTopicSchema,
    handler: async ({ ctx, form }, _request, reply) => {
      const { _csrf: _token, ...values } = form.values;
      if (!form.ok) return reply.page(h(TopicsPage, { topics: await topicsWithCounts(ctx), form: { values, errors: form.errors } }), 422);
      if (!(await createTopic(ctx, form.data))) {
        return reply.page(h(TopicsPage, { topics: await topicsWithCounts(ctx), form: { values, errors: { key: { key: 'mailing.topics.errors.keyTaken' } } } }), 422);
      }
      return reply.redirect('/console/mailing/topics?notice=created', 303);
    },
  });

  consoleRoute(app, s, {
    method: 'GET',
    url: '/console/mailing/topics/:key',
    access: 'mailing.topics',
    params: topicKeySchema,
    handler: async ({ ctx, params }, _request, reply) => {
      const topic = await topicForEdit(ctx, params.key);
      if (!topic) throw notFound();
      const values = { labelEn: topic.labels.en ?? '', labelEs: topic.labels.es ?? '' };
      return reply.page(h(TopicEditPage, { topic, form: { values, errors: {} } }));
    },
  });

  consoleRoute(app, s, {
    method: 'POST',
    url: '/console/mailing/topics/:key',
    access: 'mailing.topics',
    params: topicKeySchema,
    body: editTopicSchema,
    handler: async ({ ctx, params, form }, _request, reply) => {
      const topic = await topicForEdit(ctx, params.key);
      if (!topic) throw notFound();
      const { _csrf: _token, ...values } = form.values;
      if (!form.ok) return reply.page(h(TopicEditPage, { topic, form: { values: { active: values.active ?? '', ...values }, errors: form.errors } }), 422);
      await updateTopic(ctx, params.key, form.data);
      return reply.redirect('/console/mailing/topics?notice=updated', 303);
    },
  });
}
