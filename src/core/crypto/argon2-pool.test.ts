import { argon2Sync, randomBytes } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { Argon2Pool } from './argon2-pool.ts';

const params = { memory: 1024, passes: 1, parallelism: 1 };
const pool = new Argon2Pool(2, 100);
afterAll(async () => pool.close());

describe('Argon2Pool', () => {
  it('gives what argon2id gives in this thread, for many jobs at once', async () => {
    const jobs = Array.from({ length: 12 }, (_, i) => ({ message: i % 2 ? `secret ${i}` : Buffer.from(`secret ${i}`), nonce: randomBytes(16), tagLength: 32, ...params }));
    const tags = await Promise.all(jobs.map((job) => pool.hash(job)));
    tags.forEach((tag, i) => expect(tag.equals(argon2Sync('argon2id', jobs[i]!))).toBe(true));
  });

  it('fails a job argon2id refuses and goes on with the next', async () => {
    await expect(pool.hash({ message: 'x', nonce: Buffer.alloc(2), tagLength: 32, ...params })).rejects.toThrow();
    const nonce = randomBytes(16);
    expect((await pool.hash({ message: 'y', nonce, tagLength: 32, ...params })).equals(argon2Sync('argon2id', { message: 'y', nonce, tagLength: 32, ...params }))).toBe(true);
  });
});
