import type { OutboxRow } from '../../core/mail/outbox.ts';
import type { Db } from '../../database.ts';

export type OutboxSummary = Pick<OutboxRow, 'id' | 'toAddress' | 'subject' | 'state' | 'attempts' | 'lastError' | 'createdAt' | 'sentAt'>;

/** A page of messages, newest first, without their bodies. */
export async function listOutbox(db: Db, page: { offset: number; limit: number }): Promise<OutboxSummary[]> {
  return db
    .selectFrom('outbox')
    .select(['id', 'toAddress', 'subject', 'state', 'attempts', 'lastError', 'createdAt', 'sentAt'])
    .orderBy('createdAt', 'desc')
    .orderBy('id', 'desc')
    .offset(page.offset)
    .limit(page.limit)
    .execute();
}

export async function countOutbox(db: Db): Promise<number> {
  const row = await db.selectFrom('outbox').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  return Number(row.n);
}

export async function findOutboxMessage(db: Db, id: string): Promise<OutboxRow | undefined> {
  return db
    .selectFrom('outbox')
    .select(['id', 'toAddress', 'subject', 'textBody', 'htmlBody', 'template', 'state', 'attempts', 'lastError', 'messageId', 'createdAt', 'sentAt', 'bearer'])
    .where('id', '=', id)
    .executeTakeFirst();
}

/** Messages that failed for good or are waiting to retry after an error. */
export async function countUndelivered(db: Db): Promise<number> {
  const row = await db
    .selectFrom('outbox')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where((eb) => eb.or([eb('state', '=', 'failed'), eb.and([eb('state', '=', 'queued'), eb('lastError', 'is not', null)])]))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}
