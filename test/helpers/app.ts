import path from 'node:path';
import { Writable } from 'node:stream';
import { type App, buildApp } from '../../src/app.ts';
import { type Config, loadConfig } from '../../src/config.ts';
import { manualClock } from '../../src/core/clock.ts';
import { createTestDatabase, type TestDatabase } from './database.ts';

export type TestApp = {
  app: App;
  db: TestDatabase;
  clock: ReturnType<typeof manualClock>;
  config: Config;
  /** Every log line the app wrote, raw. */
  logs: string[];
  close(): Promise<void>;
};

/** A config as `loadConfig` would build it, with the data folder inside the test's own folder. */
export function testConfig(dir: string, env: Record<string, string> = {}): Config {
  return loadConfig({ LOG_LEVEL: 'info', JOBS: 'off', SEED_DEMO: 'off', DATA_DIR: path.join(dir, 'data'), ...env });
}

/** The whole app over a fresh database, with captured logs and a clock the test can move. */
export async function createTestApp(
  options: { env?: Record<string, string>; beforeReady?: (app: App) => void } = {},
): Promise<TestApp> {
  const db = await createTestDatabase();
  const clock = manualClock(new Date());
  const logs: string[] = [];
  const logStream = new Writable({
    write(chunk, _enc, done) {
      logs.push(String(chunk));
      done();
    },
  });
  const config = testConfig(db.dir, options.env);
  const app = await buildApp({ config, database: db.handle, clock, logStream });
  options.beforeReady?.(app);
  await app.ready();
  return {
    app,
    db,
    clock,
    config,
    logs,
    close: async () => {
      await app.close();
      await db.close();
    },
  };
}
