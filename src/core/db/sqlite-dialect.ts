import { type Kysely, type MigrationLockOptions, SqliteAdapter, SqliteDialect, sql } from 'kysely';
import { QUERY_BUSY_MS } from './sqlite-driver.ts';

/** How long a second process waits for the first one's migrations before giving up. */
const MIGRATION_BUSY_MS = 10 * 60_000;

/**
 * Kysely's SQLite adapter takes no migration lock: it assumes one connection, which holds within
 * a process but not for two processes opening the same file (two app instances started
 * together, or the app and `heatwatch migrate`). Both would read "pending", and the second would
 * run the same migrations again and fail half-way. This adapter takes SQLite's write lock for the
 * whole run (BEGIN IMMEDIATE, waiting for another process's run to end), so the second process
 * reads the bookkeeping only after the first has committed and finds nothing left to do. The
 * migrations run inside that transaction: SQLite's DDL is transactional.
 */
class LockingSqliteAdapter extends SqliteAdapter {
  override async acquireMigrationLock(db: Kysely<any>, _options: MigrationLockOptions): Promise<void> {
    await sql.raw(`pragma busy_timeout = ${MIGRATION_BUSY_MS}`).execute(db);
    await sql`begin immediate`.execute(db);
  }

  override async releaseMigrationLock(db: Kysely<any>, _options: MigrationLockOptions): Promise<void> {
    try {
      // A failed migration ends the run here too; what ran before it stays, as without the lock.
      await sql`commit`.execute(db);
    } finally {
      await sql.raw(`pragma busy_timeout = ${QUERY_BUSY_MS}`).execute(db);
    }
  }
}

/** Kysely's SQLite dialect with a migration lock that holds across processes. */
export class LockingSqliteDialect extends SqliteDialect {
  override createAdapter(): SqliteAdapter {
    return new LockingSqliteAdapter();
  }
}
