import type { Staff } from '../../core/auth/staff.ts';
import type { Context } from '../../core/context.ts';
import { newId } from '../../core/crypto/server-secret.ts';
import { accountKeyInfo, tipReaders } from '../accounts/index.ts';
import { currentOfficeKey, ensureOfficeGrant, staffTipKey } from './access.service.ts';
import { type FileMeta, hourOf, type TipAnswers } from './model.ts';
import { openPart, openPartJson, openPartText, sealPart } from './crypto.ts';
import * as repo from './repo.ts';
import type { QueuePage } from './repo.ts';
import type { QueueQuery } from './schema.ts';
import type { TipRow } from './tables.ts';
import { type Transition, transitionProblem } from './workflow.ts';

export const QUEUE_PAGE_SIZE = 50;

/** The queue: metadata only, urgent open tips first. */
export function listQueue(ctx: Context, query: QueueQuery): Promise<QueuePage> {
  return repo.listQueue(ctx.db, query, QUEUE_PAGE_SIZE);
}

export type FileView = FileMeta & { id: string; messageId: string | null };
export type MessageView = { id: string; author: 'tipster' | 'staff'; authorName: string | undefined; at: string; body: string; files: FileView[] };
export type NoteView = { id: string; authorName: string; at: string; body: string };

export type TipMeta = Omit<TipRow, 'receiptLookup' | 'receiptKeyBox' | 'submissionKey' | 'answersBox' | 'contactBox' | 'tagsBox' | 'notifyPending' | 'messageCount'>;

export type TipDetail = {
  tip: TipMeta;
  /** False when this staff member holds no working grant: metadata only. */
  readable: boolean;
  answers?: TipAnswers;
  /** The tipster gave contact details; reading the tip does not open them. */
  contactGiven: boolean;
  /** Only after `openTipContact`, for staff who may see identities and gave a reason. */
  contact?: string;
  tags: string[];
  files: FileView[];
  messages: MessageView[];
  notes: NoteView[];
};

function metaOf(row: TipRow): TipMeta {
  const { receiptLookup, receiptKeyBox, submissionKey, answersBox, contactBox, tagsBox, notifyPending, messageCount, ...meta } = row;
  return meta;
}

async function nameOf(ctx: Context, cache: Map<string, string>, accountId: string): Promise<string> {
  let name = cache.get(accountId);
  if (name === undefined) {
    name = (await accountKeyInfo(ctx, accountId))?.displayName ?? '—';
    cache.set(accountId, name);
  }
  return name;
}

/** Decrypts everything under a tip with its key. */
export async function decryptTip(ctx: Context, row: TipRow, tipKey: Uint8Array): Promise<Omit<TipDetail, 'tip' | 'readable' | 'contactGiven'>> {
  const db = ctx.db;
  const names = new Map<string, string>();
  const files: FileView[] = [];
  for (const f of await repo.attachmentMetaOf(db, row.id)) {
    files.push({ id: f.id, messageId: f.messageId, ...(await openPartJson<FileMeta>(tipKey, row.id, `file-meta:${f.id}`, f.metaBox)) });
  }
  const messages: MessageView[] = [];
  for (const m of await repo.messagesOf(db, row.id)) {
    messages.push({
      id: m.id,
      author: m.author,
      authorName: m.authorId ? await nameOf(ctx, names, m.authorId) : undefined,
      at: m.at,
      body: await openPartText(tipKey, row.id, `message:${m.id}`, m.bodyBox),
      files: files.filter((f) => f.messageId === m.id),
    });
  }
  const notes: NoteView[] = [];
  for (const n of await repo.notesOf(db, row.id)) {
    notes.push({ id: n.id, authorName: await nameOf(ctx, names, n.authorId), at: n.at, body: await openPartText(tipKey, row.id, `note:${n.id}`, n.bodyBox) });
  }
  return {
    answers: await openPartJson<TipAnswers>(tipKey, row.id, 'answers', row.answersBox),
    tags: row.tagsBox ? await openPartJson<string[]>(tipKey, row.id, 'tags', row.tagsBox) : [],
    files: files.filter((f) => f.messageId === null),
    messages,
    notes,
  };
}

/**
 * Opens a tip for a staff member: decrypts it with their own grant and writes an audit row,
 * whether or not they could read it. The first reading is the tip's first review.
 */
export async function openTip(ctx: Context, staff: Staff, tipId: string, purpose: 'open' | 'handoff' = 'open'): Promise<TipDetail | undefined> {
  const row = await repo.findTip(ctx.db, tipId);
  if (!row) return undefined;
  const tipKey = staff.keyPair ? await staffTipKey(ctx, tipId, staff.account.id, staff.keyPair) : undefined;
  try {
    const content = tipKey ? await decryptTip(ctx, row, tipKey) : { tags: [], files: [], messages: [], notes: [] };
    const office = tipKey ? await currentOfficeKey(ctx) : undefined;
    await ctx.db.transaction().execute(async (trx) => {
      if (tipKey) {
        await ensureOfficeGrant(ctx, trx, office, tipId, tipKey);
        if (!row.firstReviewedAt) {
          row.firstReviewedAt = ctx.clock.now().toISOString();
          await repo.updateTip(trx, tipId, { firstReviewedAt: row.firstReviewedAt });
        }
      }
      await ctx.audit(trx, { action: purpose === 'handoff' ? 'tip.handoff' : 'tip.open', targetType: 'tip', targetId: tipId, detail: { content: tipKey !== undefined } });
    });
    return { tip: metaOf(row), readable: tipKey !== undefined, contactGiven: row.contactBox !== null, ...content };
  } finally {
    tipKey?.fill(0);
  }
}

/** Runs `fn` with the tip key of this staff member; undefined when the tip is missing or unreadable to them. */
async function withTipKey<T>(ctx: Context, staff: Staff, tipId: string, fn: (row: TipRow, tipKey: Uint8Array) => Promise<T>): Promise<T | undefined> {
  const row = await repo.findTip(ctx.db, tipId);
  if (!row || !staff.keyPair) return undefined;
  const tipKey = await staffTipKey(ctx, tipId, staff.account.id, staff.keyPair);
  if (!tipKey) return undefined;
  try {
    return await fn(row, tipKey);
  } finally {
    tipKey.fill(0);
  }
}

/** Moves a tip along the workflow; returns why it was refused, as a translation key. */
export async function changeStatus(ctx: Context, tipId: string, change: Transition): Promise<string | undefined> {
  const row = await repo.findTip(ctx.db, tipId);
  if (!row) return 'tips.workflow.errors.gone';
  const problem = transitionProblem(row.status, change);
  if (problem) return problem;
  const now = ctx.clock.now().toISOString();
  const patch: Partial<TipRow> = { status: change.to };
  if (change.to === 'in_review') {
    patch.firstReviewedAt = row.firstReviewedAt ?? now;
    patch.closedAt = null;
    patch.disposition = null;
  }
  if (change.to === 'referred') patch.referredTo = change.referredTo!;
  if (change.to === 'closed') {
    patch.closedAt = now;
    patch.disposition = change.disposition!;
  }
  return ctx.db.transaction().execute(async (trx) => {
    if (!(await repo.updateStatus(trx, tipId, row.status, patch))) return 'tips.workflow.errors.changed';
    await ctx.audit(trx, {
      action: 'tip.status',
      targetType: 'tip',
      targetId: tipId,
      detail: { from: row.status, to: change.to, referredTo: patch.referredTo ?? null, disposition: patch.disposition ?? null },
    });
    return undefined;
  });
}

/** Assigns a tip to a reader (or to no one); false when the assignee cannot read tips. */
export async function assignTip(ctx: Context, tipId: string, assigneeId: string | null): Promise<boolean> {
  if (assigneeId && !(await tipReaders(ctx)).some((r) => r.id === assigneeId)) return false;
  if (!(await repo.findTip(ctx.db, tipId))) return false;
  await ctx.db.transaction().execute(async (trx) => {
    await repo.updateTip(trx, tipId, { assigneeId });
    await ctx.audit(trx, { action: 'tip.assign', targetType: 'tip', targetId: tipId, detail: { to: assigneeId } });
  });
  return true;
}

/** Tags are staff words about a tip and can say as much as the tip: they are encrypted too. */
export async function setTags(ctx: Context, staff: Staff, tipId: string, text: string): Promise<boolean> {
  const tags = [...new Set(text.split(',').map((t) => t.trim().slice(0, 40)).filter(Boolean))].slice(0, 20);
  const done = await withTipKey(ctx, staff, tipId, async (_row, tipKey) => {
    const box = tags.length ? await sealPart(tipKey, tipId, 'tags', JSON.stringify(tags)) : null;
    await ctx.db.transaction().execute(async (trx) => {
      await repo.updateTip(trx, tipId, { tagsBox: box });
      await ctx.audit(trx, { action: 'tip.tags', targetType: 'tip', targetId: tipId, detail: { count: tags.length } });
    });
    return true;
  });
  return done === true;
}

/** Links a tip to the one it repeats (by reference), or clears the link; a translation key when refused. */
export async function markDuplicate(ctx: Context, tipId: string, reference: string): Promise<string | undefined> {
  if (!(await repo.findTip(ctx.db, tipId))) return 'tips.workflow.errors.gone';
  const original = reference ? await repo.findTipIdByReference(ctx.db, reference) : null;
  if (original === undefined || original === tipId) return 'tips.detail.duplicateUnknown';
  await ctx.db.transaction().execute(async (trx) => {
    await repo.updateTip(trx, tipId, { duplicateOf: original });
    await ctx.audit(trx, { action: 'tip.duplicate', targetType: 'tip', targetId: tipId, detail: { of: original } });
  });
  return undefined;
}

/** An internal note, encrypted with the tip key; the tipster never sees notes. */
export async function addNote(ctx: Context, staff: Staff, tipId: string, text: string): Promise<boolean> {
  const done = await withTipKey(ctx, staff, tipId, async (_row, tipKey) => {
    const id = newId();
    const bodyBox = await sealPart(tipKey, tipId, `note:${id}`, text);
    await ctx.db.transaction().execute(async (trx) => {
      await repo.insertNote(trx, { id, tipId, authorId: staff.account.id, at: ctx.clock.now().toISOString(), bodyBox });
      await ctx.audit(trx, { action: 'tip.note', targetType: 'tip', targetId: tipId });
    });
    return true;
  });
  return done === true;
}

/**
 * A reply the tipster reads with their receipt code. Its time is kept to the hour like the
 * tipster's own messages, so the conversation's timing says nothing about when they looked.
 */
export async function replyToTipster(ctx: Context, staff: Staff, tipId: string, text: string): Promise<boolean> {
  const done = await withTipKey(ctx, staff, tipId, async (_row, tipKey) => {
    const id = newId();
    const bodyBox = await sealPart(tipKey, tipId, `message:${id}`, text);
    await ctx.db.transaction().execute(async (trx) => {
      const seq = await repo.nextMessageSeq(trx, tipId);
      await repo.insertMessage(trx, { id, tipId, seq, author: 'staff', authorId: staff.account.id, at: hourOf(ctx.clock.now()), bodyBox });
      await repo.updateTip(trx, tipId, { tipsterWaiting: 0 });
      await ctx.audit(trx, { action: 'tip.reply', targetType: 'tip', targetId: tipId });
    });
    return true;
  });
  return done === true;
}

/** One file of a tip, decrypted for a staff member; audited. */
export async function openAttachment(ctx: Context, staff: Staff, tipId: string, fileId: string): Promise<{ meta: FileMeta; bytes: Buffer } | undefined> {
  return withTipKey(ctx, staff, tipId, async (_row, tipKey) => {
    const file = await repo.findAttachment(ctx.db, tipId, fileId);
    if (!file) return undefined;
    const meta = await openPartJson<FileMeta>(tipKey, tipId, `file-meta:${file.id}`, file.metaBox);
    const bytes = Buffer.from(await openPart(tipKey, tipId, `file:${file.id}`, file.dataBox));
    await ctx.db.transaction().execute((trx) =>
      ctx.audit(trx, { action: 'tip.file_open', targetType: 'tip', targetId: tipId, detail: { file: fileId } }),
    );
    return { meta, bytes };
  });
}
