import type { Kysely } from 'kysely';

// Frozen in time: never import application code here. Ids and timestamps are text (ISO 8601 UTC).

export async function up(db: Kysely<any>): Promise<void> {
  // A community's request to host a training. No client address or agent is kept: only what
  // the requester typed, and the language they wrote in (for the mail we send back).
  await db.schema
    .createTable('training_requests')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('reference', 'text', (c) => c.notNull().unique())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('organization', 'text', (c) => c.notNull())
    .addColumn('sector', 'text', (c) => c.notNull())
    .addColumn('audience_size', 'integer', (c) => c.notNull())
    .addColumn('audience_ages', 'text', (c) => c.notNull())
    .addColumn('format', 'text', (c) => c.notNull())
    .addColumn('city', 'text', (c) => c.notNull())
    .addColumn('preferred_dates', 'text', (c) => c.notNull())
    .addColumn('language', 'text', (c) => c.notNull())
    .addColumn('topics', 'text', (c) => c.notNull())
    .addColumn('accessibility', 'text', (c) => c.notNull())
    .addColumn('contact_name', 'text', (c) => c.notNull())
    .addColumn('contact_email', 'text', (c) => c.notNull())
    .addColumn('contact_phone', 'text', (c) => c.notNull())
    .addColumn('locale', 'text', (c) => c.notNull())
    .addColumn('decline_reason', 'text')
    .addColumn('trainer_id', 'text', (c) => c.references('accounts.id').onDelete('set null'))
    .addColumn('event_id', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    // The last time someone in the office acted on it: what "untouched for five business days" reads.
    .addColumn('touched_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('training_requests_status').on('training_requests').columns(['status', 'touched_at']).execute();

  await db.schema
    .createTable('training_request_notes')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('request_id', 'text', (c) => c.notNull().references('training_requests.id').onDelete('cascade'))
    .addColumn('author_id', 'text')
    .addColumn('author_label', 'text', (c) => c.notNull())
    .addColumn('body', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('training_request_notes_request').on('training_request_notes').columns(['request_id', 'created_at']).execute();

  // An event: a training or any other. `listed` 0 keeps it off the calendar and the feed; its
  // link (the unguessable id) still opens it, which is how a host shares a converted request.
  // `sequence` is the iCalendar SEQUENCE, raised on every change.
  await db.schema
    .createTable('events')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('description', 'text', (c) => c.notNull())
    .addColumn('starts_at', 'text', (c) => c.notNull())
    .addColumn('ends_at', 'text', (c) => c.notNull())
    .addColumn('location', 'text', (c) => c.notNull())
    .addColumn('online', 'integer', (c) => c.notNull())
    .addColumn('meeting_url', 'text', (c) => c.notNull())
    .addColumn('language', 'text', (c) => c.notNull())
    .addColumn('capacity', 'integer', (c) => c.notNull())
    .addColumn('listed', 'integer', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('sequence', 'integer', (c) => c.notNull())
    // The last arrival number handed out: taking the next one locks the event's row, which is
    // what puts concurrent registrations in one order and keeps them from overbooking.
    .addColumn('last_position', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('request_id', 'text', (c) => c.references('training_requests.id').onDelete('set null'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('events_starts').on('events').columns(['status', 'listed', 'starts_at']).execute();

  // One person's place at an event. `position` is the arrival order the waitlist follows;
  // `cancel_hash` is the SHA-256 of the cancel link's secret, which only the e-mail carries.
  await db.schema
    .createTable('event_registrations')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('event_id', 'text', (c) => c.notNull().references('events.id').onDelete('cascade'))
    .addColumn('position', 'integer', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('email', 'text', (c) => c.notNull())
    .addColumn('organization', 'text', (c) => c.notNull())
    .addColumn('accessibility', 'text', (c) => c.notNull())
    .addColumn('consent', 'integer', (c) => c.notNull())
    .addColumn('locale', 'text', (c) => c.notNull())
    .addColumn('cancel_hash', 'text', (c) => c.notNull().unique())
    .addColumn('offer_expires_at', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('event_registrations_position', ['event_id', 'position'])
    .execute();
  await db.schema.createIndex('event_registrations_status').on('event_registrations').columns(['event_id', 'status', 'position']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('event_registrations').execute();
  await db.schema.dropTable('events').execute();
  await db.schema.dropTable('training_request_notes').execute();
  await db.schema.dropTable('training_requests').execute();
}
