import type { Db } from '../../database.ts';
import type { AuditActor } from '../audit/audit.ts';
import type { KeyPair } from '../crypto/sodium.ts';
import type { Permission } from './permissions.ts';
import type { SessionState } from './tables.ts';

/**
 * The account columns a request carries. Never password hashes, key boxes or TOTP secrets:
 * the services that need those read them by id.
 */
export type StaffAccount = {
  id: string;
  email: string;
  displayName: string;
  status: 'active' | 'deactivated';
  locale: string;
  keysCreatedAt: string;
  totpEnabledAt: string | null;
  lastSignInAt: string | null;
  createdAt: string;
};

/** The signed-in staff member on a console route. */
export type Staff = {
  session: SessionState;
  account: StaffAccount;
  roles: readonly string[];
  permissions: ReadonlySet<Permission>;
  /** The private key opened from the session's key box, when the password was given this session. */
  keyPair: KeyPair | undefined;
  actor: AuditActor;
};

/** Where the session manager finds accounts: implemented by the accounts module, handed in by the app. */
export type StaffDirectory = {
  find(db: Db, accountId: string): Promise<{ account: StaffAccount; roles: string[] } | undefined>;
};

export const actorOf = (account: { id: string; email: string }): AuditActor => ({ id: account.id, label: account.email });
