import { z } from 'zod';
import type { CategoryRow } from '../tables.ts';

/**
 * The kinds of establishment § 52.6 names, as stored in map_categories: an administrator adds
 * one when the legislature does. Which kinds are covered on a day is in the rules (map_rules).
 */
export type CategoryInfo = {
  code: string;
  /** Name by locale ("en", "es", …). */
  names: Readonly<Record<string, string>>;
  /** Why the law covers it, by locale; may be empty. */
  descriptions: Readonly<Record<string, string>>;
  position: number;
};

/** A category code as stored on businesses and in URLs: lower case, digits and underscores. */
export const CATEGORY_CODE = /^[a-z][a-z0-9_]{1,39}$/;
export const categoryCodeSchema = z.string().trim().regex(CATEGORY_CODE);

export function categoryFromRow(row: CategoryRow): CategoryInfo {
  return { code: row.code, names: JSON.parse(row.names) as Record<string, string>, descriptions: JSON.parse(row.descriptions) as Record<string, string>, position: row.position };
}

/** The text for a locale, else English, else any: a category added before a language still shows a name. */
const inLocale = (texts: Readonly<Record<string, string>>, locale: string) => texts[locale] || texts.en || Object.values(texts).find(Boolean) || '';

/** The category's name in the locale; its code when no such category is stored. */
export function categoryName(categories: readonly CategoryInfo[], code: string, locale: string): string {
  const category = categories.find((c) => c.code === code);
  return category ? inLocale(category.names, locale) || code : code;
}

/** Why the law covers this kind, in the locale; empty when none was written in it (a paragraph in another language would be worse). */
export function categoryDescription(categories: readonly CategoryInfo[], code: string, locale: string): string {
  return categories.find((c) => c.code === code)?.descriptions[locale] ?? '';
}
