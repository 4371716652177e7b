import { hmac, safeEqual } from '../../../core/crypto/server-secret.ts';

/** How long a confirmation link works after it is sent. */
export const CONFIRM_VALID_MS = 7 * 24 * 3600_000;

const ID = /^[A-Za-z0-9_-]{16,64}$/;

export type ParsedToken = { subscriberId: string; expiresMs: number; mac: string };

/**
 * A confirmation link's token: the subscriber, when it expires, and an HMAC over both and the
 * request's nonce. The nonce never leaves the server and is cleared on use, so a token works
 * once, only for the latest request, and cannot be made without the server secret.
 */
export function confirmToken(secret: Buffer, subscriberId: string, nonce: string, expiresMs: number): string {
  const exp = expiresMs.toString(36);
  return `${subscriberId}.${exp}.${hmac(secret, 'mailing.confirm', subscriberId, exp, nonce)}`;
}

export function parseToken(token: string): ParsedToken | undefined {
  const [subscriberId, exp, mac, ...rest] = token.split('.');
  if (rest.length > 0 || !subscriberId || !exp || !mac || !ID.test(subscriberId) || !/^[0-9a-z]{1,12}$/.test(exp)) return undefined;
  return { subscriberId, expiresMs: Number.parseInt(exp, 36), mac };
}

export function tokenMatches(secret: Buffer, parsed: ParsedToken, nonce: string | null, nowMs: number): boolean {
  if (!nonce || parsed.expiresMs <= nowMs) return false;
  return safeEqual(parsed.mac, hmac(secret, 'mailing.confirm', parsed.subscriberId, parsed.expiresMs.toString(36), nonce));
}
