import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { collectDefaultMetrics, Registry } from 'prom-client';
import { AppError } from './errors.ts';
import { RequestStats } from './request-stats.ts';

export type MetricsOptions = {
  /** Bearer token for scrapers off this host; loopback scrapes need none. */
  token: string | undefined;
};

/**
 * Prometheus text at /metrics. Labels are route patterns and status codes only,
 * so a metric can never carry a tipster's path, query or address. The process metrics come from
 * prom-client; the per-request ones from plain counters, because a prom-client histogram's
 * observe (label hashing, bucket search per call) was a visible share of a cached page's cost.
 */
export function registerMetrics(app: FastifyInstance, options: MetricsOptions): Registry {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'heatwatch_' });
  const stats = new RequestStats();
  app.addHook('onResponse', (request: FastifyRequest, reply: FastifyReply, done: () => void) => {
    stats.record(request.routeOptions.url ?? 'unmatched', request.method, reply.statusCode, reply.elapsedTime / 1000);
    done();
  });
  app.get('/metrics', async (request, reply) => {
    const auth = request.headers.authorization;
    const local = request.socket.remoteAddress === '127.0.0.1' || request.socket.remoteAddress === '::1' || request.socket.remoteAddress === '::ffff:127.0.0.1';
    const behindProxy = request.headers['x-forwarded-for'] !== undefined;
    const tokenOk = options.token !== undefined && auth === `Bearer ${options.token}`;
    if (!tokenOk && (!local || behindProxy)) throw new AppError('not_found');
    return reply.type(registry.contentType).header('cache-control', 'no-store').send(`${await registry.metrics()}\n${stats.text()}`);
  });
  return registry;
}
