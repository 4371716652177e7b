import { type Kysely, PostgresAdapter, sql } from 'kysely';

// Frozen in time: never import application code here.

// One number that grows whenever a business row is inserted, changed or deleted, by any writer
// (the app, another instance, the CLI import, a hand-written UPDATE): each process keeps the
// map's businesses in memory and rebuilds them only when this number moved.
const onPostgres = (db: Kysely<any>) => db.getExecutor().adapter instanceof PostgresAdapter;

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('map_business_changes')
    .addColumn('id', 'integer', (c) => c.primaryKey())
    .addColumn('version', 'bigint', (c) => c.notNull())
    .execute();
  await db.insertInto('map_business_changes').values({ id: 1, version: 0 }).execute();
  if (onPostgres(db)) {
    // Deferred to commit and once per transaction: the counter row is locked only for the
    // moment before the commit (no writer waits on it while holding business rows, so no
    // deadlock), and readers see the new number only together with the rows that caused it.
    await sql`
      create function map_business_changed() returns trigger language plpgsql as $$
      begin
        if coalesce(current_setting('heatwatch.map_business_changed', true), '') <> 'on' then
          perform set_config('heatwatch.map_business_changed', 'on', true);
          update map_business_changes set version = version + 1 where id = 1;
        end if;
        return null;
      end $$`.execute(db);
    await sql`
      create constraint trigger map_business_changed after insert or update or delete on map_businesses
      deferrable initially deferred for each row execute function map_business_changed()`.execute(db);
    return;
  }
  // SQLite runs one writer at a time, so a per-row bump costs a page already in the cache.
  for (const event of ['insert', 'update', 'delete']) {
    await sql`
      create trigger ${sql.raw(`map_business_${event}d`)} after ${sql.raw(event)} on map_businesses
      begin update map_business_changes set version = version + 1 where id = 1; end`.execute(db);
  }
}

export async function down(db: Kysely<any>): Promise<void> {
  if (onPostgres(db)) {
    await sql`drop trigger map_business_changed on map_businesses`.execute(db);
    await sql`drop function map_business_changed()`.execute(db);
  } else {
    for (const event of ['insert', 'update', 'delete']) await sql`drop trigger ${sql.raw(`map_business_${event}d`)}`.execute(db);
  }
  await db.schema.dropTable('map_business_changes').execute();
}
