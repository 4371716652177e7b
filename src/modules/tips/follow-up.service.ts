import type { Context } from '../../core/context.ts';
import { newId } from '../../core/crypto/server-secret.ts';
import type { CleanFile } from '../../core/uploads/index.ts';
import { type FileMeta, hourOf } from './model.ts';
import { openPartJson, openPartText, sealPart, unwrapWithReceipt } from './crypto.ts';
import type { ReceiptKeys } from './receipt-keys.ts';
import * as repo from './repo.ts';
import { encryptFiles } from './submit.service.ts';
import type { TipRow } from './tables.ts';
import { publicStatus } from './workflow.ts';

export { FREE_ATTEMPTS, ReceiptThrottle, type ReceiptTry, waitAfter } from './receipt-throttle.ts';

export type OpenedTip = { row: TipRow; tipKey: Uint8Array };

/** The tip a receipt code opens, with its key; undefined for a wrong code. */
export async function openByReceipt(ctx: Context, receipts: ReceiptKeys, receipt: string): Promise<OpenedTip | undefined> {
  const secrets = await receipts.derive(receipt);
  try {
    const row = await repo.findTipByLookup(ctx.db, secrets.lookup);
    if (!row) return undefined;
    const tipKey = await unwrapWithReceipt(row.receiptKeyBox, secrets.key, row.id);
    return tipKey ? { row, tipKey } : undefined;
  } finally {
    secrets.key.fill(0);
  }
}

export type ConversationView = {
  status: ReturnType<typeof publicStatus>;
  receivedAt: string;
  files: string[];
  messages: { author: 'tipster' | 'staff'; at: string; body: string; files: string[] }[];
};

/**
 * What the tipster sees: the status in three words, and the conversation. Staff names, notes,
 * referrals and dispositions stay on the office's side.
 */
export async function conversation(ctx: Context, opened: OpenedTip): Promise<ConversationView> {
  const { row, tipKey } = opened;
  const db = ctx.db;
  const files = await Promise.all(
    (await repo.attachmentMetaOf(db, row.id)).map(async (f) => ({ messageId: f.messageId, name: (await openPartJson<FileMeta>(tipKey, row.id, `file-meta:${f.id}`, f.metaBox)).name })),
  );
  const messages = await Promise.all(
    (await repo.messagesOf(db, row.id)).map(async (m) => ({
      author: m.author,
      at: m.at,
      body: await openPartText(tipKey, row.id, `message:${m.id}`, m.bodyBox),
      files: files.filter((f) => f.messageId === m.id).map((f) => f.name),
    })),
  );
  return {
    status: publicStatus(row.status),
    receivedAt: row.receivedAt,
    files: files.filter((f) => f.messageId === null).map((f) => f.name),
    messages,
  };
}

export type MessageOutcome = 'stored' | 'over_quota';

/**
 * A message (and files) from the tipster, encrypted with the tip key; staff see the tip is
 * waiting. Counted against the receipt's daily quota (`TIP_FOLLOW_UP_*`) in the same
 * transaction: over it, nothing is stored.
 */
export async function addTipsterMessage(ctx: Context, opened: OpenedTip, text: string, files: CleanFile[]): Promise<MessageOutcome> {
  const quota = ctx.config.followUpQuota;
  const { row, tipKey } = opened;
  const id = newId();
  const now = ctx.clock.now();
  const at = hourOf(now);
  const bytes = Buffer.byteLength(text) + files.reduce((sum, f) => sum + f.bytes.length, 0);
  const bodyBox = await sealPart(tipKey, row.id, `message:${id}`, text);
  const attachments = await encryptFiles(tipKey, row.id, files, at, id);
  return ctx.db.transaction().execute(async (trx) => {
    if (!(await repo.countFollowUp(trx, row.id, now.toISOString().slice(0, 10), bytes, quota))) return 'over_quota';
    const seq = await repo.nextMessageSeq(trx, row.id);
    await repo.insertMessage(trx, { id, tipId: row.id, seq, author: 'tipster', authorId: null, at, bodyBox });
    await repo.insertAttachments(trx, attachments);
    await repo.updateTip(trx, row.id, { tipsterWaiting: 1 });
    return 'stored';
  });
}
