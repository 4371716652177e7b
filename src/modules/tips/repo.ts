import { sql } from 'kysely';
import type { Db } from '../../database.ts';
import type { QueueQuery } from './schema.ts';
import type { AttachmentRow, ContactGrantRow, GrantRow, HolderType, MessageRow, NoteRow, TipRow, TipSummary } from './tables.ts';

const SUMMARY = [
  'id',
  'kind',
  'urgent',
  'minor',
  'language',
  'status',
  'referredTo',
  'disposition',
  'assigneeId',
  'duplicateOf',
  'receivedAt',
  'firstReviewedAt',
  'closedAt',
  'tipsterWaiting',
  'spamFlaggedAt',
] as const;

// Tips

/** Inserts a tip unless its submission key is already stored; true when it was inserted. */
export async function insertTip(trx: Db, row: TipRow): Promise<boolean> {
  const result = await trx.insertInto('tips').values(row).onConflict((oc) => oc.column('submissionKey').doNothing()).executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows ?? 0) === 1;
}

export async function submissionExists(db: Db, submissionKey: string): Promise<boolean> {
  return (await db.selectFrom('tips').select('id').where('submissionKey', '=', submissionKey).executeTakeFirst()) !== undefined;
}

export async function findTip(db: Db, id: string): Promise<TipRow | undefined> {
  return db.selectFrom('tips').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function findTipByLookup(db: Db, lookup: string): Promise<TipRow | undefined> {
  return db.selectFrom('tips').selectAll().where('receiptLookup', '=', lookup).executeTakeFirst();
}

/** A tip by its full id or by the short reference staff read on screen (its first 8 characters). */
export async function findTipIdByReference(db: Db, reference: string): Promise<string | undefined> {
  const exact = await db.selectFrom('tips').select('id').where('id', '=', reference).executeTakeFirst();
  if (exact) return exact.id;
  if (reference.length !== 8) return undefined;
  const rows = await db.selectFrom('tips').select('id').where(sql<string>`substr(id, 1, 8)`, '=', reference).limit(2).execute();
  return rows.length === 1 ? rows[0]!.id : undefined;
}

export async function updateTip(trx: Db, id: string, patch: Partial<TipRow>): Promise<void> {
  await trx.updateTable('tips').set(patch).where('id', '=', id).execute();
}

/** Changes the status only if it is still `from`: two reviewers acting at once cannot both win. */
export async function updateStatus(trx: Db, id: string, from: string, patch: Partial<TipRow>): Promise<boolean> {
  const result = await trx.updateTable('tips').set(patch).where('id', '=', id).where('status', '=', from as TipRow['status']).executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/** The next message number of a tip, taken atomically (the update also locks the row on PostgreSQL). */
export async function nextMessageSeq(trx: Db, tipId: string): Promise<number> {
  const row = await trx
    .updateTable('tips')
    .set((eb) => ({ messageCount: eb('messageCount', '+', 1) }))
    .where('id', '=', tipId)
    .returning('messageCount')
    .executeTakeFirstOrThrow();
  return Number(row.messageCount);
}

export type FollowUpQuota = { messages: number; bytes: number };

/**
 * Counts one follow-up message of `bytes` against today's quota of a tip, only if it fits:
 * one conditional update, so parallel posts cannot pass the limit together (PostgreSQL
 * re-checks the condition on the locked row; SQLite runs one writer at a time). True when counted.
 */
export async function countFollowUp(trx: Db, tipId: string, day: string, bytes: number, quota: FollowUpQuota): Promise<boolean> {
  if (bytes > quota.bytes) return false;
  const sameDay = sql<boolean>`quota_day = ${day}`;
  const result = await trx
    .updateTable('tips')
    .set({
      quotaDay: day,
      quotaMessages: sql<number>`case when ${sameDay} then quota_messages + 1 else 1 end`,
      quotaBytes: sql<number>`case when ${sameDay} then quota_bytes + ${bytes} else ${bytes} end`,
    })
    .where('id', '=', tipId)
    .where((eb) =>
      eb.or([
        eb('quotaDay', 'is', null),
        eb('quotaDay', '!=', day),
        eb.and([eb('quotaMessages', '<', quota.messages), eb(sql<number>`quota_bytes + ${bytes}`, '<=', quota.bytes)]),
      ]),
    )
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

export type QueuePage = { rows: TipSummary[]; total: number };

/** The staff queue: urgent open tips first, then newest; metadata only. */
export async function listQueue(db: Db, query: QueueQuery, pageSize: number): Promise<QueuePage> {
  let base = db.selectFrom('tips');
  if (query.status === 'open') base = base.where('status', '!=', 'closed');
  else if (query.status !== 'all') base = base.where('status', '=', query.status);
  if (query.kind) base = base.where('kind', '=', query.kind);
  if (query.language) base = base.where('language', '=', query.language);
  if (query.urgent) base = base.where('urgent', '=', 1);
  if (query.assignee === 'none') base = base.where('assigneeId', 'is', null);
  else if (query.assignee) base = base.where('assigneeId', '=', query.assignee);
  const totalRow = await base.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  const rows = await base
    .select(SUMMARY)
    .orderBy(sql`case when urgent = 1 and status <> 'closed' then 0 else 1 end`)
    .orderBy('receivedAt', 'desc')
    .orderBy('id')
    .limit(pageSize)
    .offset((query.page - 1) * pageSize)
    .execute();
  return { rows, total: Number(totalRow.n) };
}

export async function countTips(db: Db, where: { status?: 'new' | 'open'; urgent?: boolean }): Promise<number> {
  let query = db.selectFrom('tips').select((eb) => eb.fn.countAll<number>().as('n'));
  if (where.status === 'new') query = query.where('status', '=', 'new');
  if (where.status === 'open') query = query.where('status', '!=', 'closed');
  if (where.urgent) query = query.where('urgent', '=', 1);
  return Number((await query.executeTakeFirstOrThrow()).n);
}

/** Every tip's metadata for statistics: no boxes, no ids. */
export async function statsRows(db: Db, sinceIso: string) {
  return db.selectFrom('tips').select(['kind', 'receivedAt', 'firstReviewedAt']).where('receivedAt', '>=', sinceIso).execute();
}

export async function allTipIds(db: Db): Promise<string[]> {
  return (await db.selectFrom('tips').select('id').orderBy('id').execute()).map((r) => r.id);
}

// Retention

/** Closed tips whose retention ends before `beforeIso`. */
export async function closedBefore(db: Db, beforeIso: string): Promise<{ id: string; closedAt: string }[]> {
  return db
    .selectFrom('tips')
    .select(['id', 'closedAt'])
    .where('status', '=', 'closed')
    .where('closedAt', 'is not', null)
    .where('closedAt', '<', beforeIso)
    .orderBy('closedAt')
    .execute() as Promise<{ id: string; closedAt: string }[]>;
}

/** Deletes a tip and everything under it: grants (its keys), messages, notes, files. */
export async function deleteTip(trx: Db, id: string): Promise<void> {
  await trx.deleteFrom('tipAttachments').where('tipId', '=', id).execute();
  await trx.deleteFrom('tipNotes').where('tipId', '=', id).execute();
  await trx.deleteFrom('tipMessages').where('tipId', '=', id).execute();
  await trx.deleteFrom('tipGrants').where('tipId', '=', id).execute();
  await trx.deleteFrom('tipContactGrants').where('tipId', '=', id).execute();
  await trx.updateTable('tips').set({ duplicateOf: null }).where('duplicateOf', '=', id).execute();
  await trx.deleteFrom('tips').where('id', '=', id).execute();
}

/** Tips a reviewer flagged as spam, oldest flag first: metadata only, for an administrator. */
export async function spamFlagged(db: Db): Promise<TipSummary[]> {
  return db.selectFrom('tips').select(SUMMARY).where('spamFlaggedAt', 'is not', null).orderBy('spamFlaggedAt').orderBy('id').execute();
}

// Grants

export async function insertGrants(trx: Db, rows: GrantRow[]): Promise<void> {
  if (rows.length) await trx.insertInto('tipGrants').values(rows).execute();
}

export async function insertContactGrants(trx: Db, rows: ContactGrantRow[]): Promise<void> {
  if (rows.length) await trx.insertInto('tipContactGrants').values(rows).execute();
}

export async function findContactGrant(db: Db, tipId: string, holderType: HolderType, holderId: string): Promise<ContactGrantRow | undefined> {
  return db.selectFrom('tipContactGrants').selectAll().where('tipId', '=', tipId).where('holderType', '=', holderType).where('holderId', '=', holderId).executeTakeFirst();
}

/** Whether a tip's contact details have a key of their own (tips stored before they did have none). */
export async function hasContactGrants(db: Db, tipId: string): Promise<boolean> {
  return (await db.selectFrom('tipContactGrants').select('tipId').where('tipId', '=', tipId).limit(1).executeTakeFirst()) !== undefined;
}

/** Deletes every tip key sealed to an account; answers how many. */
export async function deleteAccountGrants(trx: Db, accountId: string): Promise<number> {
  const result = await trx.deleteFrom('tipGrants').where('holderType', '=', 'account').where('holderId', '=', accountId).executeTakeFirst();
  return Number(result.numDeletedRows);
}

/** Deletes every contact key sealed to an account; answers how many. */
export async function deleteAccountContactGrants(trx: Db, accountId: string): Promise<number> {
  const result = await trx.deleteFrom('tipContactGrants').where('holderType', '=', 'account').where('holderId', '=', accountId).executeTakeFirst();
  return Number(result.numDeletedRows);
}

/** Adds or replaces one holder's sealed key (a re-grant after the holder's keys changed). */
export async function upsertGrant(trx: Db, row: GrantRow): Promise<void> {
  await trx
    .insertInto('tipGrants')
    .values(row)
    .onConflict((oc) =>
      oc.columns(['tipId', 'holderType', 'holderId']).doUpdateSet({ sealedKey: row.sealedKey, holderKey: row.holderKey, grantedBy: row.grantedBy, grantedAt: row.grantedAt }),
    )
    .execute();
}

export async function findGrant(db: Db, tipId: string, holderType: HolderType, holderId: string): Promise<GrantRow | undefined> {
  return db.selectFrom('tipGrants').selectAll().where('tipId', '=', tipId).where('holderType', '=', holderType).where('holderId', '=', holderId).executeTakeFirst();
}

export async function grantsOfTip(db: Db, tipId: string): Promise<GrantRow[]> {
  return db.selectFrom('tipGrants').selectAll().where('tipId', '=', tipId).execute();
}

export async function grantsOfHolder(db: Db, holderType: HolderType, holderId: string): Promise<GrantRow[]> {
  return db.selectFrom('tipGrants').selectAll().where('holderType', '=', holderType).where('holderId', '=', holderId).orderBy('tipId').execute();
}

/** Every account grant, without the sealed keys: for the access overview. */
export async function accountGrantKeys(db: Db): Promise<{ tipId: string; holderId: string; holderKey: string }[]> {
  return db.selectFrom('tipGrants').select(['tipId', 'holderId', 'holderKey']).where('holderType', '=', 'account').execute();
}

// Messages, notes, files

export async function insertMessage(trx: Db, row: MessageRow): Promise<void> {
  await trx.insertInto('tipMessages').values(row).execute();
}

export async function messagesOf(db: Db, tipId: string): Promise<MessageRow[]> {
  return db.selectFrom('tipMessages').selectAll().where('tipId', '=', tipId).orderBy('seq').execute();
}

export async function insertNote(trx: Db, row: NoteRow): Promise<void> {
  await trx.insertInto('tipNotes').values(row).execute();
}

export async function notesOf(db: Db, tipId: string): Promise<NoteRow[]> {
  return db.selectFrom('tipNotes').selectAll().where('tipId', '=', tipId).orderBy('at').orderBy('id').execute();
}

export async function insertAttachments(trx: Db, rows: AttachmentRow[]): Promise<void> {
  // One row per statement: a row can hold 13 MB of base64, more than one statement should carry.
  for (const row of rows) await trx.insertInto('tipAttachments').values(row).execute();
}

/** Files of a tip without their contents: the list on a page. */
export async function attachmentMetaOf(db: Db, tipId: string): Promise<Omit<AttachmentRow, 'dataBox'>[]> {
  return db.selectFrom('tipAttachments').select(['id', 'tipId', 'messageId', 'at', 'metaBox']).where('tipId', '=', tipId).orderBy('at').orderBy('id').execute();
}

export async function findAttachment(db: Db, tipId: string, id: string): Promise<AttachmentRow | undefined> {
  return db.selectFrom('tipAttachments').selectAll().where('tipId', '=', tipId).where('id', '=', id).executeTakeFirst();
}

// Notifications

export async function pendingNotifications(db: Db): Promise<{ id: string; urgent: number }[]> {
  return db.selectFrom('tips').select(['id', 'urgent']).where('notifyPending', '=', 1).execute();
}

/** Clears the pending flag of these tips; returns how many this call cleared (another process may have). */
export async function markNotified(trx: Db, ids: string[]): Promise<number> {
  if (ids.length === 0) return 0;
  const result = await trx.updateTable('tips').set({ notifyPending: 0 }).where('id', 'in', ids).where('notifyPending', '=', 1).executeTakeFirst();
  return Number(result.numUpdatedRows);
}

export async function lastNotice(db: Db, kind: string): Promise<string | undefined> {
  return (await db.selectFrom('tipNotices').select('sentAt').where('kind', '=', kind).executeTakeFirst())?.sentAt;
}

export async function setNotice(trx: Db, kind: string, sentAt: string): Promise<void> {
  await trx
    .insertInto('tipNotices')
    .values({ kind, sentAt })
    .onConflict((oc) => oc.column('kind').doUpdateSet({ sentAt }))
    .execute();
}

/** How many tips were stored with this arrival hour (an ISO time truncated to the hour). */
export async function countReceivedInHour(db: Db, hourIso: string): Promise<number> {
  const row = await db.selectFrom('tips').select((eb) => eb.fn.countAll<number | string>().as('n')).where('receivedAt', '=', hourIso).executeTakeFirst();
  return Number(row?.n ?? 0);
}
