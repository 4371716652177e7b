import { z } from 'zod';
import { auditChainHead } from '../../core/audit/audit.ts';
import type { Context } from '../../core/context.ts';
import { type Catalogs, createTranslator } from '../../core/i18n/catalog.ts';
import { defineJob } from '../../core/jobs/queue.ts';
import { dayInZone, instantFromZone } from '../../core/i18n/time.ts';
import { EmailLayout, type RenderedEmail, renderEmail } from '../../core/mail/render.tsx';
import { accountsWithPermission } from '../accounts/index.ts';

export const ANCHOR_EVERY_MS = 24 * 3600_000;

export type AnchorEmailProps = { locale: string; officeName: string; seq: number; hash: string; at: string };

/**
 * The daily anchor: the audit chain's head hash, sent out of the database. Whoever can write the
 * database can rewrite the log's tail and its head together; they cannot reach the copies in
 * administrators' mailboxes, and `heatwatch audit verify --anchor HASH` checks the chain still
 * passes through each one. The hash says nothing about what the log holds.
 */
export function anchorEmail(catalogs: Catalogs, p: AnchorEmailProps): RenderedEmail {
  const t = createTranslator(catalogs, p.locale);
  const params = { office: p.officeName, seq: p.seq, at: p.at };
  const subject = t('audit.email.anchor.subject', params);
  const command = `heatwatch audit verify --anchor ${p.hash}`;
  const html = (
    <EmailLayout lang={p.locale} title={subject} office={p.officeName} footer={t('audit.email.anchor.footer', params)}>
      <p>{t('audit.email.anchor.body', params)}</p>
      <p><code>{p.hash}</code></p>
      <p>{t('audit.email.anchor.keep', params)}</p>
      <p><code>{command}</code></p>
    </EmailLayout>
  );
  const text = [t('audit.email.anchor.body', params), '', p.hash, '', t('audit.email.anchor.keep', params), '', command, '', '--', t('audit.email.anchor.footer', params)].join('\n');
  return renderEmail('audit.anchor', subject, html, text);
}

export const sampleAnchorEmailProps: AnchorEmailProps = { locale: 'en', officeName: 'Demo County Office of the District Attorney', seq: 1234, hash: 'a'.repeat(64), at: '2026-12-02T06:00:00.000Z' };

/**
 * Logs the head and queues it to every active administrator, in one transaction: safe to run twice.
 * With `before`, the head is the last row written before that instant (undefined when there is none).
 */
export async function sendAuditAnchor(ctx: Context, log: { info(obj: object, msg: string): void }, before?: Date): Promise<{ seq: number; hash: string } | undefined> {
  const head = before ? await lastRowBefore(ctx, before) : await auditChainHead(ctx.db);
  if (!head) return undefined;
  const at = ctx.clock.now().toISOString();
  log.info({ auditAnchor: { seq: head.seq, hash: head.hash, at } }, 'audit chain head (keep it: heatwatch audit verify --anchor HASH)');
  const admins = await accountsWithPermission(ctx, 'audit.read');
  const settings = await ctx.settings.get();
  await ctx.db.transaction().execute(async (trx) => {
    for (const admin of admins) {
      await ctx.mailer.queue(trx, admin.email, anchorEmail(ctx.catalogs, { locale: admin.locale, officeName: settings.officeName, seq: head.seq, hash: head.hash, at }));
    }
  });
  return head;
}

async function lastRowBefore(ctx: Context, before: Date): Promise<{ seq: number; hash: string } | undefined> {
  const row = await ctx.db.selectFrom('auditLog').select(['seq', 'hash']).where('at', '<', before.toISOString()).orderBy('seq', 'desc').limit(1).executeTakeFirst();
  return row ? { seq: Number(row.seq), hash: row.hash } : undefined;
}

/**
 * The daily run anchors the chain as it stood when the office's day began: a whole day's rows,
 * the same hash whichever process or hour runs it, and nothing on an office's first day.
 */
export function anchorJob(ctx: Context) {
  return defineJob({
    name: 'audit.anchor',
    payload: z.object({}),
    attempts: 3,
    async perform(_payload, { log }) {
      const { timeZone } = await ctx.settings.get();
      const dayStart = instantFromZone(`${dayInZone(ctx.clock.now(), timeZone)}T00:00`, timeZone) ?? ctx.clock.now();
      await sendAuditAnchor(ctx, log, dayStart);
    },
  });
}
