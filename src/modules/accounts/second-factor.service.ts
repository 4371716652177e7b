import type { Db } from '../../database.ts';
import type { NewSession } from '../../core/auth/sessions.ts';
import { sessionStore } from '../../core/auth/session-store.ts';
import type { Staff } from '../../core/auth/staff.ts';
import type { Context } from '../../core/context.ts';
import type { AppServices } from '../../core/module.ts';
import { hmac, newId } from '../../core/crypto/server-secret.ts';
import { decryptText, encrypt, fromBase64, toBase64 } from '../../core/crypto/sodium.ts';
import { serverKey } from './keys.ts';
import * as repo from './repo.ts';
import { newRecoveryCodes, newTotpSecret, normaliseRecoveryCode, totpFor, verifyTotp } from './totp.ts';
import { passwordConfirmed } from './sessions.service.ts';

/** Wrong second-factor codes allowed per session before it is ended. */
export const SECOND_FACTOR_ATTEMPTS = 5;

const totpKey = (s: AppServices) => serverKey(s.secret, 'totp');
const sealTotp = async (s: AppServices, owner: string, secret: string) => toBase64(await encrypt(totpKey(s), secret, `totp:${owner}`));
const openTotp = (s: AppServices, owner: string, box: string) => decryptText(totpKey(s), fromBase64(box), `totp:${owner}`);
const recoveryHash = (s: AppServices, code: string) => hmac(s.secret, 'recovery', normaliseRecoveryCode(code));

/** Whether the account has any second factor: TOTP or at least one passkey. */
export function hasSecondFactor(account: { totpEnabledAt: string | null }, passkeys: number): boolean {
  return account.totpEnabledAt !== null || passkeys > 0;
}

/** How the staff member can prove the second factor, for the sign-in page. */
export async function secondFactorsOf(ctx: Context, staff: Staff): Promise<{ totp: boolean; passkeys: number }> {
  return { totp: staff.account.totpEnabledAt !== null, passkeys: await repo.countPasskeys(ctx.db, staff.account.id) };
}

/**
 * True while a session still owes the second factor its account already has: such a session may
 * not enrol another one, or the password alone would open the console.
 */
export async function owesExistingSecondFactor(ctx: Context, staff: Staff): Promise<boolean> {
  if (staff.session.secondFactorAt) return false;
  return hasSecondFactor(staff.account, await repo.countPasskeys(ctx.db, staff.account.id));
}

/** The TOTP secret being enrolled in this session (made on first view, kept until confirmed). */
export async function pendingTotp(ctx: Context, staff: Staff): Promise<{ secret: string; uri: string }> {
  const { session } = staff;
  // Read from the row, not the request: the sealed secret never rides along in request state.
  const pending = (await sessionStore.find(ctx.db, session.idHash))?.pendingTotpBox;
  let secret: string;
  if (pending) {
    secret = await openTotp(ctx, session.idHash, pending);
  } else {
    secret = newTotpSecret();
    await sessionStore.update(ctx.db, session.idHash, { pendingTotpBox: await sealTotp(ctx, session.idHash, secret) });
  }
  const settings = await ctx.settings.get();
  return { secret, uri: totpFor(secret, staff.account.email, settings.programName).toString() };
}

/**
 * Moves a session past its second factor inside the transaction that accepted the factor: a
 * session whose password step is done is replaced under a new id; one already past it (adding a
 * factor later) stays. Returns the new session when there is one.
 */
async function passSecondFactor(ctx: Context, trx: Db, staff: Staff, userAgent: string | undefined, now: Date): Promise<NewSession | undefined> {
  if (staff.session.secondFactorAt) return undefined;
  return ctx.sessions.rotate(trx, staff, userAgent, now.toISOString());
}

/**
 * Confirms enrolment with a first code; returns the recovery codes to show once (and, when the
 * enrolment completes a sign-in, the new session), undefined for a wrong code, or
 * 'password_wrong' when a signed-in session replacing the app did not give the password again.
 */
export async function confirmTotp(
  ctx: Context,
  staff: Staff,
  input: { code: string; password?: string | undefined },
  userAgent: string | undefined,
): Promise<{ codes: string[]; session: NewSession | undefined } | 'password_wrong' | undefined> {
  if (staff.session.secondFactorAt && !(await passwordConfirmed(ctx, staff, input.password))) return 'password_wrong';
  const code = input.code;
  const fresh = await sessionStore.find(ctx.db, staff.session.idHash);
  if (!fresh?.pendingTotpBox) return undefined;
  const secret = await openTotp(ctx, staff.session.idHash, fresh.pendingTotpBox);
  const step = verifyTotp(secret, code, ctx.clock.now(), null);
  if (step === undefined) return undefined;
  const codes = newRecoveryCodes();
  const now = ctx.clock.now();
  const accountId = staff.account.id;
  const session = await ctx.db.transaction().execute(async (trx) => {
    await repo.updateAccount(trx, accountId, { totpSecretBox: await sealTotp(ctx, accountId, secret), totpEnabledAt: now.toISOString(), totpLastStep: step, updatedAt: now.toISOString() });
    await repo.replaceRecoveryCodes(trx, accountId, codes.map((c) => ({ id: newId(), codeHash: recoveryHash(ctx, c) })));
    await sessionStore.update(trx, staff.session.idHash, { pendingTotpBox: null });
    await ctx.audit(trx, { actor: staff.actor, action: 'auth.totp_enrolled', targetType: 'account', targetId: accountId });
    return passSecondFactor(ctx, trx, staff, userAgent, now);
  });
  return { codes, session };
}

/** New recovery codes, replacing the old ones. */
export async function regenerateRecoveryCodes(ctx: Context, staff: Staff): Promise<string[]> {
  const codes = newRecoveryCodes();
  await ctx.db.transaction().execute(async (trx) => {
    await repo.replaceRecoveryCodes(trx, staff.account.id, codes.map((c) => ({ id: newId(), codeHash: recoveryHash(ctx, c) })));
    await ctx.audit(trx, { actor: staff.actor, action: 'auth.recovery_codes_regenerated', targetType: 'account', targetId: staff.account.id });
  });
  return codes;
}

export type SecondFactorMethod = 'totp' | 'recovery_code' | 'passkey';
export type SecondFactorFailure = { kind: 'invalid'; attemptsLeft: number } | { kind: 'ended' };
export type SecondFactorResult = { kind: 'ok'; method: SecondFactorMethod; session: NewSession } | SecondFactorFailure;

/**
 * Accepts the second factor and rotates the session in the transaction that accepted it, so a
 * crash between the two cannot leave a password-only session marked done.
 */
export async function completeSecondFactor(ctx: Context, trx: Db, staff: Staff, method: SecondFactorMethod, userAgent: string | undefined, now: Date): Promise<NewSession> {
  await repo.updateAccount(trx, staff.account.id, { lastSignInAt: now.toISOString() });
  await ctx.audit(trx, { actor: staff.actor, action: 'auth.second_factor_passed', targetType: 'account', targetId: staff.account.id, detail: { method } });
  return ctx.sessions.rotate(trx, staff, userAgent, now.toISOString());
}

const attemptsKey = (staff: Staff) => `2fa:${staff.session.idHash}`;

/**
 * Counts a second-factor attempt before it is checked, so that parallel codes are counted one by
 * one: past the allowed attempts a code is not checked at all. Undefined when it may be checked.
 */
async function countSecondFactorAttempt(ctx: Context, staff: Staff): Promise<number | undefined> {
  const attempt = await ctx.rateLimiter.consume(attemptsKey(staff), SECOND_FACTOR_ATTEMPTS, 15 * 60_000);
  return attempt.allowed ? attempt.count : undefined;
}

/** Ends a session that spent its attempts; audited once, by whichever attempt ends it. */
async function endAfterFailures(ctx: Context, staff: Staff): Promise<SecondFactorFailure> {
  await ctx.db.transaction().execute(async (trx) => {
    if (await sessionStore.delete(trx, staff.session.idHash)) {
      await ctx.audit(trx, { actor: staff.actor, action: 'auth.session_ended_second_factor', targetType: 'account', targetId: staff.account.id });
    }
  });
  return { kind: 'ended' };
}

/**
 * Records a failed second factor (wrong code or refused passkey alike, one limit per session).
 * Repeated failures end the session, so guessing means starting over with the password.
 * `attempt` is the count the code was checked under; a passkey counts here, after the fact.
 */
export async function recordSecondFactorFailure(ctx: Context, staff: Staff, method: 'code' | 'passkey', attempt?: number): Promise<SecondFactorFailure> {
  const count = attempt ?? (await countSecondFactorAttempt(ctx, staff));
  if (count === undefined) return endAfterFailures(ctx, staff);
  await ctx.db.transaction().execute((trx) =>
    ctx.audit(trx, { actor: staff.actor, action: 'auth.second_factor_failed', targetType: 'account', targetId: staff.account.id, detail: { attempt: count, method } }),
  );
  if (count >= SECOND_FACTOR_ATTEMPTS) return endAfterFailures(ctx, staff);
  return { kind: 'invalid', attemptsLeft: SECOND_FACTOR_ATTEMPTS - count };
}

/**
 * Checks a TOTP or recovery code for a session whose password step passed. The attempt is
 * counted first; a TOTP step is taken with a compare-and-set, so two posts of one code cannot
 * both win.
 */
export async function verifySecondFactor(ctx: Context, staff: Staff, code: string, userAgent: string | undefined): Promise<SecondFactorResult> {
  const attempt = await countSecondFactorAttempt(ctx, staff);
  if (attempt === undefined) return endAfterFailures(ctx, staff);
  const now = ctx.clock.now();
  const account = await repo.findAccountById(ctx.db, staff.account.id);
  if (account?.totpSecretBox) {
    const secret = await openTotp(ctx, account.id, account.totpSecretBox);
    const step = verifyTotp(secret, code, now, account.totpLastStep);
    if (step !== undefined) {
      const session = await ctx.db.transaction().execute(async (trx) => {
        if (!(await repo.advanceTotpStep(trx, account.id, step))) return undefined;
        return completeSecondFactor(ctx, trx, staff, 'totp', userAgent, now);
      });
      if (session) return { kind: 'ok', method: 'totp', session };
    }
  }
  if (account && /^[a-z0-9]{5}-?[a-z0-9]{5}$/i.test(code.trim())) {
    const session = await ctx.db.transaction().execute(async (trx) => {
      if (!(await repo.useRecoveryCode(trx, account.id, recoveryHash(ctx, code), now.toISOString()))) return undefined;
      return completeSecondFactor(ctx, trx, staff, 'recovery_code', userAgent, now);
    });
    if (session) return { kind: 'ok', method: 'recovery_code', session };
  }
  return recordSecondFactorFailure(ctx, staff, 'code', attempt);
}

/** Removes every second factor of an account (operator or administrator reset) and ends its sessions. */
export async function resetSecondFactors(ctx: Context, accountId: string): Promise<void> {
  await ctx.db.transaction().execute(async (trx) => {
    await repo.clearSecondFactors(trx, accountId);
    await sessionStore.deleteAllOf(trx, accountId);
    await ctx.audit(trx, { action: 'account.second_factor_reset', targetType: 'account', targetId: accountId });
  });
}
