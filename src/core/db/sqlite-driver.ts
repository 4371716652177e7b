import { DatabaseSync, type SQLInputValue, type StatementSync } from 'node:sqlite';
import type { SqliteDatabase, SqliteStatement } from 'kysely';

/** node:sqlite binds neither booleans nor Dates; store them the way the PostgreSQL side sees them. */
function toSqliteValue(value: unknown): SQLInputValue {
  if (typeof value === 'boolean') return value ? 1 : 0;
  if (value instanceof Date) return value.toISOString();
  if (value === undefined) return null;
  return value as SQLInputValue;
}

function bind(parameters: ReadonlyArray<unknown>): SQLInputValue[] {
  return parameters.map(toSqliteValue);
}

class NodeSqliteStatement implements SqliteStatement {
  readonly reader: boolean;
  readonly #statement: StatementSync;

  constructor(statement: StatementSync) {
    this.#statement = statement;
    this.reader = statement.columns().length > 0;
  }

  all(parameters: ReadonlyArray<unknown>): unknown[] {
    return this.#statement.all(...bind(parameters));
  }

  run(parameters: ReadonlyArray<unknown>) {
    const result = this.#statement.run(...bind(parameters));
    return { changes: result.changes, lastInsertRowid: result.lastInsertRowid };
  }

  iterate(parameters: ReadonlyArray<unknown>): IterableIterator<unknown> {
    return this.#statement.iterate(...bind(parameters)) as IterableIterator<unknown>;
  }
}

/** How long a query waits for another process's write lock (migrations wait longer). */
export const QUERY_BUSY_MS = 5_000;

/** Enough for every query the app writes; SQL built with inlined values (rare) only cycles through. */
const MAX_KEPT_STATEMENTS = 500;

/** Adapts node:sqlite to the better-sqlite3 shape that Kysely's SqliteDialect drives. */
export function openNodeSqlite(filename: string): SqliteDatabase & { raw: DatabaseSync } {
  const raw = new DatabaseSync(filename, { timeout: QUERY_BUSY_MS, enableForeignKeyConstraints: true });
  // WAL lets readers proceed during a write; FULL keeps a committed tip on disk across a power cut.
  // secure_delete overwrites what a delete frees with zeros, so a deleted tip's keys and text do
  // not stay readable in free pages of the file.
  raw.exec('PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON; PRAGMA secure_delete = ON;');
  // Kysely prepares every query it runs; the app runs a few hundred distinct SQL texts, so each is
  // compiled once and kept (SQLite re-prepares a kept statement by itself after a schema change).
  // Kysely holds the one connection for a whole query, a stream included, so no statement is used
  // by two queries at once.
  const statements = new Map<string, NodeSqliteStatement>();
  return {
    raw,
    prepare(sql: string) {
      let statement = statements.get(sql);
      if (!statement) {
        if (statements.size >= MAX_KEPT_STATEMENTS) statements.delete(statements.keys().next().value!);
        statement = new NodeSqliteStatement(raw.prepare(sql));
        statements.set(sql, statement);
      }
      return statement;
    },
    close: () => raw.close(),
  };
}
