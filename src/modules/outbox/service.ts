import type { AuditActor } from '../../core/audit/audit.ts';
import { AppError } from '../../core/http/errors.ts';
import type { OutboxRow } from '../../core/mail/outbox.ts';
import type { AppServices } from '../../core/module.ts';
import * as repo from './repo.ts';

export const PAGE_SIZE = 50;

/** Where mail goes now: an SMTP server, or the folder of .eml files when none is configured. */
export function deliveryOf(s: AppServices): { kind: 'smtp' | 'folder'; where: string } {
  return { kind: s.config.smtpUrl ? 'smtp' : 'folder', where: s.mailer.transport.description };
}

/** One page of the outbox, newest first. Lists carry no message bodies, so they are not audited. */
export async function listMessages(s: AppServices, page: number) {
  const [rows, total] = await Promise.all([repo.listOutbox(s.db, { offset: (page - 1) * PAGE_SIZE, limit: PAGE_SIZE }), repo.countOutbox(s.db)]);
  return { rows, total, pages: Math.max(1, Math.ceil(total / PAGE_SIZE)) };
}

/**
 * Opens one message. Messages carry one-time invitation and reset links, so reading one is
 * recorded in the audit log: a link used by someone other than its addressee can be traced.
 */
export async function readMessage(s: AppServices, actor: AuditActor, id: string): Promise<OutboxRow> {
  const message = await repo.findOutboxMessage(s.db, id);
  if (!message) throw new AppError('not_found');
  await s.db.transaction().execute((trx) => s.audit(trx, { actor, action: 'outbox.message_read', targetType: 'outbox', targetId: id, detail: { template: message.template } }));
  return message;
}
