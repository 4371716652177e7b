/** Upper bounds (seconds) of the request duration histogram's buckets. */
export const DURATION_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5] as const;

type Stats = {
  statuses: Map<number, number>;
  /** Requests per bucket, not cumulative; the last one is `+Inf`. */
  buckets: number[];
  sum: number;
  count: number;
};

/** Label values in the text format: backslash, double quote and newline escaped. */
const label = (value: string) => value.replaceAll('\\', '\\\\').replaceAll('"', '\\"').replaceAll('\n', '\\n');

/**
 * Request counts by route pattern, method and status, and a duration histogram by route and
 * method, kept as plain numbers: recording a request is two map lookups and three additions,
 * and the Prometheus text is built only when a scraper asks for it.
 */
export class RequestStats {
  readonly #byRoute = new Map<string, Map<string, Stats>>();

  record(route: string, method: string, status: number, seconds: number): void {
    let byMethod = this.#byRoute.get(route);
    if (!byMethod) this.#byRoute.set(route, (byMethod = new Map()));
    let stats = byMethod.get(method);
    if (!stats) byMethod.set(method, (stats = { statuses: new Map(), buckets: new Array<number>(DURATION_BUCKETS.length + 1).fill(0), sum: 0, count: 0 }));
    stats.statuses.set(status, (stats.statuses.get(status) ?? 0) + 1);
    let bucket = 0;
    while (bucket < DURATION_BUCKETS.length && seconds > DURATION_BUCKETS[bucket]!) bucket++;
    stats.buckets[bucket]!++;
    stats.sum += seconds;
    stats.count++;
  }

  /** `heatwatch_http_requests_total` and `heatwatch_http_request_duration_seconds` in the Prometheus text format. */
  text(): string {
    const counter = ['# HELP heatwatch_http_requests_total HTTP requests by route pattern, method and status', '# TYPE heatwatch_http_requests_total counter'];
    const histogram = ['# HELP heatwatch_http_request_duration_seconds HTTP request duration by route pattern', '# TYPE heatwatch_http_request_duration_seconds histogram'];
    for (const [route, byMethod] of this.#byRoute) {
      for (const [method, stats] of byMethod) {
        const labels = `route="${label(route)}",method="${label(method)}"`;
        for (const [status, count] of stats.statuses) counter.push(`heatwatch_http_requests_total{${labels},status="${status}"} ${count}`);
        let cumulative = 0;
        stats.buckets.forEach((n, i) => {
          cumulative += n;
          const le = i < DURATION_BUCKETS.length ? String(DURATION_BUCKETS[i]) : '+Inf';
          histogram.push(`heatwatch_http_request_duration_seconds_bucket{le="${le}",${labels}} ${cumulative}`);
        });
        histogram.push(`heatwatch_http_request_duration_seconds_sum{${labels}} ${stats.sum}`, `heatwatch_http_request_duration_seconds_count{${labels}} ${stats.count}`);
      }
    }
    return `${counter.join('\n')}\n\n${histogram.join('\n')}\n`;
  }
}
