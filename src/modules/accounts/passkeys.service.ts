import {
  type AuthenticationResponseJSON,
  type AuthenticatorTransportFuture,
  generateAuthenticationOptions,
  generateRegistrationOptions,
  type PublicKeyCredentialCreationOptionsJSON,
  type PublicKeyCredentialRequestOptionsJSON,
  type RegistrationResponseJSON,
  verifyAuthenticationResponse,
  verifyRegistrationResponse,
} from '@simplewebauthn/server';
import type { NewSession } from '../../core/auth/sessions.ts';
import { sessionStore } from '../../core/auth/session-store.ts';
import type { Staff } from '../../core/auth/staff.ts';
import type { Context } from '../../core/context.ts';
import type { AppServices } from '../../core/module.ts';
import { fromBase64, toBase64 } from '../../core/crypto/sodium.ts';
import * as repo from './repo.ts';
import { completeSecondFactor, hasSecondFactor, recordSecondFactorFailure, type SecondFactorResult } from './second-factor.service.ts';
import { passwordConfirmed } from './sessions.service.ts';

/** How long an options answer stays good; the browser's own prompt times out sooner. */
const CHALLENGE_TTL_MS = 5 * 60_000;
const TIMEOUT_MS = 120_000;
const TRANSPORTS: readonly string[] = ['ble', 'cable', 'hybrid', 'internal', 'nfc', 'smart-card', 'usb'];

type Ceremony = 'register' | 'signin';

/** The relying party is this site: the host name and origin of BASE_URL. */
export function relyingParty(ctx: Context): { rpID: string; origin: string } {
  const url = new URL(ctx.config.baseUrl);
  return { rpID: url.hostname, origin: url.origin };
}

function transportsOf(stored: string): AuthenticatorTransportFuture[] {
  try {
    const list: unknown = JSON.parse(stored);
    return Array.isArray(list) ? (list.filter((t) => TRANSPORTS.includes(t)) as AuthenticatorTransportFuture[]) : [];
  } catch {
    return [];
  }
}

/** Keeps the challenge in the session row, tagged with its ceremony and time. */
async function storeChallenge(s: AppServices, staff: Staff, ceremony: Ceremony, challenge: string): Promise<void> {
  await sessionStore.update(s.db, staff.session.idHash, { webauthnChallenge: `${ceremony}:${s.clock.now().getTime()}:${challenge}` });
}

/** The session's open challenge for `ceremony`, cleared as it is read so it can be answered once. */
async function takeChallenge(s: AppServices, staff: Staff, ceremony: Ceremony): Promise<string | undefined> {
  const stored = (await sessionStore.find(s.db, staff.session.idHash))?.webauthnChallenge;
  if (!stored) return undefined;
  const [kind, issued, challenge] = stored.split(':');
  if (!(await sessionStore.takeWebauthnChallenge(s.db, staff.session.idHash, stored))) return undefined;
  if (kind !== ceremony || !challenge || s.clock.now().getTime() - Number(issued) > CHALLENGE_TTL_MS) return undefined;
  return challenge;
}

/** Options for adding a passkey to the account, excluding the ones it already has. */
export async function registrationOptions(s: Context, staff: Staff): Promise<PublicKeyCredentialCreationOptionsJSON> {
  const { account } = staff;
  const existing = await repo.passkeysOf(s.db, account.id);
  const settings = await s.settings.get();
  const options = await generateRegistrationOptions({
    rpName: settings.programName,
    rpID: relyingParty(s).rpID,
    userName: account.email,
    userDisplayName: account.displayName,
    userID: new TextEncoder().encode(account.id),
    attestationType: 'none',
    timeout: TIMEOUT_MS,
    excludeCredentials: existing.map((c) => ({ id: c.id, transports: transportsOf(c.transports) })),
    authenticatorSelection: { residentKey: 'preferred', userVerification: 'preferred' },
  });
  await storeChallenge(s, staff, 'register', options.challenge);
  return options;
}

export type AddPasskeyResult = { kind: 'ok'; id: string; session: NewSession | undefined } | { kind: 'invalid' } | { kind: 'not_allowed' } | { kind: 'password_wrong' };

/**
 * Verifies a new passkey against the session's challenge and stores it. With `enrol`, it is the
 * account's first second factor: refused if the account already has one, and it completes the
 * session's second factor under a new session id. Without it (a signed-in session adding one),
 * the password is asked again; the challenge is spent either way.
 */
export async function addPasskey(
  s: Context,
  staff: Staff,
  input: { response: RegistrationResponseJSON; name: string; userAgent: string | undefined; password?: string },
  options: { enrol: boolean },
): Promise<AddPasskeyResult> {
  const { account, session } = staff;
  const challenge = await takeChallenge(s, staff, 'register');
  if (!challenge) return { kind: 'invalid' };
  if (!options.enrol && !(await passwordConfirmed(s, staff, input.password))) return { kind: 'password_wrong' };
  const { rpID, origin } = relyingParty(s);
  let credential;
  try {
    const verification = await verifyRegistrationResponse({
      response: input.response,
      expectedChallenge: challenge,
      expectedOrigin: origin,
      expectedRPID: rpID,
      // A passkey here is the second step after a password: presence is enough, as with a code.
      requireUserVerification: false,
    });
    if (!verification.verified) return { kind: 'invalid' };
    credential = verification.registrationInfo.credential;
  } catch {
    return { kind: 'invalid' };
  }
  const now = s.clock.now();
  const name = input.name.replace(/[\p{Cc}\p{Cf}]/gu, '').trim().slice(0, 60) || session.device;
  return s.db.transaction().execute(async (trx): Promise<AddPasskeyResult> => {
    if (options.enrol) {
      const fresh = await repo.findAccountById(trx, account.id);
      if (!fresh || hasSecondFactor(fresh, await repo.countPasskeys(trx, account.id))) return { kind: 'not_allowed' };
    }
    if (await repo.passkeyIdTaken(trx, credential.id)) return { kind: 'invalid' };
    await repo.insertPasskey(trx, {
      id: credential.id,
      accountId: account.id,
      publicKey: toBase64(credential.publicKey),
      counter: credential.counter,
      transports: JSON.stringify((credential.transports ?? []).filter((t) => TRANSPORTS.includes(t))),
      name,
      createdAt: now.toISOString(),
      lastUsedAt: null,
    });
    await s.audit(trx, { actor: staff.actor, action: 'auth.passkey_added', targetType: 'account', targetId: account.id, detail: { passkey: credential.id, name, enrolment: options.enrol } });
    // A first factor enrolled before the sign-in finished completes it, under a new session id.
    const next = options.enrol && !session.secondFactorAt ? await s.sessions.rotate(trx, staff, input.userAgent, now.toISOString()) : undefined;
    return { kind: 'ok', id: credential.id, session: next };
  });
}

/**
 * Removes one of the account's own passkeys. The last second factor of an account without TOTP
 * stays: removing it would let the password alone enrol a new one.
 */
export async function removePasskey(s: Context, staff: Staff, id: string): Promise<'ok' | 'not_found' | 'last_factor'> {
  const { account } = staff;
  return s.db.transaction().execute(async (trx) => {
    const passkey = await repo.findPasskey(trx, account.id, id);
    if (!passkey) return 'not_found';
    const fresh = await repo.findAccountById(trx, account.id);
    if (!fresh?.totpEnabledAt && (await repo.countPasskeys(trx, account.id)) <= 1) return 'last_factor';
    await repo.deletePasskey(trx, account.id, id);
    await s.audit(trx, { actor: staff.actor, action: 'auth.passkey_removed', targetType: 'account', targetId: account.id, detail: { passkey: id, name: passkey.name } });
    return 'ok';
  });
}

/** Options for proving one of the account's passkeys as the second factor; undefined if it has none. */
export async function authenticationOptions(s: Context, staff: Staff): Promise<PublicKeyCredentialRequestOptionsJSON | undefined> {
  const passkeys = await repo.passkeysOf(s.db, staff.account.id);
  if (passkeys.length === 0) return undefined;
  const options = await generateAuthenticationOptions({
    rpID: relyingParty(s).rpID,
    allowCredentials: passkeys.map((c) => ({ id: c.id, transports: transportsOf(c.transports) })),
    userVerification: 'preferred',
    timeout: TIMEOUT_MS,
  });
  await storeChallenge(s, staff, 'signin', options.challenge);
  return options;
}

/**
 * Checks a passkey assertion as the second factor: the session's own challenge, one of this
 * account's credentials, its signature and a counter that moved on. A refusal counts toward the
 * same limit as a wrong code.
 */
export async function verifyPasskeySignIn(
  s: Context,
  staff: Staff,
  response: AuthenticationResponseJSON | undefined,
  userAgent: string | undefined,
): Promise<SecondFactorResult> {
  const now = s.clock.now();
  const { account } = staff;
  const accepted = async (): Promise<NewSession | undefined> => {
    const challenge = await takeChallenge(s, staff, 'signin');
    if (!challenge || !response) return undefined;
    const passkey = await repo.findPasskey(s.db, account.id, response.id);
    if (!passkey) return undefined;
    const { rpID, origin } = relyingParty(s);
    let newCounter: number;
    try {
      const verification = await verifyAuthenticationResponse({
        response,
        expectedChallenge: challenge,
        expectedOrigin: origin,
        expectedRPID: rpID,
        credential: { id: passkey.id, publicKey: fromBase64(passkey.publicKey), counter: Number(passkey.counter), transports: transportsOf(passkey.transports) },
        requireUserVerification: false,
      });
      if (!verification.verified) return undefined;
      newCounter = verification.authenticationInfo.newCounter;
    } catch {
      return undefined;
    }
    return s.db.transaction().execute(async (trx) => {
      if (!(await repo.advancePasskeyCounter(trx, account.id, passkey.id, Number(passkey.counter), newCounter, now.toISOString()))) return undefined;
      return completeSecondFactor(s, trx, staff, 'passkey', userAgent, now);
    });
  };
  const session = await accepted();
  if (session) return { kind: 'ok', method: 'passkey', session };
  return recordSecondFactorFailure(s, staff, 'passkey');
}

/** Whether the account may enrol a passkey as its first second factor (it has none yet). */
export async function mayEnrolPasskey(s: Context, staff: Staff): Promise<boolean> {
  const account = await repo.findAccountById(s.db, staff.account.id);
  return account !== undefined && !hasSecondFactor(account, await repo.countPasskeys(s.db, account.id));
}
