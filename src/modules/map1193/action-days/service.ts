import type { Context } from '../../../core/context.ts';
import { newId } from '../../../core/crypto/server-secret.ts';
import type { FormErrors } from '../../../core/http/forms.ts';
import { accountsWithPermission } from '../../accounts/index.ts';
import * as actions from './repo.ts';
import { lawDay } from '../rules/rules.ts';
import type { ActionDayForm, ReportForm } from '../schema.ts';
import { submitReport } from '../businesses/service.ts';
import { byRoute } from './route-order.ts';

export const MAX_STOPS = 2000;
/** How far back a queued offline report may say it was made; anything older is taken as made on arrival. */
export const MAX_QUEUE_AGE_MS = 30 * 86_400_000;

/** A client's time for a queued report, kept only when it is plausible (not ahead of us, not too old). */
export function plausibleObservedAt(sent: string | undefined, now: Date): Date | undefined {
  if (!sent) return undefined;
  const at = new Date(sent);
  return at.getTime() <= now.getTime() + 5 * 60_000 && at.getTime() >= now.getTime() - MAX_QUEUE_AGE_MS ? at : undefined;
}

/**
 * Creates a day of action: teams with their volunteers (found by e-mail among the accounts that
 * may report), and the area's businesses split into contiguous runs by city and address, one
 * run per team. One transaction, audited. Errors name the field at fault.
 */
export async function createActionDay(ctx: Context, form: ActionDayForm): Promise<{ ok: true; id: string } | { ok: false; errors: FormErrors }> {
  const volunteers = await accountsWithPermission(ctx, 'map.report');
  const byEmail = new Map(volunteers.map((v) => [v.email.toLowerCase(), v.id]));
  const unknown = form.teams.flatMap((t) => t.emails).filter((e) => !byEmail.has(e));
  if (unknown.length) return { ok: false, errors: { teams: { key: 'map.actions.errors.unknownVolunteer', params: { emails: unknown.join(', ') } } } };
  // Sorted here, not in SQL: a street is walked by house number, which text order does not give.
  const area = (await actions.areaBusinesses(ctx.db, form.cities, form.businessIds, MAX_STOPS + 1)).sort(byRoute);
  if (area.length === 0) return { ok: false, errors: { cities: { key: 'map.actions.errors.emptyArea' } } };
  if (area.length > MAX_STOPS) return { ok: false, errors: { cities: { key: 'map.actions.errors.tooLarge', params: { max: MAX_STOPS } } } };
  const id = newId();
  const now = ctx.clock.now().toISOString();
  const teams = form.teams.map((t) => ({ id: newId(), actionDayId: id, name: t.name }));
  const members = [...new Map(form.teams.flatMap((t, i) => t.emails.map((e) => [`${teams[i]!.id}:${e}`, { teamId: teams[i]!.id, accountId: byEmail.get(e)! }]))).values()];
  const per = Math.ceil(area.length / teams.length);
  const stops = area.map((b, i) => ({ id: newId(), actionDayId: id, teamId: teams[Math.floor(i / per)]!.id, businessId: b.id, position: i }));
  await ctx.db.transaction().execute(async (trx) => {
    await actions.insertDay(trx, { id, day: form.day, title: form.title, createdBy: ctx.actor.id, createdAt: now }, teams, members, stops);
    await ctx.audit(trx, { action: 'map1193.action_day.create', targetType: 'map1193.action_day', targetId: id, detail: { day: form.day, teams: teams.length, stops: stops.length } });
  });
  return { ok: true, id };
}

/** The latest days of action, for the coordinator's list. */
export const listActionDays = (ctx: Pick<Context, 'db'>) => actions.listDays(ctx.db, 100);

/** `couldNotCheck`: visited, but the newest report neither found the notice nor found it missing. */
export type Tally = { stops: number; visited: number; compliant: number; missing: number; couldNotCheck: number };
const emptyTally = (): Tally => ({ stops: 0, visited: 0, compliant: 0, missing: 0, couldNotCheck: 0 });

/** Progress of a day: visited / compliant / missing / could not check per team and per city, by the day's newest report on each stop. */
export async function actionDayProgress(ctx: Pick<Context, 'db' | 'clock' | 'settings'>, id: string) {
  const day = await actions.findDay(ctx.db, id);
  if (!day) return undefined;
  const [teams, stops, reports] = await Promise.all([actions.teamsOf(ctx.db, id), actions.stopsOfDay(ctx.db, id), actions.reportsOfDay(ctx.db, id)]);
  const latest = new Map(reports.map((r) => [r.businessId, r.judgement]));
  const byTeam = new Map(teams.map((t) => [t.id, emptyTally()]));
  const byCity = new Map<string, Tally>();
  const total = emptyTally();
  for (const stop of stops) {
    const city = byCity.get(stop.city) ?? byCity.set(stop.city, emptyTally()).get(stop.city)!;
    for (const tally of [byTeam.get(stop.teamId)!, city, total]) {
      tally.stops++;
      const judgement = latest.get(stop.businessId);
      if (judgement) tally.visited++;
      if (judgement === 'compliant') tally.compliant++;
      if (judgement === 'non_compliant') tally.missing++;
      if (judgement && judgement !== 'compliant' && judgement !== 'non_compliant') tally.couldNotCheck++;
    }
  }
  return {
    day,
    /** Whether the day is over in the office's time zone: its figures are then final. */
    over: lawDay(ctx.clock.now(), (await ctx.settings.get()).timeZone) > day.day,
    total,
    teams: teams.map((t) => ({ name: t.name, ...byTeam.get(t.id)! })),
    cities: [...byCity.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([city, tally]) => ({ city, ...tally })),
  };
}

/** A volunteer's routes from today on: each day, their team, its stops, and which were reported. */
export async function myRoute(ctx: Pick<Context, 'db' | 'clock' | 'settings'>, accountId: string) {
  const routes = await actions.routesOf(ctx.db, accountId, lawDay(ctx.clock.now(), (await ctx.settings.get()).timeZone));
  const stops = await actions.stopsOfTeams(ctx.db, routes.map((r) => r.teamId));
  const reported = new Set<string>();
  for (const dayId of new Set(routes.map((r) => r.dayId))) for (const r of await actions.reportsOfDay(ctx.db, dayId)) reported.add(`${dayId}:${r.businessId}`);
  return routes.map((r) => ({ ...r, stops: stops.filter((s) => s.teamId === r.teamId).map((s) => ({ ...s, reported: reported.has(`${r.dayId}:${s.businessId}`) })) }));
}

/** A stop on the account's own route, or undefined (another team's stop looks like a missing one). */
export const routeStop = (ctx: Pick<Context, 'db'>, stopId: string, accountId: string) => actions.stopForMember(ctx.db, stopId, accountId);

/** A signed-in volunteer's report from a stop: channel volunteer, with the reporter and the day. Idempotent by report id. */
export async function reportFromRoute(ctx: Pick<Context, 'db' | 'dialect' | 'clock' | 'settings'>, accountId: string, stopId: string, form: ReportForm & { observedAt?: Date }) {
  const stop = await actions.stopForMember(ctx.db, stopId, accountId);
  if (!stop) return undefined;
  return submitReport(ctx, {
    id: form.reportId,
    businessId: stop.businessId,
    observed: form.observed,
    problems: form.problems,
    note: form.note,
    channel: 'volunteer',
    reporterId: accountId,
    actionDayId: stop.actionDayId,
    observedAt: form.observedAt,
  });
}
