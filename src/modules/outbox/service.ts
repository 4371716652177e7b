import type { Context } from '../../core/context.ts';
import { AppError } from '../../core/http/errors.ts';
import type { OutboxRow } from '../../core/mail/outbox.ts';
import * as repo from './repo.ts';

export const PAGE_SIZE = 50;

/** Where mail goes now: an SMTP server, or the folder of .eml files when none is configured. */
export function deliveryOf(ctx: Context): { kind: 'smtp' | 'folder'; where: string } {
  return { kind: ctx.config.smtpUrl ? 'smtp' : 'folder', where: ctx.mailer.transport.description };
}

/** One page of the outbox, newest first. Lists carry no message bodies, so they are not audited. */
export async function listMessages(ctx: Context, page: number) {
  const [rows, total] = await Promise.all([repo.listOutbox(ctx.db, { offset: (page - 1) * PAGE_SIZE, limit: PAGE_SIZE }), repo.countOutbox(ctx.db)]);
  return { rows, total, pages: Math.max(1, Math.ceil(total / PAGE_SIZE)) };
}

/**
 * Opens one message. Messages carry one-time invitation and reset links, so reading one is
 * recorded in the audit log as the context's actor: a link used by someone other than its addressee can be traced.
 */
export async function readMessage(ctx: Context, id: string): Promise<OutboxRow> {
  const message = await repo.findOutboxMessage(ctx.db, id);
  if (!message) throw new AppError('not_found');
  await ctx.db.transaction().execute((trx) => ctx.audit(trx, { action: 'outbox.message_read', targetType: 'outbox', targetId: id, detail: { template: message.template } }));
  return message;
}
