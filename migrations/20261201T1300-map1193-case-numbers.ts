import type { Kysely } from 'kysely';

// Frozen in time: never import application code here. Ids and timestamps are text (ISO 8601 UTC).

/** The year of an instant in California, where the office numbers its cases. */
const yearIn = (iso: string) => Number(new Intl.DateTimeFormat('en-US', { timeZone: 'America/Los_Angeles', year: 'numeric' }).format(new Date(iso)));

export async function up(db: Kysely<any>): Promise<void> {
  // The last case number given out in each year: bumped in the transaction that opens a case,
  // so parallel openings queue on this row and never share a number.
  await db.schema
    .createTable('map_case_counters')
    .addColumn('year', 'integer', (c) => c.primaryKey())
    .addColumn('last', 'integer', (c) => c.notNull())
    .execute();
  // `2026-0147`: what a letter, a hearing and a phone call name the case by.
  await db.schema.alterTable('map_cases').addColumn('case_number', 'text').execute();
  // What the inspector found at a visit, as codes a letter can translate (comma-separated).
  await db.schema.alterTable('map_case_steps').addColumn('deficiencies', 'text', (c) => c.notNull().defaultTo('')).execute();
  // The step's row in the audit chain, so a case record can name the seq that vouches for it.
  await db.schema.alterTable('map_case_steps').addColumn('audit_seq', 'integer').execute();
  // Letters before this one are plain text; from now on an HTML letter with letterhead.
  await db.schema.alterTable('map_notices').addColumn('format', 'text', (c) => c.notNull().defaultTo('text')).execute();

  // Existing cases numbered in the order they were opened, year by year. Without the app's
  // camel-case plugin, so rows come back with the column names written here.
  const plain = db.withoutPlugins();
  const cases = await plain.selectFrom('map_cases').select(['id', 'opened_at']).orderBy('opened_at').orderBy('id').execute();
  const last = new Map<number, number>();
  for (const row of cases as { id: string; opened_at: string }[]) {
    const year = yearIn(row.opened_at);
    const n = (last.get(year) ?? 0) + 1;
    last.set(year, n);
    await plain.updateTable('map_cases').set({ case_number: `${year}-${String(n).padStart(4, '0')}` }).where('id', '=', row.id).execute();
  }
  for (const [year, n] of last) await plain.insertInto('map_case_counters').values({ year, last: n }).execute();
  await db.schema.createIndex('map_cases_case_number').unique().on('map_cases').column('case_number').execute();

  // Each earlier step wrote exactly one audit row on its case, in the same order: pair them up.
  const steps = (await plain.selectFrom('map_case_steps').select(['id', 'case_id']).orderBy('case_id').orderBy('at').orderBy('id').execute()) as { id: string; case_id: string }[];
  const audits = (await plain
    .selectFrom('audit_log')
    .select(['seq', 'target_id'])
    .where('target_type', '=', 'map1193.case')
    .where('action', 'like', 'map1193.case.%')
    .orderBy('seq')
    .execute()) as { seq: number; target_id: string }[];
  const byCase = new Map<string, number[]>();
  for (const a of audits) byCase.set(a.target_id, [...(byCase.get(a.target_id) ?? []), Number(a.seq)]);
  for (const s of steps) {
    const seq = byCase.get(s.case_id)?.shift();
    if (seq !== undefined) await plain.updateTable('map_case_steps').set({ audit_seq: seq }).where('id', '=', s.id).execute();
  }
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('map_cases_case_number').execute();
  await db.schema.alterTable('map_notices').dropColumn('format').execute();
  await db.schema.alterTable('map_case_steps').dropColumn('audit_seq').execute();
  await db.schema.alterTable('map_case_steps').dropColumn('deficiencies').execute();
  await db.schema.alterTable('map_cases').dropColumn('case_number').execute();
  await db.schema.dropTable('map_case_counters').execute();
}
