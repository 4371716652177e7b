import { randomBytes } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { manualClock } from '../clock.ts';
import { limitKeyOf, memoryRateLimiter, type RateLimiter, redisRateLimiter } from './rate-limiter.ts';

/** A limiter and a way to let time pass for it: the memory one reads a manual clock, Redis its own. */
type Subject = () => { limiter: RateLimiter; pass(ms: number): Promise<void> };
const limiters: [string, Subject][] = [
  [
    'memory',
    () => {
      const clock = manualClock();
      return { limiter: memoryRateLimiter(() => clock.now().getTime()), pass: async (ms) => clock.advance(ms) };
    },
  ],
];
if (process.env.TEST_REDIS_URL) {
  // Redis expires keys on the server's clock, which only real time moves.
  limiters.push(['redis', () => ({ limiter: redisRateLimiter(process.env.TEST_REDIS_URL!), pass: (ms) => new Promise((r) => setTimeout(r, ms)) })]);
}

describe.each(limiters)('%s rate limiter', (_name, make) => {
  const { limiter, pass } = make();
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
    expect((await limiter.consume(k, 1, 50)).allowed).toBe(false);
    await pass(80);
    expect((await limiter.consume(k, 1, 50)).allowed).toBe(true);
    await limiter.reset(k);
    expect(await limiter.peek(k)).toBe(0);
  });
});

// Locks (`attempt`) are timed by the app's clock on both limiters, so tests move them like any wait.
const lockLimiters: [string, (now: () => number) => RateLimiter][] = [['memory', (now) => memoryRateLimiter(now)]];
if (process.env.TEST_REDIS_URL) lockLimiters.push(['redis', (now) => redisRateLimiter(process.env.TEST_REDIS_URL!, now)]);

describe.each(lockLimiters)('%s rate limiter locks', (_name, make) => {
  const clock = manualClock();
  const limiter = make(() => clock.now().getTime());
  afterAll(() => limiter.close());
  const key = () => `test:${randomBytes(6).toString('hex')}`;

  it('refuses during a wait and lets the next attempt in when the clock passes it', async () => {
    const k = key();
    expect(await limiter.attempt(k, [0, 5_000], 3600_000)).toEqual({ allowed: true, count: 1, retryAfterSeconds: 0 });
    expect(await limiter.attempt(k, [0, 5_000], 3600_000)).toEqual({ allowed: true, count: 2, retryAfterSeconds: 5 });
    expect(await limiter.attempt(k, [0, 5_000], 3600_000)).toEqual({ allowed: false, count: 2, retryAfterSeconds: 5 });
    clock.advance(5_000);
    expect(await limiter.attempt(k, [0, 5_000], 3600_000)).toMatchObject({ allowed: true, count: 3 });
    // The count ends with its window, whatever Redis's own clock says.
    clock.advance(3600_000);
    expect(await limiter.attempt(k, [0, 5_000], 3600_000)).toEqual({ allowed: true, count: 1, retryAfterSeconds: 0 });
  });

  it('takes back an attempt and its wait, and a counted request, never below zero', async () => {
    const k = key();
    await limiter.attempt(k, [5_000], 3600_000);
    await limiter.release(k, true);
    expect(await limiter.peek(k)).toBe(0);
    expect((await limiter.attempt(k, [5_000], 3600_000)).allowed).toBe(true);
    const c = key();
    await limiter.consume(c, 1, 60_000);
    await limiter.refund(c);
    await limiter.refund(c);
    expect(await limiter.peek(c)).toBe(0);
    expect((await limiter.consume(c, 1, 60_000)).allowed).toBe(true);
  });
});

describe('limitKeyOf', () => {
  it('keys IPv6 clients by their /64 and IPv4 clients by the whole address', () => {
    expect(limitKeyOf('2001:db8:1:2:aaaa::1')).toBe('2001:db8:1:2::/64');
    expect(limitKeyOf('2001:0db8:0001:0002:ffff:ffff:ffff:fffe')).toBe('2001:db8:1:2::/64');
    expect(limitKeyOf('2001:db8::7')).toBe('2001:db8:0:0::/64');
    expect(limitKeyOf('2001:db8::7')).toBe(limitKeyOf('2001:db8:0:0:1::'));
    expect(limitKeyOf('2001:db8:0:1::7')).not.toBe(limitKeyOf('2001:db8::7'));
    expect(limitKeyOf('::1')).toBe('0:0:0:0::/64');
    expect(limitKeyOf('198.51.100.7')).toBe('198.51.100.7');
    expect(limitKeyOf('::ffff:198.51.100.7')).toBe('198.51.100.7');
  });
});
