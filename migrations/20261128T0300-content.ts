import type { Kysely } from 'kysely';

// Frozen in time: this file must never import application code, so later refactors cannot change history.
// Dialect-neutral types only: ids and timestamps are text (ISO 8601 UTC), flags and counters are integers.

export async function up(db: Kysely<any>): Promise<void> {
  // Every published version of a public page. The Markdown file under content/<locale>/ is
  // revision 0; the highest revision of a page, when there is one, is what visitors see.
  await db.schema
    .createTable('page_revisions')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('locale', 'text', (c) => c.notNull())
    .addColumn('slug', 'text', (c) => c.notNull())
    // 1, 2, 3… per page and locale: orders revisions even when two share a timestamp.
    .addColumn('revision', 'integer', (c) => c.notNull())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('summary', 'text', (c) => c.notNull())
    .addColumn('body', 'text', (c) => c.notNull())
    // No foreign key: a revision keeps its author's name after the account is gone.
    .addColumn('author_id', 'text')
    .addColumn('author_label', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    // The revision number this one copies, when it was made by "restore" (0: the original file).
    .addColumn('restored_from', 'integer')
    .addUniqueConstraint('page_revisions_page_revision', ['locale', 'slug', 'revision'])
    .execute();

  // Change counters that every process compares with its in-memory copy: a publish in one
  // process bumps the row in the same transaction, the others reload when they see it move.
  await db.schema
    .createTable('content_versions')
    .addColumn('name', 'text', (c) => c.primaryKey())
    .addColumn('version', 'integer', (c) => c.notNull())
    .execute();
  await db.insertInto('content_versions').values({ name: 'pages', version: 0 }).execute();

  await db.schema
    .createTable('news_posts')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('locale', 'text', (c) => c.notNull())
    .addColumn('slug', 'text', (c) => c.notNull())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('summary', 'text', (c) => c.notNull())
    .addColumn('body', 'text', (c) => c.notNull())
    // draft | published
    .addColumn('status', 'text', (c) => c.notNull())
    // Set at the first publish and kept through unpublish/publish, so a fixed post keeps its date.
    .addColumn('published_at', 'text')
    .addColumn('author_id', 'text')
    .addColumn('author_label', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('news_posts_locale_slug', ['locale', 'slug'])
    .execute();
  await db.schema.createIndex('news_posts_public').on('news_posts').columns(['locale', 'status', 'published_at']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of ['news_posts', 'content_versions', 'page_revisions']) {
    await db.schema.dropTable(table).execute();
  }
}
