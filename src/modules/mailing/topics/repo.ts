import type { Db } from '../../../database.ts';
import type { MailingTopicRow } from '../tables.ts';

const COLUMNS = ['key', 'labels', 'position', 'active', 'createdAt'] as const;

export async function listTopics(db: Db): Promise<MailingTopicRow[]> {
  return db.selectFrom('mailingTopics').select(COLUMNS).orderBy('position').orderBy('key').execute();
}

export async function findTopic(db: Db, key: string): Promise<MailingTopicRow | undefined> {
  return db.selectFrom('mailingTopics').select(COLUMNS).where('key', '=', key).executeTakeFirst();
}

/** Inserts a topic at the end of the list; false when the key is taken. */
export async function insertTopic(db: Db, row: Omit<MailingTopicRow, 'position'>): Promise<boolean> {
  const last = await db.selectFrom('mailingTopics').select((eb) => eb.fn.max('position').as('position')).executeTakeFirst();
  const result = await db
    .insertInto('mailingTopics')
    .values({ ...row, position: Number(last?.position ?? 0) + 1 })
    .onConflict((oc) => oc.column('key').doNothing())
    .returning('key')
    .executeTakeFirst();
  return result !== undefined;
}

export async function updateTopic(db: Db, key: string, set: { labels: string; active: number }): Promise<boolean> {
  const result = await db.updateTable('mailingTopics').set(set).where('key', '=', key).executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

/** Confirmed subscribers per topic key. */
export async function confirmedCounts(db: Db): Promise<Map<string, number>> {
  const rows = await db
    .selectFrom('mailingSubscriberTopics')
    .innerJoin('mailingSubscribers', 'mailingSubscribers.id', 'mailingSubscriberTopics.subscriberId')
    .where('mailingSubscribers.status', '=', 'confirmed')
    .select(['mailingSubscriberTopics.topicKey as key', (eb) => eb.fn.countAll().as('count')])
    .groupBy('mailingSubscriberTopics.topicKey')
    .execute();
  return new Map(rows.map((r) => [r.key, Number(r.count)]));
}
