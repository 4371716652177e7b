import type { Kysely } from 'kysely';

// Frozen in time: never import application code here.

export async function up(db: Kysely<any>): Promise<void> {
  // One row per `heatwatch backup`: the console's checklist tells from it whether backups run,
  // and the audit head each one carried is a point the chain must still pass through.
  await db.schema
    .createTable('backup_runs')
    .addColumn('id', 'varchar(36)', (c) => c.primaryKey())
    .addColumn('created_at', 'varchar(30)', (c) => c.notNull())
    .addColumn('dialect', 'varchar(20)', (c) => c.notNull())
    .addColumn('bytes', 'bigint', (c) => c.notNull())
    .addColumn('audit_seq', 'bigint', (c) => c.notNull())
    .addColumn('audit_hash', 'varchar(64)', (c) => c.notNull())
    .addColumn('app_version', 'varchar(40)', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('backup_runs_created_at').on('backup_runs').column('created_at').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('backup_runs').execute();
}
