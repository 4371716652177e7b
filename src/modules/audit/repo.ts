import type { SelectQueryBuilder } from 'kysely';
import type { AuditRow } from '../../core/audit/audit.ts';
import { likeText } from '../../core/db/dialect.ts';
import type { Database, Db } from '../../database.ts';
import type { AuditFilters } from './schema.ts';
import { ACTION_GROUPS } from './sentences.ts';

type AuditQuery = SelectQueryBuilder<Database, 'auditLog', object>;

const COLUMNS = ['seq', 'at', 'actorId', 'actorLabel', 'action', 'targetType', 'targetId', 'detail', 'prevHash', 'hash'] as const;

const nextDay = (day: string) => new Date(Date.parse(`${day}T00:00:00Z`) + 86_400_000).toISOString();

function filtered(db: Db, f: AuditFilters): AuditQuery {
  let q: AuditQuery = db.selectFrom('auditLog');
  if (f.actor) {
    const actor = f.actor;
    q = q.where((eb) => eb.or([eb('actorLabel', '=', actor), eb('actorLabel', '=', actor.toLowerCase()), eb('actorId', '=', actor)]));
  }
  // Actions are lower case, so LIKE's case rules, which differ between the dialects, never matter.
  if (f.action) q = q.where(likeText('action', f.action, 'prefix'));
  if (f.group) {
    const parts = ACTION_GROUPS[f.group];
    q = q.where((eb) => eb.or(parts.map((p) => (p.endsWith('.') ? likeText('action', p, 'prefix') : eb('action', '=', p)))));
  }
  if (f.targetType) q = q.where('targetType', '=', f.targetType);
  if (f.targetId) q = q.where('targetId', '=', f.targetId);
  if (f.from) q = q.where('at', '>=', `${f.from}T00:00:00.000Z`);
  if (f.to) q = q.where('at', '<', nextDay(f.to));
  return q;
}

/** One page of matching rows, newest first, starting below `before` or above `after`. */
export async function auditPage(db: Db, f: AuditFilters, page: { before?: number; after?: number; limit: number }): Promise<AuditRow[]> {
  let q = filtered(db, f).select(COLUMNS);
  if (page.after !== undefined) {
    const rows = await q.where('seq', '>', page.after).orderBy('seq', 'asc').limit(page.limit).execute();
    return rows.reverse();
  }
  if (page.before !== undefined) q = q.where('seq', '<', page.before);
  return q.orderBy('seq', 'desc').limit(page.limit).execute();
}

/** Whether any matching row lies above (`newer`) or below a row number. */
export async function hasMatching(db: Db, f: AuditFilters, direction: 'newer' | 'older', seq: number): Promise<boolean> {
  const row = await filtered(db, f).select('seq').where('seq', direction === 'newer' ? '>' : '<', seq).limit(1).executeTakeFirst();
  return row !== undefined;
}

/** Matching rows in chain order, from just after `afterSeq` up to `upToSeq`, a batch at a time. */
export async function auditBatch(db: Db, f: AuditFilters, afterSeq: number, upToSeq: number, limit: number): Promise<AuditRow[]> {
  return filtered(db, f).select(COLUMNS).where('seq', '>', afterSeq).where('seq', '<=', upToSeq).orderBy('seq', 'asc').limit(limit).execute();
}
