import type { Db } from '../../../database.ts';
import type { EventRow } from '../tables.ts';

export async function insertEvent(trx: Db, row: EventRow): Promise<void> {
  await trx.insertInto('events').values(row).execute();
}

export async function findEvent(db: Db, id: string): Promise<EventRow | undefined> {
  return db.selectFrom('events').selectAll().where('id', '=', id).executeTakeFirst();
}
