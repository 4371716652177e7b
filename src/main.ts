import { buildApp } from './app.ts';
import { ConfigError, loadConfig } from './config.ts';
import { argon2Concurrency, setArgon2Concurrency } from './core/crypto/argon2.ts';
import { connectDatabase } from './core/db/connect.ts';
import { migrateToLatest } from './core/db/migrate.ts';
import type { Database } from './database.ts';

/** Process entry: config → database → migrations → app → listen (and jobs, unless JOBS=off). */
async function main(): Promise<void> {
  const config = loadConfig();
  if (config.argon2Concurrency) setArgon2Concurrency(config.argon2Concurrency);
  const database = connectDatabase<Database>(config.databaseUrl, { rootDir: config.rootDir });
  await migrateToLatest(database.db);
  const app = await buildApp({ config, database });

  let closing = false;
  const shutdown = async (signal: string) => {
    if (closing) return;
    closing = true;
    app.log.info({ signal }, 'shutting down');
    await app.close();
    await database.destroy();
    process.exit(0);
  };
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));

  await app.listen({ port: config.port, host: config.host });
  app.log.info({ url: config.baseUrl, database: database.dialect, argon2Concurrency: argon2Concurrency() }, 'HEAT Watch is listening');
  if (!config.runJobs) app.log.info('JOBS=off: this process runs no background jobs; run `heatwatch worker` beside it');
}

main().catch((error: unknown) => {
  if (error instanceof ConfigError) {
    console.error(error.message);
  } else {
    console.error(error);
  }
  process.exit(1);
});
