import { createHash } from 'node:crypto';
import type { Db } from '../../database.ts';
import type { AccountAccessChange, AppServices } from '../../core/module.ts';
import { DomainError } from '../../core/errors.ts';
import { hashSecret, verifySecret } from '../../core/crypto/argon2.ts';
import { newId } from '../../core/crypto/server-secret.ts';
import type { KeyPair } from '../../core/crypto/sodium.ts';
import type { AuditActor } from '../../core/audit/audit.ts';
import { sessionStore } from '../../core/auth/session-store.ts';
import { actorOf, type Staff } from '../../core/auth/staff.ts';
import type { Context } from '../../core/context.ts';
import { AppError } from '../../core/http/errors.ts';
import { invitationEmail } from './emails/invitation.tsx';
import { createAccountKeys, unwrapPrivateKey, type WrappedKeys, wrapPrivateKey } from './keys.ts';
import { passwordProblem } from './passwords.ts';
import type { Role } from '../../core/auth/permissions.ts';
import * as repo from './repo.ts';
import type { AccountRow, InvitationRow } from './tables.ts';
import { randomToken } from './totp.ts';
import type { OfficeSettings } from '../../core/settings/settings.ts';

export const INVITATION_HOURS = 72;
export const RESET_HOURS = 24;

export const hashToken = (token: string) => createHash('sha256').update(token).digest('hex');

/** A new active account with its wrapped keys and no second factor yet. */
export function newAccountRow(p: { id: string; email: string; displayName: string; locale: string; passwordHash: string; keys: WrappedKeys; now: string }): AccountRow {
  return {
    id: p.id,
    email: p.email,
    displayName: p.displayName,
    status: 'active',
    locale: p.locale,
    passwordHash: p.passwordHash,
    publicKey: p.keys.publicKey,
    privateKeyBox: p.keys.privateKeyBox,
    keySalt: p.keys.keySalt,
    keysCreatedAt: p.now,
    totpSecretBox: null,
    totpEnabledAt: null,
    totpLastStep: null,
    failedSignIns: 0,
    lockedUntil: null,
    lastSignInAt: null,
    passwordChangedAt: p.now,
    createdAt: p.now,
    updatedAt: p.now,
  };
}

/** A form-level refusal the route shows beside the field named. */
export class AccountInputError extends DomainError {
  declare readonly messageKey: string;
  readonly field: string;
  readonly key: string;
  constructor(field: string, key: string) {
    super('invalid_form', { messageKey: key });
    this.field = field;
    this.key = key;
  }
}

/**
 * Settings are read by the caller before its transaction opens: on SQLite's single connection a
 * cold settings read inside the transaction would wait for that same transaction forever.
 */
async function queueLinkEmail(s: AppServices, trx: Db, settings: OfficeSettings, invitation: InvitationRow, token: string): Promise<void> {
  const hours = invitation.kind === 'invite' ? INVITATION_HOURS : RESET_HOURS;
  const link = `${s.config.baseUrl}/console/invitations/${token}`;
  await s.mailer.queue(
    trx,
    invitation.email,
    invitationEmail(s.catalogs, { kind: invitation.kind, locale: invitation.locale, displayName: invitation.displayName, officeName: settings.officeName, programName: settings.programName, link, expiresHours: hours }),
    { bearer: true },
  );
}

const LINK = /\/console\/invitations\/([A-Za-z0-9_-]{20,100})/;

/**
 * Erases the message of every invitation or reset link that can no longer be used (accepted,
 * revoked, expired, or gone) from the outbox and its folder: a working link kept at rest is an
 * account for whoever reads the disk, and a used one is no use to anybody.
 */
export async function eraseSpentLinks(s: AppServices): Promise<number> {
  return s.mailer.eraseSpent(s.db, async (text) => {
    const token = LINK.exec(text)?.[1];
    return !token || (await openInvitation(s, token)) === undefined;
  });
}

/**
 * Invites a staff member by e-mail; the link works once, for 72 hours. Returns the link token.
 * An invitation still pending for the address is replaced: only the newest link works, so a
 * mistyped role or a link sent to the wrong inbox is undone by inviting again.
 */
export async function inviteAccount(
  s: AppServices,
  actor: AuditActor,
  input: { email: string; displayName: string; roles: Role[]; locale: string },
): Promise<string> {
  const email = input.email.trim().toLowerCase();
  if (await repo.findAccountByEmail(s.db, email)) throw new AccountInputError('email', 'accounts.errors.emailTaken');
  const token = randomToken();
  const now = s.clock.now();
  const invitation: InvitationRow = {
    id: newId(),
    kind: 'invite',
    accountId: null,
    tokenHash: hashToken(token),
    email,
    displayName: input.displayName.trim(),
    roles: JSON.stringify(input.roles),
    locale: input.locale,
    invitedBy: actor.id,
    expiresAt: new Date(now.getTime() + INVITATION_HOURS * 3600_000).toISOString(),
    acceptedAt: null,
    revokedAt: null,
    createdAt: now.toISOString(),
  };
  const settings = await s.settings.get();
  await s.db.transaction().execute(async (trx) => {
    for (const replaced of await repo.revokePendingInvitations(trx, email, now.toISOString())) {
      await s.audit(trx, { actor, action: 'account.invitation_replaced', targetType: 'invitation', targetId: replaced, detail: { by: invitation.id } });
    }
    await repo.insertInvitation(trx, invitation);
    await queueLinkEmail(s, trx, settings, invitation, token);
    await s.audit(trx, { actor, action: 'account.invite', targetType: 'invitation', targetId: invitation.id, detail: { roles: input.roles.join(',') } });
  });
  return token;
}

/** An invitation or reset link that can still be used, or undefined (unknown, used, revoked, expired). */
export async function openInvitation(s: AppServices, token: string): Promise<InvitationRow | undefined> {
  if (!/^[A-Za-z0-9_-]{20,100}$/.test(token)) return undefined;
  const invitation = await repo.findInvitationByTokenHash(s.db, hashToken(token));
  if (!invitation || invitation.acceptedAt || invitation.revokedAt) return undefined;
  if (new Date(invitation.expiresAt) <= s.clock.now()) return undefined;
  return invitation;
}

/**
 * Uses an invitation or reset link: sets the password and makes a new key pair wrapped under it.
 * After a reset the old private key is gone for good; the tip line re-grants access to old tips.
 */
export async function acceptInvitation(s: AppServices, token: string, password: string): Promise<{ account: AccountRow; keyPair: KeyPair }> {
  const invitation = await openInvitation(s, token);
  if (!invitation) throw new AppError('not_found');
  const problem = passwordProblem(password, { email: invitation.email, name: invitation.displayName });
  if (problem) throw new AccountInputError('password', problem);
  const now = s.clock.now().toISOString();
  const passwordHash = await hashSecret(password);

  if (invitation.kind === 'reset') {
    const existing = invitation.accountId ? await repo.findAccountById(s.db, invitation.accountId) : undefined;
    if (!existing || existing.status !== 'active') throw new AppError('not_found');
    const keys = await createAccountKeys(existing.id, password);
    await s.db.transaction().execute(async (trx) => {
      if ((await repo.updateInvitation(trx, invitation.id, { acceptedAt: now })) !== 1) throw new AppError('not_found');
      await repo.updateAccount(trx, existing.id, {
        passwordHash,
        publicKey: keys.publicKey,
        privateKeyBox: keys.privateKeyBox,
        keySalt: keys.keySalt,
        keysCreatedAt: now,
        passwordChangedAt: now,
        failedSignIns: 0,
        lockedUntil: null,
        updatedAt: now,
      });
      await sessionStore.deleteAllOf(trx, existing.id);
      await s.audit(trx, { actor: actorOf(existing), action: 'account.password_reset_completed', targetType: 'account', targetId: existing.id });
      await s.audit(trx, { actor: actorOf(existing), action: 'account.keys_replaced', targetType: 'account', targetId: existing.id });
    });
    await eraseSpentLinks(s);
    return { account: (await repo.findAccountById(s.db, existing.id))!, keyPair: keys.keyPair };
  }

  if (await repo.findAccountByEmail(s.db, invitation.email)) throw new AppError('not_found');
  const id = newId();
  const keys = await createAccountKeys(id, password);
  const account = newAccountRow({ id, email: invitation.email, displayName: invitation.displayName, locale: invitation.locale, passwordHash, keys, now });
  await s.db.transaction().execute(async (trx) => {
    // The conditional update makes the link single-use even when two requests race.
    if ((await repo.updateInvitation(trx, invitation.id, { acceptedAt: now })) !== 1) throw new AppError('not_found');
    await repo.insertAccount(trx, account, JSON.parse(invitation.roles) as string[]);
    await s.audit(trx, { actor: actorOf(account), action: 'account.create', targetType: 'account', targetId: id, detail: { invitation: invitation.id, roles: (JSON.parse(invitation.roles) as string[]).join(',') } });
  });
  await eraseSpentLinks(s);
  return { account, keyPair: keys.keyPair };
}

/**
 * Changes one's own password; the private key is re-wrapped and sealed into this session, other
 * sessions end.
 */
export async function changePassword(s: Context, staff: Staff, rawSessionId: string | undefined, current: string, next: string): Promise<void> {
  const account = await repo.findAccountById(s.db, staff.account.id);
  if (!account) throw new AppError('not_found');
  if (!(await verifySecret(account.passwordHash, current))) throw new AccountInputError('current', 'accounts.errors.currentPasswordWrong');
  const problem = passwordProblem(next, { email: account.email, name: account.displayName });
  if (problem) throw new AccountInputError('password', problem);
  const keyPair = await unwrapPrivateKey(account, current);
  const wrapped = await wrapPrivateKey(account.id, keyPair, next);
  const now = s.clock.now().toISOString();
  await s.db.transaction().execute(async (trx) => {
    await repo.updateAccount(trx, account.id, { passwordHash: await hashSecret(next), privateKeyBox: wrapped.privateKeyBox, keySalt: wrapped.keySalt, passwordChangedAt: now, updatedAt: now });
    await sessionStore.deleteAllOf(trx, account.id, staff.session.idHash);
    await s.audit(trx, { actor: actorOf(account), action: 'account.password_changed', targetType: 'account', targetId: account.id });
  });
  try {
    if (rawSessionId) await s.sessions.storeKey(s.db, rawSessionId, keyPair);
  } finally {
    keyPair.privateKey.fill(0);
  }
}

/** An administrator sends a reset link; the person's sessions end at once. */
export async function requestPasswordReset(s: AppServices, actor: AuditActor, accountId: string): Promise<string> {
  const account = await repo.findAccountById(s.db, accountId);
  if (!account || account.status !== 'active') throw new AppError('not_found');
  const token = randomToken();
  const now = s.clock.now();
  const invitation: InvitationRow = {
    id: newId(),
    kind: 'reset',
    accountId,
    tokenHash: hashToken(token),
    email: account.email,
    displayName: account.displayName,
    roles: '[]',
    locale: account.locale,
    invitedBy: actor.id,
    expiresAt: new Date(now.getTime() + RESET_HOURS * 3600_000).toISOString(),
    acceptedAt: null,
    revokedAt: null,
    createdAt: now.toISOString(),
  };
  const settings = await s.settings.get();
  await s.db.transaction().execute(async (trx) => {
    await repo.insertInvitation(trx, invitation);
    await sessionStore.deleteAllOf(trx, accountId);
    await queueLinkEmail(s, trx, settings, invitation, token);
    await s.audit(trx, { actor, action: 'account.password_reset_requested', targetType: 'account', targetId: accountId });
  });
  return token;
}

/** Lets every module drop what the account may no longer hold, in the transaction of the change. */
async function accessChanged(s: AppServices, trx: Db, change: AccountAccessChange): Promise<void> {
  for (const hook of s.accountAccessChanged) await hook(trx, change);
}

async function refuseLosingLastAdmin(s: AppServices, accountId: string, keepsAdmin: boolean): Promise<void> {
  if (keepsAdmin) return;
  const roles = await repo.rolesOf(s.db, accountId);
  if (roles.includes('administrator') && (await repo.countActiveWithRole(s.db, 'administrator')) <= 1) {
    throw new AccountInputError('roles', 'accounts.errors.lastAdministrator');
  }
}

export async function setAccountRoles(s: AppServices, actor: AuditActor, accountId: string, roles: Role[]): Promise<void> {
  const account = await repo.findAccountById(s.db, accountId);
  if (!account) throw new AppError('not_found');
  await refuseLosingLastAdmin(s, accountId, roles.includes('administrator'));
  await s.db.transaction().execute(async (trx) => {
    await repo.setRoles(trx, accountId, roles);
    await repo.updateAccount(trx, accountId, { updatedAt: s.clock.now().toISOString() });
    await s.audit(trx, { actor, action: 'account.roles_changed', targetType: 'account', targetId: accountId, detail: { roles: roles.join(',') } });
    await accessChanged(s, trx, { accountId, roles, active: account.status === 'active', actor });
  });
}

export async function setAccountActive(s: AppServices, actor: AuditActor, accountId: string, active: boolean): Promise<void> {
  const account = await repo.findAccountById(s.db, accountId);
  if (!account) throw new AppError('not_found');
  if (!active) await refuseLosingLastAdmin(s, accountId, false);
  await s.db.transaction().execute(async (trx) => {
    await repo.updateAccount(trx, accountId, { status: active ? 'active' : 'deactivated', updatedAt: s.clock.now().toISOString() });
    if (!active) await sessionStore.deleteAllOf(trx, accountId);
    await s.audit(trx, { actor, action: active ? 'account.reactivated' : 'account.deactivated', targetType: 'account', targetId: accountId });
    await accessChanged(s, trx, { accountId, roles: (await repo.rolesOf(trx, accountId)) as Role[], active, actor });
  });
}

export async function revokeInvitation(s: AppServices, actor: AuditActor, invitationId: string): Promise<void> {
  await s.db.transaction().execute(async (trx) => {
    if ((await repo.updateInvitation(trx, invitationId, { revokedAt: s.clock.now().toISOString() })) !== 1) throw new AppError('not_found');
    await s.audit(trx, { actor, action: 'account.invitation_revoked', targetType: 'invitation', targetId: invitationId });
  });
  await eraseSpentLinks(s);
}

export async function setOwnLocale(s: AppServices, account: { id: string; email: string }, locale: string): Promise<void> {
  await s.db.transaction().execute(async (trx) => {
    await repo.updateAccount(trx, account.id, { locale, updatedAt: s.clock.now().toISOString() });
    await s.audit(trx, { actor: actorOf(account), action: 'account.locale_changed', targetType: 'account', targetId: account.id, detail: { locale } });
  });
}

/** What the own-account page shows beyond the session's account: passkeys and recovery codes left. */
export async function ownAccountSummary(s: Context, staff: Staff) {
  const [passkeys, recoveryCodesLeft] = await Promise.all([repo.listPasskeys(s.db, staff.account.id), repo.countUnusedRecoveryCodes(s.db, staff.account.id)]);
  return { passkeys, recoveryCodesLeft };
}

/** An account as the administrator's detail page shows it; undefined when there is none. */
export async function accountDetail(s: AppServices, id: string) {
  const account = await repo.findAccountById(s.db, id);
  if (!account) return undefined;
  return {
    id: account.id,
    displayName: account.displayName,
    email: account.email,
    roles: await repo.rolesOf(s.db, id),
    status: account.status,
    totpEnabled: account.totpEnabledAt !== null,
    lastSignInAt: account.lastSignInAt,
    createdAt: account.createdAt,
    keysCreatedAt: account.keysCreatedAt,
  };
}

/** Every account with its roles and the open invitations, for the administrator's list. */
export async function accountsOverview(s: AppServices) {
  const [accounts, invitations] = await Promise.all([repo.listAccountsWithRoles(s.db), repo.listOpenInvitations(s.db, s.clock.now().toISOString())]);
  return {
    accounts: accounts.map((a) => ({ id: a.id, displayName: a.displayName, email: a.email, roles: a.roles, status: a.status, totpEnabled: a.totpEnabledAt !== null, lastSignInAt: a.lastSignInAt })),
    invitations: invitations.map((i) => ({ id: i.id, email: i.email, displayName: i.displayName, kind: i.kind, expiresAt: i.expiresAt })),
  };
}

/** Whether an account exists (an administrator's action on a missing one answers 404). */
export const accountExists = async (s: AppServices, id: string) => (await repo.findAccountById(s.db, id)) !== undefined;
