import { createHash, randomBytes } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Clock } from '../../core/clock.ts';
import { safeEqual } from '../../core/crypto/server-secret.ts';
import type { KeyPair } from '../../core/crypto/sodium.ts';
import type { Db } from '../../database.ts';
import * as repo from './repo.ts';
import type { SessionAccount, SessionRow, SessionState } from './tables.ts';

export const IDLE_TIMEOUT_MS = 30 * 60_000;
export const ABSOLUTE_TIMEOUT_MS = 12 * 3600_000;
/** last_seen_at is written at most this often, not on every request. */
const TOUCH_EVERY_MS = 60_000;

export const hashSessionId = (id: string) => createHash('sha256').update(id).digest('hex');

/** A coarse device label for the "your sessions" page: browser family and platform, no version or address. */
export function deviceLabel(userAgent: string | undefined): string {
  const ua = userAgent ?? '';
  const browser = /Edg\//.test(ua) ? 'Edge' : /Firefox\//.test(ua) ? 'Firefox' : /Chrome\//.test(ua) ? 'Chrome' : /Safari\//.test(ua) ? 'Safari' : 'Browser';
  const platform = /Android/.test(ua) ? 'Android' : /iPhone|iPad/.test(ua) ? 'iOS' : /Windows/.test(ua) ? 'Windows' : /Mac OS X/.test(ua) ? 'macOS' : /Linux/.test(ua) ? 'Linux' : 'unknown';
  return `${browser} · ${platform}`;
}

/** What the console guard puts on a signed-in request: narrow rows, no secrets (see SessionAccount). */
export type LoadedSession = { session: SessionState; account: SessionAccount; roles: string[] };

/**
 * Server-side sessions. The cookie holds a random id; the table holds its hash. Unlocked
 * private keys live only in this process's memory, keyed by that hash, and die with the session.
 */
export class SessionManager {
  readonly cookieName: string;
  readonly #secure: boolean;
  readonly #clock: Clock;
  readonly #keys = new Map<string, { keyPair: KeyPair; expiresAt: number }>();

  constructor(options: { secure: boolean; clock: Clock }) {
    this.#secure = options.secure;
    this.#clock = options.clock;
    // __Host- binds the cookie to this exact origin: no subdomain can set or read it.
    this.cookieName = options.secure ? '__Host-hw_session' : 'hw_session';
  }

  async create(trx: Db, accountId: string, userAgent: string | undefined): Promise<{ id: string; row: SessionRow }> {
    const id = randomBytes(32).toString('base64url');
    const now = this.#clock.now();
    const row: SessionRow = {
      idHash: hashSessionId(id),
      accountId,
      createdAt: now.toISOString(),
      lastSeenAt: now.toISOString(),
      expiresAt: new Date(now.getTime() + ABSOLUTE_TIMEOUT_MS).toISOString(),
      secondFactorAt: null,
      csrfSecret: randomBytes(32).toString('base64url'),
      device: deviceLabel(userAgent),
      pendingTotpBox: null,
      webauthnChallenge: null,
    };
    await repo.insertSession(trx, row);
    return { id, row };
  }

  setCookie(reply: FastifyReply, id: string): void {
    reply.header('set-cookie', this.#cookie(id, Math.floor(ABSOLUTE_TIMEOUT_MS / 1000)));
  }

  clearCookie(reply: FastifyReply): void {
    reply.header('set-cookie', this.#cookie('', 0));
  }

  #cookie(value: string, maxAge: number): string {
    return [`${this.cookieName}=${value}`, 'Path=/', 'HttpOnly', 'SameSite=Lax', `Max-Age=${maxAge}`, ...(this.#secure ? ['Secure'] : [])].join('; ');
  }

  readCookie(request: FastifyRequest): string | undefined {
    const header = request.headers.cookie;
    if (!header) return undefined;
    for (const part of header.split(';')) {
      const [name, ...rest] = part.trim().split('=');
      if (name === this.cookieName) {
        const value = rest.join('=');
        return /^[A-Za-z0-9_-]{43}$/.test(value) ? value : undefined;
      }
    }
    return undefined;
  }

  /** The live session behind the cookie, or undefined; an idle or expired one is deleted. */
  async load(db: Db, request: FastifyRequest): Promise<LoadedSession | undefined> {
    const id = this.readCookie(request);
    if (!id) return undefined;
    const idHash = hashSessionId(id);
    const session = await repo.findSessionState(db, idHash);
    if (!session) return undefined;
    const now = this.#clock.now().getTime();
    const idle = now - new Date(session.lastSeenAt).getTime() > IDLE_TIMEOUT_MS;
    const expired = now >= new Date(session.expiresAt).getTime();
    const account = idle || expired ? undefined : await repo.findSessionAccount(db, session.accountId);
    if (!account || account.status !== 'active') {
      await repo.deleteSession(db, idHash);
      this.forgetKeys(idHash);
      return undefined;
    }
    if (now - new Date(session.lastSeenAt).getTime() > TOUCH_EVERY_MS) {
      session.lastSeenAt = new Date(now).toISOString();
      await repo.updateSession(db, idHash, { lastSeenAt: session.lastSeenAt });
    }
    return { session, account, roles: await repo.rolesOf(db, account.id) };
  }

  /**
   * Ends a session whose second factor just passed and starts its successor, marked done, under a
   * new id: a session fixed before the second factor is worth nothing after. Unlocked keys move along.
   */
  async completeSecondFactor(db: Db, reply: FastifyReply, previous: SessionState, userAgent: string | undefined): Promise<SessionRow> {
    const { id, row } = await db.transaction().execute(async (trx) => {
      const made = await this.create(trx, previous.accountId, userAgent);
      made.row.secondFactorAt = this.#clock.now().toISOString();
      await repo.updateSession(trx, made.row.idHash, { secondFactorAt: made.row.secondFactorAt });
      await repo.deleteSession(trx, previous.idHash);
      return made;
    });
    this.moveKeys(previous.idHash, row.idHash);
    this.setCookie(reply, id);
    return row;
  }

  rememberKeys(idHash: string, keyPair: KeyPair): void {
    this.#keys.set(idHash, { keyPair, expiresAt: this.#clock.now().getTime() + ABSOLUTE_TIMEOUT_MS });
  }

  /** The unlocked key pair for a session in this process, if the password was given here. */
  keysFor(idHash: string): KeyPair | undefined {
    const entry = this.#keys.get(idHash);
    if (!entry) return undefined;
    if (entry.expiresAt <= this.#clock.now().getTime()) {
      this.forgetKeys(idHash);
      return undefined;
    }
    return entry.keyPair;
  }

  forgetKeys(idHash: string): void {
    const entry = this.#keys.get(idHash);
    if (entry) entry.keyPair.privateKey.fill(0);
    this.#keys.delete(idHash);
  }

  /** Moves unlocked keys to a rotated session id. */
  moveKeys(fromHash: string, toHash: string): void {
    const entry = this.#keys.get(fromHash);
    if (entry) {
      this.#keys.delete(fromHash);
      this.#keys.set(toHash, entry);
    }
  }
}

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
