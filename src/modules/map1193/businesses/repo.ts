import { sql } from 'kysely';
import type { DialectName } from '../../../core/db/connect.ts';
import { forUpdate, likeText } from '../../../core/db/dialect.ts';
import type { Db } from '../../../database.ts';
import type { BusinessRow, BusinessStatus, ReportPhotoRow, ReportRow, StatusEventRow } from '../tables.ts';

/** Lower-case, accents removed, spaces collapsed: "Café  Ñandú" and "cafe nandu" search alike. */
export function foldForSearch(text: string): string {
  return text.normalize('NFD').replace(/\p{M}+/gu, '').toLowerCase().replace(/\s+/g, ' ').trim();
}

export type BusinessFilters = { q?: string; category?: string; city?: string; status?: BusinessStatus };
export type Box = { minLng: number; minLat: number; maxLng: number; maxLat: number };

/** Columns the public may see: everything but the search helper. */
const PUBLIC_COLUMNS = [
  'id', 'name', 'address', 'city', 'lat', 'lng', 'category', 'source', 'externalId', 'status', 'statusChangedAt', 'lastReportAt',
] as const;
export type PublicBusiness = Pick<BusinessRow, (typeof PUBLIC_COLUMNS)[number]>;

export async function findBusiness(db: Db, id: string): Promise<PublicBusiness | undefined> {
  return db.selectFrom('mapBusinesses').select(PUBLIC_COLUMNS).where('id', '=', id).where('active', '=', 1).executeTakeFirst();
}

function filtered(db: Db, filters: BusinessFilters) {
  let query = db.selectFrom('mapBusinesses').where('active', '=', 1);
  const term = filters.q ? foldForSearch(filters.q) : '';
  if (term) query = query.where(likeText('searchText', term, 'contains'));
  if (filters.category) query = query.where('category', '=', filters.category);
  if (filters.city) query = query.where('city', '=', filters.city);
  if (filters.status) query = query.where('status', '=', filters.status);
  return query;
}

/**
 * One page of the list after `after` in (name, id) order: a keyset page, so page 4,000 costs
 * what page 1 costs. The page's start comes from the in-memory snapshot, which knows the order.
 */
export async function listPage(db: Db, filters: BusinessFilters, after: { name: string; id: string } | undefined, limit: number): Promise<PublicBusiness[]> {
  let query = filtered(db, filters).select(PUBLIC_COLUMNS);
  if (after) query = query.where((eb) => eb(eb.refTuple('name', 'id'), '>', eb.tuple(after.name, after.id)));
  return query.orderBy('name').orderBy('id').limit(limit).execute();
}

export async function distinctCities(db: Db): Promise<string[]> {
  const rows = await db.selectFrom('mapBusinesses').select('city').distinct().where('active', '=', 1).where('city', '<>', '').orderBy('city').execute();
  return rows.map((r) => r.city);
}

/** What the in-memory snapshot keeps of one active business. */
export type SnapshotRow = Pick<BusinessRow, 'id' | 'name' | 'city' | 'lat' | 'lng' | 'category' | 'status' | 'searchText'>;

/** Active businesses after `after` in list order (name, id), a chunk at a time. */
export async function snapshotChunk(db: Db, after: { name: string; id: string } | undefined, limit: number): Promise<SnapshotRow[]> {
  let query = db.selectFrom('mapBusinesses').select(['id', 'name', 'city', 'lat', 'lng', 'category', 'status', 'searchText']).where('active', '=', 1);
  if (after) query = query.where((eb) => eb(eb.refTuple('name', 'id'), '>', eb.tuple(after.name, after.id)));
  return query.orderBy('name').orderBy('id').limit(limit).execute();
}

/** Ids of active businesses after `afterId`, in the database's id order (the map's order). */
export async function activeIdChunk(db: Db, afterId: string | undefined, limit: number): Promise<string[]> {
  let query = db.selectFrom('mapBusinesses').select('id').where('active', '=', 1);
  if (afterId !== undefined) query = query.where('id', '>', afterId);
  return (await query.orderBy('id').limit(limit).execute()).map((r) => r.id);
}

/** The number the database's triggers raise on every change to a business row. */
export async function businessVersion(db: Db): Promise<number> {
  const row = await db.selectFrom('mapBusinessChanges').select('version').where('id', '=', 1).executeTakeFirst();
  return Number(row?.version ?? 0);
}

export type BusinessInput = Omit<BusinessRow, 'id' | 'status' | 'statusChangedAt' | 'lastReportAt' | 'queuedAt' | 'createdAt' | 'updatedAt' | 'active'>;

/** Which of these external ids already exist for the source. */
export async function existingExternalIds(db: Db, source: string, externalIds: readonly string[]): Promise<Set<string>> {
  if (externalIds.length === 0) return new Set();
  const rows = await db.selectFrom('mapBusinesses').select('externalId').where('source', '=', source).where('externalId', 'in', externalIds).execute();
  return new Set(rows.map((r) => r.externalId));
}

/**
 * Inserts or updates by (source, external_id) in one multi-row statement; an update keeps the
 * row's id, status and history and makes it active again.
 */
export async function upsertBusinesses(db: Db, rows: readonly (BusinessInput & { id: string })[], now: string): Promise<void> {
  if (rows.length === 0) return;
  await db
    .insertInto('mapBusinesses')
    .values(rows.map((r) => ({ ...r, active: 1, status: 'unknown' as const, statusChangedAt: null, lastReportAt: null, createdAt: now, updatedAt: now })))
    .onConflict((oc) =>
      oc.columns(['source', 'externalId']).doUpdateSet((eb) => ({
        name: eb.ref('excluded.name'),
        address: eb.ref('excluded.address'),
        city: eb.ref('excluded.city'),
        lat: eb.ref('excluded.lat'),
        lng: eb.ref('excluded.lng'),
        category: eb.ref('excluded.category'),
        searchText: eb.ref('excluded.searchText'),
        active: 1,
        updatedAt: now,
      })),
    )
    .execute();
}

/** Inserts rows that are not there yet and leaves existing ones alone (demo data, re-runs). */
export async function insertBusinessesIfAbsent(db: Db, rows: readonly BusinessRow[]): Promise<void> {
  for (let i = 0; i < rows.length; i += 500) {
    await db.insertInto('mapBusinesses').values(rows.slice(i, i + 500)).onConflict((oc) => oc.columns(['source', 'externalId']).doNothing()).execute();
  }
}

export async function existingIds(db: Db, ids: readonly string[]): Promise<Set<string>> {
  const found = new Set<string>();
  for (let i = 0; i < ids.length; i += 500) {
    const rows = await db.selectFrom('mapBusinesses').select('id').where('id', 'in', ids.slice(i, i + 500)).execute();
    for (const r of rows) found.add(r.id);
  }
  return found;
}

/** Fresh planner statistics after a bulk load; without them PostgreSQL reads the whole table for a keyset page. */
export async function refreshStatistics(db: Db): Promise<void> {
  await sql`analyze map_businesses`.execute(db);
}

export async function countBusinesses(db: Db): Promise<number> {
  const row = await db.selectFrom('mapBusinesses').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  return Number(row.n);
}

export async function findReport(db: Db, id: string): Promise<Pick<ReportRow, 'id' | 'businessId'> | undefined> {
  return db.selectFrom('mapReports').select(['id', 'businessId']).where('id', '=', id).executeTakeFirst();
}

/** True when this call stored the report, false when a report with its id was already there. */
export async function insertReport(db: Db, row: ReportRow): Promise<boolean> {
  const result = await db.insertInto('mapReports').values(row).onConflict((oc) => oc.column('id').doNothing()).executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows ?? 0) > 0;
}

export async function insertPhoto(db: Db, row: ReportPhotoRow): Promise<void> {
  await db.insertInto('mapReportPhotos').values(row).execute();
}

export async function findPhoto(db: Db, reportId: string): Promise<ReportPhotoRow | undefined> {
  return db.selectFrom('mapReportPhotos').selectAll().where('reportId', '=', reportId).executeTakeFirst();
}

/** Reads the status under a row lock on PostgreSQL, so two reports cannot both change it from the same value. */
export async function lockBusinessStatus(db: Db, id: string, dialect: DialectName): Promise<Pick<BusinessRow, 'status' | 'category' | 'lastReportAt'> | undefined> {
  return db.selectFrom('mapBusinesses').select(['status', 'category', 'lastReportAt']).where('id', '=', id).where('active', '=', 1).$call(forUpdate(dialect)).executeTakeFirst();
}

export async function setBusinessStatus(db: Db, id: string, status: BusinessStatus, at: string): Promise<void> {
  await db.updateTable('mapBusinesses').set({ status, statusChangedAt: at, updatedAt: at }).where('id', '=', id).execute();
}

export async function touchLastReport(db: Db, id: string, at: string): Promise<void> {
  // An offline report synced late must not move "last report" backwards.
  await db
    .updateTable('mapBusinesses')
    .set({ lastReportAt: sql<string>`case when last_report_at is null or last_report_at < ${at} then ${at} else last_report_at end` })
    .where('id', '=', id)
    .execute();
}

export async function insertStatusEvent(db: Db, row: StatusEventRow): Promise<void> {
  await db.insertInto('mapStatusEvents').values(row).execute();
}

export async function reportsOf(db: Db, businessId: string, limit: number) {
  return db
    .selectFrom('mapReports')
    .select(['observedAt', 'observed', 'problems', 'judgement', 'channel'])
    .where('businessId', '=', businessId)
    .orderBy('observedAt', 'desc')
    .limit(limit)
    .execute();
}

export async function statusEventsOf(db: Db, businessId: string, limit: number) {
  return db.selectFrom('mapStatusEvents').select(['at', 'toStatus']).where('businessId', '=', businessId).orderBy('at', 'desc').limit(limit).execute();
}

/** One page of the open-data export after `afterId`, in id order (keyset: constant cost per page). */
export async function exportPage(db: Db, afterId: string | undefined, limit: number): Promise<PublicBusiness[]> {
  let query = db.selectFrom('mapBusinesses').select(PUBLIC_COLUMNS).where('active', '=', 1);
  if (afterId !== undefined) query = query.where('id', '>', afterId);
  return query.orderBy('id').limit(limit).execute();
}
