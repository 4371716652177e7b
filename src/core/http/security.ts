import type { FastifyInstance } from 'fastify';

export type SecurityOptions = {
  secure: boolean;
  /** Origins the map may load tiles from, derived from TILE_URL. */
  imageOrigins: string[];
};

/**
 * The Content-Security-Policy: no inline script or style at all. Every script is a same-origin
 * file, so an injected string can never run as code.
 */
export function contentSecurityPolicy(options: SecurityOptions): string {
  const directives: [string, string[]][] = [
    ['default-src', ["'none'"]],
    ['script-src', ["'self'"]],
    ['style-src', ["'self'"]],
    ['img-src', ["'self'", 'data:', 'blob:', ...options.imageOrigins]],
    ['font-src', ["'self'"]],
    ['connect-src', ["'self'"]],
    ['manifest-src', ["'self'"]],
    ['worker-src', ["'self'"]],
    ['form-action', ["'self'"]],
    ['frame-ancestors', ["'none'"]],
    ['base-uri', ["'none'"]],
    ['object-src', ["'none'"]],
  ];
  const policy = directives.map(([name, values]) => `${name} ${values.join(' ')}`);
  if (options.secure) policy.push('upgrade-insecure-requests');
  return policy.join('; ');
}

/** Every security header, computed once at start: the same bytes go out on every response. */
export function securityHeaders(options: SecurityOptions): Record<string, string> {
  return {
    'content-security-policy': contentSecurityPolicy(options),
    'referrer-policy': 'no-referrer',
    'x-content-type-options': 'nosniff',
    'x-frame-options': 'DENY',
    'cross-origin-opener-policy': 'same-origin',
    'cross-origin-resource-policy': 'same-origin',
    'origin-agent-cluster': '?1',
    'x-dns-prefetch-control': 'off',
    'x-permitted-cross-domain-policies': 'none',
    'permissions-policy': 'camera=(), microphone=(), payment=(), usb=(), interest-cohort=(), geolocation=(self)',
    ...(options.secure ? { 'strict-transport-security': 'max-age=63072000; includeSubDomains' } : {}),
  };
}

/**
 * Sets the headers in one hook. A route may still override one (a download's CSP sandbox),
 * because it sets its own after this hook ran.
 */
export async function registerSecurityHeaders(app: FastifyInstance, options: SecurityOptions): Promise<void> {
  const headers = securityHeaders(options);
  // A callback hook, not an async one: nothing here waits, so no promise per request.
  app.addHook('onRequest', (_request, reply, done) => {
    reply.headers(headers);
    done();
  });
}

/** Origin of a tile template such as `https://{s}.tile.example.org/{z}/{x}/{y}.png`. */
export function tileOrigins(tileUrl: string): string[] {
  const match = /^(https?:\/\/[^/]+)/.exec(tileUrl);
  if (!match) return [];
  return [match[1]!.replace('{s}', '*')];
}
