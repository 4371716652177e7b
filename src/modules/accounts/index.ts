import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { AppModule, AppServices } from '../../core/module.ts';
import { fromBase64, type KeyPair } from '../../core/crypto/sodium.ts';
import { defineJob } from '../../core/jobs/queue.ts';
import { registerOwnAccountRoutes } from './account.routes.ts';
import { registerAdminRoutes } from './admin.routes.ts';
import { registerConsoleGuard } from './guard.ts';
import { registerConsoleHome } from './home.routes.ts';
import { registerPasskeyRoutes } from './passkey.routes.ts';
import { PERMISSIONS, type Permission } from './permissions.ts';
import * as repo from './repo.ts';
import { IDLE_TIMEOUT_MS, SessionManager } from './sessions.ts';
import { registerSetupRoutes } from './setup.routes.ts';
import { issueSetupToken } from './setup.service.ts';
import { registerSignInRoutes } from './sign-in.routes.ts';

export { consoleRoute, consoleRoutes } from './guard.ts';
export { PERMISSIONS, ROLES, type Permission, type Role, type RouteAccess } from './permissions.ts';
export { unlockOfficeKey } from './setup.service.ts';
export { actorOf } from './accounts.service.ts';
export { CLI_ACTOR, inviteAdministratorFromCli, OperatorError, resetSecondFactorFromCli } from './operator.ts';

/** Accounts that may read tip content, with their public keys: who a new tip is sealed to. */
export async function tipReaders(s: AppServices): Promise<{ id: string; publicKey: Uint8Array; email: string; locale: string }[]> {
  const rows = await repo.activeAccountsWithRoles(s.db, PERMISSIONS['tips.read']);
  return rows.map((r) => ({ id: r.id, email: r.email, locale: r.locale, publicKey: fromBase64(r.publicKey) }));
}

/** Active accounts holding a permission (for notifications). */
export async function accountsWithPermission(s: AppServices, permission: Permission) {
  return repo.activeAccountsWithRoles(s.db, PERMISSIONS[permission]);
}

/** The office recovery public key, if setup has made one. */
export async function officePublicKey(s: AppServices): Promise<{ id: string; publicKey: Uint8Array } | undefined> {
  const key = await repo.activeOfficeKey(s.db);
  return key ? { id: key.id, publicKey: fromBase64(key.publicKey) } : undefined;
}

/** The signed-in staff member's unlocked key pair in this process, if any. */
export function staffKeyPair(request: FastifyRequest): KeyPair | undefined {
  return request.staff?.keyPair;
}

/** The public key and key date of an account, to tell whether its keys changed since a grant. */
export async function accountKeyInfo(s: AppServices, accountId: string) {
  const account = await repo.findAccountById(s.db, accountId);
  return account ? { id: account.id, displayName: account.displayName, publicKey: fromBase64(account.publicKey), keysCreatedAt: account.keysCreatedAt, status: account.status } : undefined;
}

export const sessionCleanupJob = defineJob({
  name: 'accounts.sessions_cleanup',
  payload: z.object({}),
  attempts: 3,
  async perform(_payload, { db, clock }) {
    const now = clock.now();
    await repo.deleteExpiredSessions(db, now.toISOString(), new Date(now.getTime() - IDLE_TIMEOUT_MS).toISOString());
  },
});

/** Staff accounts, sign-in with a second factor, the console gate and first-run setup. */
export const accountsModule: AppModule = {
  name: 'accounts',
  consoleNav: [{ path: '/console/accounts', labelKey: 'accounts.nav.accounts', permission: 'accounts.manage', order: 90 }],
  register(app, s) {
    const sessions = new SessionManager({ secure: s.config.secure, clock: s.clock });
    registerConsoleGuard(app, s, sessions);
    registerSignInRoutes(app, s, sessions);
    registerOwnAccountRoutes(app, s, sessions);
    registerPasskeyRoutes(app, s, sessions);
    registerAdminRoutes(app, s);
    registerSetupRoutes(app, s);
    registerConsoleHome(app, s);
    s.jobs.schedule(sessionCleanupJob, 3600_000);
    app.addHook('onReady', async () => {
      const token = await issueSetupToken(s);
      if (token) {
        app.log.warn({ setupUrl: `${s.config.baseUrl}/setup?token=${token}` }, 'no administrator yet: open the setup URL to configure this office (it works once)');
      }
    });
  },
};
