import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

/**
 * Whether this process has served a request that came through a proxy while `TRUST_PROXY` is off.
 * Then every client looks like the proxy and each per-client limit (sign-in, tips, receipt codes)
 * holds the whole site at once. Only the fact is kept, in memory: never an address or a time.
 */
export type ForwardingWatch = { seenWithoutTrust: boolean };

export function forwardingWatch(): ForwardingWatch {
  return { seenWithoutTrust: false };
}

/**
 * Sets the flag and logs once. With `TRUST_PROXY` on there is no hook at all; off, one boolean
 * read per request once the flag is set: this runs on every request, the cached home page's too.
 */
export function registerForwardingWatch(app: FastifyInstance, watch: ForwardingWatch, trustProxy: boolean | string): void {
  if (trustProxy) return;
  app.addHook('onRequest', (request: FastifyRequest, _reply: FastifyReply, done: () => void) => {
    if (!watch.seenWithoutTrust) {
      const headers = request.headers;
      if (headers['x-forwarded-for'] !== undefined || headers.forwarded !== undefined || headers['x-real-ip'] !== undefined) {
        watch.seenWithoutTrust = true;
        request.log.warn('requests carry X-Forwarded-For but TRUST_PROXY is off: every client looks like the proxy, so per-client limits apply to the whole site; set TRUST_PROXY to the proxy address');
      }
    }
    done();
  });
}
