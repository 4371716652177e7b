import type { Kysely } from 'kysely';

// Frozen in time: never import application code here.

// The mailing list's subscribers and what they agreed to. A subscription is pending until its
// e-mail link is followed; the wording a subscriber agreed to is kept by its hash, so consent
// evidence names the exact text even after the form's wording changes.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('mailing_topics')
    .addColumn('key', 'text', (c) => c.primaryKey())
    .addColumn('labels', 'text', (c) => c.notNull())
    .addColumn('position', 'integer', (c) => c.notNull())
    .addColumn('active', 'integer', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  const now = new Date().toISOString();
  await db
    .insertInto('mailing_topics')
    .values([
      { key: 'news', labels: JSON.stringify({ en: 'News', es: 'Noticias' }), position: 1, active: 1, created_at: now },
      { key: 'trainings', labels: JSON.stringify({ en: 'Trainings', es: 'Capacitaciones' }), position: 2, active: 1, created_at: now },
      { key: 'events', labels: JSON.stringify({ en: 'Events', es: 'Eventos' }), position: 3, active: 1, created_at: now },
    ])
    .execute();

  await db.schema
    .createTable('mailing_subscribers')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('email', 'text', (c) => c.notNull().unique())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('locale', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('confirmed_at', 'text')
    .addColumn('unsubscribed_at', 'text')
    // The latest request waiting for its link: what was asked for and the link's one-time nonce.
    .addColumn('request_topics', 'text')
    .addColumn('request_locale', 'text')
    .addColumn('request_name', 'text')
    .addColumn('request_wording', 'text')
    .addColumn('request_form', 'text')
    .addColumn('request_nonce', 'text')
    .addColumn('request_sent_at', 'text')
    // Rotated to void every preference link sent before.
    .addColumn('preferences_nonce', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('mailing_subscribers_status').on('mailing_subscribers').columns(['status', 'created_at']).execute();

  await db.schema
    .createTable('mailing_subscriber_topics')
    .addColumn('subscriber_id', 'text', (c) => c.notNull().references('mailing_subscribers.id').onDelete('cascade'))
    .addColumn('topic_key', 'text', (c) => c.notNull().references('mailing_topics.key'))
    .addPrimaryKeyConstraint('mailing_subscriber_topics_pk', ['subscriber_id', 'topic_key'])
    .execute();
  await db.schema.createIndex('mailing_subscriber_topics_topic').on('mailing_subscriber_topics').columns(['topic_key', 'subscriber_id']).execute();

  // Form posts waiting for the job that looks the address up: the form's answer never depends on it.
  await db.schema
    .createTable('mailing_signups')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('email', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('locale', 'text', (c) => c.notNull())
    .addColumn('topics', 'text', (c) => c.notNull())
    .addColumn('wording_hash', 'text', (c) => c.notNull())
    .addColumn('form', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('mailing_wordings')
    .addColumn('hash', 'text', (c) => c.primaryKey())
    .addColumn('locale', 'text', (c) => c.notNull())
    .addColumn('text', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('mailing_consents')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('subscriber_id', 'text', (c) => c.notNull().references('mailing_subscribers.id').onDelete('cascade'))
    .addColumn('given_at', 'text', (c) => c.notNull())
    .addColumn('form', 'text', (c) => c.notNull())
    .addColumn('wording_hash', 'text', (c) => c.notNull().references('mailing_wordings.hash'))
    .addColumn('topics', 'text', (c) => c.notNull())
    .addColumn('locale', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('mailing_consents_subscriber').on('mailing_consents').column('subscriber_id').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of ['mailing_consents', 'mailing_wordings', 'mailing_signups', 'mailing_subscriber_topics', 'mailing_subscribers', 'mailing_topics']) {
    await db.schema.dropTable(table).execute();
  }
}
