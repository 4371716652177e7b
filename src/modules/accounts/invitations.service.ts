import type { Db } from '../../database.ts';
import { hashSecret } from '../../core/crypto/argon2.ts';
import { newId } from '../../core/crypto/server-secret.ts';
import type { KeyPair } from '../../core/crypto/sodium.ts';
import { sessionStore } from '../../core/auth/session-store.ts';
import { actorOf } from '../../core/auth/staff.ts';
import type { Context } from '../../core/context.ts';
import { AppError } from '../../core/http/errors.ts';
import type { Role } from '../../core/auth/permissions.ts';
import type { OfficeSettings } from '../../core/settings/settings.ts';
import { AccountInputError, hashToken, newAccountRow } from './accounts.service.ts';
import { invitationEmail } from './emails/invitation.tsx';
import { createAccountKeys } from './keys.ts';
import { passwordProblem } from './passwords.ts';
import * as repo from './repo.ts';
import type { AccountRow, InvitationRow } from './tables.ts';
import { randomToken } from './totp.ts';

export const INVITATION_HOURS = 72;
export const RESET_HOURS = 24;

/**
 * Settings are read by the caller before its transaction opens: on SQLite's single connection a
 * cold settings read inside the transaction would wait for that same transaction forever.
 */
async function queueLinkEmail(ctx: Context, trx: Db, settings: OfficeSettings, invitation: InvitationRow, token: string, inviterName?: string): Promise<void> {
  const hours = invitation.kind === 'invite' ? INVITATION_HOURS : RESET_HOURS;
  const link = `${ctx.config.baseUrl}/console/invitations/${token}`;
  const roles = invitation.kind === 'invite' ? (JSON.parse(invitation.roles) as string[]) : [];
  await ctx.mailer.queue(
    trx,
    invitation.email,
    invitationEmail(ctx.catalogs, { kind: invitation.kind, locale: invitation.locale, displayName: invitation.displayName, officeName: settings.officeName, programName: settings.programName, link, expiresHours: hours, inviterName, roles }),
    { bearer: true },
  );
}

const LINK = /\/console\/invitations\/([A-Za-z0-9_-]{20,100})/;

/**
 * Erases the message of every invitation or reset link that can no longer be used (accepted,
 * revoked, expired, or gone) from the outbox and its folder: a working link kept at rest is an
 * account for whoever reads the disk, and a used one is no use to anybody.
 */
export async function eraseSpentLinks(ctx: Context): Promise<number> {
  return ctx.mailer.eraseSpent(ctx.db, async (text) => {
    const token = LINK.exec(text)?.[1];
    return !token || (await openInvitation(ctx, token)) === undefined;
  });
}

/**
 * Invites a staff member by e-mail; the link works once, for 72 hours. Returns the link token.
 * An invitation still pending for the address is replaced: only the newest link works, so a
 * mistyped role or a link sent to the wrong inbox is undone by inviting again.
 */
export async function inviteAccount(ctx: Context, input: { email: string; displayName: string; roles: Role[]; locale: string }): Promise<string> {
  const email = input.email.trim().toLowerCase();
  if (await repo.findAccountByEmail(ctx.db, email)) throw new AccountInputError('email', 'accounts.errors.emailTaken');
  const token = randomToken();
  const now = ctx.clock.now();
  const invitation: InvitationRow = {
    id: newId(),
    kind: 'invite',
    accountId: null,
    tokenHash: hashToken(token),
    email,
    displayName: input.displayName.trim(),
    roles: JSON.stringify(input.roles),
    locale: input.locale,
    invitedBy: ctx.actor.id,
    expiresAt: new Date(now.getTime() + INVITATION_HOURS * 3600_000).toISOString(),
    acceptedAt: null,
    revokedAt: null,
    createdAt: now.toISOString(),
  };
  const settings = await ctx.settings.get();
  // Named in the e-mail, so the person knows who to ask; the command line has no name to give.
  const inviter = ctx.actor.id ? await repo.findStaffAccount(ctx.db, ctx.actor.id) : undefined;
  await ctx.db.transaction().execute(async (trx) => {
    for (const replaced of await repo.revokePendingInvitations(trx, email, now.toISOString())) {
      await ctx.audit(trx, { action: 'account.invitation_replaced', targetType: 'invitation', targetId: replaced, detail: { by: invitation.id } });
    }
    await repo.insertInvitation(trx, invitation);
    await queueLinkEmail(ctx, trx, settings, invitation, token, inviter?.displayName);
    await ctx.audit(trx, { action: 'account.invite', targetType: 'invitation', targetId: invitation.id, detail: { roles: input.roles.join(',') } });
  });
  return token;
}

/** An administrator sends a reset link; the person's sessions end at once. */
export async function requestPasswordReset(ctx: Context, accountId: string): Promise<string> {
  const account = await repo.findAccountById(ctx.db, accountId);
  if (!account || account.status !== 'active') throw new AppError('not_found');
  const token = randomToken();
  const now = ctx.clock.now();
  const invitation: InvitationRow = {
    id: newId(),
    kind: 'reset',
    accountId,
    tokenHash: hashToken(token),
    email: account.email,
    displayName: account.displayName,
    roles: '[]',
    locale: account.locale,
    invitedBy: ctx.actor.id,
    expiresAt: new Date(now.getTime() + RESET_HOURS * 3600_000).toISOString(),
    acceptedAt: null,
    revokedAt: null,
    createdAt: now.toISOString(),
  };
  const settings = await ctx.settings.get();
  await ctx.db.transaction().execute(async (trx) => {
    await repo.insertInvitation(trx, invitation);
    await sessionStore.deleteAllOf(trx, accountId);
    await queueLinkEmail(ctx, trx, settings, invitation, token);
    await ctx.audit(trx, { action: 'account.password_reset_requested', targetType: 'account', targetId: accountId });
  });
  return token;
}

export async function revokeInvitation(ctx: Context, invitationId: string): Promise<void> {
  await ctx.db.transaction().execute(async (trx) => {
    if ((await repo.updateInvitation(trx, invitationId, { revokedAt: ctx.clock.now().toISOString() })) !== 1) throw new AppError('not_found');
    await ctx.audit(trx, { action: 'account.invitation_revoked', targetType: 'invitation', targetId: invitationId });
  });
  await eraseSpentLinks(ctx);
}

/** An invitation or reset link that can still be used, or undefined (unknown, used, revoked, expired). */
export async function openInvitation(ctx: Context, token: string): Promise<InvitationRow | undefined> {
  if (!/^[A-Za-z0-9_-]{20,100}$/.test(token)) return undefined;
  const invitation = await repo.findInvitationByTokenHash(ctx.db, hashToken(token));
  if (!invitation || invitation.acceptedAt || invitation.revokedAt) return undefined;
  if (new Date(invitation.expiresAt) <= ctx.clock.now()) return undefined;
  return invitation;
}

/**
 * Uses an invitation or reset link: sets the password and makes a new key pair wrapped under it.
 * After a reset the old private key is gone for good; the tip line re-grants access to old tips.
 * Audited as the account the link is for: whoever holds the link is not signed in yet.
 */
export async function acceptInvitation(ctx: Context, token: string, password: string): Promise<{ account: AccountRow; keyPair: KeyPair }> {
  const invitation = await openInvitation(ctx, token);
  if (!invitation) throw new AppError('not_found');
  const problem = passwordProblem(password, { email: invitation.email, name: invitation.displayName });
  if (problem) throw new AccountInputError('password', problem);
  const now = ctx.clock.now().toISOString();
  const passwordHash = await hashSecret(password);

  if (invitation.kind === 'reset') {
    const existing = invitation.accountId ? await repo.findAccountById(ctx.db, invitation.accountId) : undefined;
    if (!existing || existing.status !== 'active') throw new AppError('not_found');
    const keys = await createAccountKeys(existing.id, password);
    await ctx.db.transaction().execute(async (trx) => {
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
      await ctx.audit(trx, { actor: actorOf(existing), action: 'account.password_reset_completed', targetType: 'account', targetId: existing.id });
      await ctx.audit(trx, { actor: actorOf(existing), action: 'account.keys_replaced', targetType: 'account', targetId: existing.id });
    });
    await eraseSpentLinks(ctx);
    return { account: (await repo.findAccountById(ctx.db, existing.id))!, keyPair: keys.keyPair };
  }

  if (await repo.findAccountByEmail(ctx.db, invitation.email)) throw new AppError('not_found');
  const id = newId();
  const keys = await createAccountKeys(id, password);
  const account = newAccountRow({ id, email: invitation.email, displayName: invitation.displayName, locale: invitation.locale, passwordHash, keys, now });
  await ctx.db.transaction().execute(async (trx) => {
    // The conditional update makes the link single-use even when two requests race.
    if ((await repo.updateInvitation(trx, invitation.id, { acceptedAt: now })) !== 1) throw new AppError('not_found');
    await repo.insertAccount(trx, account, JSON.parse(invitation.roles) as string[]);
    await ctx.audit(trx, { actor: actorOf(account), action: 'account.create', targetType: 'account', targetId: id, detail: { invitation: invitation.id, roles: (JSON.parse(invitation.roles) as string[]).join(',') } });
  });
  await eraseSpentLinks(ctx);
  return { account, keyPair: keys.keyPair };
}
