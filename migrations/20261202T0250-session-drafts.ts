import type { Kysely } from 'kysely';

// Frozen in time: never import application code here.

export async function up(db: Kysely<any>): Promise<void> {
  // What a staff member sent on a session that had lapsed, kept for fifteen minutes so it comes
  // back after they sign in again. Only ciphertext: its key lives in a one-time cookie of the
  // browser that sent it, never here. In the database (not one process's memory) so that any
  // process can give it back.
  await db.schema
    .createTable('session_drafts')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('account_id', 'text', (c) => c.notNull())
    .addColumn('box', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('session_drafts_expires').on('session_drafts').column('expires_at').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('session_drafts').execute();
}
