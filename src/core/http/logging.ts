import { randomBytes } from 'node:crypto';
import type { FastifyBaseLogger, FastifyInstance, FastifyReply, FastifyRequest, FastifyServerOptions } from 'fastify';
import type { Bindings, ChildLoggerOptions, DestinationStream } from 'pino';

type LineSink = { write(chunk: string): unknown };

/** How long a log line may wait for others to share its write. */
const BATCH_MS = 10;

/**
 * Log lines written within a few milliseconds leave in one write: under load that is one system
 * call for hundreds of request lines instead of one each, and no line waits longer than
 * `BATCH_MS`. Whatever is pending when the process exits (a crash included) is written then.
 */
export function batchedLines(sink: LineSink): DestinationStream {
  let pending = '';
  const flush = () => {
    if (pending === '') return;
    const out = pending;
    pending = '';
    sink.write(out);
  };
  process.once('exit', flush);
  return {
    write(line: string) {
      // Unref'd: a pending write never keeps the process alive; the exit hook writes it.
      if (pending === '') setTimeout(flush, BATCH_MS).unref();
      pending += line;
    },
  };
}

/**
 * Logger options. Request logs are written by our own hook with the route pattern, status and
 * time only: no client address, user agent, referrer, query string or body, on any route.
 * Without a stream (tests pass theirs), lines go to standard output in batches.
 */
export function loggerOptions(level: string, stream?: DestinationStream): FastifyServerOptions['logger'] {
  return {
    level,
    stream: stream ?? batchedLines(process.stdout),
    redact: {
      paths: ['req.headers', 'headers.cookie', 'headers.authorization', '*.password', '*.receipt', '*.token'],
      censor: '[redacted]',
    },
    serializers: {
      // Fastify's default request serializer records remoteAddress and hostname: replaced.
      req: (req: { method?: string; routeOptions?: { url?: string } }) => ({ method: req.method, route: req.routeOptions?.url }),
      res: (res: { statusCode?: number }) => ({ statusCode: res.statusCode }),
    },
  } as FastifyServerOptions['logger'];
}

/**
 * A request's logger that binds the request id only once something is logged through it. Almost
 * no request logs anything but its request line, so the pino child Fastify makes for each one
 * (its bindings serialized up front) was work thrown away on nearly every page view.
 */
const write = (logger: FastifyBaseLogger, level: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace', args: unknown[]) =>
  (logger[level] as (...a: unknown[]) => void).apply(logger, args);

class LazyChild implements FastifyBaseLogger {
  readonly #parent: FastifyBaseLogger;
  readonly #bindings: Bindings;
  readonly #options: ChildLoggerOptions;
  #child: FastifyBaseLogger | undefined;

  constructor(parent: FastifyBaseLogger, bindings: Bindings, options: ChildLoggerOptions) {
    this.#parent = parent;
    this.#bindings = bindings;
    this.#options = options;
  }

  #real(): FastifyBaseLogger {
    return (this.#child ??= this.#parent.child(this.#bindings, this.#options));
  }

  get level(): string {
    return this.#child?.level ?? this.#options.level ?? this.#parent.level;
  }

  set level(level: string) {
    this.#real().level = level;
  }

  // Methods on the prototype, not arrow fields: one small object per request, no closures.
  fatal(...args: unknown[]): void {
    write(this.#real(), 'fatal', args);
  }
  error(...args: unknown[]): void {
    write(this.#real(), 'error', args);
  }
  warn(...args: unknown[]): void {
    write(this.#real(), 'warn', args);
  }
  info(...args: unknown[]): void {
    write(this.#real(), 'info', args);
  }
  debug(...args: unknown[]): void {
    write(this.#real(), 'debug', args);
  }
  trace(...args: unknown[]): void {
    write(this.#real(), 'trace', args);
  }
  silent(): void {}

  child(bindings: Bindings, options?: ChildLoggerOptions): FastifyBaseLogger {
    return this.#real().child(bindings, options);
  }
}

/** Levels at which request lines are not written at all, so their hook is not even added. */
const QUIETER_THAN_INFO = new Set(['warn', 'error', 'fatal', 'silent']);

/**
 * One line per request, except on confidential routes, when the level includes `info`; and the
 * per-request logger every route's `request.log` is.
 */
export function registerRequestLog(app: FastifyInstance): void {
  app.setChildLoggerFactory((parent, bindings, options) => new LazyChild(parent, bindings, options));
  if (QUIETER_THAN_INFO.has(app.log.level)) return;
  // The request line's fields are fixed and never secret, so it skips the redaction pass every
  // other line gets (the costliest part of writing it), and it is written by one logger made
  // once, not by the per-request child; the request id it would have bound is a field instead.
  const lines = app.log.child({}, { redact: [] });
  app.addHook('onResponse', (request: FastifyRequest, reply: FastifyReply, done: () => void) => {
    const route = request.routeOptions;
    // A confidential route's line would date, to the millisecond, a tipster's visit; metrics still count it.
    if (route.config?.confidential !== true) {
      lines.info({ reqId: request.id, method: request.method, route: route.url ?? 'unmatched', status: reply.statusCode, ms: Math.round(reply.elapsedTime) }, 'request');
    }
    done();
  });
}

/**
 * A random request id. Fastify's default counts up, and the gap between two logged ids then
 * tells how many requests (tip-line visits among them) came in between, dating each visit.
 */
export function randomRequestId(): string {
  return randomBytes(9).toString('base64url');
}
