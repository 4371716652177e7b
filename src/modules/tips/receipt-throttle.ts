import { z } from 'zod';
import type { Context } from '../../core/context.ts';
import { hmac } from '../../core/crypto/server-secret.ts';
import { defineJob } from '../../core/jobs/queue.ts';
import { limitKeyOf } from '../../core/http/rate-limiter.ts';
import { accountsWithPermission } from '../accounts/index.ts';
import { receiptCeilingEmail } from './emails/receipt-ceiling.tsx';

/** Wrong codes allowed from one client address before each further try must wait. */
export const FREE_ATTEMPTS = 5;
/** How long one address's wrong codes are remembered, counted from the first. */
export const FAILURE_WINDOW_MS = 3600_000;
/** The longest one address ever waits between two tries. */
export const MAX_WAIT_MS = 30_000;
const HOUR_MS = 3600_000;

/**
 * The wait a wrong code starts: none for the first five, then 5 seconds more for each further
 * one, up to 30 seconds. Short enough that a tipster sharing an address with a guesser (all
 * onion users share the Tor daemon's) gets in within half a minute of the guesser pausing; long
 * enough that one address gets about 125 checks an hour.
 */
export function waitAfter(failures: number): number {
  if (failures <= FREE_ATTEMPTS) return 0;
  return Math.min(5_000 * (failures - FREE_ATTEMPTS), MAX_WAIT_MS);
}

/** `waitAfter` for the 1st, 2nd … wrong code, until the wait reaches its ceiling. */
const RECEIPT_SCHEDULE = (() => {
  const waits: number[] = [];
  for (let n = 1; waits.at(-1) !== MAX_WAIT_MS; n++) waits.push(waitAfter(n));
  return waits;
})();

export type ReceiptTry =
  | { allowed: true; waitSeconds: number; hour: string }
  | { allowed: false; waitSeconds: number; reason: 'client' | 'site' };

const hourOf = (ms: number) => new Date(ms - (ms % HOUR_MS)).toISOString();

const receiptCeilingPayload = z.object({ hour: z.string(), ceiling: z.number().int() });

/**
 * One e-mail to each administrator: the tip line stopped checking receipt codes for the rest of
 * an hour. It names no address and no code (none is kept); urgent, because tipsters are kept out
 * until it ends.
 */
export function receiptCeilingJob(ctx: Context) {
  return defineJob({
    name: 'tips.receipt_ceiling_alert',
    lane: 'urgent',
    payload: receiptCeilingPayload,
    attempts: 5,
    async perform({ hour, ceiling }) {
      const admins = await accountsWithPermission(ctx, 'accounts.manage');
      const settings = await ctx.settings.get();
      const minutes = Math.max(1, Math.ceil((new Date(hour).getTime() + HOUR_MS - ctx.clock.now().getTime()) / 60_000));
      const link = `${ctx.config.baseUrl}/console`;
      await ctx.db.transaction().execute(async (trx) => {
        for (const admin of admins) {
          const email = receiptCeilingEmail(ctx.catalogs, { locale: admin.locale, officeName: settings.officeName, programName: settings.programName, ceiling, minutes, resumesAt: new Date(new Date(hour).getTime() + HOUR_MS), timeZone: settings.timeZone, link });
          await ctx.mailer.queue(trx, admin.email, email, { urgent: true });
        }
      });
    },
  });
}

/**
 * Throttling of receipt codes, in the app's rate limiter (memory, or Redis for several
 * processes). Per client address, wrong codes past the free ones make the next try wait a few
 * seconds (never an hour: the address may be shared by honest tipsters). Over the whole site,
 * wrong codes per UTC hour are capped (`TIP_RECEIPT_WRONG_CODES_PER_HOUR`); at the cap no code
 * is checked until the hour ends and the administrators are told once.
 *
 * Keys are HMACs with the server secret: neither an address nor anything that could be turned
 * back into one is stored or logged. A try is counted, per address and site-wide, before its
 * code is checked and atomically, so codes sent all at once are counted one by one; a try that
 * turns out not to be a guess (the right code, or no code at all) is taken back from both.
 */
export class ReceiptThrottle {
  readonly #ctx: Context;
  /** Register it with the job queue where the throttle is used. */
  readonly alertJob: ReturnType<typeof receiptCeilingJob>;
  constructor(ctx: Context) {
    this.#ctx = ctx;
    this.alertJob = receiptCeilingJob(ctx);
  }

  #key(clientAddress: string) {
    return `tips:receipt-fail:${hmac(this.#ctx.secret, 'tips.receipt', limitKeyOf(clientAddress))}`;
  }

  // Keyed by the hour, so the window is the clock's hour on every process; hashed with the
  // secret, so apps sharing a Redis server keep separate counts.
  #siteKey(hour: string) {
    return `tips:receipt-site:${hmac(this.#ctx.secret, 'tips.receipt-site', hour)}`;
  }

  /**
   * Counts a try. Refused while this client waits, or while the site is at its ceiling
   * (`waitSeconds` left); allowed otherwise, with the wait a wrong code would now start.
   */
  async attempt(clientAddress: string): Promise<ReceiptTry> {
    const limiter = this.#ctx.rateLimiter;
    const now = this.#ctx.clock.now().getTime();
    const client = await limiter.attempt(this.#key(clientAddress), RECEIPT_SCHEDULE, FAILURE_WINDOW_MS);
    if (!client.allowed) return { allowed: false, waitSeconds: client.retryAfterSeconds, reason: 'client' };
    const hour = hourOf(now);
    const ceiling = this.#ctx.config.receiptWrongCodesPerHour;
    // The window outlives the hour so a slow clock on another process still finds the count.
    const site = await limiter.consume(this.#siteKey(hour), ceiling, 2 * HOUR_MS);
    if (!site.allowed) {
      await limiter.release(this.#key(clientAddress), client.retryAfterSeconds > 0);
      await this.#alertOnce(hour, ceiling);
      return { allowed: false, waitSeconds: Math.max(1, Math.ceil((new Date(hour).getTime() + HOUR_MS - now) / 1000)), reason: 'site' };
    }
    return { allowed: true, waitSeconds: client.retryAfterSeconds, hour };
  }

  /** Takes back a try that was no guess, with the wait it started. */
  async notAGuess(clientAddress: string, counted: ReceiptTry & { allowed: true }): Promise<void> {
    await this.#ctx.rateLimiter.release(this.#key(clientAddress), counted.waitSeconds > 0);
    await this.#ctx.rateLimiter.refund(this.#siteKey(counted.hour));
  }

  // The limiter lets one refusal an hour through to the database (so a flood of refusals writes
  // nothing), and the job's unique key keeps it to one alert even across processes that each
  // keep their own memory limiter.
  async #alertOnce(hour: string, ceiling: number) {
    const first = await this.#ctx.rateLimiter.consume(`${this.#siteKey(hour)}:alerted`, 1, 2 * HOUR_MS);
    if (!first.allowed) return;
    try {
      await this.#ctx.jobs.enqueue(this.#ctx.db, this.alertJob, { hour, ceiling }, { uniqueKey: `${this.alertJob.name}@${hour}` });
    } catch (error) {
      // Not queued: the next refusal tries again.
      await this.#ctx.rateLimiter.reset(`${this.#siteKey(hour)}:alerted`);
      throw error;
    }
  }
}
