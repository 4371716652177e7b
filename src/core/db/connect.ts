import fs from 'node:fs';
import path from 'node:path';
import { CamelCasePlugin, Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import { LockingSqliteDialect } from './sqlite-dialect.ts';
import { openNodeSqlite } from './sqlite-driver.ts';

export type DialectName = 'sqlite' | 'postgres';

export type DatabaseHandle<DB> = {
  db: Kysely<DB>;
  dialect: DialectName;
  /** Absolute file path for SQLite, undefined for PostgreSQL. */
  file: string | undefined;
  /** PostgreSQL schema when not the default search path. */
  schema: string | undefined;
  destroy(): Promise<void>;
};

// COUNT(*) and BIGINT come back from pg as strings; every count we take fits a JS number.
pg.types.setTypeParser(pg.types.builtins.INT8, (v) => Number.parseInt(v, 10));

export type ConnectOptions = {
  /** Relative sqlite: paths resolve against this folder. */
  rootDir: string;
  /** PostgreSQL search_path, used by tests to give each run its own schema. */
  schema?: string;
  poolSize?: number;
};

/** Opens a Kysely handle for `sqlite:<file>` or `postgres://…`. */
export function connectDatabase<DB>(url: string, options: ConnectOptions): DatabaseHandle<DB> {
  const plugins = [new CamelCasePlugin()];
  if (url.startsWith('sqlite:')) {
    const name = url.slice('sqlite:'.length);
    const file = name === ':memory:' ? name : path.resolve(options.rootDir, name);
    if (file !== ':memory:') fs.mkdirSync(path.dirname(file), { recursive: true });
    const db = new Kysely<DB>({ dialect: new LockingSqliteDialect({ database: openNodeSqlite(file) }), plugins });
    return { db, dialect: 'sqlite', file: file === ':memory:' ? undefined : file, schema: undefined, destroy: () => db.destroy() };
  }
  const pool = new pg.Pool({
    connectionString: url,
    max: options.poolSize ?? 10,
    ...(options.schema ? { options: `-c search_path=${options.schema}` } : {}),
  });
  const db = new Kysely<DB>({ dialect: new PostgresDialect({ pool }), plugins });
  return { db, dialect: 'postgres', file: undefined, schema: options.schema, destroy: () => db.destroy() };
}
