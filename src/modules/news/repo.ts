import type { Db } from '../../database.ts';
import type { NewsPostRow } from './tables.ts';

const COLUMNS = ['id', 'locale', 'slug', 'title', 'summary', 'body', 'status', 'publishedAt', 'authorId', 'authorLabel', 'createdAt', 'updatedAt'] as const;
const LISTED = ['id', 'locale', 'slug', 'title', 'summary', 'status', 'publishedAt', 'authorLabel', 'createdAt', 'updatedAt'] as const;

export type NewsListItem = Pick<NewsPostRow, (typeof LISTED)[number]>;

export async function findPost(db: Db, id: string): Promise<NewsPostRow | undefined> {
  return db.selectFrom('newsPosts').select(COLUMNS).where('id', '=', id).executeTakeFirst();
}

/** Whether a post other than `exceptId` already uses the slug in the locale. */
export async function slugTaken(db: Db, locale: string, slug: string, exceptId?: string): Promise<boolean> {
  let query = db.selectFrom('newsPosts').select('id').where('locale', '=', locale).where('slug', '=', slug);
  if (exceptId) query = query.where('id', '<>', exceptId);
  return (await query.executeTakeFirst()) !== undefined;
}

/** A published post by its address; `locale` undefined looks in every locale, oldest post first. */
export async function findPublished(db: Db, slug: string, locale?: string): Promise<NewsPostRow | undefined> {
  let query = db.selectFrom('newsPosts').select(COLUMNS).where('slug', '=', slug).where('status', '=', 'published');
  if (locale) query = query.where('locale', '=', locale);
  return query.orderBy('createdAt').orderBy('id').limit(1).executeTakeFirst();
}

/** Published posts of a locale, newest first, `limit` from `offset`. */
export async function listPublished(db: Db, locale: string, limit: number, offset = 0): Promise<NewsPostRow[]> {
  return db
    .selectFrom('newsPosts')
    .select(COLUMNS)
    .where('locale', '=', locale)
    .where('status', '=', 'published')
    .orderBy('publishedAt', 'desc')
    .orderBy('id', 'desc')
    .limit(limit)
    .offset(offset)
    .execute();
}

/** Every post for the console, most recently changed first. */
export async function listAll(db: Db): Promise<NewsListItem[]> {
  return db.selectFrom('newsPosts').select(LISTED).orderBy('updatedAt', 'desc').orderBy('id', 'desc').execute();
}

export async function countDrafts(db: Db): Promise<number> {
  const row = await db.selectFrom('newsPosts').select((eb) => eb.fn.countAll<number>().as('n')).where('status', '=', 'draft').executeTakeFirstOrThrow();
  return Number(row.n);
}

export async function insertPost(trx: Db, row: NewsPostRow): Promise<void> {
  await trx.insertInto('newsPosts').values(row).execute();
}

export async function updatePost(trx: Db, id: string, patch: Partial<Omit<NewsPostRow, 'id'>>): Promise<void> {
  await trx.updateTable('newsPosts').set(patch).where('id', '=', id).execute();
}
