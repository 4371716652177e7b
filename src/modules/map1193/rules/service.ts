import type { Context } from '../../../core/context.ts';
import { DomainError } from '../../../core/errors.ts';
import type { RuleRow } from '../tables.ts';
import * as repo from './repo.ts';
import { lawDay, ruleSetFrom, type RuleSet, ruleValueSchemas } from './rules.ts';

/** The rules of § 52.6 in force on a day (YYYY-MM-DD) or at an instant (its day in the office's zone, see lawDay). */
export async function rulesOn(ctx: Pick<Context, 'db'>, when: string): Promise<RuleSet>;
/** An instant is read as the law's day in the office's zone, hence the settings. */
export async function rulesOn(ctx: Pick<Context, 'db' | 'settings'>, when: Date | string): Promise<RuleSet>;
export async function rulesOn(ctx: Pick<Context, 'db'> & Partial<Pick<Context, 'settings'>>, when: Date | string): Promise<RuleSet> {
  const day = typeof when === 'string' ? when : lawDay(when, (await ctx.settings!.get()).timeZone);
  return ruleSetFrom(await repo.allRules(ctx.db), day);
}

export type RuleAmendment = { kind: RuleRow['kind']; subject: string; effectiveFrom: string; value: unknown; bill: string };

/** Every stored version of every rule, for the administrators' overview. */
export const allRuleVersions = (ctx: Pick<Context, 'db'>) => repo.allRules(ctx.db);

/** The newest version of one rule (in force, ended, or not yet started), or undefined. */
export const latestRule = (ctx: Pick<Context, 'db'>, kind: RuleRow['kind'], subject: string) => repo.latestRule(ctx.db, kind, subject);

/** A new version (or an end) must start after the version in force begins: the past is not rewritten. */
export class RuleOrderError extends DomainError {
  declare readonly messageKey: string;
  readonly currentFrom: string;
  /** Set when the newest version has ended: a new one may start on that day at the earliest. */
  readonly endedOn: string | undefined;
  constructor(currentFrom: string, endedOn?: string) {
    super('invalid_form', {
      message: endedOn ? `a new version must start on or after ${endedOn}, when the latest one ended` : `a new version must start after the current one (${currentFrom})`,
      messageKey: endedOn ? 'map.rules.errors.afterEnd' : 'map.rules.errors.order',
      params: { day: endedOn ?? currentFrom },
    });
    this.currentFrom = currentFrom;
    this.endedOn = endedOn;
  }
}

/**
 * An administrator's change to the law as data: the version in force is closed the day the new
 * one starts, so reports made before it are still judged by the old one. Audited.
 */
export async function amendRule(ctx: Context, amendment: RuleAmendment): Promise<RuleRow> {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(amendment.effectiveFrom)) throw new Error('effectiveFrom must be a YYYY-MM-DD day');
  const value = ruleValueSchemas[amendment.kind].parse(amendment.value);
  return ctx.db.transaction().execute(async (trx) => {
    // Against the newest version whether open or ended: versions follow one another, never overlap.
    const latest = await repo.latestRule(trx, amendment.kind, amendment.subject);
    if (latest && amendment.effectiveFrom <= latest.effectiveFrom) throw new RuleOrderError(latest.effectiveFrom);
    if (latest?.effectiveTo && amendment.effectiveFrom < latest.effectiveTo) throw new RuleOrderError(latest.effectiveFrom, latest.effectiveTo);
    if (latest && latest.effectiveTo === null) await repo.closeRule(trx, latest.id, amendment.effectiveFrom);
    const row: RuleRow = {
      id: `${amendment.kind}:${amendment.subject}:${amendment.effectiveFrom}`,
      kind: amendment.kind,
      subject: amendment.subject,
      effectiveFrom: amendment.effectiveFrom,
      effectiveTo: null,
      value: JSON.stringify(value),
      bill: amendment.bill,
      createdAt: ctx.clock.now().toISOString(),
      createdBy: ctx.actor.id,
    };
    await repo.insertRule(trx, row);
    await ctx.audit(trx, { action: 'map1193.rule_amend', targetType: 'map1193.rule', targetId: row.id, detail: { bill: row.bill } });
    return row;
  });
}

/**
 * Ends the newest version on `effectiveTo` without a successor: a category the law stops
 * naming. Reports from before that day are still judged by it. A planned end (still in the
 * future) can be moved; an end already reached cannot be undone here, that would rewrite the
 * past. Undefined when no version is open or planned to end.
 */
export async function endRule(ctx: Context, end: { kind: RuleRow['kind']; subject: string; effectiveTo: string; bill: string }): Promise<RuleRow | undefined> {
  const today = lawDay(ctx.clock.now(), (await ctx.settings.get()).timeZone);
  return ctx.db.transaction().execute(async (trx) => {
    const latest = await repo.latestRule(trx, end.kind, end.subject);
    if (!latest || (latest.effectiveTo !== null && latest.effectiveTo <= today)) return undefined;
    if (end.effectiveTo <= latest.effectiveFrom) throw new RuleOrderError(latest.effectiveFrom);
    await repo.closeRule(trx, latest.id, end.effectiveTo);
    await ctx.audit(trx, { action: 'map1193.rule_end', targetType: 'map1193.rule', targetId: latest.id, detail: { bill: end.bill, effectiveTo: end.effectiveTo, earlierEnd: latest.effectiveTo } });
    return { ...latest, effectiveTo: end.effectiveTo };
  });
}
