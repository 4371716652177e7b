import type { Kysely } from 'kysely';

// Frozen in time: this file must never import application code, so later refactors cannot change history.
// Dialect-neutral types only: ids and timestamps are text (ISO 8601 UTC), flags are integers, and
// encrypted bytes are base64 text (no bytea/blob difference between the two databases).
//
// The tip line keeps in plain text only what triage needs: kind, urgent, minor flag, language,
// workflow status, assignee and the hour the tip arrived. Everything the tipster wrote or sent,
// and every staff note, tag and reply, is ciphertext under the tip's own key (the `*_box` columns).

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('tips')
    .addColumn('id', 'text', (c) => c.primaryKey())
    // argon2id-derived lookup of the receipt code: the only form in which the code is kept.
    .addColumn('receipt_lookup', 'text', (c) => c.notNull().unique())
    // The tip key wrapped under a key derived from the receipt code: the tipster's way in.
    .addColumn('receipt_key_box', 'text', (c) => c.notNull())
    // HMAC of the random id the form was rendered with: a form sent twice stores one tip.
    .addColumn('submission_key', 'text', (c) => c.unique())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('urgent', 'integer', (c) => c.notNull())
    .addColumn('minor', 'text', (c) => c.notNull())
    .addColumn('language', 'text', (c) => c.notNull())
    // new | in_review | referred | investigating | closed
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('referred_to', 'text')
    .addColumn('disposition', 'text')
    .addColumn('assignee_id', 'text')
    .addColumn('duplicate_of', 'text')
    // Truncated to the hour: no precise timing of a tipster is kept.
    .addColumn('received_at', 'text', (c) => c.notNull())
    .addColumn('first_reviewed_at', 'text')
    .addColumn('closed_at', 'text')
    .addColumn('notify_pending', 'integer', (c) => c.notNull())
    .addColumn('tipster_waiting', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('message_count', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('answers_box', 'text', (c) => c.notNull())
    .addColumn('contact_box', 'text')
    .addColumn('tags_box', 'text')
    .execute();
  await db.schema.createIndex('tips_queue').on('tips').columns(['status', 'urgent', 'received_at']).execute();
  await db.schema.createIndex('tips_closed').on('tips').column('closed_at').execute();

  // The tip key sealed (libsodium sealed box) to one holder: a staff account or the office recovery key.
  await db.schema
    .createTable('tip_grants')
    .addColumn('tip_id', 'text', (c) => c.notNull().references('tips.id').onDelete('cascade'))
    // account | office
    .addColumn('holder_type', 'text', (c) => c.notNull())
    .addColumn('holder_id', 'text', (c) => c.notNull())
    .addColumn('sealed_key', 'text', (c) => c.notNull())
    // Which public key it was sealed to (a hash): a holder whose keys were replaced needs a re-grant.
    .addColumn('holder_key', 'text', (c) => c.notNull())
    // null when sealed at submission
    .addColumn('granted_by', 'text')
    // The hour for grants made at submission (no precise timing of a tipster).
    .addColumn('granted_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('tip_grants_pk', ['tip_id', 'holder_type', 'holder_id'])
    .execute();
  await db.schema.createIndex('tip_grants_holder').on('tip_grants').columns(['holder_type', 'holder_id']).execute();

  // The conversation between the tipster and the office.
  await db.schema
    .createTable('tip_messages')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('tip_id', 'text', (c) => c.notNull().references('tips.id').onDelete('cascade'))
    .addColumn('seq', 'integer', (c) => c.notNull())
    // tipster | staff
    .addColumn('author', 'text', (c) => c.notNull())
    .addColumn('author_id', 'text')
    .addColumn('at', 'text', (c) => c.notNull())
    .addColumn('body_box', 'text', (c) => c.notNull())
    .addUniqueConstraint('tip_messages_seq', ['tip_id', 'seq'])
    .execute();

  // Internal notes: staff only, never shown to the tipster.
  await db.schema
    .createTable('tip_notes')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('tip_id', 'text', (c) => c.notNull().references('tips.id').onDelete('cascade'))
    .addColumn('author_id', 'text', (c) => c.notNull())
    .addColumn('at', 'text', (c) => c.notNull())
    .addColumn('body_box', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('tip_notes_tip').on('tip_notes').columns(['tip_id', 'at']).execute();

  // Files: re-encoded images and PDFs, encrypted; name, type and size are inside meta_box.
  await db.schema
    .createTable('tip_attachments')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('tip_id', 'text', (c) => c.notNull().references('tips.id').onDelete('cascade'))
    .addColumn('message_id', 'text')
    .addColumn('at', 'text', (c) => c.notNull())
    .addColumn('meta_box', 'text', (c) => c.notNull())
    .addColumn('data_box', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('tip_attachments_tip').on('tip_attachments').column('tip_id').execute();

  // When each kind of notification last went out (the hourly digest).
  await db.schema
    .createTable('tip_notices')
    .addColumn('kind', 'text', (c) => c.primaryKey())
    .addColumn('sent_at', 'text', (c) => c.notNull())
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of ['tip_notices', 'tip_attachments', 'tip_notes', 'tip_messages', 'tip_grants', 'tips']) {
    await db.schema.dropTable(table).execute();
  }
}
