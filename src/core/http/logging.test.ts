import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/helpers/app.ts';
import { batchedLines } from './logging.ts';

describe('batchedLines', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('writes the lines of a few milliseconds in one write, in order, and none later than that', () => {
    vi.useFakeTimers();
    const writes: string[] = [];
    const stream = batchedLines({ write: (chunk: string) => writes.push(chunk) });
    stream.write('a\n');
    stream.write('b\n');
    expect(writes).toEqual([]);
    vi.advanceTimersByTime(10);
    expect(writes).toEqual(['a\nb\n']);
    stream.write('c\n');
    vi.advanceTimersByTime(10);
    expect(writes).toEqual(['a\nb\n', 'c\n']);
  });
});

describe('request logs', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({
      beforeReady: (app) => {
        app.get('/__probe', async (request) => {
          request.log.warn({ user: { password: 'hunter2-probe' } }, 'probe line');
          return 'ok';
        });
        app.get('/__confidential', { config: { confidential: true } }, async () => 'ok');
      },
    });
  });
  afterAll(async () => t.close());

  const lines = () => t.logs.join('').split('\n').filter(Boolean).map((l) => JSON.parse(l) as Record<string, unknown>);

  it('writes one line per request with its route pattern, status, time and request id', async () => {
    await t.app.inject({ url: '/contact' });
    const line = lines().find((l) => l.msg === 'request' && l.route === '/contact');
    expect(line).toMatchObject({ level: 30, method: 'GET', status: 200 });
    expect(typeof line!.ms).toBe('number');
    expect(line!.reqId).toMatch(/^[A-Za-z0-9_-]{12}$/);
  });

  it('binds the request id to what a route logs, with secrets still redacted', async () => {
    await t.app.inject({ url: '/__probe' });
    const probe = lines().find((l) => l.msg === 'probe line');
    const request = lines().find((l) => l.msg === 'request' && l.route === '/__probe');
    expect(probe?.reqId).toMatch(/^[A-Za-z0-9_-]{12}$/);
    expect(probe?.reqId).toBe(request?.reqId);
    expect(t.logs.join('')).not.toContain('hunter2-probe');
  });

  it('writes no line for a confidential route, which metrics still count', async () => {
    await t.app.inject({ url: '/__confidential' });
    expect(lines().some((l) => l.route === '/__confidential')).toBe(false);
    const metrics = await t.app.inject({ url: '/metrics', remoteAddress: '127.0.0.1' });
    expect(metrics.body).toMatch(/heatwatch_http_requests_total\{route="\/__confidential",method="GET",status="200"\} 1/);
  });

  it('writes no request line at a level quieter than info', async () => {
    const quiet = await createTestApp({ env: { LOG_LEVEL: 'warn' } });
    try {
      expect(quiet.app.log.level).toBe('warn');
      await quiet.app.inject({ url: '/contact' });
      expect(quiet.logs.join('')).not.toContain('"msg":"request"');
    } finally {
      await quiet.close();
    }
  });
});
