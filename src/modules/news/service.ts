import type { Context } from '../../core/context.ts';
import { newId } from '../../core/crypto/server-secret.ts';
import * as repo from './repo.ts';
import type { NewPostInput, NewsFormInput } from './schema.ts';
import type { NewsPostRow } from './tables.ts';

/** Who writes: an account and the name the console shows. Never shown to the public; audited as the context's actor. */
export type Author = { id: string; name: string };

/** A refusal tied to one form field, shown beside it. */
export type FieldRefusal = { field: string; key: string };

export type SaveResult = { ok: true; id: string; status: NewsPostRow['status'] } | { ok: false; refusal: FieldRefusal };

export const PUBLIC_PAGE_SIZE = 10;
export const FEED_SIZE = 20;

/** A web address from a title: "¡Nueva línea!" → "nueva-linea". Empty when the title has no Latin letters or digits. */
export function slugify(title: string): string {
  return title
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 80)
    .replace(/-+$/g, '');
}

/** The slug to save: the one typed (refused when taken) or one made from the title (numbered until free). */
async function chooseSlug(db: Context['db'], locale: string, input: NewsFormInput, exceptId?: string): Promise<{ slug: string } | FieldRefusal> {
  if (input.slug) {
    return (await repo.slugTaken(db, locale, input.slug, exceptId)) ? { field: 'slug', key: 'content.newsConsole.errors.slugTaken' } : { slug: input.slug };
  }
  const base = slugify(input.title);
  if (!base) return { field: 'slug', key: 'content.newsConsole.errors.slugEmpty' };
  for (let n = 1; ; n++) {
    const candidate = n === 1 ? base : `${base.slice(0, 75)}-${n}`;
    if (!(await repo.slugTaken(db, locale, candidate, exceptId))) return { slug: candidate };
  }
}

/** Two saves racing for one address: the database's unique index decides, on either dialect. */
function isUniqueViolation(error: unknown): boolean {
  const e = error as { code?: string; message?: string };
  return e?.code === '23505' || /UNIQUE constraint failed/i.test(e?.message ?? '');
}

const slugRace: SaveResult = { ok: false, refusal: { field: 'slug', key: 'content.newsConsole.errors.slugTaken' } };

/** Creates a post as a draft, or published at once when `publish`; audited in the same transaction. */
export async function createPost(ctx: Context, author: Author, input: NewPostInput, publish: boolean): Promise<SaveResult> {
  const chosen = await chooseSlug(ctx.db, input.locale, input);
  if ('field' in chosen) return { ok: false, refusal: chosen };
  const now = ctx.clock.now().toISOString();
  const row: NewsPostRow = {
    id: newId(),
    locale: input.locale,
    slug: chosen.slug,
    title: input.title,
    summary: input.summary,
    body: input.body,
    status: publish ? 'published' : 'draft',
    publishedAt: publish ? now : null,
    authorId: author.id,
    authorLabel: author.name,
    createdAt: now,
    updatedAt: now,
  };
  try {
    await ctx.db.transaction().execute(async (trx) => {
      await repo.insertPost(trx, row);
      const target = { targetType: 'news_post', targetId: row.id, detail: { locale: row.locale, slug: row.slug } };
      await ctx.audit(trx, { action: 'news.create', ...target });
      if (publish) await ctx.audit(trx, { action: 'news.publish', ...target });
    });
  } catch (error) {
    if (isUniqueViolation(error)) return slugRace;
    throw error;
  }
  return { ok: true, id: row.id, status: row.status };
}

/**
 * Saves a post's text; `publish` also publishes a draft. A published post stays published (its
 * change is live at once). The first publish dates the post; later ones keep that date.
 */
export async function updatePost(ctx: Context, author: Author, id: string, input: NewsFormInput, publish: boolean): Promise<SaveResult | undefined> {
  const post = await repo.findPost(ctx.db, id);
  if (!post) return undefined;
  // An emptied address keeps the current one: a new title must not silently move a published post.
  const chosen = input.slug === undefined || input.slug === post.slug ? { slug: post.slug } : await chooseSlug(ctx.db, post.locale, input, id);
  if ('field' in chosen) return { ok: false, refusal: chosen };
  const now = ctx.clock.now().toISOString();
  const publishing = publish && post.status === 'draft';
  try {
    await ctx.db.transaction().execute(async (trx) => {
      await repo.updatePost(trx, id, {
        slug: chosen.slug,
        title: input.title,
        summary: input.summary,
        body: input.body,
        updatedAt: now,
        ...(publishing ? { status: 'published' as const, publishedAt: post.publishedAt ?? now } : {}),
      });
      const target = { targetType: 'news_post', targetId: id, detail: { locale: post.locale, slug: chosen.slug } };
      await ctx.audit(trx, { action: 'news.update', ...target });
      if (publishing) await ctx.audit(trx, { action: 'news.publish', ...target });
    });
  } catch (error) {
    if (isUniqueViolation(error)) return slugRace;
    throw error;
  }
  return { ok: true, id, status: publishing ? 'published' : post.status };
}

/** Takes a post off the public site (it becomes a draft again). False when there is no such post. */
export async function unpublishPost(ctx: Context, id: string): Promise<boolean> {
  const post = await repo.findPost(ctx.db, id);
  if (!post) return false;
  if (post.status === 'draft') return true;
  await ctx.db.transaction().execute(async (trx) => {
    await repo.updatePost(trx, id, { status: 'draft', updatedAt: ctx.clock.now().toISOString() });
    await ctx.audit(trx, { action: 'news.unpublish', targetType: 'news_post', targetId: id, detail: { locale: post.locale, slug: post.slug } });
  });
  return true;
}

/** Every post, drafts included, for the console. */
export const consoleList = (ctx: Context) => repo.listAll(ctx.db);

/** One post, whatever its status, for the console. */
export const findPost = (ctx: Context, id: string) => repo.findPost(ctx.db, id);

/** Drafts waiting, for the console home card (whose loader is handed the app's services: the db is all it reads). */
export const draftCount = (ctx: Pick<Context, 'db'>) => repo.countDrafts(ctx.db);

/** One page of a locale's published news, newest first, and whether an older page exists. */
export async function publicPage(ctx: Context, locale: string, page: number): Promise<{ posts: NewsPostRow[]; hasOlder: boolean }> {
  const rows = await repo.listPublished(ctx.db, locale, PUBLIC_PAGE_SIZE + 1, (page - 1) * PUBLIC_PAGE_SIZE);
  return { posts: rows.slice(0, PUBLIC_PAGE_SIZE), hasOlder: rows.length > PUBLIC_PAGE_SIZE };
}

/**
 * A published post for a visitor in `locale`: the post in that locale, or else the one with the
 * same address in the default locale or any other, which the page then marks as another language.
 */
export async function publicPost(ctx: Context, locale: string, slug: string): Promise<NewsPostRow | undefined> {
  return (
    (await repo.findPublished(ctx.db, slug, locale)) ??
    (await repo.findPublished(ctx.db, slug, ctx.catalogs.defaultLocale)) ??
    (await repo.findPublished(ctx.db, slug))
  );
}

/** The newest published posts of a locale, for its feed. */
export const feedPosts = (ctx: Context, locale: string) => repo.listPublished(ctx.db, locale, FEED_SIZE);
