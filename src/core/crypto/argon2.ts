import { argon2, randomBytes, timingSafeEqual } from 'node:crypto';
import os from 'node:os';
import { promisify } from 'node:util';
import { Semaphore } from './semaphore.ts';

const argon2Async = promisify(argon2);

/** libuv's thread pool, shared by argon2 and by every asynchronous file operation (uploads, static files). */
const THREAD_POOL_SIZE = Number(process.env.UV_THREADPOOL_SIZE) || 4;

/**
 * How many argon2id runs may use the thread pool at once. Each run is ~40 ms of one core's
 * time, so running more at once than there are cores only makes each slower; and a run holds a
 * pool thread throughout, so two threads are always left for file work: a burst of tips or
 * sign-ins must not make every other visitor's request wait behind it.
 */
export function defaultArgon2Concurrency(cpus = os.availableParallelism(), poolSize = THREAD_POOL_SIZE): number {
  return Math.max(1, Math.min(cpus, poolSize - 2));
}

/** Runs waiting beyond this are refused (503): a flood costs memory for its bodies, not unbounded. */
export const ARGON2_MAX_QUEUE = 1000;

const limiter = new Semaphore(defaultArgon2Concurrency(), ARGON2_MAX_QUEUE);

/** Set once at start-up from the config (ARGON2_CONCURRENCY); the limit is process-wide like the pool it guards. */
export function setArgon2Concurrency(limit: number): void {
  limiter.resize(limit);
}

export function argon2Concurrency(): number {
  return limiter.limit;
}

/** OWASP's recommended argon2id floor: 19 MiB, 2 passes, 1 lane. */
export const ARGON2_PARAMS = { memory: 19456, passes: 2, parallelism: 1 } as const;

type Params = { memory: number; passes: number; parallelism: number };

async function derive(message: string | Buffer, salt: Buffer, params: Params, length = 32): Promise<Buffer> {
  return limiter.run(() => argon2Async('argon2id', { message, nonce: salt, tagLength: length, ...params }));
}

/** argon2id in the PHC string format, so parameters can be raised later without breaking old hashes. */
export async function hashSecret(secret: string, params: Params = ARGON2_PARAMS): Promise<string> {
  const salt = randomBytes(16);
  const hash = await derive(secret, salt, params);
  return `$argon2id$v=19$m=${params.memory},t=${params.passes},p=${params.parallelism}$${salt.toString('base64url')}$${hash.toString('base64url')}`;
}

/** Checks a secret against a PHC string in constant time; a malformed string never matches. */
export async function verifySecret(phc: string, secret: string): Promise<boolean> {
  const match = /^\$argon2id\$v=19\$m=(\d+),t=(\d+),p=(\d+)\$([A-Za-z0-9_-]+)\$([A-Za-z0-9_-]+)$/.exec(phc);
  if (!match) return false;
  const expected = Buffer.from(match[5]!, 'base64url');
  const actual = await derive(secret, Buffer.from(match[4]!, 'base64url'), {
    memory: Number(match[1]),
    passes: Number(match[2]),
    parallelism: Number(match[3]),
  }, expected.length);
  return timingSafeEqual(expected, actual);
}

/** A 32-byte key from a password or code, for wrapping other keys. */
export async function deriveKey(secret: string, salt: Buffer, params: Params = ARGON2_PARAMS): Promise<Buffer> {
  return derive(secret, salt, params);
}

/** A hash of a well-known dummy, checked when an account does not exist so both paths cost the same. */
let dummyHash: Promise<string> | undefined;
export function dummySecretHash(): Promise<string> {
  dummyHash ??= hashSecret('heatwatch-timing-equaliser');
  return dummyHash;
}
