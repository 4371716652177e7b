import type { Db } from '../../../database.ts';

export type CureCase = { caseId: string; businessId: string; name: string; address: string; city: string; cureDueAt: string; inspectorId: string | null };

/** Cases waiting out their cure period that ends between `from` and `to`, with who sent the notice. */
export async function casesInCure(db: Db, from: string, to: string): Promise<CureCase[]> {
  const rows = await db
    .selectFrom('mapCases as c')
    .innerJoin('mapBusinesses as b', 'b.id', 'c.businessId')
    .select(['c.id as caseId', 'b.id as businessId', 'b.name', 'b.address', 'b.city', 'c.cureDueAt'])
    .select((eb) =>
      eb
        .selectFrom('mapCaseSteps as s')
        .select('s.actorId')
        .whereRef('s.caseId', '=', 'c.id')
        .where('s.action', '=', 'send_notice')
        .orderBy('s.at', 'desc')
        .limit(1)
        .as('inspectorId'),
    )
    .where('c.stage', '=', 'notice_sent')
    .where('c.cureDueAt', '>=', from)
    .where('c.cureDueAt', '<=', to)
    .orderBy('c.cureDueAt')
    .orderBy('c.id')
    .execute();
  return rows.map((r) => ({ ...r, cureDueAt: r.cureDueAt!, inspectorId: r.inspectorId ?? null }));
}

/**
 * Records that the alert `key` is sent; false when it already was. Run in the transaction that
 * queues the message: a second run, or a second worker, finds the row and sends nothing.
 */
export async function markSent(db: Db, key: string, at: string): Promise<boolean> {
  const result = await db.insertInto('mapAlertsSent').values({ key, sentAt: at }).onConflict((oc) => oc.column('key').doNothing()).executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows ?? 0) > 0;
}

/** New "missing" reports received in [from, to), counted per city. */
export async function missingByCity(db: Db, from: string, to: string): Promise<{ city: string; count: number }[]> {
  const rows = await db
    .selectFrom('mapReports as r')
    .innerJoin('mapBusinesses as b', 'b.id', 'r.businessId')
    .select(['b.city', (eb) => eb.fn.countAll<number>().as('count')])
    .where('r.observed', '=', 'missing')
    .where('r.receivedAt', '>=', from)
    .where('r.receivedAt', '<', to)
    .groupBy('b.city')
    .orderBy('b.city')
    .execute();
  return rows.map((r) => ({ city: r.city, count: Number(r.count) }));
}

export async function subscriberIds(db: Db): Promise<Set<string>> {
  const rows = await db.selectFrom('mapDigestSubscribers').select('accountId').execute();
  return new Set(rows.map((r) => r.accountId));
}

export async function isSubscribed(db: Db, accountId: string): Promise<boolean> {
  return (await db.selectFrom('mapDigestSubscribers').select('accountId').where('accountId', '=', accountId).executeTakeFirst()) !== undefined;
}

export async function setSubscribed(db: Db, accountId: string, on: boolean, at: string): Promise<void> {
  if (on) await db.insertInto('mapDigestSubscribers').values({ accountId, createdAt: at }).onConflict((oc) => oc.column('accountId').doNothing()).execute();
  else await db.deleteFrom('mapDigestSubscribers').where('accountId', '=', accountId).execute();
}
