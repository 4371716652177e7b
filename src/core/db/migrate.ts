import { type Kysely, type MigrationResultSet, Migrator } from 'kysely';
import { migrations } from '../../../migrations/index.ts';

type MigrateOptions = { schema?: string };

/**
 * Kysely's migrator over the app's migrations. It takes a lock for the whole run on both
 * databases (PostgreSQL: a session advisory lock; SQLite: the write lock, see sqlite-dialect.ts),
 * so processes started together against an older database migrate it once: the second waits,
 * then finds nothing pending.
 */
function migrator<DB>(db: Kysely<DB>, options: MigrateOptions): Migrator {
  return new Migrator({
    db,
    provider: { getMigrations: async () => migrations },
    // Kysely looks for its bookkeeping tables across every schema; naming ours keeps parallel test schemas apart.
    ...(options.schema ? { migrationTableSchema: options.schema } : {}),
  });
}

/** Brings the schema to the newest migration; throws with the failing migration's name. */
export async function migrateToLatest<DB>(db: Kysely<DB>, options: MigrateOptions = {}): Promise<string[]> {
  const { error, results }: MigrationResultSet = await migrator(db, options).migrateToLatest();
  const failed = results?.find((r) => r.status === 'Error');
  if (error) {
    throw new Error(`migration ${failed?.migrationName ?? '(unknown)'} failed: ${String((error as Error).message ?? error)}`, { cause: error });
  }
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}

/** The migrations this version has and the database has not run, in the order they would run. Changes nothing. */
export async function pendingMigrations<DB>(db: Kysely<DB>, options: MigrateOptions = {}): Promise<string[]> {
  const all = await migrator(db, options).getMigrations();
  return all.filter((m) => m.executedAt === undefined).map((m) => m.name);
}

/** The migrations the database has run, by name, in order (for a backup's manifest). */
export async function appliedMigrations<DB>(db: Kysely<DB>, options: MigrateOptions = {}): Promise<string[]> {
  const all = await migrator(db, options).getMigrations();
  return all.filter((m) => m.executedAt !== undefined).map((m) => m.name);
}
