import type { Context } from '../../core/context.ts';
import { accountsWithPermission } from '../accounts/index.ts';
import { newTipsEmail } from './emails/new-tips.tsx';
import * as repo from './repo.ts';

export const DIGEST_EVERY_MS = 3600_000;

/**
 * Tells readers that tips have arrived, with a link and no content at all: not the kind, not
 * the place, not even which tip. Urgent tips are announced on the notifier's next run (it runs
 * every minute); other tips wait for a digest sent at most once an hour. The notifier is a
 * scheduled job rather than one queued by the submission, so no job row records the moment a
 * tipster pressed Send. Returns how many e-mails were queued.
 */
export async function sendPendingNotifications(ctx: Context): Promise<number> {
  const pending = await repo.pendingNotifications(ctx.db);
  if (pending.length === 0) return 0;
  const now = ctx.clock.now();
  const urgent = pending.filter((p) => p.urgent === 1).map((p) => p.id);
  const lastDigest = await repo.lastNotice(ctx.db, 'digest');
  const digestDue = !lastDigest || now.getTime() - new Date(lastDigest).getTime() >= DIGEST_EVERY_MS;
  const regular = digestDue ? pending.filter((p) => p.urgent === 0).map((p) => p.id) : [];
  if (urgent.length === 0 && regular.length === 0) return 0;

  const readers = await accountsWithPermission(ctx, 'tips.read');
  // Nobody to tell yet (the only reader deactivated, none invited): clearing the flags now would
  // mean the first reader added is never told of these tips.
  if (readers.length === 0) return 0;
  const settings = await ctx.settings.get();
  const link = `${ctx.config.baseUrl}/console/tips`;
  // One transaction: if a message cannot be queued, the flags are not cleared either, and the
  // tips stay pending for the next run.
  return ctx.db.transaction().execute(async (trx) => {
    let queued = 0;
    // Clearing the flags first means a second process running the same batch sends nothing.
    const urgentCount = await repo.markNotified(trx, urgent);
    const regularCount = await repo.markNotified(trx, regular);
    for (const reader of readers) {
      const base = { locale: reader.locale, officeName: settings.officeName, programName: settings.programName };
      if (urgentCount > 0) {
        await ctx.mailer.queue(trx, reader.email, newTipsEmail(ctx.catalogs, { ...base, urgent: true, count: urgentCount, link: `${link}?urgent=1` }), { urgent: true });
        queued++;
      }
      if (regularCount > 0) {
        await ctx.mailer.queue(trx, reader.email, newTipsEmail(ctx.catalogs, { ...base, urgent: false, count: regularCount, link }));
        queued++;
      }
    }
    if (regularCount > 0) await repo.setNotice(trx, 'digest', now.toISOString());
    return queued;
  });
}
