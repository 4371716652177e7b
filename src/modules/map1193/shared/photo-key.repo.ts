import type { Db } from '../../../database.ts';

const LEGACY_SECRET = 'map1193.photos';

/**
 * Takes the photo key once kept in the database: reads and deletes its row. Undefined when
 * there is none, or when another process deleted it first (PostgreSQL holds this delete until
 * that process commits, so only one of them re-seals).
 */
export async function takeLegacyPhotoKey(db: Db): Promise<string | undefined> {
  const row = await db.selectFrom('appSecrets').select('value').where('name', '=', LEGACY_SECRET).executeTakeFirst();
  if (!row) return undefined;
  const deleted = await db.deleteFrom('appSecrets').where('name', '=', LEGACY_SECRET).where('value', '=', row.value).executeTakeFirst();
  return deleted.numDeletedRows === 1n ? row.value : undefined;
}

/** Report photos in id order, `limit` at a time after `after`. */
export async function reportPhotoPage(db: Db, after: string, limit: number) {
  return db.selectFrom('mapReportPhotos').select(['reportId as id', 'data']).where('reportId', '>', after).orderBy('reportId').limit(limit).execute();
}

/** Case photos in id order, `limit` at a time after `after`. */
export async function casePhotoPage(db: Db, after: string, limit: number) {
  return db.selectFrom('mapCasePhotos').select(['id', 'data']).where('id', '>', after).orderBy('id').limit(limit).execute();
}

export async function updateReportPhotoData(db: Db, reportId: string, data: string): Promise<void> {
  await db.updateTable('mapReportPhotos').set({ data }).where('reportId', '=', reportId).execute();
}

export async function updateCasePhotoData(db: Db, id: string, data: string): Promise<void> {
  await db.updateTable('mapCasePhotos').set({ data }).where('id', '=', id).execute();
}
