import type { Db } from '../../../database.ts';
import { OPEN_STAGES } from './enforcement.ts';
import type { BusinessRow, CasePhotoRow, CaseRow, CaseStepRow, NoticeRow } from '../tables.ts';

export type QueueRow = Pick<BusinessRow, 'id' | 'name' | 'address' | 'city' | 'category' | 'status' | 'lastReportAt' | 'queuedAt'> & { caseId: string | null; stage: CaseRow['stage'] | null; cureDueAt: string | null };

/**
 * Businesses a credible report put on the queue (until an inspector's step takes them off), or
 * with an open case: the oldest report first.
 */
export async function inspectionQueue(db: Db, city: string | undefined, limit: number): Promise<QueueRow[]> {
  let query = db
    .selectFrom('mapBusinesses as b')
    .leftJoin('mapCases as c', (join) => join.onRef('c.businessId', '=', 'b.id').on('c.stage', 'in', OPEN_STAGES))
    .select(['b.id', 'b.name', 'b.address', 'b.city', 'b.category', 'b.status', 'b.lastReportAt', 'b.queuedAt', 'c.id as caseId', 'c.stage', 'c.cureDueAt'])
    .where('b.active', '=', 1)
    .where((eb) => eb.or([eb('b.queuedAt', 'is not', null), eb('c.id', 'is not', null)]));
  if (city) query = query.where('b.city', '=', city);
  return query.orderBy('b.lastReportAt', 'asc').orderBy('b.id').limit(limit).execute() as Promise<QueueRow[]>;
}

/** Cities with something in the queue, for its filter. */
export async function queueCities(db: Db): Promise<string[]> {
  const rows = await db.selectFrom('mapBusinesses').select('city').distinct().where('queuedAt', 'is not', null).where('active', '=', 1).orderBy('city').execute();
  return rows.map((r) => r.city);
}

export async function openCaseOf(db: Db, businessId: string): Promise<CaseRow | undefined> {
  return db.selectFrom('mapCases').selectAll().where('businessId', '=', businessId).where('stage', 'in', OPEN_STAGES).orderBy('openedAt', 'desc').executeTakeFirst();
}

export async function casesOf(db: Db, businessId: string): Promise<CaseRow[]> {
  return db.selectFrom('mapCases').selectAll().where('businessId', '=', businessId).orderBy('openedAt', 'desc').execute();
}

export async function countPenalties(db: Db, businessId: string): Promise<number> {
  const row = await db.selectFrom('mapCases').select((eb) => eb.fn.countAll<number>().as('n')).where('businessId', '=', businessId).where('penaltyUsd', 'is not', null).executeTakeFirst();
  return Number(row?.n ?? 0);
}

export async function insertCase(db: Db, row: CaseRow): Promise<void> {
  await db.insertInto('mapCases').values(row).execute();
}

/** Moves a case only from the stage the caller read: a concurrent step makes this a no-op (false). */
export async function updateCase(db: Db, id: string, fromStage: CaseRow['stage'], patch: Partial<CaseRow>): Promise<boolean> {
  const result = await db.updateTable('mapCases').set(patch).where('id', '=', id).where('stage', '=', fromStage).executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

export async function insertStep(db: Db, row: CaseStepRow): Promise<void> {
  await db.insertInto('mapCaseSteps').values(row).execute();
}

export async function stepsOf(db: Db, caseIds: readonly string[]): Promise<CaseStepRow[]> {
  if (caseIds.length === 0) return [];
  // Steps in the same instant (a manual clock, a fast double click) keep the order the chain gave them.
  return db.selectFrom('mapCaseSteps').selectAll().where('caseId', 'in', caseIds).orderBy('at').orderBy('auditSeq').orderBy('id').execute();
}

export async function insertNotice(db: Db, row: NoticeRow): Promise<void> {
  await db.insertInto('mapNotices').values(row).execute();
}

export async function findNotice(db: Db, id: string): Promise<NoticeRow | undefined> {
  return db.selectFrom('mapNotices').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function noticesOf(db: Db, caseIds: readonly string[]): Promise<NoticeRow[]> {
  if (caseIds.length === 0) return [];
  return db.selectFrom('mapNotices').selectAll().where('caseId', 'in', caseIds).orderBy('createdAt').execute();
}

export async function insertCasePhoto(db: Db, row: CasePhotoRow): Promise<void> {
  await db.insertInto('mapCasePhotos').values(row).execute();
}

/** The photos of these cases, without their bytes: enough to list and link them. */
export async function casePhotosOf(db: Db, caseIds: readonly string[]): Promise<Omit<CasePhotoRow, 'data'>[]> {
  if (caseIds.length === 0) return [];
  return db
    .selectFrom('mapCasePhotos')
    .select(['id', 'caseId', 'stepId', 'mime', 'width', 'height', 'size', 'createdAt'])
    .where('caseId', 'in', caseIds)
    .orderBy('createdAt')
    .orderBy('id')
    .execute();
}

export async function findCasePhoto(db: Db, id: string): Promise<CasePhotoRow | undefined> {
  return db.selectFrom('mapCasePhotos').selectAll().where('id', '=', id).executeTakeFirst();
}

/** What reporters said about a business, newest first, for the inspector (never who said it). */
export async function reportsForInspection(db: Db, businessId: string, limit: number) {
  return db
    .selectFrom('mapReports')
    .select(['id', 'observedAt', 'observed', 'problems', 'note', 'channel', 'hasPhoto'])
    .where('businessId', '=', businessId)
    .orderBy('observedAt', 'desc')
    .limit(limit)
    .execute();
}

/**
 * The next case number of `year`. Inside the transaction that opens the case: the upsert takes
 * the year's row lock (PostgreSQL) or runs in SQLite's single writer, so parallel openings queue
 * here and no two get the same number.
 */
export async function nextCaseNumber(db: Db, year: number): Promise<number> {
  const row = await db
    .insertInto('mapCaseCounters')
    .values({ year, last: 1 })
    .onConflict((oc) => oc.column('year').doUpdateSet((eb) => ({ last: eb(eb.ref('mapCaseCounters.last'), '+', 1) })))
    .returning('last')
    .executeTakeFirstOrThrow();
  return Number(row.last);
}

/** The latest visit that found a violation in a case: what the letter says the inspector saw. */
export async function violationVisitOf(db: Db, caseId: string): Promise<CaseStepRow | undefined> {
  return db.selectFrom('mapCaseSteps').selectAll().where('caseId', '=', caseId).where('action', '=', 'visit_violation').orderBy('at', 'desc').orderBy('id', 'desc').executeTakeFirst();
}
