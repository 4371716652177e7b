import { describe, expect, it } from 'vitest';
import { RequestStats } from './request-stats.ts';

describe('RequestStats', () => {
  it('counts by route, method and status, with cumulative duration buckets', () => {
    const stats = new RequestStats();
    stats.record('/', 'GET', 200, 0.004);
    stats.record('/', 'GET', 200, 0.005);
    stats.record('/', 'GET', 304, 0.2);
    stats.record('/', 'GET', 200, 9);
    const text = stats.text();
    expect(text).toContain('heatwatch_http_requests_total{route="/",method="GET",status="200"} 3\n');
    expect(text).toContain('heatwatch_http_requests_total{route="/",method="GET",status="304"} 1\n');
    // A duration equal to a bound falls in that bucket, as in Prometheus' own clients.
    expect(text).toContain('heatwatch_http_request_duration_seconds_bucket{le="0.005",route="/",method="GET"} 2\n');
    expect(text).toContain('heatwatch_http_request_duration_seconds_bucket{le="0.1",route="/",method="GET"} 2\n');
    expect(text).toContain('heatwatch_http_request_duration_seconds_bucket{le="0.25",route="/",method="GET"} 3\n');
    expect(text).toContain('heatwatch_http_request_duration_seconds_bucket{le="5",route="/",method="GET"} 3\n');
    expect(text).toContain('heatwatch_http_request_duration_seconds_bucket{le="+Inf",route="/",method="GET"} 4\n');
    expect(text).toContain('heatwatch_http_request_duration_seconds_count{route="/",method="GET"} 4\n');
    expect(text).toMatch(/heatwatch_http_request_duration_seconds_sum\{route="\/",method="GET"\} 9\.209\d*\n/);
    expect(text).toContain('# TYPE heatwatch_http_requests_total counter\n');
    expect(text).toContain('# TYPE heatwatch_http_request_duration_seconds histogram\n');
  });

  it('escapes label values, so a route pattern cannot forge a line', () => {
    const stats = new RequestStats();
    stats.record('/a"} 99\nheatwatch_x{a="\\', 'GET', 200, 0.001);
    const text = stats.text();
    expect(text).toContain('route="/a\\"} 99\\nheatwatch_x{a=\\"\\\\"');
    expect(text.split('\n').some((line) => line.startsWith('heatwatch_x'))).toBe(false);
  });

  it('shows the metrics with no series before any request', () => {
    expect(new RequestStats().text()).toBe(
      '# HELP heatwatch_http_requests_total HTTP requests by route pattern, method and status\n# TYPE heatwatch_http_requests_total counter\n\n' +
        '# HELP heatwatch_http_request_duration_seconds HTTP request duration by route pattern\n# TYPE heatwatch_http_request_duration_seconds histogram\n',
    );
  });
});
