import type { AppServices } from '../../core/module.ts';
import { hmac, newId } from '../../core/crypto/server-secret.ts';
import { decryptText, encrypt, fromBase64, toBase64 } from '../../core/crypto/sodium.ts';
import type { Db } from '../../database.ts';
import { serverKey } from './keys.ts';
import * as repo from './repo.ts';
import type { AccountRow, SessionAccount, SessionState } from './tables.ts';
import { newRecoveryCodes, newTotpSecret, normaliseRecoveryCode, totpFor, verifyTotp } from './totp.ts';

/** Wrong second-factor codes allowed per session before it is ended. */
export const SECOND_FACTOR_ATTEMPTS = 5;

const totpKey = (s: AppServices) => serverKey(s.secret, 'totp');
const sealTotp = async (s: AppServices, owner: string, secret: string) => toBase64(await encrypt(totpKey(s), secret, `totp:${owner}`));
const openTotp = (s: AppServices, owner: string, box: string) => decryptText(totpKey(s), fromBase64(box), `totp:${owner}`);
const recoveryHash = (s: AppServices, code: string) => hmac(s.secret, 'recovery', normaliseRecoveryCode(code));

const actorOf = (account: Pick<AccountRow, 'id' | 'email'>) => ({ id: account.id, label: account.email });

/** Whether the account has any second factor: TOTP or at least one passkey. */
export function hasSecondFactor(account: Pick<AccountRow, 'totpEnabledAt'>, passkeys: number): boolean {
  return account.totpEnabledAt !== null || passkeys > 0;
}

/**
 * True while a session still owes the second factor its account already has: such a session may
 * not enrol another one, or the password alone would open the console.
 */
export async function owesExistingSecondFactor(s: AppServices, session: SessionState, account: SessionAccount): Promise<boolean> {
  if (session.secondFactorAt) return false;
  return hasSecondFactor(account, await repo.countPasskeys(s.db, account.id));
}

/** The TOTP secret being enrolled in this session (made on first view, kept until confirmed). */
export async function pendingTotp(s: AppServices, session: SessionState, account: SessionAccount): Promise<{ secret: string; uri: string }> {
  const box = (await repo.findSession(s.db, session.idHash))?.pendingTotpBox;
  let secret: string;
  if (box) {
    secret = await openTotp(s, session.idHash, box);
  } else {
    secret = newTotpSecret();
    await repo.updateSession(s.db, session.idHash, { pendingTotpBox: await sealTotp(s, session.idHash, secret) });
  }
  const settings = await s.settings.get();
  return { secret, uri: totpFor(secret, account.email, settings.programName).toString() };
}

/** Confirms enrolment with a first code; returns the recovery codes to show once, or undefined. */
export async function confirmTotp(s: AppServices, session: SessionState, account: SessionAccount, code: string): Promise<string[] | undefined> {
  const fresh = await repo.findSession(s.db, session.idHash);
  if (!fresh?.pendingTotpBox) return undefined;
  const secret = await openTotp(s, session.idHash, fresh.pendingTotpBox);
  const step = verifyTotp(secret, code, s.clock.now(), null);
  if (step === undefined) return undefined;
  const codes = newRecoveryCodes();
  const now = s.clock.now().toISOString();
  await s.db.transaction().execute(async (trx) => {
    await repo.updateAccount(trx, account.id, { totpSecretBox: await sealTotp(s, account.id, secret), totpEnabledAt: now, totpLastStep: step, updatedAt: now });
    await repo.replaceRecoveryCodes(trx, account.id, codes.map((c) => ({ id: newId(), codeHash: recoveryHash(s, c) })));
    await repo.updateSession(trx, session.idHash, { pendingTotpBox: null, secondFactorAt: now });
    await s.audit(trx, { actor: actorOf(account), action: 'auth.totp_enrolled', targetType: 'account', targetId: account.id });
  });
  return codes;
}

/** New recovery codes, replacing the old ones. */
export async function regenerateRecoveryCodes(s: AppServices, account: SessionAccount): Promise<string[]> {
  const codes = newRecoveryCodes();
  await s.db.transaction().execute(async (trx) => {
    await repo.replaceRecoveryCodes(trx, account.id, codes.map((c) => ({ id: newId(), codeHash: recoveryHash(s, c) })));
    await s.audit(trx, { actor: actorOf(account), action: 'auth.recovery_codes_regenerated', targetType: 'account', targetId: account.id });
  });
  return codes;
}

export type SecondFactorMethod = 'totp' | 'recovery_code' | 'passkey';
export type SecondFactorFailure = { kind: 'invalid'; attemptsLeft: number } | { kind: 'ended' };
export type SecondFactorResult = { kind: 'ok'; method: SecondFactorMethod } | SecondFactorFailure;

/** Marks the session's second factor done and audits how, inside the transaction that accepted it. */
export async function markSecondFactorPassed(s: AppServices, trx: Db, session: SessionState, account: SessionAccount, method: SecondFactorMethod, now: Date): Promise<void> {
  await repo.updateAccount(trx, account.id, { lastSignInAt: now.toISOString() });
  await repo.updateSession(trx, session.idHash, { secondFactorAt: now.toISOString() });
  await s.audit(trx, { actor: actorOf(account), action: 'auth.second_factor_passed', targetType: 'account', targetId: account.id, detail: { method } });
}

/**
 * Counts a failed second factor (wrong code or refused passkey alike, one limit per session).
 * Repeated failures end the session, so guessing means starting over with the password.
 */
export async function recordSecondFactorFailure(s: AppServices, session: SessionState, account: SessionAccount, method: 'code' | 'passkey'): Promise<SecondFactorFailure> {
  const key = `2fa:${session.idHash}`;
  const attempt = await s.rateLimiter.consume(key, SECOND_FACTOR_ATTEMPTS - 1, 15 * 60_000);
  await s.db.transaction().execute(async (trx) => {
    await s.audit(trx, { actor: actorOf(account), action: 'auth.second_factor_failed', targetType: 'account', targetId: account.id, detail: { attempt: attempt.count, method } });
    if (!attempt.allowed) {
      await repo.deleteSession(trx, session.idHash);
      await s.audit(trx, { actor: actorOf(account), action: 'auth.session_ended_second_factor', targetType: 'account', targetId: account.id });
    }
  });
  if (!attempt.allowed) {
    await s.rateLimiter.reset(key);
    return { kind: 'ended' };
  }
  return { kind: 'invalid', attemptsLeft: SECOND_FACTOR_ATTEMPTS - attempt.count };
}

/** Checks a TOTP or recovery code for a session whose password step passed. */
export async function verifySecondFactor(s: AppServices, session: SessionState, account: SessionAccount, code: string): Promise<SecondFactorResult> {
  const now = s.clock.now();
  const totp = await repo.findTotp(s.db, account.id);
  if (totp?.totpSecretBox) {
    const secret = await openTotp(s, account.id, totp.totpSecretBox);
    const step = verifyTotp(secret, code, now, totp.totpLastStep);
    if (step !== undefined) {
      await s.db.transaction().execute(async (trx) => {
        await repo.updateAccount(trx, account.id, { totpLastStep: step });
        await markSecondFactorPassed(s, trx, session, account, 'totp', now);
      });
      return { kind: 'ok', method: 'totp' };
    }
  }
  if (/^[a-z0-9]{5}-?[a-z0-9]{5}$/i.test(code.trim())) {
    const used = await s.db.transaction().execute(async (trx) => {
      const ok = await repo.useRecoveryCode(trx, account.id, recoveryHash(s, code), now.toISOString());
      if (ok) await markSecondFactorPassed(s, trx, session, account, 'recovery_code', now);
      return ok;
    });
    if (used) return { kind: 'ok', method: 'recovery_code' };
  }
  return recordSecondFactorFailure(s, session, account, 'code');
}

/** Removes every second factor of an account (operator or administrator reset) and ends its sessions. */
export async function resetSecondFactors(s: AppServices, actor: { id: string | null; label: string }, accountId: string): Promise<void> {
  await s.db.transaction().execute(async (trx) => {
    await repo.clearSecondFactors(trx, accountId);
    await repo.deleteSessionsOf(trx, accountId);
    await s.audit(trx, { actor, action: 'account.second_factor_reset', targetType: 'account', targetId: accountId });
  });
}
