import type { DestinationStream } from 'pino';
import { type App, buildApp } from './app.ts';
import type { Config } from './config.ts';
import type { Clock } from './core/clock.ts';
import type { DatabaseHandle } from './core/db/connect.ts';
import type { Database } from './database.ts';

export type Worker = { app: App; stop(): Promise<void> };

/**
 * `heatwatch worker`: the server's job loop without HTTP. The app is built exactly as the web
 * process builds it, so every module registers the same jobs and schedules, but it never
 * listens and is never made ready: `onReady` work belongs to the web process (the first-run
 * setup URL, for one, which a second process must not replace). The web process then runs with
 * JOBS=off; leases and SKIP LOCKED make several workers safe on PostgreSQL.
 */
export async function startWorker(options: { config: Config; database: DatabaseHandle<Database>; clock?: Clock; logStream?: DestinationStream; pollMs?: number }): Promise<Worker> {
  const app = await buildApp({ config: options.config, database: options.database, clock: options.clock, logStream: options.logStream });
  app.services.jobs.start(options.pollMs);
  // The queue's poll timer is unref'd (it must not hold a web server open); with SQLite nothing
  // else keeps the event loop alive, so the worker holds it until it is stopped.
  const keepAlive = setInterval(() => {}, 2 ** 30);
  app.log.info({ database: options.database.dialect }, 'HEAT Watch worker is running jobs');
  let stopping: Promise<void> | undefined;
  return {
    app,
    // Waits for the job being performed, then closes the mail transport and rate limiter.
    stop: () => {
      clearInterval(keepAlive);
      return (stopping ??= app.close());
    },
  };
}
