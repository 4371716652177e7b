import type { AppServices } from '../../core/module.ts';
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

export function lockDurationMs(failures: number): number {
  return failures < FREE_ATTEMPTS ? 0 : Math.min(60_000 * 2 ** (failures - FREE_ATTEMPTS), MAX_LOCK_MS);
}

export type SignInResult =
  | { kind: 'ok'; account: AccountRow; keyPair: KeyPair }
  | { kind: 'invalid' }
  | { kind: 'locked'; retryAfterSeconds: number };

const anonymous = { id: null, label: 'anonymous' };

/**
 * Checks an e-mail and password. An unknown e-mail costs the same argon2 work as a wrong
 * password and gets the same answer; locks for unknown e-mails are kept in the rate limiter so
 * a lock does not reveal that an account exists.
 */
export async function signIn(s: AppServices, input: { email: string; password: string; clientAddress: string }): Promise<SignInResult> {
  const now = s.clock.now();
  const email = input.email.trim().toLowerCase();
  const client = await s.rateLimiter.consume(`signin:client:${hmac(s.secret, 'client', input.clientAddress)}`, CLIENT_LIMIT, CLIENT_WINDOW_MS);
  const account = await repo.findAccountByEmail(s.db, email);

  if (!client.allowed) {
    await s.db.transaction().execute((trx) =>
      s.audit(trx, { actor: anonymous, action: 'auth.sign_in_throttled', targetType: 'account', targetId: account?.id ?? undefined, detail: { scope: 'client' } }),
    );
    return { kind: 'locked', retryAfterSeconds: client.retryAfterSeconds };
  }

  if (!account) {
    await verifySecret(await dummySecretHash(), input.password);
    const key = `signin:email:${hmac(s.secret, 'email', email)}`;
    const failures = await s.rateLimiter.consume(key, FREE_ATTEMPTS - 1, 24 * 3600_000);
    await s.db.transaction().execute((trx) =>
      s.audit(trx, { actor: anonymous, action: 'auth.sign_in_failed', detail: { reason: 'unknown_account' } }),
    );
    return failures.allowed ? { kind: 'invalid' } : { kind: 'locked', retryAfterSeconds: Math.ceil(lockDurationMs(failures.count) / 1000) };
  }

  if (account.lockedUntil && new Date(account.lockedUntil) > now) {
    await s.db.transaction().execute((trx) =>
      s.audit(trx, { actor: anonymous, action: 'auth.sign_in_refused_locked', targetType: 'account', targetId: account.id }),
    );
    return { kind: 'locked', retryAfterSeconds: Math.ceil((new Date(account.lockedUntil).getTime() - now.getTime()) / 1000) };
  }

  const passwordOk = await verifySecret(account.passwordHash, input.password);
  if (!passwordOk || account.status !== 'active') {
    const failures = account.failedSignIns + 1;
    const lockMs = lockDurationMs(failures);
    await s.db.transaction().execute(async (trx) => {
      await repo.updateAccount(trx, account.id, {
        failedSignIns: failures,
        lockedUntil: lockMs ? new Date(now.getTime() + lockMs).toISOString() : null,
      });
      await s.audit(trx, { actor: anonymous, action: 'auth.sign_in_failed', targetType: 'account', targetId: account.id, detail: { failures, reason: passwordOk ? 'inactive' : 'password' } });
      if (lockMs) await s.audit(trx, { actor: anonymous, action: 'auth.account_locked', targetType: 'account', targetId: account.id, detail: { seconds: lockMs / 1000 } });
    });
    return lockMs ? { kind: 'locked', retryAfterSeconds: lockMs / 1000 } : { kind: 'invalid' };
  }

  const keyPair = await unwrapPrivateKey(account, input.password);
  await s.db.transaction().execute(async (trx) => {
    await repo.updateAccount(trx, account.id, { failedSignIns: 0, lockedUntil: null });
    await s.audit(trx, { actor: { id: account.id, label: account.email }, action: 'auth.password_accepted', targetType: 'account', targetId: account.id });
  });
  return { kind: 'ok', account, keyPair };
}
