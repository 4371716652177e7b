import { buildApp } from './app.ts';
import { ConfigError, loadConfig } from './config.ts';
import { argon2Concurrency, setArgon2Concurrency } from './core/crypto/argon2.ts';
import { connectDatabase } from './core/db/connect.ts';
import { migrateToLatest } from './core/db/migrate.ts';
import type { Database } from './database.ts';

/**
 * For bench/map1193 only: how long the event loop was held since the last reading, measured
 * inside the process. A 1 ms timer notes the main thread's CPU time between two of its ticks
 * (the longest stretch of work nothing else could interrupt, garbage collection included), and
 * the wall-clock gap, which also counts the time the machine gave the process no CPU.
 * `GET /_bench/event-loop` answers both in ms and starts a new reading; `?stop=1` stops the timer.
 */
function benchEventLoopProbe(app: Awaited<ReturnType<typeof buildApp>>): void {
  let timer: NodeJS.Timeout | undefined;
  let reading = { holdMs: 0, gapMs: 0, ticks: 0 };
  let last = { at: performance.now(), cpu: process.threadCpuUsage() };
  const start = () => {
    last = { at: performance.now(), cpu: process.threadCpuUsage() };
    timer ??= setInterval(() => {
      const at = performance.now();
      const cpu = process.threadCpuUsage(last.cpu);
      reading.holdMs = Math.max(reading.holdMs, (cpu.user + cpu.system) / 1000);
      reading.gapMs = Math.max(reading.gapMs, at - last.at);
      reading.ticks++;
      last = { at, cpu: process.threadCpuUsage() };
    }, 1).unref();
  };
  start();
  app.get('/_bench/event-loop', (request, reply) => {
    const answer = reading;
    reading = { holdMs: 0, gapMs: 0, ticks: 0 };
    if ((request.query as { stop?: string }).stop === '1') {
      clearInterval(timer);
      timer = undefined;
    } else {
      start();
    }
    return reply.header('cache-control', 'no-store').send(answer);
  });
}

/** Process entry: config → database → migrations → app → listen (and jobs, unless JOBS=off). */
async function main(): Promise<void> {
  const config = loadConfig();
  if (config.argon2Concurrency) setArgon2Concurrency(config.argon2Concurrency);
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
