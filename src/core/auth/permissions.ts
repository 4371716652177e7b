/**
 * Staff roles, and the registry of permissions that modules grant to them. Core knows the roles
 * (the office's org chart) but no permission beyond `console.use`: each module defines its own
 * from its `index.ts` with `definePermissions`, and names them for the type checker by extending
 * `PermissionNames`, so a route cannot declare a permission nobody defined.
 */
export const ROLES = [
  'administrator',
  'tip_reviewer',
  'investigator',
  'compliance_inspector',
  'outreach_coordinator',
  'content_editor',
  'volunteer',
] as const;

export type Role = (typeof ROLES)[number];

/** Every permission name; modules add theirs with `declare module` (see `definePermissions`). */
export interface PermissionNames {
  /** Console home, own account, own sessions, own second factor. */
  'console.use': true;
}

export type Permission = keyof PermissionNames;

/**
 * Console routes that work before a full sign-in: `anonymous` (sign-in form, invitation
 * acceptance) and `second_factor` (password accepted, second factor still owed).
 */
export type RouteAccess = Permission | 'anonymous' | 'second_factor';

const grants = new Map<string, readonly Role[]>([['console.use', ROLES]]);

/**
 * Adds a module's permissions and the roles that hold them. Call once, at the top of the
 * module's `index.ts`; a name defined twice with other roles is a programming error.
 */
export function definePermissions<const G extends Record<string, readonly Role[]>>(defined: G): G {
  for (const [permission, roles] of Object.entries(defined)) {
    const earlier = grants.get(permission);
    if (earlier && (earlier.length !== roles.length || earlier.some((r) => !roles.includes(r)))) {
      throw new Error(`permission ${permission} is defined twice with different roles`);
    }
    grants.set(permission, roles);
  }
  return defined;
}

/** Every defined permission with the roles that hold it, in definition order. */
export function permissionGrants(): ReadonlyMap<Permission, readonly Role[]> {
  return grants as ReadonlyMap<Permission, readonly Role[]>;
}

/** The roles holding a permission (empty for an unknown name). */
export const rolesWith = (permission: Permission): readonly Role[] => grants.get(permission) ?? [];

export function permissionsFor(roles: readonly string[]): Set<Permission> {
  const granted = new Set<Permission>();
  for (const [permission, allowed] of grants) {
    if (roles.some((r) => (allowed as readonly string[]).includes(r))) granted.add(permission as Permission);
  }
  return granted;
}

export function isRole(value: string): value is Role {
  return (ROLES as readonly string[]).includes(value);
}
