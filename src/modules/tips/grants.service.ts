import { permissionsFor } from '../../core/auth/permissions.ts';
import type { AccountAccessHook, AppServices } from '../../core/module.ts';
import * as repo from './repo.ts';

/**
 * Grants follow roles: an account that may no longer read tips (a role taken away, or the
 * account deactivated) loses every tip key sealed to it, and one that may no longer see
 * identities loses the contact keys. Run in the transaction of the account change, audited
 * with how many keys went. A later role or reactivation does not bring them back: a reader
 * shares them again, which is audited too.
 */
export function dropLostGrants(s: Pick<AppServices, 'audit'>): AccountAccessHook {
  return async (trx, change) => {
    const permissions = change.active ? permissionsFor(change.roles) : new Set();
    const reads = permissions.has('tips.read');
    const tips = reads ? 0 : await repo.deleteAccountGrants(trx, change.accountId);
    const contacts = reads && permissions.has('tips.identity') ? 0 : await repo.deleteAccountContactGrants(trx, change.accountId);
    if (tips + contacts === 0) return;
    await s.audit(trx, { actor: change.actor, action: 'tip.grants_revoked', targetType: 'account', targetId: change.accountId, detail: { tips, contacts } });
  };
}
