import { z } from 'zod';
import { dayInZone } from '../../../core/i18n/time.ts';
import { isDataQuality, type Judgement, type Observation, type Problem, type RuleRow } from '../tables.ts';

/** A category code (see categories.ts): the kinds are data in map_categories, which apply on a day is in the rules table. */
export type Category = string;

/**
 * The calendar day (YYYY-MM-DD) an instant falls on for the law: a California statute's days
 * (cure periods, the day a rule applies, a visit's date on a notice) start and end in
 * California. They are counted in the office's time zone (a setting, default
 * America/Los_Angeles) rather than a second constant: an office enforcing Civil Code 52.6 is
 * in California, so the two are the same zone, and one source keeps the date on a notice, the
 * page that shows it and the alert about it from ever disagreeing.
 */
export function lawDay(at: Date, timeZone: string): string {
  return dayInZone(at, timeZone);
}

export const categoryValueSchema = z.object({
  /** A question whose "yes" takes a business of this kind outside the law. */
  exception: z.enum(['on_sale_general', 'certified_practitioners']).nullable(),
});

export const noticeValueSchema = z.object({
  minWidthIn: z.number().positive(),
  minHeightIn: z.number().positive(),
  minFontPt: z.number().positive(),
  /** Language names; `county` stands for the office's third language (settings.noticeThirdLanguage). */
  languages: z.array(z.string().min(1)).min(1),
  nationalHotline: z.string().min(1),
  /** Null while the law did not require the text line. */
  textLine: z.string().min(1).nullable(),
  castHotline: z.string().min(1),
});

export const penaltyValueSchema = z.object({
  firstOffenceUsd: z.number().int().nonnegative(),
  laterOffenceUsd: z.number().int().nonnegative(),
  cureDays: z.number().int().positive(),
});

export const ruleValueSchemas = { category: categoryValueSchema, notice: noticeValueSchema, penalty: penaltyValueSchema } as const;

export type CategoryRule = { code: Category; since: string; bill: string } & z.infer<typeof categoryValueSchema>;
export type NoticeRule = { since: string; bill: string } & z.infer<typeof noticeValueSchema>;
export type PenaltyRule = { since: string; bill: string } & z.infer<typeof penaltyValueSchema>;

/** Everything § 52.6 asked of a business on one day. */
export type RuleSet = {
  day: string;
  categories: ReadonlyMap<Category, CategoryRule>;
  notice: NoticeRule | undefined;
  penalty: PenaltyRule | undefined;
};

const inForce = (row: Pick<RuleRow, 'effectiveFrom' | 'effectiveTo'>, day: string) =>
  row.effectiveFrom <= day && (row.effectiveTo === null || day < row.effectiveTo);

/** Picks the versions in force on `day` (YYYY-MM-DD) out of every stored version. */
export function ruleSetFrom(rows: readonly RuleRow[], day: string): RuleSet {
  const categories = new Map<Category, CategoryRule>();
  let notice: NoticeRule | undefined;
  let penalty: PenaltyRule | undefined;
  for (const row of rows) {
    if (!inForce(row, day)) continue;
    const value: unknown = JSON.parse(row.value);
    if (row.kind === 'category') {
      categories.set(row.subject, { code: row.subject, since: row.effectiveFrom, bill: row.bill, ...categoryValueSchema.parse(value) });
    } else if (row.kind === 'notice') {
      notice = { since: row.effectiveFrom, bill: row.bill, ...noticeValueSchema.parse(value) };
    } else if (row.kind === 'penalty') {
      penalty = { since: row.effectiveFrom, bill: row.bill, ...penaltyValueSchema.parse(value) };
    }
  }
  return { day, categories, notice, penalty };
}

/** Why a report was judged as it was, as codes the views translate. */
export type Reason = 'category_not_covered' | 'notice_missing' | 'not_checked' | Problem;

/** The language each "missing language" problem names, as the notice rule lists languages. */
const PROBLEM_LANGUAGE: Partial<Record<Problem, string>> = { missing_english: 'English', missing_spanish: 'Spanish', missing_county: 'county' };

/**
 * Judges one observation by the rules of its day: a business the law did not yet cover
 * cannot be out of compliance, a notice without the text line was lawful before 2019, and a
 * language the rule did not require cannot be missing. A report that could not check the
 * notice is no judgement of it at all.
 */
export function judgeObservation(
  rules: RuleSet,
  category: string,
  observed: Observation,
  problems: readonly Problem[],
): { judgement: Judgement; reasons: Reason[] } {
  if (isDataQuality(observed)) return { judgement: 'unchecked', reasons: ['not_checked'] };
  if (!rules.categories.has(category) || !rules.notice) {
    return { judgement: 'not_covered', reasons: ['category_not_covered'] };
  }
  if (observed === 'missing') return { judgement: 'non_compliant', reasons: ['notice_missing'] };
  if (observed === 'posted') return { judgement: 'compliant', reasons: [] };
  const notice = rules.notice;
  const reasons = problems.filter((p) => {
    if (p === 'no_text_line') return notice.textLine !== null;
    const language = PROBLEM_LANGUAGE[p];
    return language === undefined || notice.languages.includes(language);
  });
  return reasons.length ? { judgement: 'non_compliant', reasons } : { judgement: 'compliant', reasons: [] };
}

/**
 * The "does the law cover my business" answer. `exceptionApplies` is the owner's "yes" to the
 * category's exception question (a license type, certified practitioners), when it has one.
 */
export function coverage(
  rules: RuleSet,
  category: Category,
  exceptionApplies: boolean,
): { covered: true; rule: CategoryRule } | { covered: false; reason: 'not_yet' | 'exception'; rule: CategoryRule | undefined } {
  const rule = rules.categories.get(category);
  if (!rule) return { covered: false, reason: 'not_yet', rule: undefined };
  if (rule.exception && exceptionApplies) return { covered: false, reason: 'exception', rule };
  return { covered: true, rule };
}
