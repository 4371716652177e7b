import type { Kysely } from 'kysely';

// Frozen in time: never import application code here.

export async function up(db: Kysely<any>): Promise<void> {
  // What the tipster added through follow-up on one day (UTC date), so a receipt cannot fill the
  // database: counted on the tip row, where one conditional update keeps parallel posts honest.
  await db.schema.alterTable('tips').addColumn('quota_day', 'text').execute();
  await db.schema.alterTable('tips').addColumn('quota_messages', 'integer', (c) => c.notNull().defaultTo(0)).execute();
  await db.schema.alterTable('tips').addColumn('quota_bytes', 'bigint', (c) => c.notNull().defaultTo(0)).execute();
  // A reviewer's "this looks like spam", for an administrator to delete.
  await db.schema.alterTable('tips').addColumn('spam_flagged_at', 'text').execute();
  // A minor who may be involved makes a tip urgent, as danger now does; tips already stored follow.
  await db.updateTable('tips').set({ urgent: 1 }).where('minor', '=', 'yes').execute();

  // The contact details' own key, sealed only to holders allowed to see a tipster's identity.
  await db.schema
    .createTable('tip_contact_grants')
    .addColumn('tip_id', 'text', (c) => c.notNull().references('tips.id').onDelete('cascade'))
    // account | office
    .addColumn('holder_type', 'text', (c) => c.notNull())
    .addColumn('holder_id', 'text', (c) => c.notNull())
    .addColumn('sealed_key', 'text', (c) => c.notNull())
    .addColumn('holder_key', 'text', (c) => c.notNull())
    .addColumn('granted_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('tip_contact_grants_pk', ['tip_id', 'holder_type', 'holder_id'])
    .execute();
  await db.schema.createIndex('tip_contact_grants_holder').on('tip_contact_grants').columns(['holder_type', 'holder_id']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('tip_contact_grants').execute();
  for (const column of ['spam_flagged_at', 'quota_bytes', 'quota_messages', 'quota_day']) {
    await db.schema.alterTable('tips').dropColumn(column).execute();
  }
}
