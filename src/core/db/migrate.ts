import { type Kysely, type MigrationResultSet, Migrator } from 'kysely';
import { migrations } from '../../../migrations/index.ts';

/** Brings the schema to the newest migration; throws with the failing migration's name. */
export async function migrateToLatest<DB>(db: Kysely<DB>, options: { schema?: string } = {}): Promise<string[]> {
  const migrator = new Migrator({
    db,
    provider: { getMigrations: async () => migrations },
    // Kysely looks for its bookkeeping tables across every schema; naming ours keeps parallel test schemas apart.
    ...(options.schema ? { migrationTableSchema: options.schema } : {}),
  });
  const { error, results }: MigrationResultSet = await migrator.migrateToLatest();
  const failed = results?.find((r) => r.status === 'Error');
  if (error) {
    throw new Error(`migration ${failed?.migrationName ?? '(unknown)'} failed: ${String((error as Error).message ?? error)}`, { cause: error });
  }
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}
