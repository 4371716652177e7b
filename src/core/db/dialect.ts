import { type RawBuilder, type SelectQueryBuilder, sql } from 'kysely';
import type { Db } from '../../database.ts';
import type { DialectName } from './connect.ts';

/**
 * Locks the rows a select reads until its transaction ends, for `query.$call(forUpdate(dialect))`.
 * PostgreSQL takes row locks (`FOR UPDATE`, and with `skipLocked` passes over rows another
 * transaction holds instead of waiting for them). SQLite has neither row locks nor the syntax:
 * one process's transactions run one at a time on its single connection, and another process's
 * write over a snapshot that changed meanwhile is refused (SQLITE_BUSY), never interleaved.
 */
export function forUpdate(dialect: DialectName, options: { skipLocked?: boolean } = {}) {
  return <DB, TB extends keyof DB, O>(query: SelectQueryBuilder<DB, TB, O>): SelectQueryBuilder<DB, TB, O> => {
    if (dialect !== 'postgres') return query;
    const locked = query.forUpdate();
    return options.skipLocked ? locked.skipLocked() : locked;
  };
}

/**
 * `column LIKE pattern` where the text's `%`, `_` and `\` match themselves. The explicit ESCAPE
 * reads the same on SQLite and PostgreSQL; SQLite's LIKE ignores ASCII case and PostgreSQL's
 * does not, so callers compare text they have already lower-cased.
 */
export function likeText(column: string, text: string, match: 'contains' | 'prefix'): RawBuilder<boolean> {
  const escaped = text.replace(/[\\%_]/g, (c) => `\\${c}`);
  return sql<boolean>`${sql.ref(column)} like ${match === 'prefix' ? `${escaped}%` : `%${escaped}%`} escape '\\'`;
}

/**
 * After rows that held secrets were deleted, makes the database files stop holding them too.
 * SQLite (with `secure_delete` on, set at connect) has zeroed the freed pages in the WAL;
 * a TRUNCATE checkpoint copies them over the main file and empties the WAL, where the rows'
 * earlier versions were. PostgreSQL keeps deleted row versions in the table's pages (and in
 * its WAL) until they are reused: `VACUUM FULL` writes each table afresh without them. It
 * locks the table while it runs and cannot run in a transaction, so it is for small tables.
 * Neither reaches WAL archives or backups already taken.
 */
export async function rewriteAfterErase(db: Db, dialect: DialectName, tables: string[]): Promise<void> {
  if (dialect === 'sqlite') {
    await sql`pragma wal_checkpoint(truncate)`.execute(db);
    return;
  }
  for (const table of tables) await sql`vacuum full ${sql.table(table)}`.execute(db);
}
