import type { Context } from '../../../core/context.ts';
import { accountsWithPermission } from '../../accounts/index.ts';
import { instantFromZone, wallClockInZone } from '../../../core/i18n/time.ts';
import { lawDay } from '../rules/rules.ts';
import { cureAlertEmail, missingDigestEmail } from '../emails/alerts.tsx';
import * as repo from './repo.ts';

const DAY = 86_400_000;
/** The first alert comes this many days before the cure period's last day. */
export const CURE_WARNING_DAYS = 3;
/** An end-of-cure alert missed (the server was down) is still sent for this many days, and no later. */
const LATE_DAYS = 3;

export type CureMilestone = 'cure_soon' | 'cure_ends';

/** Whole calendar days from `from` to `to`, both YYYY-MM-DD. */
const daysBetween = (from: string, to: string) => Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / DAY);

/**
 * Which milestone of a cure period is due today, counted in the law's (the office's) days:
 * from three days before its last day, and on that day (or a few days late, if no run sent it).
 */
export function cureMilestone(today: string, dueDay: string): CureMilestone | undefined {
  const left = daysBetween(today, dueDay);
  if (left <= 0 && left > -LATE_DAYS) return 'cure_ends';
  if (left > 0 && left <= CURE_WARNING_DAYS) return 'cure_soon';
  return undefined;
}

/**
 * E-mails the case's inspector (the one who sent the notice) three days before a cure period
 * ends and on the day it ends; every inspector when that person no longer inspects. Each case's
 * milestone is sent once: its marker row is written with the messages. Returns how many e-mails.
 */
export async function sendCureAlerts(ctx: Context): Promise<number> {
  const now = ctx.clock.now();
  const settings = await ctx.settings.get();
  const today = lawDay(now, settings.timeZone);
  // A day of margin on each side: the office's days are not UTC's.
  const cases = await repo.casesInCure(ctx.db, new Date(now.getTime() - (LATE_DAYS + 1) * DAY).toISOString(), new Date(now.getTime() + (CURE_WARNING_DAYS + 2) * DAY).toISOString());
  const due = cases.flatMap((c) => {
    const dueDay = lawDay(new Date(c.cureDueAt), settings.timeZone);
    const milestone = cureMilestone(today, dueDay);
    return milestone ? [{ ...c, dueDay, milestone }] : [];
  });
  if (due.length === 0) return 0;
  const inspectors = await accountsWithPermission(ctx, 'map.inspect');
  if (inspectors.length === 0) return 0;
  let queued = 0;
  for (const c of due) {
    const assigned = inspectors.filter((i) => i.id === c.inspectorId);
    const to = assigned.length > 0 ? assigned : inspectors;
    queued += await ctx.db.transaction().execute(async (trx) => {
      if (!(await repo.markSent(trx, `${c.milestone}:${c.caseId}:${c.dueDay}`, now.toISOString()))) return 0;
      for (const inspector of to) {
        const email = cureAlertEmail(ctx.catalogs, {
          locale: inspector.locale,
          officeName: settings.officeName,
          milestone: c.milestone,
          business: c.name,
          address: `${c.address}, ${c.city}`,
          dueDay: c.dueDay,
          link: `${ctx.config.baseUrl}/console/map1193/inspections/${c.businessId}`,
        });
        await ctx.mailer.queue(trx, inspector.email, email);
      }
      return to.length;
    });
  }
  return queued;
}

/** The digest goes out on Monday from this hour, office time, covering the seven days before. */
export const DIGEST_HOUR = 8;

/** The instant an office day starts (midnight in the office's zone, exact across daylight-saving changes). */
export function officeMidnight(day: string, timeZone: string): Date {
  return instantFromZone(`${day}T00:00`, timeZone)!;
}

const addDays = (day: string, n: number) => new Date(Date.parse(`${day}T00:00:00Z`) + n * DAY).toISOString().slice(0, 10);

/**
 * On Monday from 8 a.m. office time, e-mails each inspector who asked for it the new "missing"
 * reports of the seven days before that Monday, per city: once a week per inspector (a marker
 * row per week and account). No reports, no e-mail. Returns how many e-mails.
 */
export async function sendMissingDigests(ctx: Context): Promise<number> {
  const now = ctx.clock.now();
  const settings = await ctx.settings.get();
  const { weekday, hour } = wallClockInZone(now, settings.timeZone);
  if (weekday !== 1 || hour < DIGEST_HOUR) return 0;
  const monday = lawDay(now, settings.timeZone);
  const weekStart = addDays(monday, -7);
  const subscribers = await repo.subscriberIds(ctx.db);
  if (subscribers.size === 0) return 0;
  const readers = (await accountsWithPermission(ctx, 'map.inspect')).filter((a) => subscribers.has(a.id));
  if (readers.length === 0) return 0;
  const cities = await repo.missingByCity(ctx.db, officeMidnight(weekStart, settings.timeZone).toISOString(), officeMidnight(monday, settings.timeZone).toISOString());
  if (cities.length === 0) return 0;
  let queued = 0;
  for (const reader of readers) {
    queued += await ctx.db.transaction().execute(async (trx) => {
      if (!(await repo.markSent(trx, `missing_digest:${reader.id}:${monday}`, now.toISOString()))) return 0;
      const email = missingDigestEmail(ctx.catalogs, {
        locale: reader.locale,
        officeName: settings.officeName,
        from: weekStart,
        to: addDays(monday, -1),
        cities,
        link: `${ctx.config.baseUrl}/console/map1193/inspections`,
      });
      await ctx.mailer.queue(trx, reader.email, email);
      return 1;
    });
  }
  return queued;
}

export async function digestWanted(ctx: Context, accountId: string): Promise<boolean> {
  return repo.isSubscribed(ctx.db, accountId);
}

export async function setDigestWanted(ctx: Context, accountId: string, wanted: boolean): Promise<void> {
  await repo.setSubscribed(ctx.db, accountId, wanted, ctx.clock.now().toISOString());
}
