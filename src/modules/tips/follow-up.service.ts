import type { Context } from '../../core/context.ts';
import { hmac, newId } from '../../core/crypto/server-secret.ts';
import type { CleanFile } from '../../core/uploads/index.ts';
import { type FileMeta, hourOf } from './model.ts';
import { openPartJson, openPartText, sealPart, unwrapWithReceipt } from './crypto.ts';
import type { ReceiptKeys } from './receipt-keys.ts';
import * as repo from './repo.ts';
import type { FollowUpQuota } from './repo.ts';
import { encryptFiles } from './submit.service.ts';
import type { TipRow } from './tables.ts';
import { publicStatus } from './workflow.ts';

/** Wrong codes allowed from one client before each further try must wait. */
export const FREE_ATTEMPTS = 5;
const FAILURE_WINDOW_MS = 24 * 3600_000;
const MAX_WAIT_MS = 3600_000;

/** 30 s after the sixth wrong code, then doubling: 1 min, 2 min … capped at an hour. */
export function waitAfter(failures: number): number {
  if (failures <= FREE_ATTEMPTS) return 0;
  return Math.min(30_000 * 2 ** (failures - FREE_ATTEMPTS - 1), MAX_WAIT_MS);
}

/**
 * Throttling of receipt codes, in the app's rate limiter (memory, or Redis for several
 * processes). The key is an HMAC of the client address with the server secret: neither the
 * address nor anything that could be turned back into it is stored or logged.
 */
export class ReceiptThrottle {
  readonly #ctx: Pick<Context, 'secret' | 'rateLimiter'>;
  constructor(ctx: Pick<Context, 'secret' | 'rateLimiter'>) {
    this.#ctx = ctx;
  }

  #keys(clientAddress: string) {
    const base = hmac(this.#ctx.secret, 'tips.receipt', clientAddress);
    return { failures: `tips:receipt-fail:${base}`, wait: `tips:receipt-wait:${base}` };
  }

  /** Seconds this client must still wait before its next try, or 0. */
  async waitSeconds(clientAddress: string): Promise<number> {
    const { wait } = this.#keys(clientAddress);
    if ((await this.#ctx.rateLimiter.peek(wait)) === 0) return 0;
    // Reading the window's remaining time adds to its count, which nothing reads.
    return (await this.#ctx.rateLimiter.consume(wait, Number.MAX_SAFE_INTEGER, 1000)).retryAfterSeconds;
  }

  /** Counts a wrong code; past the free attempts, starts a wait that doubles each time. */
  async failed(clientAddress: string): Promise<number> {
    const keys = this.#keys(clientAddress);
    const { count } = await this.#ctx.rateLimiter.consume(keys.failures, Number.MAX_SAFE_INTEGER, FAILURE_WINDOW_MS);
    const waitMs = waitAfter(count);
    if (waitMs > 0) {
      await this.#ctx.rateLimiter.reset(keys.wait);
      await this.#ctx.rateLimiter.consume(keys.wait, 1, waitMs);
    }
    return Math.ceil(waitMs / 1000);
  }
}

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

/**
 * What one receipt may add through follow-up in a UTC day: enough for a person with more to
 * say and a few photos, too little for one anonymous client to fill the database.
 */
export const FOLLOW_UP_QUOTA: FollowUpQuota = { messages: 20, bytes: 50 * 1024 * 1024 };

export type MessageOutcome = 'stored' | 'over_quota';

/**
 * A message (and files) from the tipster, encrypted with the tip key; staff see the tip is
 * waiting. Counted against the receipt's daily quota in the same transaction: over it, nothing
 * is stored.
 */
export async function addTipsterMessage(ctx: Context, opened: OpenedTip, text: string, files: CleanFile[], quota: FollowUpQuota = FOLLOW_UP_QUOTA): Promise<MessageOutcome> {
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
