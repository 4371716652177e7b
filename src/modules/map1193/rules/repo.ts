import type { Db } from '../../../database.ts';
import type { CategoryRow, RuleRow } from '../tables.ts';

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

export async function allCategories(db: Db): Promise<CategoryRow[]> {
  return db.selectFrom('mapCategories').selectAll().orderBy('position').orderBy('code').execute();
}

/** False when a category with this code already exists. */
export async function insertCategory(db: Db, row: CategoryRow): Promise<boolean> {
  const result = await db.insertInto('mapCategories').values(row).onConflict((oc) => oc.column('code').doNothing()).executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows ?? 0) > 0;
}

export async function lastCategoryPosition(db: Db): Promise<number> {
  const row = await db.selectFrom('mapCategories').select((eb) => eb.fn.max('position').as('p')).executeTakeFirst();
  return Number(row?.p ?? 0);
}
