import { z } from 'zod';
import { blankToUndefined, optionalText } from '../../../core/http/forms.ts';
import { CATEGORY_CODE } from './categories.ts';

// The administrators' forms for amendments to the rules.

/** A real calendar day: 2026-02-31 is refused, not rolled over. */
const day = z.iso.date('common.form.invalidDate');
const bill = z.string().trim().min(1, 'map.rules.errors.bill').max(200);
/** A number as typed in a form ("8.5"); a blank is an error, not zero. */
const NUMBER = 'map.rules.errors.number';
const number = (inner: (n: z.ZodNumber) => z.ZodNumber) => z.preprocess(blankToUndefined, inner(z.coerce.number(NUMBER)));
const positive = number((n) => n.positive(NUMBER).max(1000, NUMBER));
const dollars = number((n) => n.int(NUMBER).min(0, NUMBER).max(1_000_000, NUMBER));

export const noticeRuleFormSchema = z.object({
  effectiveFrom: day,
  bill,
  minWidthIn: positive,
  minHeightIn: positive,
  minFontPt: positive,
  languages: z
    .string()
    .transform((v) => v.split(',').map((l) => l.trim()).filter(Boolean))
    .pipe(z.array(z.string().max(40)).min(1, 'map.rules.errors.languages').max(10)),
  nationalHotline: z.string().trim().min(1, 'common.form.required').max(60),
  textLine: optionalText(60),
  castHotline: z.string().trim().min(1, 'common.form.required').max(60),
});

export const penaltyRuleFormSchema = z.object({
  effectiveFrom: day,
  bill,
  firstOffenceUsd: dollars,
  laterOffenceUsd: dollars,
  cureDays: number((n) => n.int(NUMBER).min(1, NUMBER).max(365, NUMBER)),
});

export const CATEGORY_EXCEPTIONS = ['none', 'on_sale_general', 'certified_practitioners'] as const;

export const categoryRuleFormSchema = z.object({
  effectiveFrom: day,
  bill,
  covered: z.enum(['yes', 'no'], 'map.rules.errors.covered'),
  exception: z.enum(CATEGORY_EXCEPTIONS).default('none'),
});

const name = z.string().trim().min(1, 'map.rules.errors.name').max(120);
const description = z.preprocess(blankToUndefined, z.string().trim().max(1000).optional());

/**
 * A kind of establishment the legislature added: its code, a name in each language the site
 * speaks (`name_en`, `name_es`, …), an optional "why" in each, the bill and the day it applies.
 */
export function newCategoryFormSchema(locales: readonly string[]) {
  return z.object({
    code: z.string().trim().toLowerCase().regex(CATEGORY_CODE, 'map.rules.errors.code'),
    effectiveFrom: day,
    bill,
    ...Object.fromEntries(locales.map((l) => [`name_${l}`, name])),
    ...Object.fromEntries(locales.map((l) => [`description_${l}`, description])),
  }) as z.ZodType<{ code: string; effectiveFrom: string; bill: string } & Record<`name_${string}` | `description_${string}`, string | undefined>>;
}
