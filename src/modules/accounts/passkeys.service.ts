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
import type { AppServices } from '../../core/module.ts';
import { fromBase64, toBase64 } from '../../core/crypto/sodium.ts';
import * as repo from './repo.ts';
import { hasSecondFactor, markSecondFactorPassed, recordSecondFactorFailure, type SecondFactorResult } from './second-factor.service.ts';
import type { AccountRow, SessionAccount, SessionState } from './tables.ts';

/** How long an options answer stays good; the browser's own prompt times out sooner. */
const CHALLENGE_TTL_MS = 5 * 60_000;
const TIMEOUT_MS = 120_000;
const TRANSPORTS: readonly string[] = ['ble', 'cable', 'hybrid', 'internal', 'nfc', 'smart-card', 'usb'];

type Ceremony = 'register' | 'signin';

const actorOf = (account: Pick<AccountRow, 'id' | 'email'>) => ({ id: account.id, label: account.email });

/** The relying party is this site: the host name and origin of BASE_URL. */
export function relyingParty(s: AppServices): { rpID: string; origin: string } {
  const url = new URL(s.config.baseUrl);
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
async function storeChallenge(s: AppServices, session: SessionState, ceremony: Ceremony, challenge: string): Promise<void> {
  await repo.updateSession(s.db, session.idHash, { webauthnChallenge: `${ceremony}:${s.clock.now().getTime()}:${challenge}` });
}

/** The session's open challenge for `ceremony`, cleared as it is read so it can be answered once. */
async function takeChallenge(s: AppServices, session: SessionState, ceremony: Ceremony): Promise<string | undefined> {
  const stored = (await repo.findSession(s.db, session.idHash))?.webauthnChallenge;
  if (!stored) return undefined;
  const [kind, issued, challenge] = stored.split(':');
  if (!(await repo.takeWebauthnChallenge(s.db, session.idHash, stored))) return undefined;
  if (kind !== ceremony || !challenge || s.clock.now().getTime() - Number(issued) > CHALLENGE_TTL_MS) return undefined;
  return challenge;
}

/** Options for adding a passkey to the account, excluding the ones it already has. */
export async function registrationOptions(s: AppServices, session: SessionState, account: SessionAccount): Promise<PublicKeyCredentialCreationOptionsJSON> {
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
  await storeChallenge(s, session, 'register', options.challenge);
  return options;
}

export type AddPasskeyResult = { kind: 'ok'; id: string } | { kind: 'invalid' } | { kind: 'not_allowed' };

/**
 * Verifies a new passkey against the session's challenge and stores it. With `enrol`, it is the
 * account's first second factor: refused if the account already has one, and it completes the
 * session's second factor (the caller then rotates the session id).
 */
export async function addPasskey(
  s: AppServices,
  session: SessionState,
  account: SessionAccount,
  input: { response: RegistrationResponseJSON; name: string },
  options: { enrol: boolean },
): Promise<AddPasskeyResult> {
  const challenge = await takeChallenge(s, session, 'register');
  if (!challenge) return { kind: 'invalid' };
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
    await s.audit(trx, { actor: actorOf(account), action: 'auth.passkey_added', targetType: 'account', targetId: account.id, detail: { passkey: credential.id, name, enrolment: options.enrol } });
    if (options.enrol) await repo.updateSession(trx, session.idHash, { secondFactorAt: now.toISOString() });
    return { kind: 'ok', id: credential.id };
  });
}

/**
 * Removes one of the account's own passkeys. The last second factor of an account without TOTP
 * stays: removing it would let the password alone enrol a new one.
 */
export async function removePasskey(s: AppServices, account: SessionAccount, id: string): Promise<'ok' | 'not_found' | 'last_factor'> {
  return s.db.transaction().execute(async (trx) => {
    const passkey = await repo.findPasskey(trx, account.id, id);
    if (!passkey) return 'not_found';
    const fresh = await repo.findAccountById(trx, account.id);
    if (!fresh?.totpEnabledAt && (await repo.countPasskeys(trx, account.id)) <= 1) return 'last_factor';
    await repo.deletePasskey(trx, account.id, id);
    await s.audit(trx, { actor: actorOf(account), action: 'auth.passkey_removed', targetType: 'account', targetId: account.id, detail: { passkey: id, name: passkey.name } });
    return 'ok';
  });
}

/** Options for proving one of the account's passkeys as the second factor; undefined if it has none. */
export async function authenticationOptions(s: AppServices, session: SessionState, account: SessionAccount): Promise<PublicKeyCredentialRequestOptionsJSON | undefined> {
  const passkeys = await repo.passkeysOf(s.db, account.id);
  if (passkeys.length === 0) return undefined;
  const options = await generateAuthenticationOptions({
    rpID: relyingParty(s).rpID,
    allowCredentials: passkeys.map((c) => ({ id: c.id, transports: transportsOf(c.transports) })),
    userVerification: 'preferred',
    timeout: TIMEOUT_MS,
  });
  await storeChallenge(s, session, 'signin', options.challenge);
  return options;
}

/**
 * Checks a passkey assertion as the second factor: the session's own challenge, one of this
 * account's credentials, its signature and a counter that moved on. A refusal counts toward the
 * same limit as a wrong code.
 */
export async function verifyPasskeySignIn(s: AppServices, session: SessionState, account: SessionAccount, response: AuthenticationResponseJSON | undefined): Promise<SecondFactorResult> {
  const now = s.clock.now();
  const accepted = async (): Promise<boolean> => {
    const challenge = await takeChallenge(s, session, 'signin');
    if (!challenge || !response) return false;
    const passkey = await repo.findPasskey(s.db, account.id, response.id);
    if (!passkey) return false;
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
      if (!verification.verified) return false;
      newCounter = verification.authenticationInfo.newCounter;
    } catch {
      return false;
    }
    return s.db.transaction().execute(async (trx) => {
      if (!(await repo.advancePasskeyCounter(trx, account.id, passkey.id, Number(passkey.counter), newCounter, now.toISOString()))) return false;
      await markSecondFactorPassed(s, trx, session, account, 'passkey', now);
      return true;
    });
  };
  if (await accepted()) return { kind: 'ok', method: 'passkey' };
  return recordSecondFactorFailure(s, session, account, 'passkey');
}
