import type { Db } from '../../database.ts';
import type { SessionRow, SessionState } from './tables.ts';

/** Every query on the sessions table: the session manager and the accounts service use these. */
export const sessionStore = {
  async insert(trx: Db, row: SessionRow): Promise<void> {
    await trx.insertInto('sessions').values(row).execute();
  },

  /** What a request needs of its session, and the key box it opens: explicit columns. */
  findState(db: Db, idHash: string): Promise<(SessionState & Pick<SessionRow, 'keyBox'>) | undefined> {
    return db
      .selectFrom('sessions')
      .select(['idHash', 'accountId', 'createdAt', 'lastSeenAt', 'expiresAt', 'secondFactorAt', 'csrfSecret', 'device', 'keyBox'])
      .where('idHash', '=', idHash)
      .executeTakeFirst();
  },

  find(db: Db, idHash: string): Promise<SessionRow | undefined> {
    return db.selectFrom('sessions').selectAll().where('idHash', '=', idHash).executeTakeFirst();
  },

  async update(db: Db, idHash: string, patch: Partial<Omit<SessionRow, 'idHash' | 'accountId'>>): Promise<void> {
    await db.updateTable('sessions').set(patch).where('idHash', '=', idHash).execute();
  },

  /** Deletes one session; true when it existed (so a double sign-out is not audited twice). */
  async delete(db: Db, idHash: string): Promise<boolean> {
    const result = await db.deleteFrom('sessions').where('idHash', '=', idHash).executeTakeFirst();
    return Number(result.numDeletedRows) > 0;
  },

  /** Deletes one of an account's sessions by its hash; a hash of another account's session does nothing. */
  async deleteOwn(db: Db, accountId: string, idHash: string): Promise<boolean> {
    const result = await db.deleteFrom('sessions').where('idHash', '=', idHash).where('accountId', '=', accountId).executeTakeFirst();
    return Number(result.numDeletedRows) > 0;
  },

  async deleteAllOf(db: Db, accountId: string, exceptIdHash?: string): Promise<number> {
    let query = db.deleteFrom('sessions').where('accountId', '=', accountId);
    if (exceptIdHash) query = query.where('idHash', '!=', exceptIdHash);
    const result = await query.executeTakeFirst();
    return Number(result.numDeletedRows);
  },

  listOf(db: Db, accountId: string): Promise<SessionRow[]> {
    return db.selectFrom('sessions').selectAll().where('accountId', '=', accountId).orderBy('lastSeenAt', 'desc').execute();
  },

  async deleteExpired(db: Db, nowIso: string, idleBeforeIso: string): Promise<number> {
    const result = await db
      .deleteFrom('sessions')
      .where((eb) => eb.or([eb('expiresAt', '<=', nowIso), eb('lastSeenAt', '<=', idleBeforeIso)]))
      .executeTakeFirst();
    return Number(result.numDeletedRows);
  },

  /** Clears the session's WebAuthn challenge if it is still `expected`: each challenge is answered once. */
  async takeWebauthnChallenge(db: Db, idHash: string, expected: string): Promise<boolean> {
    const result = await db.updateTable('sessions').set({ webauthnChallenge: null }).where('idHash', '=', idHash).where('webauthnChallenge', '=', expected).executeTakeFirst();
    return Number(result.numUpdatedRows) === 1;
  },
};
