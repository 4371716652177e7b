import type { FastifyInstance } from 'fastify';
import type { Clock } from '../clock.ts';
import type { SettingsStore } from '../settings/settings.ts';

export type SecurityOptions = {
  secure: boolean;
  /** Origins the map may load tiles from, derived from TILE_URL. */
  imageOrigins: string[];
  /** The onion service's address (`ONION_URL`), when the site is also published over Tor. */
  onionUrl?: string | undefined;
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
 * The tip line's headers: no map-tile host (a tile request would tell a third party that this
 * browser is on the tip form, and when) and no geolocation, camera or microphone at all, so
 * nothing on the page can ask the browser where the tipster is or what is around them.
 */
export function tipLineHeaders(options: SecurityOptions): Record<string, string> {
  return {
    ...securityHeaders({ ...options, imageOrigins: [] }),
    'permissions-policy': 'camera=(), microphone=(), geolocation=(), payment=(), usb=(), interest-cohort=()',
  };
}

// `/tip`, `/es/tip`, `/tip/follow-up`…: the tip line in every locale.
const TIP_ROUTE = /^(\/[a-z]{2,3}(-[A-Za-z0-9]+)?)?\/tip(\/|$)/;

/** True for the route patterns of the tip line (the form, follow-up and its messages). */
export function isTipLineRoute(routeUrl: string | undefined): boolean {
  return routeUrl !== undefined && TIP_ROUTE.test(routeUrl);
}

/**
 * Sets the headers in one hook. A route may still override one (a download's CSP sandbox),
 * because it sets its own after this hook ran.
 */
export async function registerSecurityHeaders(app: FastifyInstance, options: SecurityOptions): Promise<void> {
  const headers = securityHeaders(options);
  const tipHeaders = tipLineHeaders(options);
  if (!options.onionUrl) {
    // A callback hook, not an async one: nothing here waits, so no promise per request. Decided
    // from the matched route, not the raw URL, so `/tip?x` or `/tip/` cannot slip past.
    app.addHook('onRequest', (request, reply, done) => {
      reply.headers(isTipLineRoute(request.routeOptions.url) ? tipHeaders : headers);
      done();
    });
    return;
  }
  // Over the onion service the page arrives over plain HTTP inside Tor's own encryption:
  // `upgrade-insecure-requests` would send its forms to an https:// onion address nobody serves.
  const onion = { ...options, secure: false };
  const onionHeaders = securityHeaders(onion);
  const onionTipHeaders = tipLineHeaders(onion);
  const onionHost = new URL(options.onionUrl).host;
  const onionUrl = options.onionUrl;
  app.addHook('onRequest', (request, reply, done) => {
    const tipLine = isTipLineRoute(request.routeOptions.url);
    if (request.host === onionHost) {
      reply.headers(tipLine ? onionTipHeaders : onionHeaders);
    } else {
      reply.headers(tipLine ? tipHeaders : headers);
      // Tor Browser offers the onion address of the page it is on (honoured over HTTPS only).
      reply.header('onion-location', `${onionUrl}${request.url}`);
    }
    done();
  });
}

/** True when the request came in through the onion service's host name. */
export function viaOnion(request: { host: string }, onionUrl: string | undefined): boolean {
  return onionUrl !== undefined && request.host === new URL(onionUrl).host;
}

/** Origin of a tile template such as `https://{s}.tile.example.org/{z}/{x}/{y}.png`. */
export function tileOrigins(tileUrl: string): string[] {
  const match = /^(https?:\/\/[^/]+)/.exec(tileUrl);
  if (!match) return [];
  return [match[1]!.replace('{s}', '*')];
}

const SECURITY_TXT_DAYS = 365;

/**
 * `/.well-known/security.txt` (RFC 9116) from the office settings: where to report a
 * vulnerability, in which languages, and until when the file holds. With no contact e-mail
 * or phone set there is nobody to name, and the file is not served.
 */
export function registerSecurityTxt(app: FastifyInstance, options: { settings: SettingsStore; clock: Clock; baseUrl: string }): void {
  app.get('/.well-known/security.txt', async (_request, reply) => {
    const settings = await options.settings.get();
    const contacts = [
      ...(settings.contactEmail ? [`mailto:${settings.contactEmail}`] : []),
      ...(settings.localTipPhone.replace(/[^0-9+]/g, '') ? [`tel:${settings.localTipPhone.replace(/[^0-9+]/g, '')}`] : []),
    ];
    if (contacts.length === 0) return reply.callNotFound();
    const expires = new Date(options.clock.now().getTime() + SECURITY_TXT_DAYS * 86_400_000);
    expires.setUTCHours(0, 0, 0, 0);
    const lines = [
      ...contacts.map((contact) => `Contact: ${contact}`),
      `Expires: ${expires.toISOString().replace('.000Z', 'Z')}`,
      `Preferred-Languages: ${settings.languages.join(', ')}`,
      `Canonical: ${options.baseUrl}/.well-known/security.txt`,
    ];
    return reply.type('text/plain; charset=utf-8').header('cache-control', 'max-age=86400').send(`${lines.join('\n')}\n`);
  });
}
