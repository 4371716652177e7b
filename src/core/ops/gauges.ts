import type { Clock } from '../clock.ts';
import type { Db } from '../../database.ts';

/** One sample of a gauge: its labels (code constants only, never request data) and value. */
export type GaugeSample = { labels?: Record<string, string>; value: number };

/**
 * A gauge read from the database when Prometheus scrapes, so every process reports the same
 * numbers for the shared tables. Modules add theirs to `AppServices.gauges` at register.
 */
export type DatabaseGauge = {
  name: string;
  help: string;
  labelNames?: readonly string[];
  collect(): Promise<GaugeSample[]>;
};

const JOB_STATES = ['queued', 'running', 'failed'] as const;
const OUTBOX_STATES = ['queued', 'failed'] as const;

const secondsSince = (iso: string | null | undefined, now: Date) => (iso ? Math.max(0, (now.getTime() - Date.parse(iso)) / 1000) : 0);

/** The job queue and the mail outbox, which core owns: what an operator alerts on first. */
export function coreGauges(db: Db, clock: Clock): DatabaseGauge[] {
  return [
    {
      name: 'heatwatch_jobs',
      help: 'Background jobs by name and state (done jobs are not counted)',
      labelNames: ['name', 'state'],
      async collect() {
        const rows = await db.selectFrom('jobs').select(['name', 'state']).select((eb) => eb.fn.countAll<number | string>().as('n')).where('state', 'in', [...JOB_STATES]).groupBy(['name', 'state']).execute();
        return rows.map((r) => ({ labels: { name: r.name, state: r.state }, value: Number(r.n) }));
      },
    },
    {
      name: 'heatwatch_jobs_oldest_due_seconds',
      help: 'How long the longest-waiting queued job has been due (0 when none waits)',
      async collect() {
        const now = clock.now();
        const row = await db.selectFrom('jobs').select((eb) => eb.fn.min('runAt').as('oldest')).where('state', '=', 'queued').where('runAt', '<=', now.toISOString()).executeTakeFirst();
        return [{ value: secondsSince(row?.oldest as string | null | undefined, now) }];
      },
    },
    {
      name: 'heatwatch_outbox_messages',
      help: 'E-mail in the outbox that has not gone out, by state',
      labelNames: ['state'],
      async collect() {
        const rows = await db.selectFrom('outbox').select('state').select((eb) => eb.fn.countAll<number | string>().as('n')).where('state', 'in', [...OUTBOX_STATES]).groupBy('state').execute();
        const byState = new Map(rows.map((r) => [r.state, Number(r.n)]));
        return OUTBOX_STATES.map((state) => ({ labels: { state }, value: byState.get(state) ?? 0 }));
      },
    },
    {
      name: 'heatwatch_outbox_oldest_queued_seconds',
      help: 'Age of the oldest e-mail still queued (0 when none is)',
      async collect() {
        return [{ value: await oldestQueuedMailSeconds(db, clock) }];
      },
    },
  ];
}

/** Age in seconds of the oldest outbox message still waiting to be sent. */
export async function oldestQueuedMailSeconds(db: Db, clock: Clock): Promise<number> {
  const row = await db.selectFrom('outbox').select((eb) => eb.fn.min('createdAt').as('oldest')).where('state', '=', 'queued').executeTakeFirst();
  return secondsSince(row?.oldest as string | null | undefined, clock.now());
}
