import { sql } from 'kysely';
import type { StaffAccount } from '../../core/auth/staff.ts';
import type { Db } from '../../database.ts';
import type { AccountRow, AccountsTables, InvitationRow } from './tables.ts';

export async function findAccountByEmail(db: Db, email: string): Promise<AccountRow | undefined> {
  return db.selectFrom('accounts').selectAll().where('email', '=', email.toLowerCase()).executeTakeFirst();
}

/** Display names of these accounts, for lists that show people by name. */
export async function displayNamesOf(db: Db, ids: readonly string[]): Promise<{ id: string; displayName: string }[]> {
  if (ids.length === 0) return [];
  return db.selectFrom('accounts').select(['id', 'displayName']).where('id', 'in', [...ids]).execute();
}

export async function findAccountById(db: Db, id: string): Promise<AccountRow | undefined> {
  return db.selectFrom('accounts').selectAll().where('id', '=', id).executeTakeFirst();
}

/** The password hash and the wrapped private key: for checking a password and unlocking keys only. */
export async function findPasswordKeys(db: Db, id: string): Promise<Pick<AccountRow, 'id' | 'passwordHash' | 'privateKeyBox' | 'keySalt'> | undefined> {
  return db.selectFrom('accounts').select(['id', 'passwordHash', 'privateKeyBox', 'keySalt']).where('id', '=', id).executeTakeFirst();
}

/** The sealed TOTP secret and the last step accepted: for verifying a code only. */
export async function findTotp(db: Db, id: string): Promise<Pick<AccountRow, 'totpSecretBox' | 'totpLastStep'> | undefined> {
  return db.selectFrom('accounts').select(['totpSecretBox', 'totpLastStep']).where('id', '=', id).executeTakeFirst();
}

/** The account columns a request carries, by explicit list: no secret reaches request state. */
export async function findStaffAccount(db: Db, id: string): Promise<StaffAccount | undefined> {
  return db
    .selectFrom('accounts')
    .select(['id', 'email', 'displayName', 'status', 'locale', 'keysCreatedAt', 'totpEnabledAt', 'lastSignInAt', 'createdAt'])
    .where('id', '=', id)
    .executeTakeFirst();
}

export async function rolesOf(db: Db, accountId: string): Promise<string[]> {
  const rows = await db.selectFrom('accountRoles').select('role').where('accountId', '=', accountId).orderBy('role').execute();
  return rows.map((r) => r.role);
}

export async function listAccountsWithRoles(db: Db): Promise<(AccountRow & { roles: string[] })[]> {
  const accounts = await db.selectFrom('accounts').selectAll().orderBy('displayName').execute();
  const roles = await db.selectFrom('accountRoles').select(['accountId', 'role']).execute();
  return accounts.map((a) => ({ ...a, roles: roles.filter((r) => r.accountId === a.id).map((r) => r.role).sort() }));
}

export async function insertAccount(trx: Db, row: AccountRow, roles: readonly string[]): Promise<void> {
  await trx.insertInto('accounts').values(row).execute();
  await setRoles(trx, row.id, roles);
}

export async function updateAccount(trx: Db, id: string, patch: Partial<AccountRow>): Promise<void> {
  await trx.updateTable('accounts').set(patch).where('id', '=', id).execute();
}

/**
 * Counts a password attempt on an account that is not locked, and starts the lock its new count
 * calls for, in one statement, so parallel attempts are counted one by one and none passes a
 * lock another has just started. `lockUntil[n]` is the lock after the n-th failure (null for
 * none; the last entry stands for every count beyond it). Undefined while the account is locked.
 */
export async function countPasswordAttempt(db: Db, id: string, nowIso: string, lockUntil: readonly (string | null)[]): Promise<{ failedSignIns: number } | undefined> {
  const last = lockUntil.length - 1;
  const whens = lockUntil.slice(0, last).map((until, n) => sql`when ${sql.ref('failedSignIns')} + 1 = ${n} then cast(${until} as text)`);
  return db
    .updateTable('accounts')
    .set((eb) => ({
      failedSignIns: eb('failedSignIns', '+', 1),
      lockedUntil: sql<string | null>`case ${sql.join(whens, sql` `)} else cast(${lockUntil[last] ?? null} as text) end`,
    }))
    .where('id', '=', id)
    .where((eb) => eb.or([eb('lockedUntil', 'is', null), eb('lockedUntil', '<=', nowIso)]))
    .returning('failedSignIns')
    .executeTakeFirst();
}

export async function setRoles(trx: Db, accountId: string, roles: readonly string[]): Promise<void> {
  await trx.deleteFrom('accountRoles').where('accountId', '=', accountId).execute();
  if (roles.length) await trx.insertInto('accountRoles').values(roles.map((role) => ({ accountId, role }))).execute();
}

export async function countActiveWithRole(db: Db, role: string): Promise<number> {
  const row = await db
    .selectFrom('accounts')
    .innerJoin('accountRoles', 'accountRoles.accountId', 'accounts.id')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('accountRoles.role', '=', role)
    .where('accounts.status', '=', 'active')
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** Active accounts holding any of `roles`, with their public keys: who a new tip is sealed to. */
export async function activeAccountsWithRoles(db: Db, roles: readonly string[]): Promise<{ id: string; publicKey: string; email: string; locale: string; displayName: string }[]> {
  if (roles.length === 0) return [];
  return db
    .selectFrom('accounts')
    .select(['accounts.id', 'accounts.publicKey', 'accounts.email', 'accounts.locale', 'accounts.displayName'])
    .where('accounts.status', '=', 'active')
    .where('accounts.id', 'in', (eb) => eb.selectFrom('accountRoles').select('accountId').where('role', 'in', roles))
    .orderBy('accounts.id')
    .execute();
}

// Invitations

export async function insertInvitation(trx: Db, row: InvitationRow): Promise<void> {
  await trx.insertInto('invitations').values(row).execute();
}

export async function findInvitationByTokenHash(db: Db, tokenHash: string): Promise<InvitationRow | undefined> {
  return db.selectFrom('invitations').selectAll().where('tokenHash', '=', tokenHash).executeTakeFirst();
}

export async function updateInvitation(trx: Db, id: string, patch: Partial<InvitationRow>): Promise<number> {
  const result = await trx.updateTable('invitations').set(patch).where('id', '=', id).where('acceptedAt', 'is', null).where('revokedAt', 'is', null).executeTakeFirst();
  return Number(result.numUpdatedRows);
}

/** Revokes the invitations to `email` still waiting to be used; returns their ids. */
export async function revokePendingInvitations(trx: Db, email: string, nowIso: string): Promise<string[]> {
  const pending = await trx
    .selectFrom('invitations')
    .select('id')
    .where('email', '=', email)
    .where('kind', '=', 'invite')
    .where('acceptedAt', 'is', null)
    .where('revokedAt', 'is', null)
    .where('expiresAt', '>', nowIso)
    .execute();
  for (const { id } of pending) await updateInvitation(trx, id, { revokedAt: nowIso });
  return pending.map((p) => p.id);
}

export async function listOpenInvitations(db: Db, nowIso: string): Promise<InvitationRow[]> {
  return db
    .selectFrom('invitations')
    .selectAll()
    .where('acceptedAt', 'is', null)
    .where('revokedAt', 'is', null)
    .where('expiresAt', '>', nowIso)
    .orderBy('createdAt', 'desc')
    .execute();
}

// Second factor

export async function replaceRecoveryCodes(trx: Db, accountId: string, codes: { id: string; codeHash: string }[]): Promise<void> {
  await trx.deleteFrom('recoveryCodes').where('accountId', '=', accountId).execute();
  if (codes.length) await trx.insertInto('recoveryCodes').values(codes.map((c) => ({ ...c, accountId, usedAt: null }))).execute();
}

export async function useRecoveryCode(trx: Db, accountId: string, codeHash: string, nowIso: string): Promise<boolean> {
  const result = await trx
    .updateTable('recoveryCodes')
    .set({ usedAt: nowIso })
    .where('accountId', '=', accountId)
    .where('codeHash', '=', codeHash)
    .where('usedAt', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

export async function countUnusedRecoveryCodes(db: Db, accountId: string): Promise<number> {
  const row = await db.selectFrom('recoveryCodes').select((eb) => eb.fn.countAll<number>().as('n')).where('accountId', '=', accountId).where('usedAt', 'is', null).executeTakeFirstOrThrow();
  return Number(row.n);
}

export async function clearSecondFactors(trx: Db, accountId: string): Promise<void> {
  await trx.updateTable('accounts').set({ totpSecretBox: null, totpEnabledAt: null, totpLastStep: null }).where('id', '=', accountId).execute();
  await trx.deleteFrom('recoveryCodes').where('accountId', '=', accountId).execute();
  await trx.deleteFrom('webauthnCredentials').where('accountId', '=', accountId).execute();
}

export async function countPasskeys(db: Db, accountId: string): Promise<number> {
  const row = await db.selectFrom('webauthnCredentials').select((eb) => eb.fn.countAll<number>().as('n')).where('accountId', '=', accountId).executeTakeFirstOrThrow();
  return Number(row.n);
}

// Office recovery key

export async function insertOfficeKey(trx: Db, row: AccountsTables['officeKeys']): Promise<void> {
  await trx.updateTable('officeKeys').set({ retiredAt: row.createdAt }).where('retiredAt', 'is', null).execute();
  await trx.insertInto('officeKeys').values(row).execute();
}

export async function activeOfficeKey(db: Db): Promise<AccountsTables['officeKeys'] | undefined> {
  return db.selectFrom('officeKeys').selectAll().where('retiredAt', 'is', null).orderBy('createdAt', 'desc').executeTakeFirst();
}

export async function listPasskeys(db: Db, accountId: string): Promise<{ id: string; name: string; createdAt: string }[]> {
  return db.selectFrom('webauthnCredentials').select(['id', 'name', 'createdAt']).where('accountId', '=', accountId).orderBy('createdAt').execute();
}

// Passkeys (WebAuthn credentials)

export type PasskeyRow = AccountsTables['webauthnCredentials'];

export async function passkeysOf(db: Db, accountId: string): Promise<PasskeyRow[]> {
  return db.selectFrom('webauthnCredentials').selectAll().where('accountId', '=', accountId).orderBy('createdAt').execute();
}

/** One of the account's own passkeys; another account's credential is not found. */
export async function findPasskey(db: Db, accountId: string, id: string): Promise<PasskeyRow | undefined> {
  return db.selectFrom('webauthnCredentials').selectAll().where('id', '=', id).where('accountId', '=', accountId).executeTakeFirst();
}

export async function passkeyIdTaken(db: Db, id: string): Promise<boolean> {
  return (await db.selectFrom('webauthnCredentials').select('id').where('id', '=', id).executeTakeFirst()) !== undefined;
}

export async function insertPasskey(trx: Db, row: PasskeyRow): Promise<void> {
  await trx.insertInto('webauthnCredentials').values(row).execute();
}

export async function deletePasskey(trx: Db, accountId: string, id: string): Promise<boolean> {
  const result = await trx.deleteFrom('webauthnCredentials').where('id', '=', id).where('accountId', '=', accountId).executeTakeFirst();
  return Number(result.numDeletedRows) === 1;
}

/** Moves the signature counter on, only from the value the check was made against: a parallel use loses. */
export async function advancePasskeyCounter(trx: Db, accountId: string, id: string, from: number, to: number, nowIso: string): Promise<boolean> {
  const result = await trx
    .updateTable('webauthnCredentials')
    .set({ counter: to, lastUsedAt: nowIso })
    .where('id', '=', id)
    .where('accountId', '=', accountId)
    .where('counter', '=', from)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/**
 * Records an accepted TOTP time step unless this or a later step was already taken: a
 * compare-and-set, so of two requests carrying one code only one wins.
 */
export async function advanceTotpStep(trx: Db, accountId: string, step: number): Promise<boolean> {
  const result = await trx
    .updateTable('accounts')
    .set({ totpLastStep: step })
    .where('id', '=', accountId)
    .where((eb) => eb.or([eb('totpLastStep', 'is', null), eb('totpLastStep', '<', step)]))
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}
