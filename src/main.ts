import { monitorEventLoopDelay } from 'node:perf_hooks';
import { buildApp } from './app.ts';
import { ConfigError, loadConfig } from './config.ts';
import { connectDatabase } from './core/db/connect.ts';
import { migrateToLatest } from './core/db/migrate.ts';
import type { Database } from './database.ts';

/**
 * For bench/map1193 only: the longest the event loop was held since the last reading, measured
 * inside the process. `GET /_bench/event-loop` answers it in ms and starts a new reading.
 */
function benchEventLoopProbe(app: Awaited<ReturnType<typeof buildApp>>): void {
  const histogram = monitorEventLoopDelay({ resolution: 1 });
  histogram.enable();
  app.get('/_bench/event-loop', (_request, reply) => {
    const reading = { maxMs: histogram.max / 1e6, p99Ms: histogram.percentile(99) / 1e6, meanMs: histogram.mean / 1e6, samples: histogram.count };
    histogram.reset();
    return reply.header('cache-control', 'no-store').send(reading);
  });
}

/** Process entry: config → database → migrations → app → listen (and jobs, unless JOBS=off). */
async function main(): Promise<void> {
  const config = loadConfig();
  const database = connectDatabase<Database>(config.databaseUrl, { rootDir: config.rootDir });
  await migrateToLatest(database.db);
  const app = await buildApp({ config, database });
  if (process.env.BENCH_EVENT_LOOP === '1') benchEventLoopProbe(app);

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
  app.log.info({ url: config.baseUrl, database: database.dialect }, 'HEAT Watch is listening');
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
