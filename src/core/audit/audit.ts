import { createHash } from 'node:crypto';
import type { Clock } from '../clock.ts';
import type { Db } from '../../database.ts';

export type AuditActor = { id: string | null; label: string };

export type AuditEntry = {
  actor: AuditActor;
  /** Dotted verb, e.g. `tip.open`, `account.invite`, `auth.sign_in_failed`. */
  action: string;
  targetType?: string;
  targetId?: string;
  /** Non-sensitive context only: never tip text, passwords or personal details. */
  detail?: Record<string, string | number | boolean | null>;
};

export type AuditRow = {
  seq: number;
  at: string;
  actorId: string | null;
  actorLabel: string;
  action: string;
  targetType: string | null;
  targetId: string | null;
  detail: string;
  prevHash: string;
  hash: string;
};

export type AuditTables = {
  auditLog: AuditRow;
  auditHead: { id: number; seq: number; hash: string };
};

export const SYSTEM_ACTOR: AuditActor = { id: null, label: 'system' };

/** The hash of a row covers every field and the previous hash, so any edit or deletion breaks the chain. */
export function auditHash(row: Omit<AuditRow, 'hash'>): string {
  const canonical = JSON.stringify([row.seq, row.at, row.actorId, row.actorLabel, row.action, row.targetType, row.targetId, row.detail, row.prevHash]);
  return createHash('sha256').update(canonical).digest('hex');
}

/**
 * Appends one row to the audit chain. Call it with the transaction that makes the change, so
 * the change and its record commit together or not at all.
 */
export async function recordAudit(db: Db, clock: Clock, entry: AuditEntry): Promise<number> {
  // Updating the head first takes its row lock: concurrent writers on PostgreSQL queue here.
  await db.updateTable('auditHead').set((eb) => ({ seq: eb('seq', '+', 1) })).where('id', '=', 1).execute();
  const head = await db.selectFrom('auditHead').select(['seq', 'hash']).where('id', '=', 1).executeTakeFirstOrThrow();
  const row = {
    seq: head.seq,
    at: clock.now().toISOString(),
    actorId: entry.actor.id,
    actorLabel: entry.actor.label,
    action: entry.action,
    targetType: entry.targetType ?? null,
    targetId: entry.targetId ?? null,
    detail: JSON.stringify(entry.detail ?? {}),
    prevHash: head.hash,
  };
  const hash = auditHash(row);
  await db.insertInto('auditLog').values({ ...row, hash }).execute();
  await db.updateTable('auditHead').set({ hash }).where('id', '=', 1).execute();
  return row.seq;
}

export type ChainReport = { ok: true; rows: number } | { ok: false; rows: number; brokenAt: number; reason: string };

/**
 * Walks the chain in order and reports the first row whose hash or link does not hold. Each of
 * `anchors` is a head hash copied out of the database earlier (the daily anchor e-mail, a
 * backup's manifest): the chain must still pass through it. Someone who can write the database
 * can rewrite the tail together with the head and keep the chain internally whole, but cannot
 * make a rewritten row hash to a value that left the database before.
 */
export async function verifyAuditChain(db: Db, batchSize = 1000, anchors: readonly string[] = []): Promise<ChainReport> {
  let prevHash = '0'.repeat(64);
  let expectedSeq = 1;
  let rows = 0;
  const unseen = new Set(anchors.map((a) => a.toLowerCase()));
  // An anchor taken before the first row names the chain's start, which every chain passes through.
  unseen.delete(prevHash);
  for (;;) {
    const batch = await db.selectFrom('auditLog').selectAll().where('seq', '>=', expectedSeq).orderBy('seq').limit(batchSize).execute();
    for (const row of batch) {
      if (row.seq !== expectedSeq) return { ok: false, rows, brokenAt: expectedSeq, reason: `row ${expectedSeq} is missing` };
      if (row.prevHash !== prevHash) return { ok: false, rows, brokenAt: row.seq, reason: 'does not link to the previous row' };
      const { hash, ...rest } = row;
      if (auditHash(rest) !== hash) return { ok: false, rows, brokenAt: row.seq, reason: 'its contents were changed' };
      unseen.delete(hash);
      prevHash = hash;
      expectedSeq++;
      rows++;
    }
    if (batch.length < batchSize) break;
  }
  const head = await db.selectFrom('auditHead').select(['seq', 'hash']).where('id', '=', 1).executeTakeFirst();
  // The migration makes the head and nothing removes it: without it, rows cut from the end
  // would leave no trace.
  if (!head) return { ok: false, rows, brokenAt: rows + 1, reason: 'the chain head is missing' };
  if (head.seq !== rows || head.hash !== prevHash) {
    return { ok: false, rows, brokenAt: rows + 1, reason: `rows after ${rows} were removed` };
  }
  const missing = [...unseen][0];
  if (missing) return { ok: false, rows, brokenAt: rows + 1, reason: `the chain no longer passes through the anchored hash ${missing}: rows were rewritten or removed` };
  return { ok: true, rows };
}

/** The audit rows with these seqs (a record citing them shows their hashes), in chain order. */
export async function auditRowsBySeq(db: Db, seqs: readonly number[]): Promise<AuditRow[]> {
  if (seqs.length === 0) return [];
  return db.selectFrom('auditLog').selectAll().where('seq', 'in', [...seqs]).orderBy('seq').execute();
}

/** The chain's head now: the seq and hash `heatwatch audit verify` checks the last row against. */
export async function auditChainHead(db: Db): Promise<{ seq: number; hash: string }> {
  const head = await db.selectFrom('auditHead').select(['seq', 'hash']).where('id', '=', 1).executeTakeFirstOrThrow();
  return { seq: Number(head.seq), hash: head.hash };
}

/**
 * The rows about one record, oldest first: a record's own history. Only rows naming exactly this
 * record come back, so a page showing them never shows what happened to another.
 */
export async function auditRowsForTarget(db: Db, targetType: string, targetId: string, limit = 500): Promise<AuditRow[]> {
  return db.selectFrom('auditLog').selectAll().where('targetType', '=', targetType).where('targetId', '=', targetId).orderBy('seq').limit(limit).execute();
}
