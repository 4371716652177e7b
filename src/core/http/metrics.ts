import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { collectDefaultMetrics, Registry } from 'prom-client';
import type { DatabaseGauge } from '../ops/gauges.ts';
import { AppError } from './errors.ts';
import { RequestStats } from './request-stats.ts';

export type MetricsOptions = {
  /** Bearer token for scrapers off this host; loopback scrapes need none. */
  token: string | undefined;
  /** Read at each scrape (modules add theirs after this is registered). */
  gauges?: readonly DatabaseGauge[];
};

const escapeLabel = (value: string) => value.replaceAll('\\', '\\\\').replaceAll('"', '\\"').replaceAll('\n', '\\n');

/** The gauges in the text format; one whose query fails is left out and the failure logged. */
async function gaugeText(app: FastifyInstance, gauges: readonly DatabaseGauge[]): Promise<string> {
  const blocks = await Promise.all(
    gauges.map(async (gauge) => {
      try {
        const samples = await gauge.collect();
        const lines = [`# HELP ${gauge.name} ${gauge.help}`, `# TYPE ${gauge.name} gauge`];
        for (const sample of samples) {
          const labels = Object.entries(sample.labels ?? {}).map(([k, v]) => `${k}="${escapeLabel(v)}"`);
          lines.push(`${gauge.name}${labels.length ? `{${labels.join(',')}}` : ''} ${sample.value}`);
        }
        return lines.join('\n');
      } catch (error) {
        app.log.warn({ gauge: gauge.name, errType: (error as Error).name }, 'a metric could not be read');
        return '';
      }
    }),
  );
  return `${blocks.filter(Boolean).join('\n\n')}\n`;
}

/** Headers a proxy adds; a request with any of them came through one, whatever its peer. */
const FORWARDING_HEADERS = ['x-forwarded-for', 'forwarded', 'x-real-ip', 'x-forwarded-host', 'x-forwarded-proto', 'true-client-ip', 'cf-connecting-ip'];

const isLoopback = (address: string | undefined) => address !== undefined && (address === '::1' || /^(::ffff:)?127\.\d+\.\d+\.\d+$/i.test(address));

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
    const local = isLoopback(request.socket.remoteAddress);
    const behindProxy = FORWARDING_HEADERS.some((name) => request.headers[name] !== undefined);
    const tokenOk = options.token !== undefined && auth === `Bearer ${options.token}`;
    if (!tokenOk && (!local || behindProxy)) throw new AppError('not_found');
    const gauges = await gaugeText(app, options.gauges ?? []);
    return reply.type(registry.contentType).header('cache-control', 'no-store').send(`${await registry.metrics()}\n${stats.text()}\n${gauges}`);
  });
  return registry;
}
