import { describe, expect, it } from 'vitest';
import { defaultArgon2Concurrency } from './argon2.ts';
import { QueueFullError, Semaphore } from './semaphore.ts';

/** A task that stays running until the test lets it go, recording when it started. */
function gate() {
  let open!: () => void;
  const opened = new Promise<void>((resolve) => (open = resolve));
  return { open, opened };
}

const settle = () => new Promise((resolve) => setImmediate(resolve));

describe('Semaphore', () => {
  it('never runs more than its limit at once, whatever the number of callers', async () => {
    const semaphore = new Semaphore(3);
    let running = 0;
    let most = 0;
    const tasks = Array.from({ length: 40 }, (_, i) =>
      semaphore.run(async () => {
        running++;
        most = Math.max(most, running);
        // Uneven lengths, so tasks finish out of order and places are handed on at odd moments.
        for (let k = 0; k < (i % 5) + 1; k++) await settle();
        running--;
        return i;
      }),
    );
    expect(await Promise.all(tasks)).toEqual(Array.from({ length: 40 }, (_, i) => i));
    expect(most).toBe(3);
    expect(semaphore.running).toBe(0);
    expect(semaphore.waiting).toBe(0);
  });

  it('starts waiting tasks in the order they arrived', async () => {
    const semaphore = new Semaphore(1);
    const started: number[] = [];
    const gates = Array.from({ length: 6 }, gate);
    const tasks = gates.map((g, i) =>
      semaphore.run(async () => {
        started.push(i);
        await g.opened;
      }),
    );
    await settle();
    expect(started).toEqual([0]);
    expect(semaphore.waiting).toBe(5);
    // Let them go last first: the order they start in must still be the order they came in.
    for (let i = gates.length - 1; i >= 0; i--) gates[i]!.open();
    await Promise.all(tasks);
    expect(started).toEqual([0, 1, 2, 3, 4, 5]);
  });

  it('does not let a newcomer pass tasks already waiting when a place frees up', async () => {
    const semaphore = new Semaphore(1);
    const started: string[] = [];
    const first = gate();
    const a = semaphore.run(async () => {
      started.push('a');
      await first.opened;
    });
    const b = semaphore.run(async () => void started.push('b'));
    first.open();
    const c = semaphore.run(async () => void started.push('c'));
    await Promise.all([a, b, c]);
    expect(started).toEqual(['a', 'b', 'c']);
  });

  it('frees the place of a task that throws', async () => {
    const semaphore = new Semaphore(1);
    await expect(semaphore.run(async () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    expect(await semaphore.run(async () => 'next')).toBe('next');
    expect(semaphore.running).toBe(0);
  });

  it('refuses work beyond its queue with a 503 error instead of queueing without end', async () => {
    const semaphore = new Semaphore(1, 2);
    const hold = gate();
    const tasks = [0, 1, 2].map(() => semaphore.run(() => hold.opened));
    const refused = semaphore.run(async () => 'never');
    await expect(refused).rejects.toBeInstanceOf(QueueFullError);
    await expect(refused).rejects.toMatchObject({ statusCode: 503 });
    hold.open();
    await Promise.all(tasks);
  });

  it('applies a raised limit to tasks already waiting', async () => {
    const semaphore = new Semaphore(1);
    const hold = gate();
    let running = 0;
    const tasks = [0, 1, 2].map(() =>
      semaphore.run(async () => {
        running++;
        await hold.opened;
      }),
    );
    await settle();
    expect(running).toBe(1);
    semaphore.resize(3);
    await settle();
    expect(running).toBe(3);
    hold.open();
    await Promise.all(tasks);
    expect(() => semaphore.resize(0)).toThrow(RangeError);
  });
});

describe('defaultArgon2Concurrency', () => {
  it('is one run per core, at least one, at most eight', () => {
    expect(defaultArgon2Concurrency(1)).toBe(1);
    expect(defaultArgon2Concurrency(2)).toBe(2);
    expect(defaultArgon2Concurrency(64)).toBe(8);
  });
});
