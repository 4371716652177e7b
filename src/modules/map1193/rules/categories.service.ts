import type { Context } from '../../../core/context.ts';
import { DomainError } from '../../../core/errors.ts';
import { type CategoryInfo, categoryFromRow } from './categories.ts';
import * as repo from './repo.ts';
import { businessesChanged } from '../businesses/snapshot.ts';

/** Every stored kind of establishment, in list order. */
export async function listCategories(ctx: Pick<Context, 'db'>): Promise<CategoryInfo[]> {
  return (await repo.allCategories(ctx.db)).map(categoryFromRow);
}

/** The code is taken: by a stored category, or by rules for one. */
export class CategoryExistsError extends DomainError {
  declare readonly messageKey: string;
  constructor(code: string) {
    super('invalid_form', { message: `a category with the code ${code} already exists`, messageKey: 'map.rules.errors.codeTaken', params: { code } });
  }
}

export type NewCategory = {
  code: string;
  names: Record<string, string>;
  descriptions: Record<string, string>;
  bill: string;
  /** The day (YYYY-MM-DD) the law starts covering it. */
  effectiveFrom: string;
};

/**
 * A kind of establishment the legislature added: stored with its names, and covered from the
 * bill's effective date by a first category rule (no exception; the amend form can add one).
 * One transaction with its audit row; the public list shows it at once.
 */
export async function addCategory(ctx: Context, input: NewCategory): Promise<CategoryInfo> {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(input.effectiveFrom)) throw new Error('effectiveFrom must be a YYYY-MM-DD day');
  const now = ctx.clock.now().toISOString();
  const added = await ctx.db.transaction().execute(async (trx) => {
    if (await repo.latestRule(trx, 'category', input.code)) throw new CategoryExistsError(input.code);
    const row = {
      code: input.code,
      names: JSON.stringify(input.names),
      descriptions: JSON.stringify(input.descriptions),
      position: (await repo.lastCategoryPosition(trx)) + 10,
      createdAt: now,
      createdBy: ctx.actor.id,
    };
    if (!(await repo.insertCategory(trx, row))) throw new CategoryExistsError(input.code);
    const ruleId = `category:${input.code}:${input.effectiveFrom}`;
    await repo.insertRule(trx, {
      id: ruleId,
      kind: 'category',
      subject: input.code,
      effectiveFrom: input.effectiveFrom,
      effectiveTo: null,
      value: JSON.stringify({ exception: null }),
      bill: input.bill,
      createdAt: now,
      createdBy: ctx.actor.id,
    });
    await ctx.audit(trx, { action: 'map1193.category_add', targetType: 'map1193.category', targetId: input.code, detail: { bill: input.bill, effectiveFrom: input.effectiveFrom, rule: ruleId } });
    return categoryFromRow(row);
  });
  // The list page's category filter is cached under the businesses' version, which a trigger
  // on map_categories raised: this process reads it again at once, others within seconds.
  businessesChanged(ctx.db);
  return added;
}
