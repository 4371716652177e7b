import helmet from '@fastify/helmet';
import type { FastifyInstance } from 'fastify';

export type SecurityOptions = {
  secure: boolean;
  /** Origins the map may load tiles from, derived from TILE_URL. */
  imageOrigins: string[];
};

/**
 * Headers for every response. The CSP allows no inline script or style at all: every
 * script is a same-origin file, so an injected string can never run as code.
 */
export async function registerSecurityHeaders(app: FastifyInstance, options: SecurityOptions): Promise<void> {
  await app.register(helmet, {
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'none'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'"],
        imgSrc: ["'self'", 'data:', 'blob:', ...options.imageOrigins],
        fontSrc: ["'self'"],
        connectSrc: ["'self'"],
        manifestSrc: ["'self'"],
        workerSrc: ["'self'"],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
        baseUri: ["'none'"],
        objectSrc: ["'none'"],
        ...(options.secure ? { upgradeInsecureRequests: [] } : {}),
      },
    },
    referrerPolicy: { policy: 'no-referrer' },
    strictTransportSecurity: options.secure ? { maxAge: 63072000, includeSubDomains: true } : false,
    crossOriginEmbedderPolicy: false,
    crossOriginOpenerPolicy: { policy: 'same-origin' },
    crossOriginResourcePolicy: { policy: 'same-origin' },
    xFrameOptions: { action: 'deny' },
  });
  app.addHook('onSend', async (_request, reply) => {
    reply.header('Permissions-Policy', 'camera=(), microphone=(), payment=(), usb=(), interest-cohort=(), geolocation=(self)');
  });
}

/** Origin of a tile template such as `https://{s}.tile.example.org/{z}/{x}/{y}.png`. */
export function tileOrigins(tileUrl: string): string[] {
  const match = /^(https?:\/\/[^/]+)/.exec(tileUrl);
  if (!match) return [];
  return [match[1]!.replace('{s}', '*')];
}
