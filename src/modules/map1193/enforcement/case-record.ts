import { auditChainHead, auditRowsBySeq } from '../../../core/audit/audit.ts';
import type { Context } from '../../../core/context.ts';
import { parseDeficiencies } from './enforcement.ts';
import { letterHash } from './notice-letter.ts';
import { caseFile, staffName } from './service.ts';

/**
 * One business's whole case for a hearing: reports, cases, every step with who took it and the
 * audit row that recorded it (seq and hash), the letters with their hashes, and the chain's head.
 * Reading it is audited as the staff member reading; undefined for a business that does not exist.
 */
export async function caseRecord(ctx: Context, businessId: string) {
  const file = await caseFile(ctx, businessId);
  if (!file) return undefined;
  const printedSeq = await ctx.db.transaction().execute((trx) => ctx.audit(trx, { action: 'map1193.case_record_open', targetType: 'map1193.business', targetId: file.business.id }));
  const seqs = file.steps.map((s) => s.auditSeq).filter((s): s is number => s !== null).map(Number);
  const [rows, head] = await Promise.all([auditRowsBySeq(ctx.db, seqs), auditChainHead(ctx.db)]);
  const bySeq = new Map(rows.map((r) => [Number(r.seq), r]));
  const names = new Map<string, string>();
  for (const id of new Set(file.steps.map((s) => s.actorId).filter((a): a is string => a !== null))) {
    const label = rows.find((r) => r.actorId === id)?.actorLabel ?? id;
    names.set(id, await staffName(ctx.db, id, label));
  }
  const steps = file.steps.map((s) => {
    const audit = s.auditSeq === null ? undefined : bySeq.get(Number(s.auditSeq));
    return { ...s, who: s.actorId ? names.get(s.actorId) ?? s.actorId : undefined, deficiencyCodes: parseDeficiencies(s.deficiencies), audit: audit ? { seq: Number(audit.seq), hash: audit.hash, at: audit.at } : undefined };
  });
  const notices = file.notices.map((n) => ({ id: n.id, caseId: n.caseId, createdAt: n.createdAt, sha256: n.sha256, intact: letterHash(n.letter) === n.sha256 }));
  const covered = steps.flatMap((s) => (s.audit ? [s.audit.seq] : []));
  const range = covered.length ? { from: Math.min(...covered), to: Math.max(...covered) } : undefined;
  return { ...file, steps, notices, range, head, printedSeq, printedAt: ctx.clock.now().toISOString(), printedBy: await staffName(ctx.db, ctx.actor.id, ctx.actor.label) };
}

export type CaseRecord = NonNullable<Awaited<ReturnType<typeof caseRecord>>>;
