import type { FastifyInstance } from 'fastify';
import { Counter, collectDefaultMetrics, Histogram, Registry } from 'prom-client';
import { AppError } from './errors.ts';

export type MetricsOptions = {
  /** Bearer token for scrapers off this host; loopback scrapes need none. */
  token: string | undefined;
  /** Fastify's `trustProxy`: off, forwarded addresses are ignored and every limit is site-wide. */
  trustProxy?: boolean | string;
};

/** Headers a proxy adds; a request with any of them came through one, whatever its peer. */
const FORWARDING_HEADERS = ['x-forwarded-for', 'forwarded', 'x-real-ip', 'x-forwarded-host', 'x-forwarded-proto', 'true-client-ip', 'cf-connecting-ip'];

const isLoopback = (address: string | undefined) => address !== undefined && (address === '::1' || /^(::ffff:)?127\.\d+\.\d+\.\d+$/i.test(address));

/**
 * Prometheus text at /metrics. Labels are route patterns and status codes only,
 * so a metric can never carry a tipster's path, query or address.
 */
export function registerMetrics(app: FastifyInstance, options: MetricsOptions): Registry {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'heatwatch_' });
  const requests = new Counter({
    name: 'heatwatch_http_requests_total',
    help: 'HTTP requests by route pattern, method and status',
    labelNames: ['route', 'method', 'status'],
    registers: [registry],
  });
  const duration = new Histogram({
    name: 'heatwatch_http_request_duration_seconds',
    help: 'HTTP request duration by route pattern',
    labelNames: ['route', 'method'],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [registry],
  });
  let warned = false;
  app.addHook('onRequest', async (request) => {
    if (warned || options.trustProxy || request.headers['x-forwarded-for'] === undefined) return;
    warned = true;
    // Behind a proxy every request seems to come from the proxy: each per-client limit (sign-in,
    // tips, receipt codes) would then hold the whole site at once.
    request.log.warn('requests carry X-Forwarded-For but TRUST_PROXY is off: every client looks like the proxy, so per-client limits apply to the whole site; set TRUST_PROXY to the proxy address');
  });
  app.addHook('onResponse', async (request, reply) => {
    const route = request.routeOptions.url ?? 'unmatched';
    requests.inc({ route, method: request.method, status: String(reply.statusCode) });
    duration.observe({ route, method: request.method }, reply.elapsedTime / 1000);
  });
  app.get('/metrics', async (request, reply) => {
    const auth = request.headers.authorization;
    const local = isLoopback(request.socket.remoteAddress);
    const behindProxy = FORWARDING_HEADERS.some((name) => request.headers[name] !== undefined);
    const tokenOk = options.token !== undefined && auth === `Bearer ${options.token}`;
    if (!tokenOk && (!local || behindProxy)) throw new AppError('not_found');
    return reply.type(registry.contentType).header('cache-control', 'no-store').send(await registry.metrics());
  });
  return registry;
}
