import type { Kysely } from 'kysely';

// Frozen in time: never import application code here. Ids and timestamps are text (ISO 8601 UTC).

export async function up(db: Kysely<any>): Promise<void> {
  // Photos an inspector took at a visit or re-inspection: re-encoded (no EXIF or GPS), encrypted.
  await db.schema
    .createTable('map_case_photos')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('case_id', 'text', (c) => c.notNull().references('map_cases.id').onDelete('cascade'))
    .addColumn('step_id', 'text', (c) => c.notNull().references('map_case_steps.id').onDelete('cascade'))
    .addColumn('mime', 'text', (c) => c.notNull())
    .addColumn('width', 'integer', (c) => c.notNull())
    .addColumn('height', 'integer', (c) => c.notNull())
    .addColumn('size', 'integer', (c) => c.notNull())
    .addColumn('data', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('map_case_photos_step').on('map_case_photos').column('step_id').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('map_case_photos').execute();
}
