import type { Kysely } from 'kysely';

// Frozen in time: this file must never import application code, so later refactors cannot change history.
// Dialect-neutral types only: ids and timestamps are text (ISO 8601 UTC), day dates are text
// (YYYY-MM-DD), flags are integers, coordinates double precision.

/**
 * California Civil Code § 52.6 as it stood when this migration was written (see
 * shared/design/sb1193.md). Later amendments are new rows added by administrators, never
 * edits to this list: a report is judged by the rows in force on its date.
 */
const ORIGINAL = '2013-04-01';
const categoryRules: [code: string, from: string, bill: string, exception: string | null][] = [
  ['bar', ORIGINAL, 'SB 1193', 'on_sale_general'],
  ['adult', ORIGINAL, 'SB 1193', null],
  ['airport', ORIGINAL, 'SB 1193', null],
  ['rail_station', ORIGINAL, 'SB 1193', null],
  ['bus_station', ORIGINAL, 'SB 1193', null],
  ['truck_stop', ORIGINAL, 'SB 1193', null],
  ['emergency_room', ORIGINAL, 'SB 1193', null],
  ['urgent_care', ORIGINAL, 'SB 1193', null],
  ['farm_labor_contractor', ORIGINAL, 'SB 1193', null],
  ['job_recruitment', ORIGINAL, 'SB 1193', null],
  ['rest_area', ORIGINAL, 'SB 1193', null],
  ['massage', ORIGINAL, 'SB 1193', 'certified_practitioners'],
  ['hotel', '2019-01-01', 'AB 260', null],
  ['personal_care', '2023-01-01', 'AB 1661', null],
  ['pediatric_care', '2024-01-01', 'AB 1740', null],
];

const notice = (textLine: string | null) =>
  JSON.stringify({
    minWidthIn: 8.5,
    minHeightIn: 11,
    minFontPt: 16,
    languages: ['English', 'Spanish', 'county'],
    nationalHotline: '1-888-373-7888',
    textLine,
    castHotline: '1-888-539-2373',
  });

export async function up(db: Kysely<any>): Promise<void> {
  // Rules as data: one row per version of one rule. `value` is JSON checked by the module's
  // schema for its `kind`; `effective_to` is exclusive and null while the version is current.
  await db.schema
    .createTable('map_rules')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('subject', 'text', (c) => c.notNull())
    .addColumn('effective_from', 'text', (c) => c.notNull())
    .addColumn('effective_to', 'text')
    .addColumn('value', 'text', (c) => c.notNull())
    .addColumn('bill', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('created_by', 'text')
    .addUniqueConstraint('map_rules_version', ['kind', 'subject', 'effective_from'])
    .execute();

  await db.schema
    .createTable('map_businesses')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('address', 'text', (c) => c.notNull())
    .addColumn('city', 'text', (c) => c.notNull())
    .addColumn('lat', 'double precision')
    .addColumn('lng', 'double precision')
    .addColumn('category', 'text', (c) => c.notNull())
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('external_id', 'text', (c) => c.notNull())
    .addColumn('active', 'integer', (c) => c.notNull().defaultTo(1))
    // unknown | reported_posted | reported_missing | verified_compliant | notice_sent | cured | penalised
    .addColumn('status', 'text', (c) => c.notNull().defaultTo('unknown'))
    .addColumn('status_changed_at', 'text')
    .addColumn('last_report_at', 'text')
    // Lower-cased, accent-folded name, address and city: one LIKE that behaves alike on both databases.
    .addColumn('search_text', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('map_businesses_source_external', ['source', 'external_id'])
    .execute();
  // Covers the map's queries (box, active, status, id): SQLite clusters a county from the index alone.
  await db.schema.createIndex('map_businesses_position').on('map_businesses').columns(['lat', 'lng', 'active', 'status', 'id']).execute();
  await db.schema.createIndex('map_businesses_name').on('map_businesses').columns(['name', 'id']).execute();
  await db.schema.createIndex('map_businesses_city').on('map_businesses').column('city').execute();
  await db.schema.createIndex('map_businesses_category').on('map_businesses').column('category').execute();
  await db.schema.createIndex('map_businesses_status').on('map_businesses').columns(['status', 'city']).execute();

  // An observation of one business on one day. The id comes from the client (a form rendered
  // with it, or an offline queue), so sending the same report twice stores it once.
  await db.schema
    .createTable('map_reports')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('business_id', 'text', (c) => c.notNull().references('map_businesses.id').onDelete('cascade'))
    // posted | missing | wrong
    .addColumn('observed', 'text', (c) => c.notNull())
    // Comma-separated problems with a posted notice: too_small, missing_language, hidden, no_text_line.
    .addColumn('problems', 'text', (c) => c.notNull())
    .addColumn('note', 'text')
    // compliant | non_compliant | not_covered, by the rules in force on observed_at.
    .addColumn('judgement', 'text', (c) => c.notNull())
    .addColumn('reasons', 'text', (c) => c.notNull())
    // public (anonymous) | volunteer | inspector
    .addColumn('channel', 'text', (c) => c.notNull())
    .addColumn('reporter_id', 'text')
    .addColumn('action_day_id', 'text')
    .addColumn('has_photo', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('observed_at', 'text', (c) => c.notNull())
    .addColumn('received_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('map_reports_business').on('map_reports').columns(['business_id', 'observed_at']).execute();
  await db.schema.createIndex('map_reports_received').on('map_reports').column('received_at').execute();

  // Re-encoded photos (no EXIF or GPS), encrypted, kept in the database so every process sees them.
  await db.schema
    .createTable('map_report_photos')
    .addColumn('report_id', 'text', (c) => c.primaryKey().references('map_reports.id').onDelete('cascade'))
    .addColumn('mime', 'text', (c) => c.notNull())
    .addColumn('width', 'integer', (c) => c.notNull())
    .addColumn('height', 'integer', (c) => c.notNull())
    .addColumn('size', 'integer', (c) => c.notNull())
    .addColumn('data', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();

  // Every change of a business's status, with its cause; the public history shows date and status only.
  await db.schema
    .createTable('map_status_events')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('business_id', 'text', (c) => c.notNull().references('map_businesses.id').onDelete('cascade'))
    .addColumn('at', 'text', (c) => c.notNull())
    .addColumn('from_status', 'text', (c) => c.notNull())
    .addColumn('to_status', 'text', (c) => c.notNull())
    // report | inspection | notice | penalty | payment | import | demo
    .addColumn('cause', 'text', (c) => c.notNull())
    .addColumn('report_id', 'text')
    .addColumn('actor_id', 'text')
    .execute();
  await db.schema.createIndex('map_status_events_business').on('map_status_events').columns(['business_id', 'at']).execute();

  const createdAt = new Date().toISOString();
  const rows = [
    ...categoryRules.map(([code, from, bill, exception]) => ({
      id: `category:${code}:${from}`,
      kind: 'category',
      subject: code,
      effective_from: from,
      effective_to: null,
      value: JSON.stringify({ exception }),
      bill,
    })),
    { id: `notice:notice:${ORIGINAL}`, kind: 'notice', subject: 'notice', effective_from: ORIGINAL, effective_to: '2019-01-01', value: notice(null), bill: 'SB 1193' },
    { id: 'notice:notice:2019-01-01', kind: 'notice', subject: 'notice', effective_from: '2019-01-01', effective_to: null, value: notice('233733'), bill: 'SB 225' },
    {
      id: `penalty:penalty:${ORIGINAL}`,
      kind: 'penalty',
      subject: 'penalty',
      effective_from: ORIGINAL,
      effective_to: null,
      value: JSON.stringify({ firstOffenceUsd: 500, laterOffenceUsd: 1000, cureDays: 30 }),
      bill: 'SB 1193',
    },
  ];
  await db.insertInto('map_rules').values(rows.map((r) => ({ ...r, created_at: createdAt, created_by: null }))).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of ['map_status_events', 'map_report_photos', 'map_reports', 'map_businesses', 'map_rules']) {
    await db.schema.dropTable(table).execute();
  }
}
