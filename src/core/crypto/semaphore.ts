/** Thrown when more work waits than the queue holds: the caller answers "busy" instead of piling up memory. */
export class QueueFullError extends Error {
  /** Fastify's error handler answers 503: the server is busy, not broken. */
  readonly statusCode = 503;
  readonly limit: number;
  constructor(limit: number) {
    super(`more than ${limit} tasks are waiting`);
    this.name = 'QueueFullError';
    this.limit = limit;
  }
}

/**
 * At most `limit` tasks run at once; the others wait in arrival order (FIFO) in a queue of at
 * most `maxQueue`. A task that throws frees its place like one that returns.
 */
export class Semaphore {
  #limit: number;
  #maxQueue: number;
  #running = 0;
  readonly #waiting: Array<() => void> = [];

  constructor(limit: number, maxQueue = Number.POSITIVE_INFINITY) {
    this.#limit = Semaphore.#check(limit);
    this.#maxQueue = maxQueue;
  }

  static #check(limit: number): number {
    if (!Number.isInteger(limit) || limit < 1) throw new RangeError(`semaphore limit must be a positive integer, got ${limit}`);
    return limit;
  }

  get limit(): number {
    return this.#limit;
  }

  get running(): number {
    return this.#running;
  }

  get waiting(): number {
    return this.#waiting.length;
  }

  /** A new limit applies at once to waiting tasks; running ones finish as they are. */
  resize(limit: number, maxQueue = this.#maxQueue): void {
    this.#limit = Semaphore.#check(limit);
    this.#maxQueue = maxQueue;
    this.#next();
  }

  async run<T>(task: () => Promise<T>): Promise<T> {
    if (this.#running >= this.#limit || this.#waiting.length > 0) {
      if (this.#waiting.length >= this.#maxQueue) throw new QueueFullError(this.#maxQueue);
      await new Promise<void>((resolve) => this.#waiting.push(resolve));
    } else {
      this.#running++;
    }
    try {
      return await task();
    } finally {
      this.#running--;
      this.#next();
    }
  }

  #next(): void {
    while (this.#running < this.#limit && this.#waiting.length > 0) {
      this.#running++;
      this.#waiting.shift()!();
    }
  }
}
