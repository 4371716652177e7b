import { randomBytes } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Db } from '../../database.ts';
import type { Clock } from '../clock.ts';
import { decryptText, encrypt, fromBase64, randomKey, toBase64 } from '../crypto/sodium.ts';

/**
 * What a staff member typed survives a lapsed session. When a form arrives on a session that
 * timed out, its fields are sealed under a fresh key and stored for at most fifteen minutes; the
 * key and the row's id go into a one-time cookie of that browser. After the same person signs in
 * again, the restore page opens the row once (it is deleted as it is read) and shows the fields
 * in a form aimed at the original action, with a fresh CSRF token: nothing is sent until the
 * person presses the button again. Anyone else signing in on that browser gets nothing and the
 * row is wiped.
 */
export const DRAFT_TTL_MS = 15 * 60_000;

/** Where the kept form comes back after sign-in. */
export const RESTORE_PATH = '/console/restore';

/** Where the "stay signed in" island posts. */
export const KEEP_ALIVE_PATH = '/console/session/keep-alive';

export const DRAFT_COOKIE = 'hw_draft';
const SECURE_DRAFT_COOKIE = '__Host-hw_draft';

/** The largest form kept (characters of all its values): a long visit record fits many times. */
const MAX_DRAFT_CHARS = 200_000;

/** Fields never kept: the token of the dead session, and anything a password manager or second factor fills. */
const NEVER_KEPT = /^_csrf$|pass|secret|token|otp|^code$|recovery/i;

export type DraftFields = Record<string, string | string[]>;
export type Draft = { action: string; fields: DraftFields };

/** The fields worth keeping from a parsed URL-encoded body, or undefined when nothing was typed. */
export function keepableFields(body: unknown): DraftFields | undefined {
  if (!body || typeof body !== 'object') return undefined;
  const kept: DraftFields = {};
  let size = 0;
  let typed = false;
  for (const [name, value] of Object.entries(body as Record<string, unknown>)) {
    if (NEVER_KEPT.test(name) || name.length > 100) continue;
    const values = typeof value === 'string' ? [value] : Array.isArray(value) && value.every((v) => typeof v === 'string') ? (value as string[]) : undefined;
    if (!values) continue;
    size += name.length + values.reduce((sum, v) => sum + v.length, 0);
    // Free text (words, or a long value) is what a person typed; ids and choices alone are not worth a detour.
    if (values.some((v) => /\s/.test(v.trim()) || v.length >= 40)) typed = true;
    kept[name] = typeof value === 'string' ? value : values;
  }
  if (!typed || size > MAX_DRAFT_CHARS) return undefined;
  return kept;
}

const context = (id: string, accountId: string) => `session-draft:${id}:${accountId}`;

/** Stores a draft for the account (and clears expired ones); returns the one-time cookie's value. */
export async function keepDraft(db: Db, clock: Clock, accountId: string, draft: Draft): Promise<string> {
  const now = clock.now();
  await purgeDrafts(db, clock);
  const id = randomBytes(16).toString('base64url');
  const key = await randomKey();
  try {
    const box = await encrypt(key, JSON.stringify(draft), context(id, accountId));
    await db
      .insertInto('sessionDrafts')
      .values({ id, accountId, box: toBase64(box), createdAt: now.toISOString(), expiresAt: new Date(now.getTime() + DRAFT_TTL_MS).toISOString() })
      .execute();
    return `${id}.${Buffer.from(key).toString('base64url')}`;
  } finally {
    key.fill(0);
  }
}

/**
 * Takes the draft a cookie names, once: the row is deleted whatever happens next. Undefined
 * when it has expired, the cookie is malformed or forged, or the signed-in account is not the
 * one that typed it.
 */
export async function takeDraft(db: Db, clock: Clock, cookie: string | undefined, accountId: string): Promise<Draft | undefined> {
  const match = /^([A-Za-z0-9_-]{22})\.([A-Za-z0-9_-]{43})$/.exec(cookie ?? '');
  if (!match) return undefined;
  const [, id, encodedKey] = match as unknown as [string, string, string];
  const row = await db.deleteFrom('sessionDrafts').where('id', '=', id).returning(['accountId', 'box', 'expiresAt']).executeTakeFirst();
  if (!row || row.accountId !== accountId || clock.now().getTime() >= Date.parse(row.expiresAt)) return undefined;
  const key = new Uint8Array(Buffer.from(encodedKey, 'base64url'));
  try {
    const parsed = JSON.parse(await decryptText(key, fromBase64(row.box), context(id, accountId))) as Draft;
    return typeof parsed.action === 'string' && parsed.action.startsWith('/console/') && parsed.fields && typeof parsed.fields === 'object' ? parsed : undefined;
  } catch {
    return undefined;
  } finally {
    key.fill(0);
  }
}

/** Deletes every draft past its fifteen minutes. */
export async function purgeDrafts(db: Db, clock: Clock): Promise<void> {
  await db.deleteFrom('sessionDrafts').where('expiresAt', '<=', clock.now().toISOString()).execute();
}

/** The draft cookie: HttpOnly, SameSite=Lax, only under /console, as long as the row lives. */
export function draftCookie(secure: boolean, value: string): string {
  const name = secure ? SECURE_DRAFT_COOKIE : DRAFT_COOKIE;
  // __Host- requires Path=/; the plain name narrows it to the console.
  const path = secure ? '/' : '/console';
  return [`${name}=${value}`, `Path=${path}`, 'HttpOnly', 'SameSite=Lax', `Max-Age=${value ? Math.floor(DRAFT_TTL_MS / 1000) : 0}`, ...(secure ? ['Secure'] : [])].join('; ');
}

export function readDraftCookie(request: FastifyRequest, secure: boolean): string | undefined {
  const name = secure ? SECURE_DRAFT_COOKIE : DRAFT_COOKIE;
  for (const part of (request.headers.cookie ?? '').split(';')) {
    const [key, ...rest] = part.trim().split('=');
    if (key === name) return rest.join('=');
  }
  return undefined;
}

export function clearDraftCookie(reply: FastifyReply, secure: boolean): void {
  reply.header('set-cookie', draftCookie(secure, ''));
}
