import type { FastifyInstance } from 'fastify';
import { h } from 'preact';
import type { Staff } from '../../core/auth/staff.ts';
import { notFound } from '../../core/http/errors.ts';
import type { FormValues } from '../../core/http/forms.ts';
import type { AppServices } from '../../core/module.ts';
import { markdownRenderer } from '../../core/views/markdown.ts';
import { consoleRoute } from '../../core/auth/console-route.ts';
import { editorNoticeQuery, pageFormSchema, pageParamsSchema, revisionParamsSchema } from './schema.ts';
import { type Editor, editablePage, type PageContent, pageHistory, pageOverview, pageRevision, publishPage, restorePageRevision } from './service.ts';
import { ContentListPage } from './views/console-list.tsx';
import { editPath } from './views/format.ts';
import { PageEditorPage } from './views/page-editor.tsx';
import { PageHistoryPage } from './views/page-history.tsx';
import { PageRevisionPage } from './views/page-revision.tsx';

/** What the editor form shows again: what was typed, without the token and the button pressed. */
function keptValues(values: FormValues): FormValues {
  const { _csrf: _token, action: _action, ...kept } = values;
  return kept;
}

const editorOf = (staff: Staff): Editor => ({ id: staff.account.id, name: staff.account.displayName });

/** The page editor, history, old revisions and restore, for those holding `content.edit`. */
export function registerContentConsoleRoutes(app: FastifyInstance, s: AppServices, content: PageContent): void {
  const markdown = markdownRenderer({ isKnownPath: (path) => app.hasRoute({ method: 'GET', url: path }) });
  const pageParams = pageParamsSchema(s.catalogs.locales);
  const revisionParams = revisionParamsSchema(s.catalogs.locales);

  consoleRoute(app, s, {
    method: 'GET',
    url: '/console/content',
    access: 'content.edit',
    handler: async ({ ctx }, _request, reply) => reply.page(h(ContentListPage, { rows: await pageOverview(ctx, content) })),
  });

  consoleRoute(app, s, {
    method: 'GET',
    url: '/console/content/:locale/:slug',
    access: 'content.edit',
    params: pageParams,
    query: editorNoticeQuery,
    handler: async ({ params: { locale, slug }, query, ctx }, _request, reply) => {
      const page = await editablePage(ctx, content, locale, slug);
      const values = { base: String(page.revision), title: page.doc.title, summary: page.doc.summary, body: page.doc.body };
      return reply.page(h(PageEditorPage, { locale, slug, currentTitle: page.doc.title, latest: page.latest, form: { values, errors: {} }, notice: query.notice }));
    },
  });

  consoleRoute(app, s, {
    method: 'POST',
    url: '/console/content/:locale/:slug',
    access: 'content.edit',
    params: pageParams,
    body: pageFormSchema,
    handler: async ({ params: { locale, slug }, form, staff, ctx }, _request, reply) => {
      const page = await editablePage(ctx, content, locale, slug);
      const view = { locale, slug, currentTitle: page.doc.title, latest: page.latest };
      const values = keptValues(form.values);
      if (!form.ok) return reply.page(h(PageEditorPage, { ...view, form: { values, errors: form.errors } }), 422);
      if (form.data.action === 'preview') {
        return reply.page(h(PageEditorPage, { ...view, form: { values, errors: {} }, previewHtml: markdown(form.data.body) }));
      }
      const result = await publishPage(ctx, content, editorOf(staff), locale, slug, form.data);
      if (result.outcome === 'conflict') {
        // The next "Publish" starts from the colleague's revision: replacing it is then a choice, not an accident.
        const conflict = { values: { ...values, base: String(page.revision) }, errors: { _form: { key: 'content.pages.errors.conflict' } } };
        return reply.page(h(PageEditorPage, { ...view, form: conflict }), 422);
      }
      return reply.redirect(`${editPath(locale, slug)}?notice=${result.outcome}`, 303);
    },
  });

  consoleRoute(app, s, {
    method: 'GET',
    url: '/console/content/:locale/:slug/revisions',
    access: 'content.edit',
    params: pageParams,
    handler: async ({ params: { locale, slug }, ctx }, _request, reply) => {
      const [page, revisions] = await Promise.all([editablePage(ctx, content, locale, slug), pageHistory(ctx, locale, slug)]);
      return reply.page(h(PageHistoryPage, { locale, slug, title: page.doc.title, revisions }));
    },
  });

  consoleRoute(app, s, {
    method: 'GET',
    url: '/console/content/:locale/:slug/revisions/:revision',
    access: 'content.edit',
    params: revisionParams,
    handler: async ({ params: { locale, slug, revision }, ctx }, _request, reply) => {
      const found = await pageRevision(ctx, content, locale, slug, revision);
      if (!found) throw notFound();
      return reply.page(h(PageRevisionPage, { locale, slug, revision: found, html: markdown(found.doc.body) }));
    },
  });

  consoleRoute(app, s, {
    method: 'POST',
    url: '/console/content/:locale/:slug/revisions/:revision/restore',
    access: 'content.edit',
    params: revisionParams,
    handler: async ({ params: { locale, slug, revision }, staff, ctx }, _request, reply) => {
      const restored = await restorePageRevision(ctx, content, editorOf(staff), locale, slug, revision);
      if (restored === undefined) throw notFound();
      return reply.redirect(`${editPath(locale, slug)}?notice=restored`, 303);
    },
  });
}
