import { randomBytes } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { memoryRateLimiter, type RateLimiter, redisRateLimiter } from './rate-limiter.ts';

const limiters: [string, () => RateLimiter][] = [['memory', () => memoryRateLimiter()]];
if (process.env.TEST_REDIS_URL) limiters.push(['redis', () => redisRateLimiter(process.env.TEST_REDIS_URL!)]);

describe.each(limiters)('%s rate limiter', (_name, make) => {
  const limiter = make();
  afterAll(() => limiter.close());
  const key = () => `test:${randomBytes(6).toString('hex')}`;

  it('allows up to the limit in a window, then refuses with a retry time', async () => {
    const k = key();
    for (let i = 1; i <= 3; i++) expect((await limiter.consume(k, 3, 60_000)).allowed).toBe(true);
    const refused = await limiter.consume(k, 3, 60_000);
    expect(refused.allowed).toBe(false);
    expect(refused.count).toBe(4);
    expect(refused.retryAfterSeconds).toBeGreaterThan(0);
    expect(refused.retryAfterSeconds).toBeLessThanOrEqual(60);
  });

  it('starts again after the window or a reset', async () => {
    const k = key();
    await limiter.consume(k, 1, 50);
    await new Promise((r) => setTimeout(r, 80));
    expect((await limiter.consume(k, 1, 50)).allowed).toBe(true);
    await limiter.reset(k);
    expect(await limiter.peek(k)).toBe(0);
  });
});
