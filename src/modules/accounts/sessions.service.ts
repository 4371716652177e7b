import type { NewSession } from '../../core/auth/sessions.ts';
import { sessionStore } from '../../core/auth/session-store.ts';
import type { Staff } from '../../core/auth/staff.ts';
import type { Context } from '../../core/context.ts';
import type { KeyPair } from '../../core/crypto/sodium.ts';
import { unwrapPrivateKey } from './keys.ts';
import * as repo from './repo.ts';
import { hasSecondFactor } from './second-factor.service.ts';
import { checkAccountPassword } from './sign-in.service.ts';

/** Sessions are shown by a short public handle, never by the hash that identifies them. */
const handleOf = (idHash: string) => idHash.slice(0, 16);

/**
 * Starts a session once a password is accepted (sign-in, invitation, reset): a new id every
 * time, the browser's previous session ended in the same transaction, the key sealed to it.
 * Returns the session and where the person goes next.
 */
export async function startSession(
  ctx: Context,
  input: { accountId: string; keyPair: KeyPair; userAgent: string | undefined; previousIdHash: string | undefined; next: string },
): Promise<{ session: NewSession; location: string }> {
  const session = await ctx.db.transaction().execute(async (trx) => {
    if (input.previousIdHash) await sessionStore.delete(trx, input.previousIdHash);
    return ctx.sessions.create(trx, input.accountId, { userAgent: input.userAgent, keyPair: input.keyPair });
  });
  const account = await repo.findAccountById(ctx.db, input.accountId);
  const owesFactor = account !== undefined && hasSecondFactor(account, await repo.countPasskeys(ctx.db, input.accountId));
  return { session, location: owesFactor ? `/console/sign-in/second-factor?next=${encodeURIComponent(input.next)}` : '/console/account/two-factor/setup' };
}

/** Ends the current session. */
export async function signOut(ctx: Context, staff: Staff): Promise<void> {
  await ctx.db.transaction().execute(async (trx) => {
    if (await sessionStore.delete(trx, staff.session.idHash)) {
      await ctx.audit(trx, { actor: staff.actor, action: 'auth.signed_out', targetType: 'account', targetId: staff.account.id });
    }
  });
}

/** Ends every other session of the staff member; returns how many. */
export async function signOutEverywhere(ctx: Context, staff: Staff): Promise<number> {
  return ctx.db.transaction().execute(async (trx) => {
    const ended = await sessionStore.deleteAllOf(trx, staff.account.id, staff.session.idHash);
    await ctx.audit(trx, { actor: staff.actor, action: 'auth.signed_out_everywhere', targetType: 'account', targetId: staff.account.id, detail: { sessions: ended } });
    return ended;
  });
}

/** The staff member's sessions for the "your sessions" page, newest activity first. */
export async function listSessions(ctx: Context, staff: Staff) {
  const rows = await sessionStore.listOf(ctx.db, staff.account.id);
  return rows.map((r) => ({ id: handleOf(r.idHash), device: r.device, createdAt: r.createdAt, lastSeenAt: r.lastSeenAt, current: r.idHash === staff.session.idHash }));
}

/** Ends one of the staff member's own sessions by its handle; false when there is none. */
export async function revokeSession(ctx: Context, staff: Staff, handle: string): Promise<boolean> {
  const target = (await sessionStore.listOf(ctx.db, staff.account.id)).find((r) => handleOf(r.idHash) === handle);
  if (!target) return false;
  return ctx.db.transaction().execute(async (trx) => {
    if (!(await sessionStore.deleteOwn(trx, staff.account.id, target.idHash))) return false;
    await ctx.audit(trx, { actor: staff.actor, action: 'auth.session_revoked', targetType: 'account', targetId: staff.account.id });
    return true;
  });
}

export type UnlockResult = { kind: 'ok' } | { kind: 'invalid' } | { kind: 'locked'; retryAfterSeconds: number };

/**
 * Opens the staff member's private key with their password and seals it into the session the
 * cookie names (`rawSessionId`), so every process can use it until the session ends. The
 * password opens the key, so it is worth as much here as at sign-in: a wrong one counts toward
 * the same account lock, and every failure is audited.
 */
export async function unlockKeys(ctx: Context, staff: Staff, rawSessionId: string, password: string): Promise<UnlockResult> {
  const account = await repo.findAccountById(ctx.db, staff.account.id);
  const check = account ? await checkAccountPassword(ctx, account, password) : undefined;
  if (!check || check.kind !== 'ok') {
    await ctx.db.transaction().execute(async (trx) => {
      const detail: Record<string, number | string> = check?.kind === 'invalid' ? { failures: check.failures } : { reason: 'locked' };
      await ctx.audit(trx, { action: 'auth.unlock_failed', targetType: 'account', targetId: staff.account.id, detail });
      if (check?.kind === 'invalid' && check.lockMs) await ctx.audit(trx, { action: 'auth.account_locked', targetType: 'account', targetId: staff.account.id, detail: { seconds: check.lockMs / 1000 } });
    });
    if (check?.kind === 'locked') return check;
    return check?.kind === 'invalid' && check.lockMs ? { kind: 'locked', retryAfterSeconds: check.lockMs / 1000 } : { kind: 'invalid' };
  }
  const keyPair = await unwrapPrivateKey(check.account, password);
  try {
    await ctx.sessions.storeKey(ctx.db, rawSessionId, keyPair);
  } finally {
    keyPair.privateKey.fill(0);
  }
  return { kind: 'ok' };
}

/**
 * Asks a signed-in staff member for the password again before a second factor is added or
 * replaced: a session left open on someone's desk must not be enough to plant a factor of one's
 * own. A wrong password is audited and counts toward the account's sign-in lock, as on the
 * unlock page: this form must not become a way around it.
 */
export async function passwordConfirmed(ctx: Context, staff: Staff, password: string | undefined): Promise<boolean> {
  const account = await repo.findAccountById(ctx.db, staff.account.id);
  const check = account ? await checkAccountPassword(ctx, account, password ?? '') : undefined;
  if (check?.kind === 'ok') return true;
  const detail: Record<string, number | string> = check?.kind === 'invalid' ? { failures: check.failures } : { reason: 'locked' };
  await ctx.db.transaction().execute((trx) => ctx.audit(trx, { actor: staff.actor, action: 'auth.reauth_failed', targetType: 'account', targetId: staff.account.id, detail }));
  return false;
}

/** Ends every session of an account in the caller's transaction (reset, deactivation). */
export const endSessionsOf = sessionStore.deleteAllOf;

/** Deletes sessions past their idle or absolute limit: the hourly clean-up. */
export async function deleteStaleSessions(ctx: Pick<Context, 'db' | 'clock'>, idleTimeoutMs: number): Promise<number> {
  const now = ctx.clock.now();
  return sessionStore.deleteExpired(ctx.db, now.toISOString(), new Date(now.getTime() - idleTimeoutMs).toISOString());
}
