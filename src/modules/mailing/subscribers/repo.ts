import type { Db } from '../../../database.ts';
import type { MailingConsentRow, MailingSignupRow, MailingSubscriberRow, MailingWordingRow } from '../tables.ts';

const SUBSCRIBER = [
  'id', 'email', 'name', 'locale', 'status', 'createdAt', 'updatedAt', 'confirmedAt', 'unsubscribedAt',
  'requestTopics', 'requestLocale', 'requestName', 'requestWording', 'requestForm', 'requestNonce', 'requestSentAt', 'preferencesNonce',
] as const;

export async function insertWording(db: Db, row: MailingWordingRow): Promise<void> {
  await db.insertInto('mailingWordings').values(row).onConflict((oc) => oc.column('hash').doNothing()).execute();
}

export async function wordingLocale(db: Db, hash: string): Promise<string | undefined> {
  return (await db.selectFrom('mailingWordings').select('locale').where('hash', '=', hash).executeTakeFirst())?.locale;
}

export async function insertSignup(db: Db, row: MailingSignupRow): Promise<void> {
  await db.insertInto('mailingSignups').values(row).execute();
}

/** Takes a signup out of the inbox: undefined when another run already took it. */
export async function takeSignup(db: Db, id: string): Promise<MailingSignupRow | undefined> {
  const row = await db.selectFrom('mailingSignups').select(['id', 'email', 'name', 'locale', 'topics', 'wordingHash', 'form', 'createdAt']).where('id', '=', id).executeTakeFirst();
  if (!row) return undefined;
  const deleted = await db.deleteFrom('mailingSignups').where('id', '=', id).executeTakeFirst();
  return Number(deleted.numDeletedRows) > 0 ? row : undefined;
}

/** Inserts a pending subscriber unless the address is already on the list; answers the row either way. */
export async function ensureSubscriber(db: Db, row: Pick<MailingSubscriberRow, 'id' | 'email' | 'name' | 'locale' | 'createdAt' | 'preferencesNonce'>): Promise<MailingSubscriberRow> {
  await db
    .insertInto('mailingSubscribers')
    .values({ ...row, status: 'pending', updatedAt: row.createdAt, confirmedAt: null, unsubscribedAt: null, requestTopics: null, requestLocale: null, requestName: null, requestWording: null, requestForm: null, requestNonce: null, requestSentAt: null })
    .onConflict((oc) => oc.column('email').doNothing())
    .execute();
  return db.selectFrom('mailingSubscribers').select(SUBSCRIBER).where('email', '=', row.email).executeTakeFirstOrThrow();
}

export async function findSubscriber(db: Db, id: string): Promise<MailingSubscriberRow | undefined> {
  return db.selectFrom('mailingSubscribers').select(SUBSCRIBER).where('id', '=', id).executeTakeFirst();
}

export type Request = { topics: string; locale: string; name: string; wording: string; form: string; nonce: string; sentAt: string };

/**
 * Records a request on a subscriber unless one was sent within `since`: one atomic statement,
 * so of requests arriving together exactly one wins. True when this one was recorded.
 */
export async function recordRequest(db: Db, id: string, request: Request, since: string): Promise<boolean> {
  const result = await db
    .updateTable('mailingSubscribers')
    .set({
      requestTopics: request.topics,
      requestLocale: request.locale,
      requestName: request.name,
      requestWording: request.wording,
      requestForm: request.form,
      requestNonce: request.nonce,
      requestSentAt: request.sentAt,
      updatedAt: request.sentAt,
    })
    .where('id', '=', id)
    .where((eb) => eb.or([eb('requestSentAt', 'is', null), eb('requestSentAt', '<=', since)]))
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

/** Applies the request whose nonce is `nonce`, once: false when it was already used or replaced. */
export async function applyRequest(db: Db, row: MailingSubscriberRow, nonce: string, now: string): Promise<boolean> {
  const result = await db
    .updateTable('mailingSubscribers')
    .set({
      status: 'confirmed',
      confirmedAt: row.confirmedAt ?? now,
      unsubscribedAt: null,
      locale: row.requestLocale ?? row.locale,
      name: row.requestName ?? row.name,
      updatedAt: now,
      requestTopics: null,
      requestLocale: null,
      requestName: null,
      requestWording: null,
      requestForm: null,
      requestNonce: null,
    })
    .where('id', '=', row.id)
    .where('requestNonce', '=', nonce)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

export async function replaceTopics(db: Db, subscriberId: string, topics: readonly string[]): Promise<void> {
  await db.deleteFrom('mailingSubscriberTopics').where('subscriberId', '=', subscriberId).execute();
  if (topics.length > 0) await db.insertInto('mailingSubscriberTopics').values(topics.map((topicKey) => ({ subscriberId, topicKey }))).execute();
}

export async function subscriberTopics(db: Db, subscriberId: string): Promise<string[]> {
  return (await db.selectFrom('mailingSubscriberTopics').select('topicKey').where('subscriberId', '=', subscriberId).orderBy('topicKey').execute()).map((r) => r.topicKey);
}

export async function insertConsent(db: Db, row: MailingConsentRow): Promise<void> {
  await db.insertInto('mailingConsents').values(row).execute();
}

export async function consentsOf(db: Db, subscriberId: string): Promise<(MailingConsentRow & { wording: string })[]> {
  return db
    .selectFrom('mailingConsents')
    .innerJoin('mailingWordings', 'mailingWordings.hash', 'mailingConsents.wordingHash')
    .select(['mailingConsents.id', 'subscriberId', 'givenAt', 'form', 'wordingHash', 'topics', 'mailingConsents.locale', 'mailingWordings.text as wording'])
    .where('subscriberId', '=', subscriberId)
    .orderBy('givenAt')
    .execute();
}

/** Deletes subscriptions never confirmed and untouched since `before`; answers how many. */
export async function deletePending(db: Db, before: string): Promise<number> {
  const result = await db.deleteFrom('mailingSubscribers').where('status', '=', 'pending').where('updatedAt', '<', before).executeTakeFirst();
  return Number(result.numDeletedRows);
}

/** Forgets requests whose links have expired (their topics and name were never agreed to). */
export async function clearExpiredRequests(db: Db, sentBefore: string): Promise<void> {
  await db
    .updateTable('mailingSubscribers')
    .set({ requestTopics: null, requestLocale: null, requestName: null, requestWording: null, requestForm: null, requestNonce: null })
    .where('requestNonce', 'is not', null)
    .where('requestSentAt', '<', sentBefore)
    .execute();
}
