import { isIPv6 } from 'node:net';
import { Redis } from 'ioredis';

/**
 * The part of a client address that limits are keyed by: an IPv4 address whole, an IPv6 one by
 * its /64, the block one home or phone is given, so cycling through its addresses gains nothing.
 */
export function limitKeyOf(address: string): string {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped) return mapped[1]!;
  if (!isIPv6(address)) return address;
  const [head = '', tail = ''] = address.toLowerCase().split('::');
  const left = head ? head.split(':') : [];
  const right = address.includes('::') && tail ? tail.split(':') : [];
  const groups = address.includes('::') ? [...left, ...Array<string>(8 - left.length - right.length).fill('0'), ...right] : left;
  return `${groups.slice(0, 4).map((g) => g.replace(/^0+(?=.)/, '')).join(':')}::/64`;
}

export type RateDecision = { allowed: boolean; count: number; retryAfterSeconds: number };

/**
 * A lock schedule: `waitsMs[n - 1]` is the wait that starts once the n-th attempt is counted
 * (0 for none); past the end, the last entry repeats.
 */
export type LockSchedule = readonly number[];

const waitFor = (schedule: LockSchedule, count: number) => schedule[Math.min(count, schedule.length) - 1] ?? 0;

/**
 * Fixed-window counters for throttling. Keys arrive already hashed (see `throttleKey`), so
 * neither memory nor Redis ever holds a client address in the clear.
 */
export type RateLimiter = {
  consume(key: string, limit: number, windowMs: number): Promise<RateDecision>;
  /** Takes back one `consume` that turned out not to count; never below zero. */
  refund(key: string): Promise<void>;
  /**
   * One attempt against a lock, decided atomically so parallel attempts count one by one: while
   * a wait runs the attempt is refused uncounted (`retryAfterSeconds` is what is left of it);
   * otherwise it is counted and, when the schedule says so, the wait starts. Counts live
   * `windowMs` from the first attempt.
   */
  attempt(key: string, schedule: LockSchedule, windowMs: number): Promise<RateDecision>;
  /**
   * Takes back one counted attempt (a try that turned out not to be a guess), and with
   * `liftWait` the wait that attempt started.
   */
  release(key: string, liftWait: boolean): Promise<void>;
  /** Current count without adding to it. */
  peek(key: string): Promise<number>;
  reset(key: string): Promise<void>;
  /** Resolves when the store answers (Redis: a PING within `timeoutMs`); for readiness checks. */
  ping(timeoutMs: number): Promise<void>;
  close(): Promise<void>;
};

export function memoryRateLimiter(now: () => number = Date.now): RateLimiter {
  const windows = new Map<string, { count: number; resetAt: number }>();
  const sweep = setInterval(() => {
    const t = now();
    for (const [k, w] of windows) if (w.resetAt <= t) windows.delete(k);
  }, 60_000);
  sweep.unref();
  const live = (key: string) => {
    const w = windows.get(key);
    return w && w.resetAt > now() ? w : undefined;
  };
  return {
    async consume(key, limit, windowMs) {
      const t = now();
      let w = live(key);
      if (!w) {
        w = { count: 0, resetAt: t + windowMs };
        windows.set(key, w);
      }
      w.count++;
      return { allowed: w.count <= limit, count: w.count, retryAfterSeconds: Math.max(1, Math.ceil((w.resetAt - t) / 1000)) };
    },
    async refund(key) {
      const w = live(key);
      if (w && w.count > 0) w.count--;
    },
    async attempt(key, schedule, windowMs) {
      const t = now();
      const lock = live(`${key}:lock`);
      if (lock) return { allowed: false, count: live(key)?.count ?? 0, retryAfterSeconds: Math.max(1, Math.ceil((lock.resetAt - t) / 1000)) };
      let w = live(key);
      if (!w) {
        w = { count: 0, resetAt: t + windowMs };
        windows.set(key, w);
      }
      w.count++;
      const waitMs = waitFor(schedule, w.count);
      if (waitMs > 0) windows.set(`${key}:lock`, { count: 1, resetAt: t + waitMs });
      return { allowed: true, count: w.count, retryAfterSeconds: Math.ceil(waitMs / 1000) };
    },
    async release(key, liftWait) {
      const w = live(key);
      if (w && w.count > 0) w.count--;
      if (liftWait) windows.delete(`${key}:lock`);
    },
    async peek(key) {
      return live(key)?.count ?? 0;
    },
    async reset(key) {
      windows.delete(key);
      windows.delete(`${key}:lock`);
    },
    async ping() {
      // In this process's memory: it answers as long as the process does.
    },
    async close() {
      clearInterval(sweep);
    },
  };
}

// The lock check, the count and the start of a wait in one step, so no two processes interleave.
// Times are the app's clock (ARGV[1]), not Redis's, so a wait ends when the app says it does
// (tests move that clock); the key's own expiry only clears it away afterwards.
const ATTEMPT_SCRIPT = `
local now = tonumber(ARGV[1])
local h = redis.call('HMGET', KEYS[1], 'n', 'reset', 'until')
local n = tonumber(h[1] or '0')
local reset = tonumber(h[2] or '0')
local untl = tonumber(h[3] or '0')
if reset <= now then n = 0 end
if untl > now then return {0, n, untl - now} end
n = n + 1
if n == 1 then reset = now + tonumber(ARGV[2]) end
local wait = tonumber(ARGV[math.min(n, #ARGV - 2) + 2] or '0')
if wait > 0 then untl = now + wait end
redis.call('HSET', KEYS[1], 'n', n, 'reset', reset, 'until', untl)
redis.call('PEXPIRE', KEYS[1], math.max(reset, untl) - now)
return {1, n, wait}
`;

// Never below zero, and never a count left without its expiry.
const RELEASE_SCRIPT = `
if tonumber(redis.call('HGET', KEYS[1], 'n') or '0') > 0 then redis.call('HINCRBY', KEYS[1], 'n', -1) end
if ARGV[1] == '1' then redis.call('HSET', KEYS[1], 'until', 0) end
return 1
`;

const REFUND_SCRIPT = `
if tonumber(redis.call('GET', KEYS[1]) or '0') > 0 then redis.call('DECR', KEYS[1]) end
return 1
`;

/**
 * Shared counters for several processes behind one load balancer. Locks are timed by `now`, the
 * app's clock; fixed windows (`consume`) by Redis's expiry.
 */
export function redisRateLimiter(url: string, now: () => number = Date.now): RateLimiter {
  const redis = new Redis(url, { lazyConnect: false, maxRetriesPerRequest: 2, enableOfflineQueue: true });
  const prefix = 'heatwatch:rl:';
  return {
    async consume(key, limit, windowMs) {
      const k = prefix + key;
      const result = await redis.multi().incr(k).pexpire(k, windowMs, 'NX').pttl(k).exec();
      const count = Number(result?.[0]?.[1] ?? 0);
      const ttl = Number(result?.[2]?.[1] ?? windowMs);
      return { allowed: count <= limit, count, retryAfterSeconds: Math.max(1, Math.ceil(ttl / 1000)) };
    },
    async refund(key) {
      await redis.eval(REFUND_SCRIPT, 1, prefix + key);
    },
    async attempt(key, schedule, windowMs) {
      const k = prefix + key;
      const [allowed, count, ms] = (await redis.eval(ATTEMPT_SCRIPT, 1, `${k}:attempts`, now(), windowMs, ...schedule)) as [number, number, number];
      return { allowed: allowed === 1, count, retryAfterSeconds: allowed === 1 ? Math.ceil(ms / 1000) : Math.max(1, Math.ceil(ms / 1000)) };
    },
    async release(key, liftWait) {
      const k = prefix + key;
      await redis.eval(RELEASE_SCRIPT, 1, `${k}:attempts`, liftWait ? 1 : 0);
    },
    async peek(key) {
      return Number((await redis.get(prefix + key)) ?? (await redis.hget(`${prefix}${key}:attempts`, 'n')) ?? 0);
    },
    async reset(key) {
      await redis.del(prefix + key, `${prefix}${key}:attempts`);
    },
    async ping(timeoutMs) {
      let timer: NodeJS.Timeout | undefined;
      const late = new Promise<never>((_resolve, reject) => {
        timer = setTimeout(() => reject(new Error(`redis did not answer within ${timeoutMs} ms`)), timeoutMs);
      });
      try {
        await Promise.race([redis.ping(), late]);
      } finally {
        clearTimeout(timer);
      }
    },
    async close() {
      await redis.quit();
    },
  };
}
