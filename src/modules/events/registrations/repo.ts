import type { Db } from '../../../database.ts';
import type { EventRow, ParticipantStatus, RegistrationRow } from '../tables.ts';
import { HOLDS_SEAT } from './statuses.ts';

/**
 * The next arrival number for an event. The update takes the event row's write lock (on
 * PostgreSQL a row lock, on SQLite the database's), held until the transaction ends, so
 * registrations for one event are decided one after another.
 */
export async function takePosition(trx: Db, eventId: string): Promise<number | undefined> {
  const row = await trx.updateTable('events').set((eb) => ({ lastPosition: eb('lastPosition', '+', 1) })).where('id', '=', eventId).returning('lastPosition').executeTakeFirst();
  return row?.lastPosition;
}

export async function seatsTaken(db: Db, eventId: string): Promise<number> {
  const row = await db.selectFrom('eventRegistrations').select((eb) => eb.fn.countAll<number | string>().as('n')).where('eventId', '=', eventId).where('status', 'in', HOLDS_SEAT).executeTakeFirstOrThrow();
  return Number(row.n);
}

export async function insertRegistration(trx: Db, row: RegistrationRow): Promise<void> {
  await trx.insertInto('eventRegistrations').values(row).execute();
}

export async function findByCancelHash(db: Db, cancelHash: string): Promise<RegistrationRow | undefined> {
  return db.selectFrom('eventRegistrations').selectAll().where('cancelHash', '=', cancelHash).executeTakeFirst();
}

/** Changes a registration's status only if it is still `from`; true when this call changed it. */
export async function changeStatus(trx: Db, id: string, from: ParticipantStatus, set: { status: ParticipantStatus; updatedAt: string; offerExpiresAt?: string | null }): Promise<boolean> {
  const result = await trx.updateTable('eventRegistrations').set(set).where('id', '=', id).where('status', '=', from).executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

export async function registrationsOf(db: Db, eventId: string): Promise<RegistrationRow[]> {
  return db.selectFrom('eventRegistrations').selectAll().where('eventId', '=', eventId).orderBy('position').execute();
}

export async function publicEvent(db: Db, id: string): Promise<EventRow | undefined> {
  return db.selectFrom('events').selectAll().where('id', '=', id).where('status', 'in', ['published', 'cancelled']).executeTakeFirst();
}

export async function upcomingListed(db: Db, now: string, limit: number): Promise<EventRow[]> {
  return db.selectFrom('events').selectAll().where('status', '=', 'published').where('listed', '=', 1).where('endsAt', '>', now).orderBy('startsAt').orderBy('id').limit(limit).execute();
}
