import { randomBytes } from 'node:crypto';
import { safeEqual } from '../crypto/server-secret.ts';

/**
 * CSRF tokens are the session's secret XOR a fresh random pad, so the token differs on every
 * page: compressed responses then leak nothing about it (BREACH).
 */
export function maskCsrf(secret: string): string {
  const raw = Buffer.from(secret, 'base64url');
  const pad = randomBytes(raw.length);
  const masked = Buffer.alloc(raw.length);
  for (let i = 0; i < raw.length; i++) masked[i] = raw[i]! ^ pad[i]!;
  return `${pad.toString('base64url')}.${masked.toString('base64url')}`;
}

/** Whether a posted token unmasks to the session's secret. */
export function checkCsrf(secret: string, token: unknown): boolean {
  if (typeof token !== 'string') return false;
  const [padText, maskedText] = token.split('.');
  if (!padText || !maskedText) return false;
  const pad = Buffer.from(padText, 'base64url');
  const masked = Buffer.from(maskedText, 'base64url');
  if (pad.length !== masked.length) return false;
  const raw = Buffer.alloc(pad.length);
  for (let i = 0; i < pad.length; i++) raw[i] = pad[i]! ^ masked[i]!;
  return safeEqual(raw.toString('base64url'), secret);
}
