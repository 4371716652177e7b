import type { Kysely } from 'kysely';
import { sql } from 'kysely';

// Frozen in time: never import application code here.

/**
 * A report is an observation, not a verdict. `map_businesses.status` is from now on the office's
 * official status (only an inspector's step changes it); whether a business waits for an
 * inspector is `queued_at`, set by a credible report and cleared only by an inspector's step.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('map_businesses').addColumn('queued_at', 'text').execute();
  // The statuses reports set so far stay as the official status; a business reported missing
  // was on the queue, and stays there from its last report until an inspector acts.
  await sql`update map_businesses set queued_at = coalesce(last_report_at, status_changed_at, updated_at) where status = 'reported_missing'`.execute(db);
  await db.schema.createIndex('map_businesses_queued').on('map_businesses').columns(['queued_at', 'city']).execute();

  // HMAC (server secret) of the code an anonymous reporter may use to learn the outcome: never the code itself.
  await db.schema.alterTable('map_reports').addColumn('lookup_hash', 'text').execute();
  await db.schema.createIndex('map_reports_lookup').on('map_reports').column('lookup_hash').unique().execute();
  // For reports that could not check a notice (closed, no access, not this kind, closed for good):
  // when the data-quality review handled them, and how (kept | removed).
  await db.schema.alterTable('map_reports').addColumn('reviewed_at', 'text').execute();
  await db.schema.alterTable('map_reports').addColumn('review_outcome', 'text').execute();
  await db.schema.createIndex('map_reports_review').on('map_reports').columns(['judgement', 'reviewed_at']).execute();
  await db.schema.createIndex('map_reports_reporter').on('map_reports').columns(['reporter_id', 'received_at']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('map_reports_reporter').execute();
  await db.schema.dropIndex('map_reports_review').execute();
  await db.schema.dropIndex('map_reports_lookup').execute();
  await db.schema.alterTable('map_reports').dropColumn('review_outcome').execute();
  await db.schema.alterTable('map_reports').dropColumn('reviewed_at').execute();
  await db.schema.alterTable('map_reports').dropColumn('lookup_hash').execute();
  await db.schema.dropIndex('map_businesses_queued').execute();
  await db.schema.alterTable('map_businesses').dropColumn('queued_at').execute();
}
