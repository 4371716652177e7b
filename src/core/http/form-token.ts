import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { hmac, safeEqual } from '../crypto/server-secret.ts';
import { AppError } from './errors.ts';

const MAX_AGE_MS = 6 * 3600_000;

/**
 * A token for forms people fill in without an account (tip line, reports, sign-in). It ties
 * the post to a form this site rendered within the last hours, without a cookie or any record
 * of who asked for it.
 */
export function issueFormToken(secret: Buffer, form: string, now: Date): string {
  const issued = Math.floor(now.getTime() / 1000).toString(36);
  return `${issued}.${hmac(secret, 'form', form, issued)}`;
}

export function verifyFormToken(secret: Buffer, form: string, token: unknown, now: Date): boolean {
  if (typeof token !== 'string') return false;
  const [issued, mac] = token.split('.');
  if (!issued || !mac) return false;
  const issuedMs = Number.parseInt(issued, 36) * 1000;
  if (!Number.isFinite(issuedMs) || now.getTime() - issuedMs > MAX_AGE_MS || issuedMs - now.getTime() > 60_000) return false;
  return safeEqual(mac, hmac(secret, 'form', form, issued));
}

/**
 * Refuses state-changing requests another site started: the browser's own Origin and
 * Sec-Fetch-Site headers say where a post came from. A missing header (old browsers) passes;
 * the per-form tokens still apply.
 */
export function registerOriginCheck(app: FastifyInstance): void {
  // Callback hooks here and below: they never wait, and every page view passes through them.
  app.addHook('onRequest', (request: FastifyRequest, _reply: FastifyReply, done: (error?: Error) => void) => {
    if (request.method === 'GET' || request.method === 'HEAD' || request.method === 'OPTIONS') return done();
    const site = request.headers['sec-fetch-site'];
    if (site === 'cross-site') return done(new AppError('csrf'));
    const origin = request.headers.origin;
    if (origin && origin !== 'null' && origin !== `${request.protocol}://${request.host}`) return done(new AppError('csrf'));
    done();
  });
}

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Names the anonymous form a route renders or receives; posts must carry its token. */
    formToken?: string;
    /**
     * 'reject' (default) answers a missing or stale token with 403. 'handle' lets the route
     * re-render the form with everything typed, for forms too precious to lose (the tip line).
     */
    formTokenFailure?: 'reject' | 'handle';
  }
  interface FastifyRequest {
    /** Set on posts to routes with `formToken`. */
    formTokenValid: boolean;
  }
}

/** Issues a fresh token on every request to a `formToken` route and checks it on posts. */
export function registerFormTokens(app: FastifyInstance, options: { secret: Buffer; now: () => Date }): void {
  app.decorateRequest('formTokenValid', false);
  app.addHook('preHandler', (request: FastifyRequest, _reply: FastifyReply, done: (error?: Error) => void) => {
    const config = request.routeOptions.config;
    const form = config?.formToken;
    if (!form) return done();
    request.csrfToken = issueFormToken(options.secret, form, options.now());
    if (request.method !== 'POST') return done();
    const body = request.body as Record<string, unknown> | undefined;
    request.formTokenValid = verifyFormToken(options.secret, form, body?._csrf, options.now());
    if (!request.formTokenValid && config.formTokenFailure !== 'handle') return done(new AppError('csrf'));
    done();
  });
}
