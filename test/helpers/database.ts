import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { connectDatabase, type DatabaseHandle } from '../../src/core/db/connect.ts';
import { migrateToLatest } from '../../src/core/db/migrate.ts';
import type { Database } from '../../src/database.ts';

export type TestDatabase = {
  handle: DatabaseHandle<Database>;
  /** Folder private to this database: the SQLite file, DATA_DIR for the app. */
  dir: string;
  close(): Promise<void>;
};

export const testDialect = (): 'sqlite' | 'postgres' =>
  process.env.HEATWATCH_TEST_DB === 'postgres' ? 'postgres' : 'sqlite';

/** Why the PostgreSQL suite cannot run, or undefined when it can. */
export function postgresUnavailable(): string | undefined {
  if (testDialect() !== 'postgres') return undefined;
  return process.env.TEST_DATABASE_URL ? undefined : 'TEST_DATABASE_URL is not set';
}

/**
 * A migrated database of its own for one test file: a fresh SQLite file in a temporary folder,
 * or a fresh schema in TEST_DATABASE_URL that is dropped afterwards.
 */
/** Any fixed number: the advisory lock that keeps schema drops out of running migrations. */
const SCHEMA_DROP_LOCK = 5_201_193;

export async function createTestDatabase(): Promise<TestDatabase> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'heatwatch-test-'));
  if (testDialect() === 'sqlite') {
    const handle = connectDatabase<Database>(`sqlite:${path.join(dir, 'heatwatch.db')}`, { rootDir: dir });
    await migrateToLatest(handle.db);
    return {
      handle,
      dir,
      close: async () => {
        await handle.destroy();
        fs.rmSync(dir, { recursive: true, force: true });
      },
    };
  }
  const url = process.env.TEST_DATABASE_URL;
  if (!url) throw new Error('TEST_DATABASE_URL is not set');
  const schema = `hw_test_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  await admin.query(`create schema ${schema}`);
  // Kysely's migrator lists the tables of every schema it may use, and that query fails when a
  // parallel test file drops its schema in the middle of it: migrations share a lock that a drop
  // takes alone.
  await admin.query('select pg_advisory_lock_shared($1)', [SCHEMA_DROP_LOCK]);
  let handle: ReturnType<typeof connectDatabase<Database>>;
  try {
    handle = connectDatabase<Database>(url, { rootDir: dir, schema, poolSize: 5 });
    await migrateToLatest(handle.db, { schema });
  } finally {
    await admin.end();
  }
  return {
    handle,
    dir,
    close: async () => {
      await handle.destroy();
      const cleanup = new pg.Client({ connectionString: url });
      await cleanup.connect();
      await cleanup.query('select pg_advisory_lock($1)', [SCHEMA_DROP_LOCK]);
      await cleanup.query(`drop schema ${schema} cascade`);
      await cleanup.end();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
