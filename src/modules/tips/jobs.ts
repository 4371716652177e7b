import { z } from 'zod';
import { defineJob } from '../../core/jobs/queue.ts';
import type { Context } from '../../core/context.ts';
import { sendPendingNotifications } from './notify.service.ts';
import { deleteExpiredTips } from './retention.service.ts';

export const NOTIFY_EVERY_MS = 60_000;
export const RETENTION_EVERY_MS = 3600_000;

/** The tip line's scheduled jobs; both are safe to run twice. */
export function tipJobs(ctx: Context) {
  // The notifier queues the urgent notice, so it waits behind nothing either.
  const notify = defineJob({
    name: 'tips.notify',
    lane: 'urgent',
    payload: z.object({}),
    attempts: 3,
    async perform() {
      await sendPendingNotifications(ctx);
    },
  });
  const retention = defineJob({
    name: 'tips.retention',
    payload: z.object({}),
    attempts: 3,
    async perform(_payload, { clock }) {
      await deleteExpiredTips(ctx);
      // The notifier runs every minute; its finished runs are kept a day, then cleared.
      await ctx.jobs.deleteFinished(notify.name, new Date(clock.now().getTime() - 24 * 3600_000));
    },
  });
  return { notify, retention };
}
