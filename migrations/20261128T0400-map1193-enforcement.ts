import type { Kysely } from 'kysely';

// Frozen in time: never import application code here. Ids and timestamps are text (ISO 8601 UTC).

export async function up(db: Kysely<any>): Promise<void> {
  // One enforcement case per business per problem: from the first visit to cured, compliant, paid or referred.
  await db.schema
    .createTable('map_cases')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('business_id', 'text', (c) => c.notNull().references('map_businesses.id').onDelete('cascade'))
    // compliant | violation | notice_sent | cured | penalised | paid | referred
    .addColumn('stage', 'text', (c) => c.notNull())
    .addColumn('opened_at', 'text', (c) => c.notNull())
    .addColumn('notice_sent_at', 'text')
    .addColumn('cure_due_at', 'text')
    .addColumn('penalty_usd', 'integer')
    .addColumn('closed_at', 'text')
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('map_cases_business').on('map_cases').columns(['business_id', 'opened_at']).execute();
  await db.schema.createIndex('map_cases_stage').on('map_cases').column('stage').execute();

  // Every step of a case: who did it (staff only; the public history never shows this table), notes.
  await db.schema
    .createTable('map_case_steps')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('case_id', 'text', (c) => c.notNull().references('map_cases.id').onDelete('cascade'))
    .addColumn('at', 'text', (c) => c.notNull())
    .addColumn('action', 'text', (c) => c.notNull())
    .addColumn('from_stage', 'text', (c) => c.notNull())
    .addColumn('to_stage', 'text', (c) => c.notNull())
    .addColumn('actor_id', 'text')
    .addColumn('notes', 'text')
    .execute();
  await db.schema.createIndex('map_case_steps_case').on('map_case_steps').columns(['case_id', 'at']).execute();

  // A notice of violation exactly as sent: the letter text is never edited, its SHA-256 proves it.
  await db.schema
    .createTable('map_notices')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('case_id', 'text', (c) => c.notNull().references('map_cases.id').onDelete('cascade'))
    .addColumn('business_id', 'text', (c) => c.notNull())
    .addColumn('letter', 'text', (c) => c.notNull())
    .addColumn('sha256', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();

  // Days of action: a date, teams of volunteers, and each team's stops (businesses to visit).
  await db.schema
    .createTable('map_action_days')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('day', 'text', (c) => c.notNull())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('created_by', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('map_action_days_day').on('map_action_days').column('day').execute();
  await db.schema
    .createTable('map_action_teams')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('action_day_id', 'text', (c) => c.notNull().references('map_action_days.id').onDelete('cascade'))
    .addColumn('name', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createTable('map_action_members')
    .addColumn('team_id', 'text', (c) => c.notNull().references('map_action_teams.id').onDelete('cascade'))
    .addColumn('account_id', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('map_action_members_pk', ['team_id', 'account_id'])
    .execute();
  await db.schema.createIndex('map_action_members_account').on('map_action_members').column('account_id').execute();
  await db.schema
    .createTable('map_action_stops')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('action_day_id', 'text', (c) => c.notNull().references('map_action_days.id').onDelete('cascade'))
    .addColumn('team_id', 'text', (c) => c.notNull().references('map_action_teams.id').onDelete('cascade'))
    .addColumn('business_id', 'text', (c) => c.notNull().references('map_businesses.id').onDelete('cascade'))
    .addColumn('position', 'integer', (c) => c.notNull())
    .addUniqueConstraint('map_action_stops_once', ['action_day_id', 'business_id'])
    .execute();
  await db.schema.createIndex('map_action_stops_team').on('map_action_stops').columns(['team_id', 'position']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of ['map_action_stops', 'map_action_members', 'map_action_teams', 'map_action_days', 'map_notices', 'map_case_steps', 'map_cases']) await db.schema.dropTable(table).execute();
}
