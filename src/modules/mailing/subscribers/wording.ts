import { createHash } from 'node:crypto';
import type { Context } from '../../../core/context.ts';
import { createTranslator } from '../../../core/i18n/catalog.ts';
import type { Db } from '../../../database.ts';
import * as repo from './repo.ts';

/** The consent sentence a form shows, exactly, and its SHA-256 (hex), which is its version. */
export type Wording = { text: string; hash: string };

export const wordingHash = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');

// Hashes this process has already stored: the subscribe page is read far more than its wording changes.
const stored = new WeakMap<Db, Set<string>>();

/**
 * The consent wording shown in `locale` now, stored by its hash before any form shows it, so
 * consent evidence can always name the text a subscriber read.
 */
export async function currentWording(ctx: Context, locale: string): Promise<Wording> {
  const settings = await ctx.settings.get();
  const text = createTranslator(ctx.catalogs, locale)('mailing.subscribe.consent', { office: settings.officeName });
  const hash = wordingHash(text);
  let known = stored.get(ctx.db);
  if (!known) stored.set(ctx.db, (known = new Set()));
  if (!known.has(hash)) {
    await repo.insertWording(ctx.db, { hash, locale, text, createdAt: ctx.clock.now().toISOString() });
    known.add(hash);
  }
  return { text, hash };
}

/**
 * The wording a posted form showed: the hash it carried when that text is on record in this
 * locale (the wording may have changed since the page was loaded), else the current one.
 */
export async function shownWording(ctx: Context, locale: string, posted: string | undefined): Promise<string> {
  if (posted && (await repo.wordingLocale(ctx.db, posted)) === locale) return posted;
  return (await currentWording(ctx, locale)).hash;
}
