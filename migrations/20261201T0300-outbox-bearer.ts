import type { Kysely } from 'kysely';

// Frozen in time: never import application code here.

export async function up(db: Kysely<any>): Promise<void> {
  // 1 when the message carries a link that works by itself (an invitation or reset link): its
  // body is erased once delivered over SMTP, or once the link is used or expires.
  await db.schema.alterTable('outbox').addColumn('bearer', 'integer', (c) => c.notNull().defaultTo(0)).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('outbox').dropColumn('bearer').execute();
}
