import { randomUUID } from 'node:crypto';
import os from 'node:os';
import { sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/helpers/app.ts';

/** Liveness, readiness and the operational gauges an operator alerts on (docs/operations.md). */
let t: TestApp | undefined;
afterEach(async () => {
  await t?.close();
  t = undefined;
});

const ready = async (app: TestApp) => {
  const res = await app.app.inject({ url: '/readyz' });
  return { status: res.statusCode, body: res.json() as { status: string; checks: Record<string, string>; pendingMigrations?: string[] }, headers: res.headers };
};

async function queueMail(app: TestApp, createdAt: Date, state: 'queued' | 'sent' = 'queued') {
  await app.app.services.db
    .insertInto('outbox')
    .values({ id: randomUUID(), toAddress: 'staff@example.org', subject: 's', textBody: 't', htmlBody: '<p>t</p>', template: 'test', state, attempts: 0, lastError: null, messageId: null, createdAt: createdAt.toISOString(), sentAt: null, bearer: 0 })
    .execute();
}

async function queueJob(app: TestApp, name: string, state: 'queued' | 'running' | 'failed' | 'done', runAt: Date) {
  await app.app.services.db
    .insertInto('jobs')
    .values({ id: randomUUID(), name, payload: '{}', state, attempts: 0, maxAttempts: 3, runAt: runAt.toISOString(), lockedBy: null, lockedUntil: null, lastError: null, uniqueKey: null, createdAt: runAt.toISOString(), finishedAt: null })
    .execute();
}

const metrics = async (app: TestApp) => (await app.app.inject({ url: '/metrics', remoteAddress: '127.0.0.1' })).body;
const sample = (text: string, series: string) => {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
};

describe('/healthz and /readyz', () => {
  it('answers liveness without touching the database, and readiness with each check named', async () => {
    t = await createTestApp();
    const live = await t.app.inject({ url: '/healthz' });
    expect(live.statusCode).toBe(200);
    expect(live.json()).toEqual({ status: 'ok' });
    const answer = await ready(t);
    expect(answer.status).toBe(200);
    expect(answer.headers['cache-control']).toBe('no-store');
    expect(answer.body.checks).toEqual({ database: 'ok', migrations: 'ok', outbox: 'ok', redis: 'off' });
  });

  it('is not ready while a migration this version knows has not run, and names it', async () => {
    t = await createTestApp();
    const last = (await sql<{ name: string }>`select name from kysely_migration order by name desc`.execute(t.app.services.db)).rows[0]!.name;
    await sql`delete from kysely_migration where name = ${last}`.execute(t.app.services.db);
    const answer = await ready(t);
    expect(answer.status).toBe(503);
    expect(answer.body.checks.migrations).toBe('pending');
    expect(answer.body.pendingMigrations).toEqual([last]);
  });

  it('is not ready once mail has waited in the outbox for more than 15 minutes', async () => {
    t = await createTestApp();
    await queueMail(t, t.clock.now());
    await queueMail(t, new Date(t.clock.now().getTime() - 3600_000), 'sent');
    t.clock.advance(14 * 60_000);
    expect((await ready(t)).status).toBe(200);
    t.clock.advance(2 * 60_000);
    const stuck = await ready(t);
    expect(stuck.status).toBe(503);
    expect(stuck.body.checks.outbox).toBe('stuck');
    expect(stuck.body.checks.database).toBe('ok');
  });

  it('checks Redis when it is configured, and fails when it does not answer', async () => {
    t = await createTestApp({ env: { REDIS_URL: process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379' } });
    const up = await ready(t);
    expect(up.body.checks.redis).toBe('ok');
    expect(up.status).toBe(200);
    await t.close();
    // Nothing listens on port 1: the PING fails or times out, and readiness says so.
    t = await createTestApp({ env: { REDIS_URL: 'redis://127.0.0.1:1' } });
    const down = await ready(t);
    expect(down.body.checks.redis).toBe('failed');
    expect(down.status).toBe(503);
  });
});

describe('operational metrics', () => {
  it('reports jobs by name and state, how long the oldest due job has waited, and the outbox', async () => {
    t = await createTestApp();
    const now = t.clock.now();
    await queueJob(t, 'test.ops-a', 'queued', new Date(now.getTime() - 90_000));
    await queueJob(t, 'test.ops-a', 'queued', now);
    // Not yet due: waiting for its time is not a backlog.
    await queueJob(t, 'test.ops-a', 'queued', new Date(now.getTime() + 3600_000));
    await queueJob(t, 'test.ops-b', 'running', now);
    await queueJob(t, 'test.ops-b', 'failed', now);
    await queueJob(t, 'test.ops-b', 'done', now);
    await queueMail(t, new Date(now.getTime() - 600_000));
    const text = await metrics(t);
    expect(sample(text, 'heatwatch_jobs{name="test.ops-a",state="queued"}')).toBe(3);
    expect(sample(text, 'heatwatch_jobs{name="test.ops-b",state="running"}')).toBe(1);
    expect(sample(text, 'heatwatch_jobs{name="test.ops-b",state="failed"}')).toBe(1);
    expect(text).not.toContain('state="done"');
    expect(sample(text, 'heatwatch_jobs_oldest_due_seconds')).toBeGreaterThanOrEqual(90);
    expect(sample(text, 'heatwatch_jobs_oldest_due_seconds')).toBeLessThan(100);
    expect(sample(text, 'heatwatch_outbox_messages{state="queued"}')).toBe(1);
    expect(sample(text, 'heatwatch_outbox_messages{state="failed"}')).toBe(0);
    expect(sample(text, 'heatwatch_outbox_oldest_queued_seconds')).toBe(600);
    expect(text).toMatch(/^# TYPE heatwatch_jobs gauge$/m);
  });

  it('keeps request latency by route pattern, never by the path a client typed', async () => {
    t = await createTestApp();
    await t.app.inject({ url: '/map1193/businesses/9d2c1e0a-0000-4000-8000-00000000abcd' });
    const text = await metrics(t);
    expect(text).toContain('heatwatch_http_request_duration_seconds_count{route="/map1193/businesses/:id",method="GET"} 1');
    expect(text).not.toContain('9d2c1e0a');
  });
});

describe('structured logs', () => {
  // `hostname` at the top of a line is pino's: this server's name, checked below.
  const CLIENT_FIELDS = ['remoteAddress', 'remotePort', 'ip', 'ips', 'host', 'userAgent', 'user-agent', 'referer', 'referrer', 'headers', 'url', 'query'];
  const keysOf = (value: unknown): string[] => (value && typeof value === 'object' ? Object.entries(value).flatMap(([k, v]) => [k, ...keysOf(v)]) : []);

  it('writes JSON lines with the route pattern and no client field, even behind a proxy that forwards the address', async () => {
    t = await createTestApp({ env: { TRUST_PROXY: '127.0.0.1' } });
    const client = { 'x-forwarded-for': '198.51.100.201', 'user-agent': 'DistinctiveAgent/9.9', referer: 'https://referrer.example/page' };
    await t.app.inject({ url: '/map1193/businesses/9d2c1e0a-0000-4000-8000-00000000abcd?q=secret-query', remoteAddress: '127.0.0.1', headers: client });
    await t.app.inject({ url: '/no-such-page', remoteAddress: '127.0.0.1', headers: client });
    const lines = t.logs.join('').split('\n').filter(Boolean).map((l) => JSON.parse(l) as Record<string, unknown>);
    const requests = lines.filter((l) => l.msg === 'request');
    expect(requests.map((l) => l.route)).toEqual(['/map1193/businesses/:id', 'unmatched']);
    for (const line of lines) {
      expect(keysOf(line).filter((k) => CLIENT_FIELDS.includes(k))).toEqual([]);
      expect(line.hostname).toBe(os.hostname());
      expect(keysOf(line).filter((k) => k === 'hostname')).toHaveLength(1);
    }
    const raw = t.logs.join('');
    for (const value of ['198.51.100.201', 'DistinctiveAgent', 'referrer.example', 'secret-query', '9d2c1e0a']) expect(raw).not.toContain(value);
  });
});
