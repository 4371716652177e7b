import fs from 'node:fs';
import path from 'node:path';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp, testConfig } from '../test/helpers/app.ts';
import { createStaff, signIn } from '../test/helpers/staff.ts';
import { startWorker } from './worker.ts';

let t: TestApp;
const quiet = () => new Writable({ write: (_c, _e, done) => done() });
beforeAll(async () => {
  // The web process as an operator runs it beside a worker: JOBS=off.
  t = await createTestApp({ env: { JOBS: 'off' } });
});
afterAll(async () => t.close());

async function until(check: () => Promise<boolean>, ms = 10_000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 25));
  }
}

describe('heatwatch worker', () => {
  it('delivers what the web process (JOBS=off) queued, and leaves the setup URL alone', async () => {
    const admin = await signIn(t, await createStaff(t, ['administrator']));
    expect((await admin.post('/console/accounts/invite', { displayName: 'Wanda Worker', email: 'wanda@example.org', roles: ['volunteer'], locale: 'en' })).statusCode).toBe(303);
    // The web process runs no jobs of its own.
    await new Promise((r) => setTimeout(r, 200));
    const outbox = () => t.app.services.db.selectFrom('outbox').select(['state']).where('toAddress', '=', 'wanda@example.org').executeTakeFirstOrThrow();
    expect((await outbox()).state).toBe('queued');
    const secretsBefore = await t.app.services.db.selectFrom('appSecrets').select(['name', 'value']).orderBy('name').execute();

    const worker = await startWorker({ config: testConfig(t.db.dir), database: t.db.handle, clock: t.clock, pollMs: 50, logStream: quiet() });
    try {
      await until(async () => (await outbox()).state === 'sent');
    } finally {
      await worker.stop();
    }
    const files = fs.readdirSync(path.join(t.config.dataDir, 'outbox'));
    expect(files.some((f) => fs.readFileSync(path.join(t.config.dataDir, 'outbox', f), 'utf8').includes('wanda@example.org'))).toBe(true);
    // The worker is never made ready, so it issues no setup token of its own.
    expect(await t.app.services.db.selectFrom('appSecrets').select(['name', 'value']).orderBy('name').execute()).toEqual(secretsBefore);
  });

  it('stops cleanly and at most once (the SIGTERM path), leaving the database usable', async () => {
    const worker = await startWorker({ config: testConfig(t.db.dir), database: t.db.handle, clock: t.clock, pollMs: 50, logStream: quiet() });
    await Promise.all([worker.stop(), worker.stop()]);
    expect(await worker.app.services.jobs.runDue()).toBeGreaterThanOrEqual(0);
    expect((await t.app.inject({ url: '/healthz' })).statusCode).toBeLessThan(500);
  });
});
