import { z } from 'zod';
import type { Clock } from '../clock.ts';
import { newId } from '../crypto/server-secret.ts';
import { defineJob, type JobDefinition, type JobLane, type JobQueue } from '../jobs/queue.ts';
import type { RenderedEmail } from './render.tsx';
import type { MailTransport } from './transport.ts';
import type { Db } from '../../database.ts';

export type OutboxRow = {
  id: string;
  toAddress: string;
  subject: string;
  textBody: string;
  htmlBody: string;
  template: string;
  state: 'queued' | 'sent' | 'failed';
  attempts: number;
  lastError: string | null;
  messageId: string | null;
  createdAt: string;
  sentAt: string | null;
  /** 1: the body carries a link that works by itself; it is erased once it is no longer needed. */
  bearer: number;
};

export type OutboxTables = { outbox: OutboxRow };

export type Mailer = {
  /**
   * Queues a rendered message in `trx`; delivery happens later, in a job, never in the request.
   * An `urgent` message is delivered by the urgent lane's workers, ahead of everything else.
   */
  queue(trx: Db, to: string, email: RenderedEmail, options?: { urgent?: boolean; bearer?: boolean }): Promise<string>;
  /**
   * Erases the body of every message queued as `bearer` whose link `isSpent` says is used or
   * expired: from its outbox row and from the outbox folder. Returns how many were erased.
   */
  eraseSpent(db: Db, isSpent: (text: string) => Promise<boolean>): Promise<number>;
  transport: MailTransport;
};

/** What is left of an erased body. */
export const ERASED_BODY = '';

const deliveryPayload = z.object({ outboxId: z.string() });

export function mailDeliveryJob(transport: MailTransport, from: string, lane: JobLane = 'default'): JobDefinition<z.infer<typeof deliveryPayload>> {
  return defineJob({
    name: lane === 'urgent' ? 'mail.deliver-urgent' : 'mail.deliver',
    lane,
    payload: deliveryPayload,
    attempts: 8,
    async perform({ outboxId }, { db, clock, attempt }) {
      const row = await db.selectFrom('outbox').selectAll().where('id', '=', outboxId).executeTakeFirst();
      // Already sent by an earlier attempt whose lease ran out: sending again would duplicate it.
      if (!row || row.state === 'sent') return;
      try {
        const info = await transport.send({
          from,
          to: row.toAddress,
          subject: row.subject,
          text: row.textBody,
          html: row.htmlBody,
          messageId: `<${row.id}@heatwatch>`,
        });
        // Over SMTP the message has left: a bearer link kept here would only be one more copy to steal.
        const erase = row.bearer === 1 && transport.kind === 'smtp' ? { textBody: ERASED_BODY, htmlBody: ERASED_BODY } : {};
        await db.updateTable('outbox').set({ state: 'sent', sentAt: clock.now().toISOString(), messageId: info.messageId, attempts: attempt, lastError: null, ...erase }).where('id', '=', outboxId).execute();
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        await db.updateTable('outbox').set({ attempts: attempt, lastError: message.slice(0, 1000), state: attempt >= 8 ? 'failed' : 'queued' }).where('id', '=', outboxId).execute();
        throw error;
      }
    },
  });
}

/** The outbox: a row per message, written with the change that caused it. */
export function createMailer(options: { jobs: JobQueue; clock: Clock; transport: MailTransport; from: string }): Mailer {
  const job = mailDeliveryJob(options.transport, options.from);
  const urgentJob = mailDeliveryJob(options.transport, options.from, 'urgent');
  options.jobs.register(job);
  options.jobs.register(urgentJob);
  return {
    transport: options.transport,
    async queue(trx, to, email, queueOptions = {}) {
      const id = newId();
      await trx
        .insertInto('outbox')
        .values({
          id,
          toAddress: to,
          subject: email.subject,
          textBody: email.text,
          htmlBody: email.html,
          template: email.template,
          state: 'queued',
          attempts: 0,
          lastError: null,
          messageId: null,
          createdAt: options.clock.now().toISOString(),
          sentAt: null,
          bearer: queueOptions.bearer ? 1 : 0,
        })
        .execute();
      await options.jobs.enqueue(trx, queueOptions.urgent ? urgentJob : job, { outboxId: id });
      return id;
    },
    async eraseSpent(db, isSpent) {
      const rows = await db.selectFrom('outbox').select(['id', 'textBody', 'messageId']).where('bearer', '=', 1).where('textBody', '!=', ERASED_BODY).execute();
      let erased = 0;
      for (const row of rows) {
        if (!(await isSpent(row.textBody))) continue;
        await db.updateTable('outbox').set({ textBody: ERASED_BODY, htmlBody: ERASED_BODY }).where('id', '=', row.id).execute();
        options.transport.eraseCopy(row.messageId ?? `<${row.id}@heatwatch>`);
        erased++;
      }
      return erased;
    },
  };
}
