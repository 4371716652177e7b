import { type Kysely, PostgresAdapter, sql } from 'kysely';

// Frozen in time: never import application code here.

// The public list page is cached by the number in map_business_changes. Its category filter
// shows the stored categories, so a category added, renamed or removed (by the console, another
// instance or a hand-written UPDATE) raises the same number: the cached page is rebuilt at once
// in the process that made the change and within a few seconds everywhere else.
const onPostgres = (db: Kysely<any>) => db.getExecutor().adapter instanceof PostgresAdapter;

export async function up(db: Kysely<any>): Promise<void> {
  if (onPostgres(db)) {
    // The function of 20261201T1400 raises the number once per transaction, at commit.
    await sql`
      create constraint trigger map_category_changed after insert or update or delete on map_categories
      deferrable initially deferred for each row execute function map_business_changed()`.execute(db);
    return;
  }
  for (const event of ['insert', 'update', 'delete']) {
    await sql`
      create trigger ${sql.raw(`map_category_${event}d`)} after ${sql.raw(event)} on map_categories
      begin update map_business_changes set version = version + 1 where id = 1; end`.execute(db);
  }
}

export async function down(db: Kysely<any>): Promise<void> {
  if (onPostgres(db)) {
    await sql`drop trigger map_category_changed on map_categories`.execute(db);
  } else {
    for (const event of ['insert', 'update', 'delete']) await sql`drop trigger ${sql.raw(`map_category_${event}d`)}`.execute(db);
  }
}
