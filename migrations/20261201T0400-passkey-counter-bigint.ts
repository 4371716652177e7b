import { type Kysely, PostgresAdapter } from 'kysely';

// Frozen in time: never import application code here.

// A WebAuthn signature counter is an unsigned 32-bit value, and some authenticators start it
// high: a PostgreSQL integer stops at 2^31 - 1. SQLite integers are already 64-bit.
const onPostgres = (db: Kysely<any>) => db.getExecutor().adapter instanceof PostgresAdapter;

export async function up(db: Kysely<any>): Promise<void> {
  if (!onPostgres(db)) return;
  await db.schema.alterTable('webauthn_credentials').alterColumn('counter', (c) => c.setDataType('bigint')).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  if (!onPostgres(db)) return;
  await db.schema.alterTable('webauthn_credentials').alterColumn('counter', (c) => c.setDataType('integer')).execute();
}
