import os from 'node:os';
import type { FastifyBaseLogger } from 'fastify';
import type { z } from 'zod';
import type { Clock } from '../clock.ts';
import type { DialectName } from '../db/connect.ts';
import { forUpdate } from '../db/dialect.ts';
import { newId } from '../crypto/server-secret.ts';
import type { Db } from '../../database.ts';

export type JobContext = { db: Db; clock: Clock; log: FastifyBaseLogger; attempt: number; jobs: JobQueue };

/**
 * Which workers a job waits for. Urgent jobs (the urgent-tip notice and what delivers it) have
 * workers of their own, so a slow digest or a hung mail server never stands in front of them.
 */
export type JobLane = 'default' | 'urgent';

export type JobDefinition<P> = {
  name: string;
  /** `default` when absent. */
  lane?: JobLane;
  payload: z.ZodType<P>;
  /** Tries before the job is marked failed. */
  attempts: number;
  /** Must be safe to run twice: a lease can expire while a slow attempt is still finishing. */
  perform(payload: P, ctx: JobContext): Promise<void>;
};

/** Declares a job once; the queue validates payloads with its schema on the way in and out. */
export function defineJob<P>(definition: JobDefinition<P>): JobDefinition<P> {
  return definition;
}

type JobRow = {
  id: string;
  name: string;
  payload: string;
  state: 'queued' | 'running' | 'done' | 'failed';
  attempts: number;
  maxAttempts: number;
  runAt: string;
  lockedBy: string | null;
  lockedUntil: string | null;
  lastError: string | null;
  uniqueKey: string | null;
  createdAt: string;
  finishedAt: string | null;
};

export type JobTables = { jobs: JobRow };

/**
 * How long a leased job is left to its worker before another may take it. Anything a job waits
 * on (SMTP above all) must time out well inside it, or a slow attempt is run a second time.
 */
export const LEASE_MS = 5 * 60_000;

/** Jobs run at once by one process, per lane, when polling. */
const CONCURRENCY: Record<JobLane, number> = { default: 4, urgent: 2 };
const LANES: JobLane[] = ['urgent', 'default'];
const SCHEDULED = 'scheduled:';

/** A finished job frees its unique key so the next one can queue; a scheduled period keeps it. */
const releaseKey = (job: JobRow) => (job.uniqueKey?.startsWith(SCHEDULED) ? job.uniqueKey : null);

/** 30 s, 2 min, 8 min, 32 min… capped at 6 h. */
export function backoffMs(attempt: number): number {
  return Math.min(30_000 * 4 ** (attempt - 1), 6 * 3600_000);
}

/**
 * A durable job table. Jobs are inserted in the caller's transaction (so they exist exactly
 * when the change that caused them does), leased with one atomic UPDATE (SKIP LOCKED on
 * PostgreSQL, so several processes never take the same job), and retried with backoff.
 */
export class JobQueue {
  readonly #db: Db;
  readonly #dialect: DialectName;
  readonly #clock: Clock;
  readonly #log: FastifyBaseLogger;
  readonly #definitions = new Map<string, JobDefinition<any>>();
  readonly #schedules: { definition: JobDefinition<Record<string, never>>; everyMs: number }[] = [];
  readonly #workerId = `${os.hostname()}:${process.pid}:${newId().slice(0, 6)}`;
  #timer: NodeJS.Timeout | undefined;
  readonly #inFlight = new Set<Promise<void>>();
  readonly #busy: Record<JobLane, number> = { default: 0, urgent: 0 };
  readonly #filling: Record<JobLane, boolean> = { default: false, urgent: false };
  #stopped = true;

  constructor(options: { db: Db; dialect: DialectName; clock: Clock; log: FastifyBaseLogger }) {
    this.#db = options.db;
    this.#dialect = options.dialect;
    this.#clock = options.clock;
    this.#log = options.log;
  }

  register(definition: JobDefinition<any>): void {
    if (this.#definitions.has(definition.name)) throw new Error(`job ${definition.name} is defined twice`);
    this.#definitions.set(definition.name, definition);
  }

  /**
   * Queues a job inside `trx`. With a `uniqueKey`, a second job with the same key is not queued
   * while the first is pending: that is how digests stay at most one per period.
   */
  async enqueue<P>(trx: Db, definition: JobDefinition<P>, payload: P, options: { runAt?: Date; uniqueKey?: string } = {}): Promise<void> {
    if (!this.#definitions.has(definition.name)) throw new Error(`job ${definition.name} is not registered`);
    const parsed = definition.payload.parse(payload);
    const now = this.#clock.now();
    await trx
      .insertInto('jobs')
      .values({
        id: newId(),
        name: definition.name,
        payload: JSON.stringify(parsed),
        state: 'queued',
        attempts: 0,
        maxAttempts: definition.attempts,
        runAt: (options.runAt ?? now).toISOString(),
        lockedBy: null,
        lockedUntil: null,
        lastError: null,
        uniqueKey: options.uniqueKey ?? null,
        createdAt: now.toISOString(),
        finishedAt: null,
      })
      .onConflict((oc) => oc.column('uniqueKey').doNothing())
      .execute();
  }

  /**
   * Runs a payload-less job once per period, across all processes: each period's run has a
   * unique key, kept after it finishes, so no other process queues that period again.
   */
  schedule(definition: JobDefinition<Record<string, never>>, everyMs: number): void {
    if (!this.#definitions.has(definition.name)) this.register(definition);
    this.#schedules.push({ definition, everyMs });
  }

  async #queueScheduled(): Promise<void> {
    const now = this.#clock.now().getTime();
    for (const { definition, everyMs } of this.#schedules) {
      const period = Math.floor(now / everyMs);
      await this.enqueue(this.#db, definition, {}, { uniqueKey: `${SCHEDULED}${definition.name}@${period}` });
    }
  }

  /** The names of the registered jobs in `lane`. */
  #namesIn(lane: JobLane): string[] {
    return [...this.#definitions.values()].filter((d) => (d.lane ?? 'default') === lane).map((d) => d.name);
  }

  /** Leases up to `limit` due jobs in one statement; expired leases count as due. */
  async #lease(limit: number, names?: string[]): Promise<JobRow[]> {
    if (names?.length === 0) return [];
    const now = this.#clock.now();
    const nowIso = now.toISOString();
    const until = new Date(now.getTime() + LEASE_MS).toISOString();
    return this.#db
      .updateTable('jobs')
      .set((eb) => ({ state: 'running', lockedBy: this.#workerId, lockedUntil: until, attempts: eb('attempts', '+', 1) }))
      .where('id', 'in', (eb) => {
        return eb
          .selectFrom('jobs')
          .select('id')
          .where((w) =>
            w.or([
              w.and([w('state', '=', 'queued'), w('runAt', '<=', nowIso)]),
              w.and([w('state', '=', 'running'), w('lockedUntil', '<', nowIso)]),
            ]),
          )
          .$if(names !== undefined, (q) => q.where('name', 'in', names!))
          .orderBy('runAt')
          .limit(limit)
          .$call(forUpdate(this.#dialect, { skipLocked: true }));
      })
      .returningAll()
      .execute();
  }

  /** Runs every job that is due now, a batch at a time; returns how many ran. Tests call this inline. */
  async runDue(options: { limit?: number } = {}): Promise<number> {
    await this.#queueScheduled();
    let ran = 0;
    for (;;) {
      const batch = await this.#lease(options.limit ?? 10);
      for (const job of batch) {
        await this.#perform(job);
        ran++;
      }
      if (batch.length === 0) return ran;
    }
  }

  async #perform(job: JobRow): Promise<void> {
    const definition = this.#definitions.get(job.name);
    const finish = (set: Partial<JobRow>) =>
      this.#db.updateTable('jobs').set(set).where('id', '=', job.id).where('lockedBy', '=', this.#workerId).execute();
    if (!definition) {
      await finish({ state: 'failed', lastError: `no job named ${job.name}`, finishedAt: this.#clock.now().toISOString(), uniqueKey: null });
      return;
    }
    try {
      const payload = definition.payload.parse(JSON.parse(job.payload));
      await definition.perform(payload, { db: this.#db, clock: this.#clock, log: this.#log, attempt: job.attempts, jobs: this });
      await finish({ state: 'done', finishedAt: this.#clock.now().toISOString(), lockedBy: null, lockedUntil: null, uniqueKey: releaseKey(job), lastError: null });
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      const now = this.#clock.now();
      if (job.attempts >= job.maxAttempts) {
        this.#log.error({ job: job.name, jobId: job.id, attempts: job.attempts, err: message }, 'job failed for good');
        await finish({ state: 'failed', lastError: message.slice(0, 2000), finishedAt: now.toISOString(), lockedBy: null, lockedUntil: null, uniqueKey: releaseKey(job) });
      } else {
        this.#log.warn({ job: job.name, jobId: job.id, attempts: job.attempts, err: message }, 'job failed, will retry');
        await finish({ state: 'queued', lastError: message.slice(0, 2000), runAt: new Date(now.getTime() + backoffMs(job.attempts)).toISOString(), lockedBy: null, lockedUntil: null });
      }
    }
  }

  /** Deletes the successful runs of job `name` that finished before `before`: a job run every minute leaves many. */
  async deleteFinished(name: string, before: Date): Promise<void> {
    await this.#db.deleteFrom('jobs').where('name', '=', name).where('state', '=', 'done').where('finishedAt', '<', before.toISOString()).execute();
  }

  /**
   * Leases as many due jobs of `lane` as it has free workers and starts them without waiting:
   * each finished job frees its worker and looks for the next at once.
   */
  async #fill(lane: JobLane): Promise<void> {
    if (this.#stopped || this.#filling[lane]) return;
    this.#filling[lane] = true;
    try {
      const free = CONCURRENCY[lane] - this.#busy[lane];
      if (free <= 0) return;
      for (const job of await this.#lease(free, this.#namesIn(lane))) {
        this.#busy[lane]++;
        const running: Promise<void> = this.#perform(job)
          .catch((error: unknown) => this.#log.error({ err: error, job: job.name }, 'job runner failed'))
          .finally(() => {
            this.#busy[lane]--;
            this.#inFlight.delete(running);
            void this.#fill(lane);
          });
        this.#inFlight.add(running);
      }
    } catch (error) {
      this.#log.error({ err: error, lane }, 'job runner failed');
    } finally {
      this.#filling[lane] = false;
    }
  }

  /**
   * Polls for due jobs until stopped, each lane with its own few workers, so a job that hangs
   * holds one worker of its lane and nothing else. Errors are logged, not thrown.
   */
  start(intervalMs = 2_000): void {
    if (this.#timer) return;
    this.#stopped = false;
    const tick = async () => {
      try {
        await this.#queueScheduled();
      } catch (error) {
        this.#log.error({ err: error }, 'job runner failed');
      }
      await Promise.all(LANES.map((lane) => this.#fill(lane)));
    };
    this.#timer = setInterval(() => void tick(), intervalMs);
    this.#timer.unref();
    void tick();
  }

  /** Stops polling and waits for the jobs in hand. */
  async stop(): Promise<void> {
    this.#stopped = true;
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = undefined;
    while (this.#inFlight.size > 0) await Promise.all(this.#inFlight);
  }
}
