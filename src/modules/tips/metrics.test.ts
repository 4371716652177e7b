import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/helpers/app.ts';
import { basicTip, createOfficeKey, postTip } from './testing.ts';

/** The tips gauge on `/metrics` (the core gauges and readiness: src/core/ops/readiness.test.ts). */
let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => t?.close());

const metrics = async (app: TestApp) => (await app.app.inject({ url: '/metrics', remoteAddress: '127.0.0.1' })).body;
const sample = (text: string, series: string) => {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
};

describe('tips on /metrics', () => {
  it('counts tips of the last complete hour only, so no scrape can date one tip', async () => {
    await createOfficeKey(t);
    t.clock.set(new Date('2026-03-10T09:20:00Z'));
    expect((await postTip(t, basicTip())).statusCode).toBe(200);
    expect((await postTip(t, basicTip({ whatHappened: 'a second tip' }))).statusCode).toBe(200);
    expect(sample(await metrics(t), 'heatwatch_tips_received_last_hour')).toBe(0);
    t.clock.set(new Date('2026-03-10T10:05:00Z'));
    expect(sample(await metrics(t), 'heatwatch_tips_received_last_hour')).toBe(2);
    t.clock.set(new Date('2026-03-10T11:00:00Z'));
    expect(sample(await metrics(t), 'heatwatch_tips_received_last_hour')).toBe(0);
  });
});
