import { createHash, randomBytes } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Db } from '../../database.ts';
import type { Clock } from '../clock.ts';
import type { KeyPair } from '../crypto/sodium.ts';
import { openSessionKey, sealSessionKey } from './keys.ts';
import { sessionStore } from './session-store.ts';
import type { StaffAccount, StaffDirectory } from './staff.ts';
import type { SessionRow, SessionState } from './tables.ts';

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

export type LoadedSession = { session: SessionState; account: StaffAccount; roles: readonly string[]; keyPair: KeyPair | undefined };

/** A session just made: the raw id goes into the cookie and nowhere else. */
export type NewSession = { id: string; row: SessionRow };

/**
 * Server-side sessions. The cookie holds a random id; the table holds its hash. An unlocked
 * private key is sealed into the row under a key derived from the raw id (`keys.ts`), so it
 * works in every process and across restarts, and dies with the session.
 */
export class SessionManager {
  readonly cookieName: string;
  readonly #secure: boolean;
  readonly #clock: Clock;
  readonly #directory: StaffDirectory;

  constructor(options: { secure: boolean; clock: Clock; directory: StaffDirectory }) {
    this.#secure = options.secure;
    this.#clock = options.clock;
    this.#directory = options.directory;
    // __Host- binds the cookie to this exact origin: no subdomain can set or read it.
    this.cookieName = options.secure ? '__Host-hw_session' : 'hw_session';
  }

  /** Inserts a new session row (inside the caller's transaction), with the key pair sealed to it. */
  async create(trx: Db, accountId: string, options: { userAgent: string | undefined; keyPair?: KeyPair; secondFactorAt?: string | null }): Promise<NewSession> {
    const id = randomBytes(32).toString('base64url');
    const idHash = hashSessionId(id);
    const now = this.#clock.now();
    const row: SessionRow = {
      idHash,
      accountId,
      createdAt: now.toISOString(),
      lastSeenAt: now.toISOString(),
      expiresAt: new Date(now.getTime() + ABSOLUTE_TIMEOUT_MS).toISOString(),
      secondFactorAt: options.secondFactorAt ?? null,
      csrfSecret: randomBytes(32).toString('base64url'),
      device: deviceLabel(options.userAgent),
      pendingTotpBox: null,
      webauthnChallenge: null,
      keyBox: options.keyPair ? await sealSessionKey(id, idHash, options.keyPair) : null,
    };
    await sessionStore.insert(trx, row);
    return { id, row };
  }

  /**
   * Replaces a session by a new one under a fresh id (inside the caller's transaction), keeping
   * its key: a session id fixed before the second factor is worth nothing after.
   */
  async rotate(trx: Db, previous: Pick<LoadedSession, 'session' | 'keyPair'>, userAgent: string | undefined, secondFactorAt: string): Promise<NewSession> {
    const made = await this.create(trx, previous.session.accountId, { userAgent, keyPair: previous.keyPair, secondFactorAt });
    await sessionStore.delete(trx, previous.session.idHash);
    return made;
  }

  /** Seals an unlocked key into the session whose cookie value is `id`. */
  async storeKey(db: Db, id: string, keyPair: KeyPair): Promise<void> {
    const idHash = hashSessionId(id);
    await sessionStore.update(db, idHash, { keyBox: await sealSessionKey(id, idHash, keyPair) });
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
    return (await this.open(db, request)).live;
  }

  /**
   * The live session behind the cookie, or, for a session that just timed out (idle or past its
   * twelve hours, never a revoked one or a deactivated account), whose it was and its CSRF
   * secret: what the guard needs to keep a form sent on it (`drafts.ts`). Either way a dead
   * session's row is deleted.
   */
  async open(db: Db, request: FastifyRequest): Promise<{ live?: LoadedSession; lapsed?: Pick<SessionState, 'accountId' | 'csrfSecret'> }> {
    const id = this.readCookie(request);
    if (!id) return {};
    const idHash = hashSessionId(id);
    const stored = await sessionStore.findState(db, idHash);
    if (!stored) return {};
    const { keyBox, ...session } = stored;
    const now = this.#clock.now().getTime();
    const idle = now - new Date(session.lastSeenAt).getTime() > IDLE_TIMEOUT_MS;
    const expired = now >= new Date(session.expiresAt).getTime();
    const found = idle || expired ? undefined : await this.#directory.find(db, session.accountId);
    if (!found || found.account.status !== 'active') {
      await sessionStore.delete(db, idHash);
      const lapsed = (idle || expired) && session.secondFactorAt ? { accountId: session.accountId, csrfSecret: session.csrfSecret } : undefined;
      return lapsed ? { lapsed } : {};
    }
    if (now - new Date(session.lastSeenAt).getTime() > TOUCH_EVERY_MS) {
      session.lastSeenAt = new Date(now).toISOString();
      await sessionStore.update(db, idHash, { lastSeenAt: session.lastSeenAt });
    }
    const keyPair = keyBox ? await openSessionKey(id, idHash, keyBox) : undefined;
    return { live: { session, account: found.account, roles: found.roles, keyPair } };
  }

  /** Marks the session as used now (the "stay signed in" button): the idle timeout starts again. */
  async touch(db: Db, idHash: string): Promise<string> {
    const at = this.#clock.now().toISOString();
    await sessionStore.update(db, idHash, { lastSeenAt: at });
    return at;
  }

  /** The draft cookie, with this app's cookie rules (`__Host-` over HTTPS). */
  get secure(): boolean {
    return this.#secure;
  }
}
