import { spawnSync } from 'node:child_process';
import { argon2Sync, randomBytes } from 'node:crypto';
import path from 'node:path';
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

  it('keeps a process up while it hashes and lets it end once idle', () => {
    // A process with nothing else to wait for, like the CLI on SQLite: it must get its hash, then exit by itself.
    const pool = JSON.stringify(path.join(import.meta.dirname, 'argon2-pool.ts'));
    // Twice: the second job goes to a worker that was idle in between.
    const script = `import { Argon2Pool } from ${pool};
      const pool = new Argon2Pool(1, 1);
      const job = { message: 'x', nonce: Buffer.alloc(16), tagLength: 32, memory: 1024, passes: 1, parallelism: 1 };
      await pool.hash(job);
      await new Promise((resolve) => setTimeout(resolve, 50));
      const tag = await pool.hash(job);
      console.log('hashed', tag.length);`;
    const child = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8', timeout: 20_000 });
    expect(child.stderr).toBe('');
    expect(child.stdout.trim()).toBe('hashed 32');
    expect(child.status).toBe(0);
  });
});
