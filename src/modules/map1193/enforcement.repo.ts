import type { Kysely } from 'kysely';
import { OPEN_STAGES } from './enforcement.ts';
import type { BusinessRow, CasePhotoRow, CaseRow, CaseStepRow, MapTables, NoticeRow } from './tables.ts';

type Db = Kysely<MapTables>;
const q = (db: Kysely<any>) => db as Db;

export type QueueRow = Pick<BusinessRow, 'id' | 'name' | 'address' | 'city' | 'category' | 'status' | 'lastReportAt'> & { caseId: string | null; stage: CaseRow['stage'] | null; cureDueAt: string | null };

/** Businesses reported missing or wrong, or with an open case: the oldest report first. */
export async function inspectionQueue(db: Kysely<any>, city: string | undefined, limit: number): Promise<QueueRow[]> {
  let query = q(db)
    .selectFrom('mapBusinesses as b')
    .leftJoin('mapCases as c', (join) => join.onRef('c.businessId', '=', 'b.id').on('c.stage', 'in', OPEN_STAGES))
    .select(['b.id', 'b.name', 'b.address', 'b.city', 'b.category', 'b.status', 'b.lastReportAt', 'c.id as caseId', 'c.stage', 'c.cureDueAt'])
    .where('b.active', '=', 1)
    .where((eb) => eb.or([eb('b.status', '=', 'reported_missing'), eb('c.id', 'is not', null)]));
  if (city) query = query.where('b.city', '=', city);
  return query.orderBy('b.lastReportAt', 'asc').orderBy('b.id').limit(limit).execute() as Promise<QueueRow[]>;
}

/** Cities with something in the queue, for its filter. */
export async function queueCities(db: Kysely<any>): Promise<string[]> {
  const rows = await q(db).selectFrom('mapBusinesses').select('city').distinct().where('status', '=', 'reported_missing').where('active', '=', 1).orderBy('city').execute();
  return rows.map((r) => r.city);
}

export async function openCaseOf(db: Kysely<any>, businessId: string): Promise<CaseRow | undefined> {
  return q(db).selectFrom('mapCases').selectAll().where('businessId', '=', businessId).where('stage', 'in', OPEN_STAGES).orderBy('openedAt', 'desc').executeTakeFirst();
}

export async function casesOf(db: Kysely<any>, businessId: string): Promise<CaseRow[]> {
  return q(db).selectFrom('mapCases').selectAll().where('businessId', '=', businessId).orderBy('openedAt', 'desc').execute();
}

export async function countPenalties(db: Kysely<any>, businessId: string): Promise<number> {
  const row = await q(db).selectFrom('mapCases').select((eb) => eb.fn.countAll<number>().as('n')).where('businessId', '=', businessId).where('penaltyUsd', 'is not', null).executeTakeFirst();
  return Number(row?.n ?? 0);
}

export async function insertCase(db: Kysely<any>, row: CaseRow): Promise<void> {
  await q(db).insertInto('mapCases').values(row).execute();
}

/** Moves a case only from the stage the caller read: a concurrent step makes this a no-op (false). */
export async function updateCase(db: Kysely<any>, id: string, fromStage: CaseRow['stage'], patch: Partial<CaseRow>): Promise<boolean> {
  const result = await q(db).updateTable('mapCases').set(patch).where('id', '=', id).where('stage', '=', fromStage).executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

export async function insertStep(db: Kysely<any>, row: CaseStepRow): Promise<void> {
  await q(db).insertInto('mapCaseSteps').values(row).execute();
}

export async function stepsOf(db: Kysely<any>, caseIds: readonly string[]): Promise<CaseStepRow[]> {
  if (caseIds.length === 0) return [];
  return q(db).selectFrom('mapCaseSteps').selectAll().where('caseId', 'in', caseIds).orderBy('at').orderBy('id').execute();
}

export async function insertNotice(db: Kysely<any>, row: NoticeRow): Promise<void> {
  await q(db).insertInto('mapNotices').values(row).execute();
}

export async function findNotice(db: Kysely<any>, id: string): Promise<NoticeRow | undefined> {
  return q(db).selectFrom('mapNotices').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function noticesOf(db: Kysely<any>, caseIds: readonly string[]): Promise<NoticeRow[]> {
  if (caseIds.length === 0) return [];
  return q(db).selectFrom('mapNotices').selectAll().where('caseId', 'in', caseIds).orderBy('createdAt').execute();
}

export async function insertCasePhoto(db: Kysely<any>, row: CasePhotoRow): Promise<void> {
  await q(db).insertInto('mapCasePhotos').values(row).execute();
}

/** The photos of these cases, without their bytes: enough to list and link them. */
export async function casePhotosOf(db: Kysely<any>, caseIds: readonly string[]): Promise<Omit<CasePhotoRow, 'data'>[]> {
  if (caseIds.length === 0) return [];
  return q(db)
    .selectFrom('mapCasePhotos')
    .select(['id', 'caseId', 'stepId', 'mime', 'width', 'height', 'size', 'createdAt'])
    .where('caseId', 'in', caseIds)
    .orderBy('createdAt')
    .orderBy('id')
    .execute();
}

export async function findCasePhoto(db: Kysely<any>, id: string): Promise<CasePhotoRow | undefined> {
  return q(db).selectFrom('mapCasePhotos').selectAll().where('id', '=', id).executeTakeFirst();
}

/** What reporters said about a business, newest first, for the inspector (never who said it). */
export async function reportsForInspection(db: Kysely<any>, businessId: string, limit: number) {
  return q(db)
    .selectFrom('mapReports')
    .select(['id', 'observedAt', 'observed', 'problems', 'note', 'channel', 'hasPhoto'])
    .where('businessId', '=', businessId)
    .orderBy('observedAt', 'desc')
    .limit(limit)
    .execute();
}
