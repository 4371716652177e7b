import type { Db } from '../../../database.ts';
import type { ActionDayRow, ActionStopRow, ActionTeamRow, BusinessRow, ReportRow } from '../tables.ts';

export type AreaBusiness = Pick<BusinessRow, 'id' | 'city' | 'address'>;

/** Active businesses in any of the cities or among the ids, in route order (city, then address). */
export async function areaBusinesses(db: Db, cities: readonly string[], ids: readonly string[], limit: number): Promise<AreaBusiness[]> {
  if (cities.length === 0 && ids.length === 0) return [];
  return db
    .selectFrom('mapBusinesses')
    .select(['id', 'city', 'address'])
    .where('active', '=', 1)
    .where((eb) => eb.or([...(cities.length ? [eb('city', 'in', cities)] : []), ...(ids.length ? [eb('id', 'in', ids)] : [])]))
    .orderBy('city')
    .orderBy('address')
    .orderBy('id')
    .limit(limit)
    .execute();
}

export async function insertDay(db: Db, day: ActionDayRow, teams: ActionTeamRow[], members: { teamId: string; accountId: string }[], stops: ActionStopRow[]): Promise<void> {
  await db.insertInto('mapActionDays').values(day).execute();
  if (teams.length) await db.insertInto('mapActionTeams').values(teams).execute();
  if (members.length) await db.insertInto('mapActionMembers').values(members).execute();
  for (let i = 0; i < stops.length; i += 500) await db.insertInto('mapActionStops').values(stops.slice(i, i + 500)).execute();
}

export async function listDays(db: Db, limit: number): Promise<ActionDayRow[]> {
  return db.selectFrom('mapActionDays').selectAll().orderBy('day', 'desc').orderBy('createdAt', 'desc').limit(limit).execute();
}

export async function findDay(db: Db, id: string): Promise<ActionDayRow | undefined> {
  return db.selectFrom('mapActionDays').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function teamsOf(db: Db, dayId: string): Promise<ActionTeamRow[]> {
  return db.selectFrom('mapActionTeams').selectAll().where('actionDayId', '=', dayId).orderBy('name').execute();
}

export type StopView = { id: string; actionDayId: string; teamId: string; position: number; businessId: string; name: string; address: string; city: string };

const stopColumns = ['s.id', 's.actionDayId', 's.teamId', 's.position', 's.businessId', 'b.name', 'b.address', 'b.city'] as const;

export async function stopsOfDay(db: Db, dayId: string): Promise<StopView[]> {
  return db.selectFrom('mapActionStops as s').innerJoin('mapBusinesses as b', 'b.id', 's.businessId').select(stopColumns).where('s.actionDayId', '=', dayId).orderBy('s.position').execute();
}

/** The days (from `fromDay` on) an account is on a team for, with that team. */
export async function routesOf(db: Db, accountId: string, fromDay: string) {
  return db
    .selectFrom('mapActionMembers as m')
    .innerJoin('mapActionTeams as t', 't.id', 'm.teamId')
    .innerJoin('mapActionDays as d', 'd.id', 't.actionDayId')
    .select(['d.id as dayId', 'd.day', 'd.title', 't.id as teamId', 't.name as teamName'])
    .where('m.accountId', '=', accountId)
    .where('d.day', '>=', fromDay)
    .orderBy('d.day')
    .execute();
}

export async function stopsOfTeams(db: Db, teamIds: readonly string[]): Promise<StopView[]> {
  if (teamIds.length === 0) return [];
  return db.selectFrom('mapActionStops as s').innerJoin('mapBusinesses as b', 'b.id', 's.businessId').select(stopColumns).where('s.teamId', 'in', teamIds).orderBy('s.position').execute();
}

/** A stop, if the account is on the team that has it. */
export async function stopForMember(db: Db, stopId: string, accountId: string): Promise<(StopView & { day: string; title: string }) | undefined> {
  return db
    .selectFrom('mapActionStops as s')
    .innerJoin('mapBusinesses as b', 'b.id', 's.businessId')
    .innerJoin('mapActionMembers as m', 'm.teamId', 's.teamId')
    .innerJoin('mapActionDays as d', 'd.id', 's.actionDayId')
    .select([...stopColumns, 'd.day', 'd.title'])
    .where('s.id', '=', stopId)
    .where('m.accountId', '=', accountId)
    .executeTakeFirst();
}

export type DayReport = Pick<ReportRow, 'businessId' | 'judgement' | 'observedAt'>;

export async function reportsOfDay(db: Db, dayId: string): Promise<DayReport[]> {
  return db.selectFrom('mapReports').select(['businessId', 'judgement', 'observedAt']).where('actionDayId', '=', dayId).orderBy('observedAt').execute();
}
