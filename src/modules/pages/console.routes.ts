import type { FastifyInstance, FastifyRequest } from 'fastify';
import { h } from 'preact';
import { notFound } from '../../core/http/errors.ts';
import { type FormValues, parseForm } from '../../core/http/forms.ts';
import { markdownRenderer } from '../../core/views/markdown.ts';
import { consoleRoute } from '../../core/auth/console-route.ts';
import { actorOf } from '../../core/auth/staff.ts';
import { pageFormSchema, pageParamsSchema, revisionParamsSchema } from './schema.ts';
import { type Editor, editablePage, pageHistory, pageOverview, pageRevision, type PagesContext, publishPage, restorePageRevision } from './service.ts';
import { ContentListPage } from './views/console-list.tsx';
import { editPath } from './views/format.ts';
import { type PageEditorNotice, PageEditorPage } from './views/page-editor.tsx';
import { PageHistoryPage } from './views/page-history.tsx';
import { PageRevisionPage } from './views/page-revision.tsx';

const NOTICES: readonly PageEditorNotice[] = ['published', 'unchanged', 'restored'];

/** What the editor form shows again: what was typed, without the token and the button pressed. */
function keptValues(values: FormValues): FormValues {
  const { _csrf: _token, action: _action, ...kept } = values;
  return kept;
}

/** The page editor, history, old revisions and restore, for those holding `content.edit`. */
export function registerContentConsoleRoutes(app: FastifyInstance, ctx: PagesContext): void {
  const { s } = ctx;
  const markdown = markdownRenderer({ isKnownPath: (path) => app.hasRoute({ method: 'GET', url: path }) });
  const pageParams = pageParamsSchema(s.catalogs.locales);
  const revisionParams = revisionParamsSchema(s.catalogs.locales);

  const pageOf = (request: FastifyRequest) => {
    const parsed = pageParams.safeParse(request.params);
    if (!parsed.success) throw notFound();
    return parsed.data;
  };
  const revisionOf = (request: FastifyRequest) => {
    const parsed = revisionParams.safeParse(request.params);
    if (!parsed.success) throw notFound();
    return parsed.data;
  };
  const editorOf = (request: FastifyRequest): Editor => {
    const account = request.staff!.account;
    return { id: account.id, name: account.displayName, actor: actorOf(account) };
  };

  consoleRoute(app, ctx.s, {
    method: 'GET',
    url: '/console/content',
    access: 'content.edit',
    handler: async (_input, _request, reply) => reply.page(h(ContentListPage, { rows: await pageOverview(ctx) })),
  });

  consoleRoute(app, ctx.s, {
    method: 'GET',
    url: '/console/content/:locale/:slug',
    access: 'content.edit',
    handler: async (_input, request, reply) => {
      const { locale, slug } = pageOf(request);
      const page = await editablePage(ctx, locale, slug);
      const notice = NOTICES.find((n) => n === (request.query as Record<string, unknown>).notice);
      const values = { base: String(page.revision), title: page.doc.title, summary: page.doc.summary, body: page.doc.body };
      return reply.page(h(PageEditorPage, { locale, slug, currentTitle: page.doc.title, latest: page.latest, form: { values, errors: {} }, notice }));
    },
  });

  consoleRoute(app, ctx.s, {
    method: 'POST',
    url: '/console/content/:locale/:slug',
    access: 'content.edit',
    handler: async (_input, request, reply) => {
      const { locale, slug } = pageOf(request);
      const parsed = parseForm(pageFormSchema, request.body);
      const page = await editablePage(ctx, locale, slug);
      const view = { locale, slug, currentTitle: page.doc.title, latest: page.latest };
      const values = keptValues(parsed.values);
      if (!parsed.ok) return reply.page(h(PageEditorPage, { ...view, form: { values, errors: parsed.errors } }), 422);
      if (parsed.data.action === 'preview') {
        return reply.page(h(PageEditorPage, { ...view, form: { values, errors: {} }, previewHtml: markdown(parsed.data.body) }));
      }
      const result = await publishPage(ctx, editorOf(request), locale, slug, parsed.data);
      if (result.outcome === 'conflict') {
        // The next "Publish" starts from the colleague's revision: replacing it is then a choice, not an accident.
        const form = { values: { ...values, base: String(page.revision) }, errors: { _form: { key: 'content.pages.errors.conflict' } } };
        return reply.page(h(PageEditorPage, { ...view, form }), 422);
      }
      return reply.redirect(`${editPath(locale, slug)}?notice=${result.outcome}`, 303);
    },
  });

  consoleRoute(app, ctx.s, {
    method: 'GET',
    url: '/console/content/:locale/:slug/revisions',
    access: 'content.edit',
    handler: async (_input, request, reply) => {
      const { locale, slug } = pageOf(request);
      const [page, revisions] = await Promise.all([editablePage(ctx, locale, slug), pageHistory(ctx, locale, slug)]);
      return reply.page(h(PageHistoryPage, { locale, slug, title: page.doc.title, revisions }));
    },
  });

  consoleRoute(app, ctx.s, {
    method: 'GET',
    url: '/console/content/:locale/:slug/revisions/:revision',
    access: 'content.edit',
    handler: async (_input, request, reply) => {
      const { locale, slug, revision } = revisionOf(request);
      const found = await pageRevision(ctx, locale, slug, revision);
      if (!found) throw notFound();
      return reply.page(h(PageRevisionPage, { locale, slug, revision: found, html: markdown(found.doc.body) }));
    },
  });

  consoleRoute(app, ctx.s, {
    method: 'POST',
    url: '/console/content/:locale/:slug/revisions/:revision/restore',
    access: 'content.edit',
    handler: async (_input, request, reply) => {
      const { locale, slug, revision } = revisionOf(request);
      const restored = await restorePageRevision(ctx, editorOf(request), locale, slug, revision);
      if (restored === undefined) throw notFound();
      return reply.redirect(`${editPath(locale, slug)}?notice=restored`, 303);
    },
  });
}
