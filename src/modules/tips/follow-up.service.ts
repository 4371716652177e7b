import type { Context } from '../../core/context.ts';
import { hmac, newId } from '../../core/crypto/server-secret.ts';
import { limitKeyOf } from '../../core/http/rate-limiter.ts';
import type { CleanFile } from '../../core/uploads/index.ts';
import { type FileMeta, hourOf } from './model.ts';
import { openPartJson, openPartText, sealPart, unwrapWithReceipt } from './crypto.ts';
import type { ReceiptKeys } from './receipt-keys.ts';
import * as repo from './repo.ts';
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

/** `waitAfter` for the 1st, 2nd … wrong code, until the wait reaches its ceiling. */
const RECEIPT_SCHEDULE = (() => {
  const waits: number[] = [];
  for (let n = 1; waits.at(-1) !== MAX_WAIT_MS; n++) waits.push(waitAfter(n));
  return waits;
})();

export type ReceiptTry = { allowed: true; waitSeconds: number } | { allowed: false; waitSeconds: number };

/**
 * Throttling of receipt codes, in the app's rate limiter (memory, or Redis for several
 * processes). The key is an HMAC of the client address with the server secret: neither the
 * address nor anything that could be turned back into it is stored or logged. A try is counted
 * before its code is checked, atomically, so codes sent all at once are counted one by one; a
 * try that turns out not to be a guess (the right code, or no code at all) is taken back.
 */
export class ReceiptThrottle {
  readonly #ctx: Pick<Context, 'secret' | 'rateLimiter'>;
  constructor(ctx: Pick<Context, 'secret' | 'rateLimiter'>) {
    this.#ctx = ctx;
  }

  #key(clientAddress: string) {
    return `tips:receipt-fail:${hmac(this.#ctx.secret, 'tips.receipt', limitKeyOf(clientAddress))}`;
  }

  /**
   * Counts a try. Refused while this client waits (`waitSeconds` left); allowed otherwise, with
   * the wait a wrong code would now start (0 within the free attempts).
   */
  async attempt(clientAddress: string): Promise<ReceiptTry> {
    const decision = await this.#ctx.rateLimiter.attempt(this.#key(clientAddress), RECEIPT_SCHEDULE, FAILURE_WINDOW_MS);
    return { allowed: decision.allowed, waitSeconds: decision.retryAfterSeconds };
  }

  /** Takes back a try that was no guess, with the wait it started. */
  async notAGuess(clientAddress: string, counted: ReceiptTry): Promise<void> {
    await this.#ctx.rateLimiter.release(this.#key(clientAddress), counted.waitSeconds > 0);
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
