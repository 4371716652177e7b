import type { Context } from '../../core/context.ts';
import { type OfficeSettings, settingsSchema } from '../../core/settings/settings.ts';
import type { EditableSettings } from './schema.ts';

/** The office settings as stored now, for the form. */
export const officeSettings = (ctx: Context): Promise<OfficeSettings> => ctx.settings.get();

/**
 * Saves the office settings and leaves demo mode. Only keys whose value changed are written;
 * the audit row, as the context's actor, names them, never their values (a phone number or address is the office's,
 * but the log is no place to keep copies). Returns the changed keys.
 */
export async function saveOfficeSettings(ctx: Context, input: EditableSettings): Promise<string[]> {
  const current = await ctx.settings.get();
  const next = settingsSchema.parse({ ...input, demo: false, letterheadLogo: current.letterheadLogo, tipLineOpenedEarly: current.tipLineOpenedEarly });
  const changes: Partial<OfficeSettings> = {};
  for (const key of Object.keys(next) as (keyof OfficeSettings)[]) {
    if (JSON.stringify(next[key]) !== JSON.stringify(current[key])) (changes as Record<string, unknown>)[key] = next[key];
  }
  const changed = Object.keys(changes).sort();
  if (changed.length === 0) return changed;
  await ctx.db.transaction().execute(async (trx) => {
    await ctx.settings.update(changes, trx);
    await ctx.audit(trx, { action: 'settings.update', targetType: 'settings', detail: { changed: changed.join(',') } });
  });
  // The change is visible only now that the transaction has committed.
  ctx.settings.invalidate();
  return changed;
}
