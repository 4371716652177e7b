import { Worker } from 'node:worker_threads';
import { QueueFullError, Semaphore } from './semaphore.ts';

export type Argon2Job = { message: string | Buffer; nonce: Buffer; tagLength: number; memory: number; passes: number; parallelism: number };

/**
 * Each worker lowers its own thread's priority (on Linux a nice value is per thread), so when
 * the CPUs are all busy the event loop, which serves every other visitor, runs first and hashing
 * takes what is left. On an otherwise idle machine hashing still gets whole cores.
 */
const WORKER_NICE = 10;

// Plain CommonJS evaluated in the worker: no file to find next to the bundle or the sources.
const WORKER_SOURCE = `
const { parentPort } = require('node:worker_threads');
const { argon2Sync } = require('node:crypto');
try { require('node:os').setPriority(0, ${WORKER_NICE}); } catch {}
parentPort.on('message', ({ message, nonce, tagLength, memory, passes, parallelism }) => {
  try {
    const tag = argon2Sync('argon2id', { message, nonce, tagLength, memory, passes, parallelism });
    parentPort.postMessage({ tag }, [tag.buffer]);
  } catch (error) {
    parentPort.postMessage({ error: error instanceof Error ? error.message : String(error) });
  }
});
`;

type Pending = { resolve: (tag: Buffer) => void; reject: (error: Error) => void };

/** One worker thread, one job at a time; a worker that dies fails its job and is replaced on next use. */
class HashWorker {
  #worker: Worker | undefined;
  #pending: Pending | undefined;

  #start(): Worker {
    // execArgv: none of the parent's flags (an `--input-type=module` would make this source ESM).
    const worker = new Worker(WORKER_SOURCE, { eval: true, execArgv: [] });
    worker.on('message', (reply: { tag?: Uint8Array; error?: string }) => {
      worker.unref();
      const pending = this.#pending;
      this.#pending = undefined;
      if (!pending) return;
      if (reply.tag) pending.resolve(Buffer.from(reply.tag.buffer, reply.tag.byteOffset, reply.tag.byteLength));
      else pending.reject(new Error(reply.error ?? 'argon2id failed'));
    });
    const fail = (error: Error) => {
      if (this.#worker === worker) this.#worker = undefined;
      const pending = this.#pending;
      this.#pending = undefined;
      pending?.reject(error);
    };
    worker.on('error', fail);
    worker.on('exit', (code) => fail(new Error(`argon2id worker exited (${code})`)));
    return worker;
  }

  run(job: Argon2Job): Promise<Buffer> {
    this.#worker ??= this.#start();
    const worker = this.#worker;
    return new Promise<Buffer>((resolve, reject) => {
      this.#pending = { resolve, reject };
      // Referenced only while it works: a process waiting for a hash stays up for it, and an
      // idle worker never keeps a finished process (the CLI, a test run) alive.
      worker.ref();
      worker.postMessage(job);
    });
  }

  async close(): Promise<void> {
    const worker = this.#worker;
    this.#worker = undefined;
    await worker?.terminate();
  }
}

/**
 * argon2id on worker threads of its own, at most `size` at once, the rest waiting in arrival
 * order. Not on libuv's pool: four threads there serve every file read of the process, and a
 * burst of tips or sign-ins there made a stylesheet wait seconds for a free thread.
 */
export class Argon2Pool {
  readonly #semaphore: Semaphore;
  readonly #idle: HashWorker[] = [];
  #workers: HashWorker[] = [];

  constructor(size: number, maxQueue: number) {
    this.#semaphore = new Semaphore(size, maxQueue);
    this.#grow(size);
  }

  get size(): number {
    return this.#semaphore.limit;
  }

  #grow(size: number): void {
    while (this.#workers.length < size) {
      const worker = new HashWorker();
      this.#workers.push(worker);
      this.#idle.push(worker);
    }
  }

  /** More workers at once; fewer takes effect as running jobs finish (spare workers stay idle). */
  resize(size: number): void {
    this.#grow(size);
    this.#semaphore.resize(size);
  }

  hash(job: Argon2Job): Promise<Buffer> {
    return this.#semaphore.run(async () => {
      // The semaphore admits at most `size` jobs, and there are at least that many workers.
      const worker = this.#idle.pop()!;
      try {
        return await worker.run(job);
      } finally {
        this.#idle.push(worker);
      }
    });
  }

  async close(): Promise<void> {
    await Promise.all(this.#workers.map((w) => w.close()));
  }
}

export { QueueFullError };
