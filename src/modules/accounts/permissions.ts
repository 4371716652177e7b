/**
 * Every staff role and every permission, listed once. Routes declare one permission each; the
 * role-matrix test walks every console route with every role against this table.
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

export const PERMISSIONS = {
  /** Console home, own account, own sessions, own second factor. */
  'console.use': ROLES,
  'accounts.manage': ['administrator'],
  'audit.read': ['administrator'],
  'settings.manage': ['administrator'],
  'outbox.read': ['administrator'],
  'content.edit': ['administrator', 'content_editor'],
  'news.publish': ['administrator', 'content_editor'],
  /** Reading tip content and talking to tipsters. Administrators do not read tips by default. */
  'tips.read': ['tip_reviewer', 'investigator'],
  /** Status, assignment, referral, closing. */
  'tips.triage': ['tip_reviewer'],
  /** Giving another reviewer access to existing tips. */
  'tips.grant': ['tip_reviewer', 'administrator'],
  /** Counts only, no content. */
  'tips.stats': ['administrator', 'tip_reviewer', 'investigator'],
  'map.report': ['volunteer', 'compliance_inspector', 'outreach_coordinator', 'administrator'],
  'map.coordinate': ['outreach_coordinator', 'administrator'],
  'map.inspect': ['compliance_inspector'],
  'map.dashboard': ['compliance_inspector', 'outreach_coordinator', 'administrator'],
  /** Importing businesses. */
  'map.manage': ['administrator', 'compliance_inspector'],
  /** Amending the law as data: categories, notice requirements, penalties. */
  'map.rules': ['administrator'],
} as const satisfies Record<string, readonly Role[]>;

export type Permission = keyof typeof PERMISSIONS;

/**
 * Console routes that work before a full sign-in: `anonymous` (sign-in form, invitation
 * acceptance) and `second_factor` (password accepted, second factor still owed).
 */
export type RouteAccess = Permission | 'anonymous' | 'second_factor';

export function permissionsFor(roles: readonly string[]): Set<Permission> {
  const granted = new Set<Permission>();
  for (const [permission, allowed] of Object.entries(PERMISSIONS) as [Permission, readonly Role[]][]) {
    if (roles.some((r) => (allowed as readonly string[]).includes(r))) granted.add(permission);
  }
  return granted;
}

export function isRole(value: string): value is Role {
  return (ROLES as readonly string[]).includes(value);
}
