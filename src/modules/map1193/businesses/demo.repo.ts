import type { Db } from '../../../database.ts';

/** The source the demo businesses carry. Setup runs before any administrator can import, so nothing else has it yet. */
export const DEMO_SOURCE = 'demo';

/**
 * Deletes every business of the demo source; their reports, photos, status history, cases and
 * day-of-action stops go with them (the foreign keys cascade). Returns how many businesses went.
 */
export async function deleteDemoBusinesses(db: Db): Promise<number> {
  const result = await db.deleteFrom('mapBusinesses').where('source', '=', DEMO_SOURCE).executeTakeFirst();
  return Number(result.numDeletedRows);
}
