import { sql } from 'kysely';
import type { Db } from '../../../database.ts';
import { DATA_QUALITY_OBSERVATIONS, type Observation, type ReportRow, type ReviewOutcome } from '../tables.ts';

/** Puts a business on the inspectors' queue; a business already there keeps the day it entered. */
export async function enqueue(db: Db, businessId: string, at: string): Promise<void> {
  await db.updateTable('mapBusinesses').set({ queuedAt: sql<string>`coalesce(queued_at, ${at})` }).where('id', '=', businessId).execute();
}

/** Takes a business off the queue: only an inspector's step does this. */
export async function dequeue(db: Db, businessId: string): Promise<void> {
  await db.updateTable('mapBusinesses').set({ queuedAt: null }).where('id', '=', businessId).execute();
}

export type ObservationCount = { businessId: string; observed: Observation; n: number };

/** Reports per business and observation since `sinceIso`, for the community picture. */
export async function observationCounts(db: Db, businessIds: readonly string[], sinceIso: string): Promise<ObservationCount[]> {
  const out: ObservationCount[] = [];
  for (let i = 0; i < businessIds.length; i += 500) {
    const rows = await db
      .selectFrom('mapReports')
      .select((eb) => ['businessId', 'observed', eb.fn.countAll<number>().as('n')])
      .where('businessId', 'in', businessIds.slice(i, i + 500))
      .where('observedAt', '>=', sinceIso)
      .groupBy(['businessId', 'observed'])
      .execute();
    out.push(...rows.map((r) => ({ businessId: r.businessId, observed: r.observed, n: Number(r.n) })));
  }
  return out;
}

/** What the outcome pages may show of a report: never its note, photo, channel or reporter. */
const OWN_COLUMNS = ['r.id', 'r.businessId', 'r.observed', 'r.problems', 'r.judgement', 'r.observedAt', 'r.receivedAt', 'r.reviewedAt', 'r.reviewOutcome', 'b.name', 'b.address', 'b.city'] as const;
export type OwnReport = Pick<ReportRow, 'id' | 'businessId' | 'observed' | 'problems' | 'judgement' | 'observedAt' | 'receivedAt' | 'reviewedAt' | 'reviewOutcome'> & { name: string; address: string; city: string };

export async function reportByLookup(db: Db, lookupHash: string): Promise<OwnReport | undefined> {
  return db.selectFrom('mapReports as r').innerJoin('mapBusinesses as b', 'b.id', 'r.businessId').select(OWN_COLUMNS).where('r.lookupHash', '=', lookupHash).executeTakeFirst();
}

export async function reportsByReporter(db: Db, reporterId: string, limit: number): Promise<OwnReport[]> {
  return db
    .selectFrom('mapReports as r')
    .innerJoin('mapBusinesses as b', 'b.id', 'r.businessId')
    .select(OWN_COLUMNS)
    .where('r.reporterId', '=', reporterId)
    .orderBy('r.receivedAt', 'desc')
    .orderBy('r.id')
    .limit(limit)
    .execute();
}

export type OfficeStep = { businessId: string; action: string; at: string };

/** Each inspector's step on these businesses since `sinceIso` (the earliest report asked about), oldest first. */
export async function stepsSince(db: Db, businessIds: readonly string[], sinceIso: string): Promise<OfficeStep[]> {
  if (businessIds.length === 0) return [];
  return db
    .selectFrom('mapCaseSteps as s')
    .innerJoin('mapCases as c', 'c.id', 's.caseId')
    .select(['c.businessId', 's.action', 's.at'])
    .where('c.businessId', 'in', businessIds)
    .where('s.at', '>=', sinceIso)
    .orderBy('s.at')
    .orderBy('s.id')
    .execute();
}

export type DataQualityRow = { id: string; name: string; address: string; city: string; category: string; observed: Observation; n: number; first: string; last: string };

/** Businesses with could-not-check or wrong-listing reports not yet reviewed, per observation. */
export async function dataQualityQueue(db: Db, limit: number): Promise<DataQualityRow[]> {
  const rows = await db
    .selectFrom('mapReports as r')
    .innerJoin('mapBusinesses as b', 'b.id', 'r.businessId')
    .select((eb) => ['b.id', 'b.name', 'b.address', 'b.city', 'b.category', 'r.observed', eb.fn.countAll<number>().as('n'), eb.fn.min('r.observedAt').as('first'), eb.fn.max('r.observedAt').as('last')])
    .where('r.judgement', '=', 'unchecked')
    .where('r.reviewedAt', 'is', null)
    .where('r.observed', 'in', DATA_QUALITY_OBSERVATIONS)
    .groupBy(['b.id', 'b.name', 'b.address', 'b.city', 'b.category', 'r.observed'])
    .orderBy('first')
    .orderBy('b.id')
    .limit(limit)
    .execute();
  return rows.map((r) => ({ ...r, n: Number(r.n), first: String(r.first), last: String(r.last) }));
}

/** Marks a business's unreviewed data-quality reports as handled; answers how many. */
export async function reviewDataQuality(db: Db, businessId: string, outcome: ReviewOutcome, at: string): Promise<number> {
  const result = await db
    .updateTable('mapReports')
    .set({ reviewedAt: at, reviewOutcome: outcome })
    .where('businessId', '=', businessId)
    .where('judgement', '=', 'unchecked')
    .where('reviewedAt', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}

/** Takes a business off the map and the list: it closed for good or is not a kind the law covers. */
export async function deactivateBusiness(db: Db, businessId: string, at: string): Promise<void> {
  await db.updateTable('mapBusinesses').set({ active: 0, queuedAt: null, updatedAt: at }).where('id', '=', businessId).execute();
}
