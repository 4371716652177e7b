import { z } from 'zod';
import type { Context } from '../../../core/context.ts';
import { defineJob } from '../../../core/jobs/queue.ts';
import { processSignup, purgePending, type SignupJob } from './service.ts';

/** Reads one subscribe post from the inbox; its transaction takes the post out, so a second run does nothing. */
export function signupJob(ctx: Context): SignupJob {
  return defineJob({
    name: 'mailing.signup',
    payload: z.object({ signupId: z.string() }),
    attempts: 8,
    perform: ({ signupId }) => processSignup(ctx, signupId),
  });
}

/** Daily: pending subscriptions untouched for 30 days go, with requests whose links expired. */
export function purgePendingJob(ctx: Context) {
  return defineJob({
    name: 'mailing.purge_pending',
    payload: z.object({}),
    attempts: 3,
    async perform() {
      await purgePending(ctx);
    },
  });
}

export const PURGE_EVERY_MS = 24 * 3600_000;
