import type { FastifyBaseLogger } from 'fastify';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createTestDatabase, type TestDatabase, testDialect } from '../../../test/helpers/database.ts';
import { manualClock } from '../clock.ts';
import { connectDatabase } from '../db/connect.ts';
import type { Database, Db } from '../../database.ts';
import { backoffMs, defineJob, type JobDefinition, JobQueue } from './queue.ts';

const silent = { level: 'silent', fatal() {}, error() {}, warn() {}, info() {}, debug() {}, trace() {}, silent() {}, child: () => silent } as unknown as FastifyBaseLogger;

let database: TestDatabase;
let db: Db;
const clock = manualClock('2026-03-01T08:00:00.000Z');

// A table of this test only: each run of a job leaves a row, so a double run shows.
type RunsTable = { testJobRuns: { jobN: number; worker: string } };
const runsOf = (handle: Db) => handle.withTables<RunsTable>();

const queueOn = (handle: Db = db) => new JobQueue({ db: handle, dialect: database.handle.dialect, clock, log: silent });

const jobRows = () => db.selectFrom('jobs').select(['id', 'name', 'state', 'attempts', 'runAt', 'lastError', 'finishedAt', 'uniqueKey', 'lockedBy']).orderBy('createdAt').execute();

beforeAll(async () => {
  database = await createTestDatabase();
  db = database.handle.db;
  await db.schema.createTable('test_job_runs').addColumn('job_n', 'integer', (c) => c.notNull()).addColumn('worker', 'text', (c) => c.notNull()).execute();
});
afterAll(async () => database.close());
beforeEach(async () => {
  await db.deleteFrom('jobs').execute();
  await runsOf(db).deleteFrom('testJobRuns').execute();
});

const recorder = (name: string, label = 'q') =>
  defineJob({
    name,
    payload: z.object({ n: z.number().int() }),
    attempts: 3,
    async perform({ n }, ctx) {
      await runsOf(ctx.db).insertInto('testJobRuns').values({ jobN: n, worker: label }).execute();
    },
  });

describe('JobQueue', () => {
  it('leaves nothing behind when the enqueuing transaction rolls back', async () => {
    const queue = queueOn();
    const job = recorder('test.rollback');
    queue.register(job);
    await expect(
      db.transaction().execute(async (trx) => {
        await queue.enqueue(trx, job, { n: 1 });
        expect(await trx.selectFrom('jobs').select('id').execute()).toHaveLength(1);
        throw new Error('the change failed');
      }),
    ).rejects.toThrow('the change failed');
    expect(await jobRows()).toEqual([]);
    expect(await queue.runDue()).toBe(0);
    // The same call committed does queue and run.
    await db.transaction().execute((trx) => queue.enqueue(trx, job, { n: 2 }));
    expect(await queue.runDue()).toBe(1);
    expect(await runsOf(db).selectFrom('testJobRuns').select('jobN').execute()).toEqual([{ jobN: 2 }]);
  });

  it('refuses payloads its schema rejects and jobs nobody registered', async () => {
    const queue = queueOn();
    const job = recorder('test.payload');
    await expect(queue.enqueue(db, job, { n: 1 })).rejects.toThrow('not registered');
    queue.register(job);
    await expect(queue.enqueue(db, job, { n: 'one' } as never)).rejects.toThrow();
    expect(() => queue.register(job)).toThrow('defined twice');
  });

  it('retries with exponential backoff: 30 s, 2 min, 8 min…', async () => {
    expect([1, 2, 3, 4].map(backoffMs)).toEqual([30_000, 120_000, 480_000, 1_920_000]);
    expect(backoffMs(20)).toBe(6 * 3600_000);
    const queue = queueOn();
    let calls = 0;
    const flaky = defineJob({
      name: 'test.flaky',
      payload: z.object({}),
      attempts: 5,
      async perform(_p, ctx) {
        calls++;
        expect(ctx.attempt).toBe(calls);
        if (calls < 4) throw new Error(`attempt ${calls} failed`);
      },
    });
    queue.register(flaky);
    await queue.enqueue(db, flaky, {});
    for (const [attempt, wait] of [[1, 30_000], [2, 120_000], [3, 480_000]] as const) {
      const before = clock.now().getTime();
      expect(await queue.runDue()).toBe(1);
      const [row] = await jobRows();
      expect(row).toMatchObject({ state: 'queued', attempts: attempt, lastError: `attempt ${attempt} failed`, lockedBy: null });
      expect(new Date(row!.runAt).getTime()).toBe(before + wait);
      clock.advance(wait - 1);
      expect(await queue.runDue()).toBe(0);
      clock.advance(1);
    }
    expect(await queue.runDue()).toBe(1);
    const [done] = await jobRows();
    expect(done).toMatchObject({ state: 'done', attempts: 4, lastError: null });
    expect(done!.finishedAt).toBe(clock.now().toISOString());
    expect(calls).toBe(4);
  });

  it('records the failure after the last attempt and stops trying', async () => {
    const queue = queueOn();
    let calls = 0;
    const broken = defineJob({
      name: 'test.broken',
      payload: z.object({}),
      attempts: 3,
      async perform() {
        calls++;
        throw new Error(`still broken (${calls})`);
      },
    });
    queue.register(broken);
    await queue.enqueue(db, broken, {});
    for (let i = 0; i < 3; i++) {
      await queue.runDue();
      clock.advance(7 * 3600_000);
    }
    const [row] = await jobRows();
    expect(row).toMatchObject({ state: 'failed', attempts: 3, lastError: 'still broken (3)', lockedBy: null });
    expect(row!.finishedAt).not.toBeNull();
    clock.advance(24 * 3600_000);
    expect(await queue.runDue()).toBe(0);
    expect(calls).toBe(3);
  });

  it('deletes the successful runs of one job that finished before a time, and nothing else', async () => {
    const queue = queueOn();
    const cleaned = defineJob({
      name: 'test.cleanup',
      payload: z.object({ n: z.number().int() }),
      attempts: 1,
      async perform({ n }) {
        if (n === 0) throw new Error('this run fails');
      },
    });
    const other = recorder('test.cleanup-other');
    queue.register(cleaned);
    queue.register(other);
    await queue.enqueue(db, cleaned, { n: 0 });
    await queue.enqueue(db, cleaned, { n: 1 });
    await queue.enqueue(db, other, { n: 2 });
    await queue.runDue();
    clock.advance(3600_000);
    const cutOff = clock.now();
    await queue.enqueue(db, cleaned, { n: 3 });
    await queue.runDue();
    await queue.enqueue(db, cleaned, { n: 4 }, { runAt: new Date(cutOff.getTime() + 3600_000) });
    await queue.deleteFinished('test.cleanup', cutOff);
    const left = await db.selectFrom('jobs').select(['name', 'state', 'payload']).where('name', 'in', ['test.cleanup', 'test.cleanup-other']).execute();
    const rows = left.map((r) => ({ n: (JSON.parse(r.payload) as { n: number }).n, name: r.name, state: r.state })).sort((a, b) => a.n - b.n);
    // Run 1 finished before the cut-off and is gone; run 3 finished at it and stays.
    expect(rows).toEqual([
      { n: 0, name: 'test.cleanup', state: 'failed' },
      { n: 2, name: 'test.cleanup-other', state: 'done' },
      { n: 3, name: 'test.cleanup', state: 'done' },
      { n: 4, name: 'test.cleanup', state: 'queued' },
    ]);
  });

  it('marks a job of an unknown name failed instead of retrying it forever', async () => {
    const queue = queueOn();
    const job = recorder('test.orphan');
    queue.register(job);
    await queue.enqueue(db, job, { n: 1 });
    expect(await queueOn().runDue()).toBe(1);
    expect((await jobRows())[0]).toMatchObject({ state: 'failed', lastError: 'no job named test.orphan' });
  });

  it('takes a job again when a lease runs out (a crashed worker), and the late finisher cannot overwrite it', async () => {
    const queue = queueOn();
    let release!: () => void;
    let started!: () => void;
    const inHand = new Promise<void>((r) => (started = r));
    let calls = 0;
    const slow = defineJob({
      name: 'test.slow',
      payload: z.object({}),
      attempts: 3,
      async perform() {
        calls++;
        if (calls === 1) {
          started();
          await new Promise<void>((r) => (release = r));
        }
      },
    });
    queue.register(slow);
    await queue.enqueue(db, slow, {});
    const stuck = queue.runDue();
    // The first worker holds the lease once it is inside the job.
    await inHand;
    clock.advance(5 * 60_000 + 1);
    const other = queueOn();
    other.register(slow);
    expect(await other.runDue()).toBe(1);
    expect((await jobRows())[0]).toMatchObject({ state: 'done', attempts: 2 });
    release();
    await stuck;
    expect((await jobRows())[0]).toMatchObject({ state: 'done', attempts: 2 });
    expect(calls).toBe(2);
  });

  it('queues one job per unique key while it is pending, and frees the key when it is done', async () => {
    const queue = queueOn();
    const job = recorder('test.unique');
    queue.register(job);
    await queue.enqueue(db, job, { n: 1 }, { uniqueKey: 'digest:ana' });
    await queue.enqueue(db, job, { n: 2 }, { uniqueKey: 'digest:ana' });
    await queue.enqueue(db, job, { n: 3 }, { uniqueKey: 'digest:ben' });
    expect(await jobRows()).toHaveLength(2);
    expect(await queue.runDue()).toBe(2);
    expect((await runsOf(db).selectFrom('testJobRuns').select('jobN').orderBy('jobN').execute()).map((r) => r.jobN)).toEqual([1, 3]);
    expect((await jobRows()).every((r) => r.uniqueKey === null)).toBe(true);
    await queue.enqueue(db, job, { n: 4 }, { uniqueKey: 'digest:ana' });
    expect(await queue.runDue()).toBe(1);
  });

  it('runs a scheduled job once per period, even from two processes', async () => {
    let runs = 0;
    const tick = defineJob({ name: 'test.tick', payload: z.object({}), attempts: 2, perform: async () => void runs++ });
    const a = queueOn();
    const b = queueOn();
    a.schedule(tick, 3600_000);
    b.schedule(tick, 3600_000);
    clock.set('2026-03-02T10:00:00.000Z');
    await a.runDue();
    await b.runDue();
    clock.advance(59 * 60_000);
    await a.runDue();
    await b.runDue();
    expect(runs).toBe(1);
    clock.advance(60_000);
    await b.runDue();
    await a.runDue();
    expect(runs).toBe(2);
    const keys = (await jobRows()).map((r) => r.uniqueKey);
    expect(keys).toEqual([`scheduled:test.tick@${Math.floor(Date.parse('2026-03-02T10:00:00.000Z') / 3600_000)}`, `scheduled:test.tick@${Math.floor(Date.parse('2026-03-02T11:00:00.000Z') / 3600_000)}`]);
  });

  it('start() polls until stop(), which waits for the job in hand', async () => {
    const queue = queueOn();
    let ran!: () => void;
    const done = new Promise<void>((r) => (ran = r));
    const job = defineJob({
      name: 'test.poll',
      payload: z.object({ n: z.number().int() }),
      attempts: 3,
      async perform({ n }, ctx) {
        await runsOf(ctx.db).insertInto('testJobRuns').values({ jobN: n, worker: 'q' }).execute();
        ran();
      },
    });
    queue.register(job);
    await queue.enqueue(db, job, { n: 7 });
    queue.start(20);
    // Waits for the poller to reach the job, however slow the machine: no window to miss.
    await done;
    await queue.stop();
    expect(await runsOf(db).selectFrom('testJobRuns').select('jobN').execute()).toEqual([{ jobN: 7 }]);
  });
});

describe('JobQueue with two workers', () => {
  // On PostgreSQL each queue has its own pool, as two processes would; on SQLite two queues share
  // the file's one connection, which still interleaves their awaits.
  it('never runs the same job twice when two queues run due jobs at once (50 jobs)', async () => {
    const second =
      testDialect() === 'postgres'
        ? connectDatabase<Database>(process.env.TEST_DATABASE_URL!, { rootDir: database.dir, schema: database.handle.schema, poolSize: 5 })
        : undefined;
    try {
      const jobsFor = (label: string): JobDefinition<{ n: number }> =>
        defineJob({
          name: 'test.race',
          payload: z.object({ n: z.number().int() }),
          attempts: 1,
          async perform({ n }, ctx) {
            await new Promise((r) => setTimeout(r, Math.random() * 5));
            await runsOf(ctx.db).insertInto('testJobRuns').values({ jobN: n, worker: label }).execute();
          },
        });
      const a = queueOn();
      const b = queueOn(second?.db ?? db);
      const jobA = jobsFor('a');
      a.register(jobA);
      b.register(jobsFor('b'));
      await db.transaction().execute(async (trx) => {
        for (let n = 1; n <= 50; n++) await a.enqueue(trx, jobA, { n });
      });
      const [ranA, ranB] = await Promise.all([a.runDue({ limit: 3 }), b.runDue({ limit: 3 })]);
      expect(ranA + ranB).toBe(50);
      const runs = await runsOf(db).selectFrom('testJobRuns').select(['jobN', 'worker']).execute();
      expect(runs).toHaveLength(50);
      expect(new Set(runs.map((r) => r.jobN)).size).toBe(50);
      if (second) expect(new Set(runs.map((r) => r.worker))).toEqual(new Set(['a', 'b']));
      expect((await jobRows()).every((r) => r.state === 'done' && r.attempts === 1)).toBe(true);
    } finally {
      await second?.destroy();
    }
  });
});
