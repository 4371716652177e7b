import { ANONYMOUS } from '../../core/context.ts';
import type { Context } from '../../core/context.ts';
import { limitKeyOf, type LockSchedule } from '../../core/http/rate-limiter.ts';
import { dummySecretHash, verifySecret } from '../../core/crypto/argon2.ts';
import { hmac } from '../../core/crypto/server-secret.ts';
import type { KeyPair } from '../../core/crypto/sodium.ts';
import { unwrapPrivateKey } from './keys.ts';
import * as repo from './repo.ts';
import type { AccountRow } from './tables.ts';

/** Failures before an account must wait; each further failure doubles the wait, up to an hour. */
export const FREE_ATTEMPTS = 5;
const MAX_LOCK_MS = 3600_000;
/** Per client address: generous for a shared office network, tight for a password sprayer. */
const CLIENT_LIMIT = 30;
const CLIENT_WINDOW_MS = 15 * 60_000;
const UNKNOWN_WINDOW_MS = 24 * 3600_000;

export function lockDurationMs(failures: number): number {
  return failures < FREE_ATTEMPTS ? 0 : Math.min(60_000 * 2 ** (failures - FREE_ATTEMPTS), MAX_LOCK_MS);
}

/** `lockDurationMs` for the 1st, 2nd … failure, until it reaches its ceiling (which then repeats). */
export const LOCK_SCHEDULE: LockSchedule = (() => {
  const waits: number[] = [];
  for (let n = 1; waits.at(-1) !== MAX_LOCK_MS; n++) waits.push(lockDurationMs(n));
  return waits;
})();

export type PasswordCheck = { kind: 'ok'; account: AccountRow } | { kind: 'invalid'; failures: number; lockMs: number; reason: 'password' | 'inactive' } | { kind: 'locked'; retryAfterSeconds: number };

/**
 * Checks the password of a known account, counting the attempt before the argon2 work so that
 * parallel guesses lock the account exactly as one-by-one guesses do. A locked account still
 * pays one argon2 verify, so its answer takes as long as any other. A right password clears the
 * count; a wrong one (or any password of an account that is not active) keeps it.
 */
export async function checkAccountPassword(ctx: Context, account: AccountRow, password: string): Promise<PasswordCheck> {
  const now = ctx.clock.now();
  const lockUntil = [null, ...LOCK_SCHEDULE.map((ms) => (ms ? new Date(now.getTime() + ms).toISOString() : null))];
  const counted = await repo.countPasswordAttempt(ctx.db, account.id, now.toISOString(), lockUntil);
  if (!counted) {
    await verifySecret(await dummySecretHash(), password);
    const current = await repo.findAccountById(ctx.db, account.id);
    const until = current?.lockedUntil ? new Date(current.lockedUntil).getTime() : now.getTime();
    return { kind: 'locked', retryAfterSeconds: Math.max(1, Math.ceil((until - now.getTime()) / 1000)) };
  }
  const passwordOk = await verifySecret(account.passwordHash, password);
  if (passwordOk && account.status === 'active') {
    await repo.updateAccount(ctx.db, account.id, { failedSignIns: 0, lockedUntil: null });
    return { kind: 'ok', account };
  }
  return { kind: 'invalid', failures: counted.failedSignIns, lockMs: lockDurationMs(counted.failedSignIns), reason: passwordOk ? 'inactive' : 'password' };
}

export type SignInResult =
  | { kind: 'ok'; account: AccountRow; keyPair: KeyPair }
  | { kind: 'invalid' }
  | { kind: 'locked'; retryAfterSeconds: number };


/**
 * Checks an e-mail and password. An unknown e-mail costs the same argon2 work as a wrong
 * password and gets the same answer; locks for unknown e-mails are kept in the rate limiter on
 * the same schedule as an account's, so a lock does not reveal that an account exists.
 */
export async function signIn(ctx: Context, input: { email: string; password: string; clientAddress: string }): Promise<SignInResult> {
  const email = input.email.trim().toLowerCase();
  const client = await ctx.rateLimiter.consume(`signin:client:${hmac(ctx.secret, 'client', limitKeyOf(input.clientAddress))}`, CLIENT_LIMIT, CLIENT_WINDOW_MS);
  const account = await repo.findAccountByEmail(ctx.db, email);

  if (!client.allowed) {
    await ctx.db.transaction().execute((trx) =>
      ctx.audit(trx, { actor: ANONYMOUS, action: 'auth.sign_in_throttled', targetType: 'account', targetId: account?.id ?? undefined, detail: { scope: 'client' } }),
    );
    return { kind: 'locked', retryAfterSeconds: client.retryAfterSeconds };
  }

  if (!account) {
    const attempt = await ctx.rateLimiter.attempt(`signin:email:${hmac(ctx.secret, 'email', email)}`, LOCK_SCHEDULE, UNKNOWN_WINDOW_MS);
    await verifySecret(await dummySecretHash(), input.password);
    await ctx.db.transaction().execute((trx) =>
      ctx.audit(trx, { actor: ANONYMOUS, action: 'auth.sign_in_failed', detail: { reason: 'unknown_account' } }),
    );
    if (!attempt.allowed) return { kind: 'locked', retryAfterSeconds: attempt.retryAfterSeconds };
    return attempt.retryAfterSeconds > 0 ? { kind: 'locked', retryAfterSeconds: attempt.retryAfterSeconds } : { kind: 'invalid' };
  }

  const check = await checkAccountPassword(ctx, account, input.password);
  if (check.kind === 'locked') {
    await ctx.db.transaction().execute((trx) =>
      ctx.audit(trx, { actor: ANONYMOUS, action: 'auth.sign_in_refused_locked', targetType: 'account', targetId: account.id }),
    );
    return check;
  }
  if (check.kind === 'invalid') {
    await ctx.db.transaction().execute(async (trx) => {
      await ctx.audit(trx, { actor: ANONYMOUS, action: 'auth.sign_in_failed', targetType: 'account', targetId: account.id, detail: { failures: check.failures, reason: check.reason } });
      if (check.lockMs) await ctx.audit(trx, { actor: ANONYMOUS, action: 'auth.account_locked', targetType: 'account', targetId: account.id, detail: { seconds: check.lockMs / 1000 } });
    });
    return check.lockMs ? { kind: 'locked', retryAfterSeconds: check.lockMs / 1000 } : { kind: 'invalid' };
  }

  const keyPair = await unwrapPrivateKey(account, input.password);
  await ctx.db.transaction().execute((trx) =>
    ctx.audit(trx, { actor: { id: account.id, label: account.email }, action: 'auth.password_accepted', targetType: 'account', targetId: account.id }),
  );
  return { kind: 'ok', account, keyPair };
}
