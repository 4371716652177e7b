import { z } from 'zod';
import { definePermissions, rolesWith, type Permission } from '../../core/auth/permissions.ts';
import { IDLE_TIMEOUT_MS } from '../../core/auth/sessions.ts';
import { contextFor, SYSTEM } from '../../core/context.ts';
import type { Context } from '../../core/context.ts';
import type { AppModule } from '../../core/module.ts';
import { fromBase64 } from '../../core/crypto/sodium.ts';
import { defineJob } from '../../core/jobs/queue.ts';
import { registerOwnAccountRoutes } from './account.routes.ts';
import { registerAdminRoutes } from './admin.routes.ts';
import { registerConsoleHome } from './home.routes.ts';
import { registerPasskeyRoutes } from './passkey.routes.ts';
import * as repo from './repo.ts';
import { deleteStaleSessions } from './sessions.service.ts';
import { eraseSpentLinks } from './invitations.service.ts';
import { registerSetupRoutes } from './setup.routes.ts';
import { issueSetupToken } from './setup.service.ts';
import { registerSignInRoutes } from './sign-in.routes.ts';

export const ACCOUNTS_PERMISSIONS = definePermissions({ 'accounts.manage': ['administrator'] });

declare module '../../core/auth/permissions.ts' {
  interface PermissionNames extends Record<keyof typeof ACCOUNTS_PERMISSIONS, true> {}
}

export { staffDirectory } from './directory.ts';
export { unlockOfficeKey } from './setup.service.ts';
export { CLI_ACTOR, inviteAdministratorFromCli, OperatorError, resetSecondFactorFromCli } from './operator.ts';

/** Accounts that may read tip content, with their public keys: who a new tip is sealed to. */
export async function tipReaders(ctx: Context): Promise<{ id: string; publicKey: Uint8Array; email: string; locale: string }[]> {
  const rows = await repo.activeAccountsWithRoles(ctx.db, rolesWith('tips.read'));
  return rows.map((r) => ({ id: r.id, email: r.email, locale: r.locale, publicKey: fromBase64(r.publicKey) }));
}

/** Active accounts holding a permission (for notifications). */
export async function accountsWithPermission(ctx: Context, permission: Permission) {
  return repo.activeAccountsWithRoles(ctx.db, rolesWith(permission));
}

/** Display names by account id, for the ids among these that name an account. */
export async function accountNames(ctx: Context, ids: readonly string[]): Promise<Map<string, string>> {
  const rows = await repo.displayNamesOf(ctx.db, [...new Set(ids)]);
  return new Map(rows.map((r) => [r.id, r.displayName]));
}

/** The office recovery public key, if setup has made one. */
export async function officePublicKey(ctx: Context): Promise<{ id: string; publicKey: Uint8Array } | undefined> {
  const key = await repo.activeOfficeKey(ctx.db);
  return key ? { id: key.id, publicKey: fromBase64(key.publicKey) } : undefined;
}

/** The public key and key date of an account, to tell whether its keys changed since a grant. */
export async function accountKeyInfo(ctx: Context, accountId: string) {
  const account = await repo.findAccountById(ctx.db, accountId);
  return account ? { id: account.id, displayName: account.displayName, publicKey: fromBase64(account.publicKey), keysCreatedAt: account.keysCreatedAt, status: account.status } : undefined;
}

export const sessionCleanupJob = defineJob({
  name: 'accounts.sessions_cleanup',
  payload: z.object({}),
  attempts: 3,
  async perform(_payload, ctx) {
    await deleteStaleSessions(ctx, IDLE_TIMEOUT_MS);
  },
});

/** Staff accounts, sign-in with a second factor, first-run setup and the console home. */
export const accountsModule: AppModule = {
  name: 'accounts',
  consoleNav: [{ path: '/console/accounts', labelKey: 'accounts.nav.accounts', permission: 'accounts.manage', order: 90 }],
  register(app, s) {
    registerSignInRoutes(app, s);
    registerOwnAccountRoutes(app, s);
    registerPasskeyRoutes(app, s);
    registerAdminRoutes(app, s);
    registerSetupRoutes(app, s);
    registerConsoleHome(app, s);
    s.jobs.schedule(sessionCleanupJob, 3600_000);
    // Links expire on their own; their messages are erased within the hour after.
    s.jobs.schedule(
      defineJob({ name: 'accounts.spent_links', payload: z.object({}), attempts: 3, perform: async () => void (await eraseSpentLinks(contextFor(s, SYSTEM))) }),
      3600_000,
    );
    app.addHook('onReady', async () => {
      const token = await issueSetupToken(contextFor(s, SYSTEM));
      if (token) {
        app.log.warn({ setupUrl: `${s.config.baseUrl}/setup?token=${token}` }, 'no administrator yet: open the setup URL to configure this office (it works once)');
      }
    });
  },
};
