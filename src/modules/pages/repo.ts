import type { Db } from '../../database.ts';
import type { PageRevisionRow, RevisionInfo } from './tables.ts';

const INFO = ['id', 'locale', 'slug', 'revision', 'title', 'authorId', 'authorLabel', 'createdAt', 'restoredFrom'] as const;
const FULL = [...INFO, 'summary', 'body'] as const;

/** The change counter of the published pages, compared by every process's cache. */
export async function pagesVersion(db: Db): Promise<number> {
  const row = await db.selectFrom('contentVersions').select('version').where('name', '=', 'pages').executeTakeFirst();
  return Number(row?.version ?? 0);
}

/**
 * Moves the counter on inside a publishing transaction. On PostgreSQL the row lock this takes
 * also queues concurrent publishes, so revision numbers are handed out one at a time.
 */
export async function bumpPagesVersion(trx: Db): Promise<void> {
  await trx.updateTable('contentVersions').set((eb) => ({ version: eb('version', '+', 1) })).where('name', '=', 'pages').execute();
}

/** The newest revision of every page that has one: a handful of rows, one per page and locale. */
export async function latestRevisions(db: Db): Promise<PageRevisionRow[]> {
  return db
    .selectFrom('pageRevisions as r')
    .select(FULL.map((c) => `r.${c}` as const))
    .where((eb) =>
      eb(
        'r.revision',
        '=',
        eb.selectFrom('pageRevisions as n').select((n) => n.fn.max('n.revision').as('m')).whereRef('n.locale', '=', 'r.locale').whereRef('n.slug', '=', 'r.slug'),
      ),
    )
    .execute();
}

export async function latestRevision(db: Db, locale: string, slug: string): Promise<PageRevisionRow | undefined> {
  return db
    .selectFrom('pageRevisions')
    .select(FULL)
    .where('locale', '=', locale)
    .where('slug', '=', slug)
    .orderBy('revision', 'desc')
    .limit(1)
    .executeTakeFirst();
}

export async function findRevision(db: Db, locale: string, slug: string, revision: number): Promise<PageRevisionRow | undefined> {
  return db
    .selectFrom('pageRevisions')
    .select(FULL)
    .where('locale', '=', locale)
    .where('slug', '=', slug)
    .where('revision', '=', revision)
    .executeTakeFirst();
}

/** Every revision of a page, newest first. */
export async function listRevisions(db: Db, locale: string, slug: string): Promise<RevisionInfo[]> {
  return db.selectFrom('pageRevisions').select(INFO).where('locale', '=', locale).where('slug', '=', slug).orderBy('revision', 'desc').execute();
}

export async function insertRevision(trx: Db, row: PageRevisionRow): Promise<void> {
  await trx.insertInto('pageRevisions').values(row).execute();
}
