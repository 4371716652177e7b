import { z } from 'zod';
import type { AuditActor } from '../../core/audit/audit.ts';
import type { Context } from '../../core/context.ts';
import { DomainError } from '../../core/errors.ts';
import { AccountInputError } from './accounts.service.ts';
import { INVITATION_HOURS, inviteAccount } from './invitations.service.ts';
import * as repo from './repo.ts';
import { resetSecondFactors } from './second-factor.service.ts';

/** Who the audit log names for what an operator did from a shell. */
export const CLI_ACTOR: AuditActor = { id: null, label: 'cli' };

/** A refusal an operator can act on; the CLI prints its English message and answers 1. */
export class OperatorError extends DomainError {
  constructor(message: string) {
    super('bad_request', { message, messageKey: 'accounts.errors.operator' });
  }
}

const adminInput = (locales: readonly string[]) =>
  z.object({
    email: z.email().max(254),
    name: z.string().trim().min(1).max(120),
    locale: z.enum(locales as [string, ...string[]]),
  });

/**
 * `heatwatch admin create`: invites an administrator exactly as the console would (invitation
 * row, e-mail in the outbox, audit row as the context's actor: `cli` from the shell) and returns the one-time link, so an
 * operator with shell access can let someone in when no administrator can.
 */
export async function inviteAdministratorFromCli(ctx: Context, input: { email: string; name: string; locale: string }): Promise<{ link: string; expiresHours: number }> {
  const parsed = adminInput(ctx.catalogs.locales).safeParse(input);
  if (!parsed.success) {
    throw new OperatorError(parsed.error.issues.map((i) => `--${String(i.path[0])}: ${i.path[0] === 'locale' ? `one of ${ctx.catalogs.locales.join(', ')}` : i.message}`).join('\n'));
  }
  try {
    const token = await inviteAccount(ctx, { email: parsed.data.email, displayName: parsed.data.name, roles: ['administrator'], locale: parsed.data.locale });
    return { link: `${ctx.config.baseUrl}/console/invitations/${token}`, expiresHours: INVITATION_HOURS };
  } catch (error) {
    if (error instanceof AccountInputError && error.key === 'accounts.errors.emailTaken') throw new OperatorError(`an account with ${parsed.data.email} already exists`);
    throw error;
  }
}

/**
 * `heatwatch admin reset-2fa`: removes an account's TOTP, recovery codes and passkeys and ends
 * its sessions; the person enrols a second factor again at the next sign-in. Audited as the context's actor.
 */
export async function resetSecondFactorFromCli(ctx: Context, email: string): Promise<{ accountId: string }> {
  const account = await repo.findAccountByEmail(ctx.db, email.trim());
  if (!account) throw new OperatorError(`no account with ${email}`);
  await resetSecondFactors(ctx, account.id);
  return { accountId: account.id };
}
