import type { Kysely } from 'kysely';

// Frozen in time: never import application code here. Ids and timestamps are text (ISO 8601 UTC).

export async function up(db: Kysely<any>): Promise<void> {
  // One row per alert sent (a case's milestone, an account's weekly digest): its primary key is
  // what keeps a job run twice, or in two workers at once, from sending it twice.
  await db.schema
    .createTable('map_alerts_sent')
    .addColumn('key', 'text', (c) => c.primaryKey())
    .addColumn('sent_at', 'text', (c) => c.notNull())
    .execute();
  // Inspectors who asked for the weekly digest of new "missing" reports.
  await db.schema
    .createTable('map_digest_subscribers')
    .addColumn('account_id', 'text', (c) => c.primaryKey().references('accounts.id').onDelete('cascade'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('map_digest_subscribers').execute();
  await db.schema.dropTable('map_alerts_sent').execute();
}
