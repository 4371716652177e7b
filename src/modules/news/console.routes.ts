import type { FastifyInstance, FastifyReply } from 'fastify';
import { h } from 'preact';
import type { Staff } from '../../core/auth/staff.ts';
import { notFound } from '../../core/http/errors.ts';
import type { FormErrors, FormValues } from '../../core/http/forms.ts';
import type { AppServices } from '../../core/module.ts';
import { markdownRenderer } from '../../core/views/markdown.ts';
import { consoleRoute } from '../../core/auth/console-route.ts';
import { editorNoticeQuery, newPostFormSchema, newsFormSchema, postIdSchema } from './schema.ts';
import { type Author, consoleList, createPost, findPost, type SaveResult, unpublishPost, updatePost } from './service.ts';
import type { NewsPostRow } from './tables.ts';
import { NewsConsoleListPage } from './views/console-list.tsx';
import { type NewsEditorNotice, NewsEditorPage } from './views/editor.tsx';

/** What the editor form shows again: what was typed, without the token and the button pressed. */
function keptValues(values: FormValues): FormValues {
  const { _csrf: _token, action: _action, ...kept } = values;
  return kept;
}

const postValues = (post: NewsPostRow): FormValues => ({ title: post.title, slug: post.slug, summary: post.summary, body: post.body });

const authorOf = (staff: Staff): Author => ({ id: staff.account.id, name: staff.account.displayName });

/** The news console, for those holding `news.publish`. */
export function registerNewsConsoleRoutes(app: FastifyInstance, s: AppServices): void {
  const markdown = markdownRenderer({ isKnownPath: (path) => app.hasRoute({ method: 'GET', url: path }) });
  const newSchema = newPostFormSchema(s.catalogs.locales);
  const locales = s.catalogs.locales;

  /** After a valid post: preview re-renders, a save redirects, a refusal re-renders with 422. */
  async function answer(reply: FastifyReply, post: NewsPostRow | undefined, values: FormValues, outcome: SaveResult, created: boolean) {
    if (!outcome.ok) {
      const errors: FormErrors = { [outcome.refusal.field]: { key: outcome.refusal.key } };
      return reply.page(h(NewsEditorPage, { post, locales, form: { values, errors } }), 422);
    }
    const notice: NewsEditorNotice = outcome.status === 'published' && post?.status !== 'published' ? 'published' : created ? 'created' : 'saved';
    return reply.redirect(`/console/news/${outcome.id}?notice=${notice}`, 303);
  }

  consoleRoute(app, s, {
    method: 'GET',
    url: '/console/news',
    access: 'news.publish',
    handler: async ({ ctx }, _request, reply) => reply.page(h(NewsConsoleListPage, { posts: await consoleList(ctx) })),
  });

  consoleRoute(app, s, {
    method: 'GET',
    url: '/console/news/new',
    access: 'news.publish',
    handler: async (_input, _request, reply) => reply.page(h(NewsEditorPage, { locales, form: { values: {}, errors: {} } })),
  });

  consoleRoute(app, s, {
    method: 'POST',
    url: '/console/news/new',
    access: 'news.publish',
    body: newSchema,
    handler: async ({ form, staff, ctx }, _request, reply) => {
      const values = keptValues(form.values);
      if (!form.ok) return reply.page(h(NewsEditorPage, { locales, form: { values, errors: form.errors } }), 422);
      if (form.data.action === 'preview') {
        return reply.page(h(NewsEditorPage, { locales, form: { values, errors: {} }, previewHtml: markdown(form.data.body) }));
      }
      const outcome = await createPost(ctx, authorOf(staff), form.data, form.data.action === 'publish');
      return answer(reply, undefined, values, outcome, true);
    },
  });

  consoleRoute(app, s, {
    method: 'GET',
    url: '/console/news/:id',
    access: 'news.publish',
    params: postIdSchema,
    query: editorNoticeQuery,
    handler: async ({ params, query, ctx }, _request, reply) => {
      const post = await findPost(ctx, params.id);
      if (!post) throw notFound();
      return reply.page(h(NewsEditorPage, { post, locales, form: { values: postValues(post), errors: {} }, notice: query.notice }));
    },
  });

  consoleRoute(app, s, {
    method: 'POST',
    url: '/console/news/:id',
    access: 'news.publish',
    params: postIdSchema,
    body: newsFormSchema,
    handler: async ({ params, form, staff, ctx }, _request, reply) => {
      const post = await findPost(ctx, params.id);
      if (!post) throw notFound();
      const values = keptValues(form.values);
      if (!form.ok) return reply.page(h(NewsEditorPage, { post, locales, form: { values, errors: form.errors } }), 422);
      if (form.data.action === 'preview') {
        return reply.page(h(NewsEditorPage, { post, locales, form: { values, errors: {} }, previewHtml: markdown(form.data.body) }));
      }
      const outcome = await updatePost(ctx, authorOf(staff), post.id, form.data, form.data.action === 'publish');
      if (!outcome) throw notFound();
      return answer(reply, post, values, outcome, false);
    },
  });

  consoleRoute(app, s, {
    method: 'POST',
    url: '/console/news/:id/unpublish',
    access: 'news.publish',
    params: postIdSchema,
    handler: async ({ params, ctx }, _request, reply) => {
      if (!(await unpublishPost(ctx, params.id))) throw notFound();
      return reply.redirect(`/console/news/${params.id}?notice=unpublished`, 303);
    },
  });
}
