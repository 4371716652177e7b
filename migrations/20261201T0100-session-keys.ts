import type { Kysely } from 'kysely';

// Frozen in time: never import application code here.

export async function up(db: Kysely<any>): Promise<void> {
  // The staff member's unlocked private key, sealed under a key derived from the session cookie
  // (never stored), so any process can open it for that session and a database copy cannot.
  await db.schema.alterTable('sessions').addColumn('key_box', 'text').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('sessions').dropColumn('key_box').execute();
}
