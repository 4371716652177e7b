import type { Db } from '../../../database.ts';
import type { RequestStatus, TrainingRequestNoteRow, TrainingRequestRow } from '../tables.ts';

export async function insertRequest(trx: Db, row: TrainingRequestRow): Promise<void> {
  await trx.insertInto('trainingRequests').values(row).execute();
}

export async function findRequest(db: Db, id: string): Promise<TrainingRequestRow | undefined> {
  return db.selectFrom('trainingRequests').selectAll().where('id', '=', id).executeTakeFirst();
}

export type RequestListFilter = { statuses?: readonly RequestStatus[]; touchedBefore?: string };

export type RequestListRow = Pick<TrainingRequestRow, 'id' | 'reference' | 'status' | 'organization' | 'sector' | 'city' | 'format' | 'createdAt' | 'touchedAt' | 'trainerId'> & {
  trainerName: string | null;
};

/** The queue, oldest first: the request that has waited longest is the first to act on. */
export async function listRequests(db: Db, filter: RequestListFilter, limit = 200): Promise<RequestListRow[]> {
  let q = db
    .selectFrom('trainingRequests')
    .leftJoin('accounts', 'accounts.id', 'trainingRequests.trainerId')
    .select([
      'trainingRequests.id',
      'trainingRequests.reference',
      'trainingRequests.status',
      'trainingRequests.organization',
      'trainingRequests.sector',
      'trainingRequests.city',
      'trainingRequests.format',
      'trainingRequests.createdAt',
      'trainingRequests.touchedAt',
      'trainingRequests.trainerId',
      'accounts.displayName as trainerName',
    ]);
  if (filter.statuses) q = q.where('trainingRequests.status', 'in', filter.statuses);
  if (filter.touchedBefore) q = q.where('trainingRequests.touchedAt', '<=', filter.touchedBefore);
  return q.orderBy('trainingRequests.createdAt').orderBy('trainingRequests.id').limit(limit).execute();
}

export async function countRequests(db: Db, filter: RequestListFilter): Promise<number> {
  let q = db.selectFrom('trainingRequests').select((eb) => eb.fn.countAll<number | string>().as('n'));
  if (filter.statuses) q = q.where('status', 'in', filter.statuses);
  if (filter.touchedBefore) q = q.where('touchedAt', '<=', filter.touchedBefore);
  return Number((await q.executeTakeFirstOrThrow()).n);
}

/**
 * Moves a request from `from` to `to`, only if it is still in `from`: two people acting at
 * once cannot both move it. True when this call moved it.
 */
export async function moveRequest(trx: Db, id: string, from: RequestStatus, set: { status: RequestStatus; declineReason?: string; touchedAt: string }): Promise<boolean> {
  const result = await trx.updateTable('trainingRequests').set(set).where('id', '=', id).where('status', '=', from).executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

export async function updateRequest(trx: Db, id: string, set: Partial<Pick<TrainingRequestRow, 'trainerId' | 'eventId' | 'touchedAt'>>): Promise<void> {
  await trx.updateTable('trainingRequests').set(set).where('id', '=', id).execute();
}

/** Sets the request's event unless another conversion got there first. True when this one did. */
export async function claimConversion(trx: Db, id: string, eventId: string, touchedAt: string): Promise<boolean> {
  const result = await trx.updateTable('trainingRequests').set({ eventId, touchedAt }).where('id', '=', id).where('eventId', 'is', null).executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

export async function insertNote(trx: Db, row: TrainingRequestNoteRow): Promise<void> {
  await trx.insertInto('trainingRequestNotes').values(row).execute();
}

export async function notesOf(db: Db, requestId: string): Promise<TrainingRequestNoteRow[]> {
  return db.selectFrom('trainingRequestNotes').selectAll().where('requestId', '=', requestId).orderBy('createdAt').orderBy('id').execute();
}
