import { randomBytes } from 'node:crypto';
import type { FastifyInstance, FastifyServerOptions } from 'fastify';
import type { DestinationStream } from 'pino';

/**
 * Logger options. Request logs are written by our own hook with the route pattern, status and
 * time only: no client address, user agent, referrer, query string or body, on any route.
 */
export function loggerOptions(level: string, stream?: DestinationStream): FastifyServerOptions['logger'] {
  return {
    level,
    ...(stream ? { stream } : {}),
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

export function registerRequestLog(app: FastifyInstance): void {
  app.addHook('onResponse', async (request, reply) => {
    // A confidential route's line would date, to the millisecond, a tipster's visit; metrics still count it.
    if (request.routeOptions.config?.confidential === true) return;
    request.log.info(
      { method: request.method, route: request.routeOptions.url ?? 'unmatched', status: reply.statusCode, ms: Math.round(reply.elapsedTime) },
      'request',
    );
  });
}

/**
 * A random request id. Fastify's default counts up, and the gap between two logged ids then
 * tells how many requests (tip-line visits among them) came in between, dating each visit.
 */
export function randomRequestId(): string {
  return randomBytes(9).toString('base64url');
}
