import type { Db } from '../../../database.ts';
import type { RuleRow } from '../tables.ts';

export async function allRules(db: Db): Promise<RuleRow[]> {
  return db.selectFrom('mapRules').selectAll().orderBy('kind').orderBy('subject').orderBy('effectiveFrom').execute();
}

export async function findCurrentRule(db: Db, kind: RuleRow['kind'], subject: string): Promise<RuleRow | undefined> {
  return db.selectFrom('mapRules').selectAll().where('kind', '=', kind).where('subject', '=', subject).where('effectiveTo', 'is', null).executeTakeFirst();
}

export async function latestRule(db: Db, kind: RuleRow['kind'], subject: string): Promise<RuleRow | undefined> {
  return db.selectFrom('mapRules').selectAll().where('kind', '=', kind).where('subject', '=', subject).orderBy('effectiveFrom', 'desc').executeTakeFirst();
}

export async function closeRule(db: Db, id: string, effectiveTo: string): Promise<void> {
  await db.updateTable('mapRules').set({ effectiveTo }).where('id', '=', id).execute();
}

export async function insertRule(db: Db, row: RuleRow): Promise<void> {
  await db.insertInto('mapRules').values(row).execute();
}
