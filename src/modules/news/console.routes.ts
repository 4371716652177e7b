import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { h } from 'preact';
import { notFound } from '../../core/http/errors.ts';
import { type FormErrors, type FormValues, parseForm } from '../../core/http/forms.ts';
import type { AppServices } from '../../core/module.ts';
import { markdownRenderer } from '../../core/views/markdown.ts';
import { consoleRoute } from '../../core/auth/console-route.ts';
import { actorOf } from '../../core/auth/staff.ts';
import { newPostFormSchema, newsFormSchema, postIdSchema } from './schema.ts';
import { type Author, consoleList, createPost, findPost, type SaveResult, unpublishPost, updatePost } from './service.ts';
import type { NewsPostRow } from './tables.ts';
import { NewsConsoleListPage } from './views/console-list.tsx';
import { type NewsEditorNotice, NewsEditorPage } from './views/editor.tsx';

const NOTICES: readonly NewsEditorNotice[] = ['created', 'saved', 'published', 'unpublished'];

/** What the editor form shows again: what was typed, without the token and the button pressed. */
function keptValues(values: FormValues): FormValues {
  const { _csrf: _token, action: _action, ...kept } = values;
  return kept;
}

const postValues = (post: NewsPostRow): FormValues => ({ title: post.title, slug: post.slug, summary: post.summary, body: post.body });

/** The news console, for those holding `news.publish`. */
export function registerNewsConsoleRoutes(app: FastifyInstance, s: AppServices): void {
  const markdown = markdownRenderer({ isKnownPath: (path) => app.hasRoute({ method: 'GET', url: path }) });
  const newSchema = newPostFormSchema(s.catalogs.locales);
  const locales = s.catalogs.locales;

  const authorOf = (request: FastifyRequest): Author => {
    const account = request.staff!.account;
    return { id: account.id, name: account.displayName, actor: actorOf(account) };
  };
  const postOf = async (request: FastifyRequest) => {
    const parsed = postIdSchema.safeParse(request.params);
    const post = parsed.success ? await findPost(s, parsed.data.id) : undefined;
    if (!post) throw notFound();
    return post;
  };

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
    handler: async (_input, _request, reply) => reply.page(h(NewsConsoleListPage, { posts: await consoleList(s) })),
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
    handler: async (_input, request, reply) => {
      const parsed = parseForm(newSchema, request.body);
      const values = keptValues(parsed.values);
      if (!parsed.ok) return reply.page(h(NewsEditorPage, { locales, form: { values, errors: parsed.errors } }), 422);
      if (parsed.data.action === 'preview') {
        return reply.page(h(NewsEditorPage, { locales, form: { values, errors: {} }, previewHtml: markdown(parsed.data.body) }));
      }
      const outcome = await createPost(s, authorOf(request), parsed.data, parsed.data.action === 'publish');
      return answer(reply, undefined, values, outcome, true);
    },
  });

  consoleRoute(app, s, {
    method: 'GET',
    url: '/console/news/:id',
    access: 'news.publish',
    handler: async (_input, request, reply) => {
      const post = await postOf(request);
      const notice = NOTICES.find((n) => n === (request.query as Record<string, unknown>).notice);
      return reply.page(h(NewsEditorPage, { post, locales, form: { values: postValues(post), errors: {} }, notice }));
    },
  });

  consoleRoute(app, s, {
    method: 'POST',
    url: '/console/news/:id',
    access: 'news.publish',
    handler: async (_input, request, reply) => {
      const post = await postOf(request);
      const parsed = parseForm(newsFormSchema, request.body);
      const values = keptValues(parsed.values);
      if (!parsed.ok) return reply.page(h(NewsEditorPage, { post, locales, form: { values, errors: parsed.errors } }), 422);
      if (parsed.data.action === 'preview') {
        return reply.page(h(NewsEditorPage, { post, locales, form: { values, errors: {} }, previewHtml: markdown(parsed.data.body) }));
      }
      const outcome = await updatePost(s, authorOf(request), post.id, parsed.data, parsed.data.action === 'publish');
      if (!outcome) throw notFound();
      return answer(reply, post, values, outcome, false);
    },
  });

  consoleRoute(app, s, {
    method: 'POST',
    url: '/console/news/:id/unpublish',
    access: 'news.publish',
    handler: async (_input, request, reply) => {
      const post = await postOf(request);
      if (!(await unpublishPost(s, authorOf(request), post.id))) throw notFound();
      return reply.redirect(`/console/news/${post.id}?notice=unpublished`, 303);
    },
  });
}
