import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import type { Clock } from '../clock.ts';
import type { RateLimiter } from '../http/rate-limiter.ts';
import type { Db } from '../../database.ts';
import { migrations } from '../../../migrations/index.ts';
import { oldestQueuedMailSeconds } from './gauges.ts';

/** Past this, queued mail means delivery has stopped (no worker, or a mail server refusing). */
export const OUTBOX_STUCK_SECONDS = 15 * 60;
const REDIS_TIMEOUT_MS = 2000;

type Check = 'ok' | 'failed' | 'pending' | 'newer' | 'stuck' | 'off';
export type Readiness = { ready: boolean; checks: Record<string, Check>; pendingMigrations?: string[]; outboxOldestSeconds?: number };

export type ReadinessDeps = { db: Db; clock: Clock; rateLimiter: RateLimiter; redis: boolean };

/** Each dependency a request may need, checked now; nothing here names a client or a record. */
export async function readiness(deps: ReadinessDeps): Promise<Readiness> {
  const checks: Record<string, Check> = {};
  const answer: Readiness = { ready: true, checks };
  try {
    await sql`select 1`.execute(deps.db);
    checks.database = 'ok';
  } catch {
    checks.database = 'failed';
  }
  if (checks.database === 'ok') {
    try {
      const applied = new Set((await sql<{ name: string }>`select name from kysely_migration`.execute(deps.db)).rows.map((r) => r.name));
      const known = Object.keys(migrations);
      const pending = known.filter((name) => !applied.has(name));
      // A database migrated by a newer version: this older code may not understand its tables.
      const newer = [...applied].some((name) => !known.includes(name));
      checks.migrations = pending.length ? 'pending' : newer ? 'newer' : 'ok';
      if (pending.length) answer.pendingMigrations = pending;
    } catch {
      checks.migrations = 'failed';
    }
    try {
      const seconds = await oldestQueuedMailSeconds(deps.db, deps.clock);
      checks.outbox = seconds > OUTBOX_STUCK_SECONDS ? 'stuck' : 'ok';
      answer.outboxOldestSeconds = Math.round(seconds);
    } catch {
      checks.outbox = 'failed';
    }
  }
  if (deps.redis) {
    try {
      await deps.rateLimiter.ping(REDIS_TIMEOUT_MS);
      checks.redis = 'ok';
    } catch {
      checks.redis = 'failed';
    }
  } else {
    checks.redis = 'off';
  }
  answer.ready = Object.values(checks).every((c) => c === 'ok' || c === 'off');
  return answer;
}

/**
 * `/healthz`: liveness, the process answers (for a supervisor deciding whether to restart it; a
 * database outage is not fixed by restarting every web process). `/readyz`: whether this
 * instance can serve everything now, for monitoring and for deploy scripts waiting on a new one.
 */
export function registerHealth(app: FastifyInstance, deps: ReadinessDeps): void {
  app.get('/healthz', (_request, reply) => {
    void reply.header('cache-control', 'no-store').send({ status: 'ok' });
  });
  app.get('/readyz', async (_request, reply) => {
    const answer = await readiness(deps);
    return reply
      .code(answer.ready ? 200 : 503)
      .header('cache-control', 'no-store')
      .send({ status: answer.ready ? 'ready' : 'unavailable', ...answer });
  });
}
