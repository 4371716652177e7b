import { type AuditActor, type AuditEntry, SYSTEM_ACTOR } from './audit/audit.ts';
import type { AppServices } from './module.ts';

/** Who made a change that no person made: jobs, schedules, startup. */
export const SYSTEM: AuditActor = SYSTEM_ACTOR;
/** A visitor of the public site. The tip line never records more than this. */
export const PUBLIC: AuditActor = { id: null, label: 'public' };
/** Someone on a console page before sign-in (the sign-in form, an invitation link). */
export const ANONYMOUS: AuditActor = { id: null, label: 'anonymous' };

/** An audit entry whose actor defaults to the context's. */
export type ContextAuditEntry = Omit<AuditEntry, 'actor'> & { actor?: AuditActor };

/**
 * What every service takes first: the app's shared services and who is acting. Built by the
 * platform for each request (console: the signed-in staff member; public and tip-line routes:
 * `PUBLIC`, with no client address, user agent or time finer than the clock) and for each job
 * (`SYSTEM`). A context is also an `AppServices`, so a service can hand it to another module.
 */
export type Context = Omit<AppServices, 'audit'> & {
  readonly actor: AuditActor;
  /** Appends to the audit chain inside `trx`, as `actor` unless the entry names another. */
  audit(trx: Parameters<AppServices['audit']>[0], entry: ContextAuditEntry): Promise<number>;
};

/** A context acting as `actor`. Cheap: services are shared, only the actor is new. */
export function contextFor(services: AppServices, actor: AuditActor): Context {
  return { ...services, actor, audit: (trx, entry) => services.audit(trx, { ...entry, actor: entry.actor ?? actor }) };
}
