import { createHash } from 'node:crypto';
import type { Db } from '../../database.ts';
import type { AccountAccessChange } from '../../core/module.ts';
import { DomainError } from '../../core/errors.ts';
import { hashSecret, verifySecret } from '../../core/crypto/argon2.ts';
import { sessionStore } from '../../core/auth/session-store.ts';
import { actorOf, type Staff } from '../../core/auth/staff.ts';
import type { Context } from '../../core/context.ts';
import { AppError } from '../../core/http/errors.ts';
import { unwrapPrivateKey, type WrappedKeys, wrapPrivateKey } from './keys.ts';
import { passwordProblem } from './passwords.ts';
import type { Role } from '../../core/auth/permissions.ts';
import * as repo from './repo.ts';
import type { AccountRow } from './tables.ts';

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

/** Lets every module drop what the account may no longer hold, in the transaction of the change. */
async function accessChanged(ctx: Context, trx: Db, change: AccountAccessChange): Promise<void> {
  for (const hook of ctx.accountAccessChanged) await hook(trx, change);
}

async function refuseLosingLastAdmin(ctx: Context, accountId: string, keepsAdmin: boolean): Promise<void> {
  if (keepsAdmin) return;
  const roles = await repo.rolesOf(ctx.db, accountId);
  if (roles.includes('administrator') && (await repo.countActiveWithRole(ctx.db, 'administrator')) <= 1) {
    throw new AccountInputError('roles', 'accounts.errors.lastAdministrator');
  }
}

export async function setAccountRoles(ctx: Context, accountId: string, roles: Role[]): Promise<void> {
  const account = await repo.findAccountById(ctx.db, accountId);
  if (!account) throw new AppError('not_found');
  await refuseLosingLastAdmin(ctx, accountId, roles.includes('administrator'));
  await ctx.db.transaction().execute(async (trx) => {
    await repo.setRoles(trx, accountId, roles);
    await repo.updateAccount(trx, accountId, { updatedAt: ctx.clock.now().toISOString() });
    await ctx.audit(trx, { action: 'account.roles_changed', targetType: 'account', targetId: accountId, detail: { roles: roles.join(',') } });
    await accessChanged(ctx, trx, { accountId, roles, active: account.status === 'active', actor: ctx.actor });
  });
}

export async function setAccountActive(ctx: Context, accountId: string, active: boolean): Promise<void> {
  const account = await repo.findAccountById(ctx.db, accountId);
  if (!account) throw new AppError('not_found');
  if (!active) await refuseLosingLastAdmin(ctx, accountId, false);
  await ctx.db.transaction().execute(async (trx) => {
    await repo.updateAccount(trx, accountId, { status: active ? 'active' : 'deactivated', updatedAt: ctx.clock.now().toISOString() });
    if (!active) await sessionStore.deleteAllOf(trx, accountId);
    await ctx.audit(trx, { action: active ? 'account.reactivated' : 'account.deactivated', targetType: 'account', targetId: accountId });
    await accessChanged(ctx, trx, { accountId, roles: (await repo.rolesOf(trx, accountId)) as Role[], active, actor: ctx.actor });
  });
}

export async function setOwnLocale(s: Context, account: { id: string; email: string }, locale: string): Promise<void> {
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
export async function accountDetail(s: Context, id: string) {
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
export async function accountsOverview(s: Context) {
  const [accounts, invitations] = await Promise.all([repo.listAccountsWithRoles(s.db), repo.listOpenInvitations(s.db, s.clock.now().toISOString())]);
  return {
    accounts: accounts.map((a) => ({ id: a.id, displayName: a.displayName, email: a.email, roles: a.roles, status: a.status, totpEnabled: a.totpEnabledAt !== null, lastSignInAt: a.lastSignInAt })),
    invitations: invitations.map((i) => ({ id: i.id, email: i.email, displayName: i.displayName, kind: i.kind, expiresAt: i.expiresAt })),
  };
}

/** Whether an account exists (an administrator's action on a missing one answers 404). */
export const accountExists = async (s: Context, id: string) => (await repo.findAccountById(s.db, id)) !== undefined;
