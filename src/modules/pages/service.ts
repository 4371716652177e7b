import type { Context } from '../../core/context.ts';
import { newId } from '../../core/crypto/server-secret.ts';
import type { MarkdownDocument } from '../../core/views/markdown.ts';
import { type ContentLibrary, EDITABLE_SLUGS, type PageSlug } from './content.ts';
import * as repo from './repo.ts';
import type { PageFormInput } from './schema.ts';
import type { ContentStore } from './store.ts';
import type { PageRevisionRow, RevisionInfo } from './tables.ts';

/** The pages' text outside the database, built once by the module: what the services read besides their context. */
export type PageContent = {
  /** The Markdown files: revision 0 of every page. */
  files: ContentLibrary;
  /** The visitors' copy, refreshed after a publish. */
  store: ContentStore;
};

/** Who publishes: an account and its name as revisions show it. Audited as the context's actor. */
export type Editor = { id: string; name: string };

const infoOf = ({ body: _body, summary: _summary, ...info }: PageRevisionRow): RevisionInfo => info;

export type PageOverviewRow = { locale: string; slug: PageSlug; title: string; latest: RevisionInfo | undefined };

/** Every page in every locale, with its current title and who last changed it. */
export async function pageOverview(ctx: Context, content: PageContent): Promise<PageOverviewRow[]> {
  const latest = new Map((await repo.latestRevisions(ctx.db)).map((r) => [`${r.locale}/${r.slug}`, r]));
  return EDITABLE_SLUGS.flatMap((slug) =>
    ctx.catalogs.locales.map((locale) => {
      const row = latest.get(`${locale}/${slug}`);
      return { locale, slug, title: row?.title ?? content.files.get(locale, slug)?.title ?? slug, latest: row && infoOf(row) };
    }),
  );
}

export type EditablePage = { doc: MarkdownDocument; revision: number; latest: RevisionInfo | undefined };

/** The text an editor starts from, read from the database rather than the visitors' cache. */
export async function editablePage(ctx: Context, content: PageContent, locale: string, slug: PageSlug): Promise<EditablePage> {
  const row = await repo.latestRevision(ctx.db, locale, slug);
  if (row) return { doc: { title: row.title, summary: row.summary, body: row.body }, revision: row.revision, latest: row };
  return { doc: content.files.get(locale, slug) ?? { title: '', summary: '', body: '' }, revision: 0, latest: undefined };
}

/** Leaves a transaction without committing, carrying the outcome out. */
class Rollback extends Error {
  readonly outcome: 'unchanged' | 'conflict';
  constructor(outcome: 'unchanged' | 'conflict') {
    super(outcome);
    this.outcome = outcome;
  }
}

const sameText = (a: MarkdownDocument, b: MarkdownDocument) => a.title === b.title && a.summary === b.summary && a.body.trim() === b.body.trim();

async function addRevision(
  ctx: Context,
  content: PageContent,
  editor: Editor,
  locale: string,
  slug: PageSlug,
  doc: MarkdownDocument,
  options: { base?: number; restoredFrom?: number },
): Promise<{ outcome: 'published'; revision: number } | { outcome: 'unchanged' | 'conflict' }> {
  try {
    const revision = await ctx.db.transaction().execute(async (trx) => {
      await repo.bumpPagesVersion(trx);
      const latest = await repo.latestRevision(trx, locale, slug);
      const current = latest ?? content.files.get(locale, slug);
      const number = latest?.revision ?? 0;
      if (options.base !== undefined && options.base !== number) throw new Rollback('conflict');
      if (current && options.restoredFrom === undefined && sameText(current, doc)) throw new Rollback('unchanged');
      const row: PageRevisionRow = {
        id: newId(),
        locale,
        slug,
        revision: number + 1,
        title: doc.title,
        summary: doc.summary,
        body: doc.body,
        authorId: editor.id,
        authorLabel: editor.name,
        createdAt: ctx.clock.now().toISOString(),
        restoredFrom: options.restoredFrom ?? null,
      };
      await repo.insertRevision(trx, row);
      await ctx.audit(trx, {
        action: options.restoredFrom === undefined ? 'content.page_publish' : 'content.page_restore',
        targetType: 'page',
        targetId: `${locale}/${slug}`,
        detail: { revision: row.revision, ...(options.restoredFrom === undefined ? {} : { restoredFrom: options.restoredFrom }) },
      });
      return row.revision;
    });
    content.store.invalidate();
    return { outcome: 'published', revision };
  } catch (error) {
    if (error instanceof Rollback) return { outcome: error.outcome };
    throw error;
  }
}

/**
 * Publishes a new revision of a page, visible to visitors at once. Refuses ("conflict") when
 * someone published since the editor opened the page, so neither overwrites the other unseen;
 * an unchanged text makes no revision.
 */
export async function publishPage(ctx: Context, content: PageContent, editor: Editor, locale: string, slug: PageSlug, input: PageFormInput) {
  return addRevision(ctx, content, editor, locale, slug, { title: input.title, summary: input.summary, body: input.body }, { base: input.base });
}

/** Every revision of a page, newest first; revision 0 (the file) is implied and not listed. */
export async function pageHistory(ctx: Context, locale: string, slug: PageSlug): Promise<RevisionInfo[]> {
  return repo.listRevisions(ctx.db, locale, slug);
}

export type PageRevision = { doc: MarkdownDocument; revision: number; info: RevisionInfo | undefined; current: number };

/** One revision's text; revision 0 is the Markdown file the office started with. */
export async function pageRevision(ctx: Context, content: PageContent, locale: string, slug: PageSlug, revision: number): Promise<PageRevision | undefined> {
  const latest = await repo.latestRevision(ctx.db, locale, slug);
  const current = latest?.revision ?? 0;
  if (revision === 0) {
    const doc = content.files.get(locale, slug);
    return doc ? { doc, revision: 0, info: undefined, current } : undefined;
  }
  const row = await repo.findRevision(ctx.db, locale, slug, revision);
  if (!row) return undefined;
  return { doc: { title: row.title, summary: row.summary, body: row.body }, revision, info: infoOf(row), current };
}

/** Brings an old revision back as a new one, marked as restored from it. Undefined when there is no such revision. */
export async function restorePageRevision(ctx: Context, content: PageContent, editor: Editor, locale: string, slug: PageSlug, revision: number): Promise<number | undefined> {
  const old = await pageRevision(ctx, content, locale, slug, revision);
  if (!old) return undefined;
  const result = await addRevision(ctx, content, editor, locale, slug, old.doc, { restoredFrom: revision });
  return result.outcome === 'published' ? result.revision : undefined;
}
