import { randomBytes, timingSafeEqual } from 'node:crypto';
import os from 'node:os';
import { Argon2Pool } from './argon2-pool.ts';

/**
 * How many argon2id runs may go at once: one per core. Each run is ~40 ms of one core's time,
 * so more at once than there are cores only makes each slower, and 19 MiB each. The runs are on
 * low-priority threads of their own (argon2-pool.ts), so the event loop keeps a core's worth of
 * priority however many tips or sign-ins arrive.
 */
export function defaultArgon2Concurrency(cpus = os.availableParallelism()): number {
  return Math.max(1, Math.min(cpus, 8));
}

/** Runs waiting beyond this are refused (503): a flood costs memory for its bodies, not unbounded. */
export const ARGON2_MAX_QUEUE = 1000;

const pool = new Argon2Pool(defaultArgon2Concurrency(), ARGON2_MAX_QUEUE);

/** Set once at start-up from the config (ARGON2_CONCURRENCY); process-wide, like the CPUs it shares. */
export function setArgon2Concurrency(limit: number): void {
  pool.resize(limit);
}

export function argon2Concurrency(): number {
  return pool.size;
}

/** OWASP's recommended argon2id floor: 19 MiB, 2 passes, 1 lane. */
export const ARGON2_PARAMS = { memory: 19456, passes: 2, parallelism: 1 } as const;

type Params = { memory: number; passes: number; parallelism: number };

async function derive(message: string | Buffer, salt: Buffer, params: Params, length = 32): Promise<Buffer> {
  return pool.hash({ message, nonce: salt, tagLength: length, ...params });
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
