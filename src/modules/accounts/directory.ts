import type { StaffDirectory } from '../../core/auth/staff.ts';
import * as repo from './repo.ts';

/** How the session manager finds a session's account and roles: explicit columns, no secrets. */
export const staffDirectory: StaffDirectory = {
  async find(db, accountId) {
    const account = await repo.findStaffAccount(db, accountId);
    return account ? { account, roles: await repo.rolesOf(db, accountId) } : undefined;
  },
};
