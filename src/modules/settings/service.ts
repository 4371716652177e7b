import type { AuditActor } from '../../core/audit/audit.ts';
import type { AppServices } from '../../core/module.ts';
import { type OfficeSettings, settingsSchema } from '../../core/settings/settings.ts';
import type { EditableSettings } from './schema.ts';

/**
 * Saves the office settings and leaves demo mode. Only keys whose value changed are written;
 * the audit row names them, never their values (a phone number or address is the office's,
 * but the log is no place to keep copies). Returns the changed keys.
 */
export async function saveOfficeSettings(s: AppServices, actor: AuditActor, input: EditableSettings): Promise<string[]> {
  const next = settingsSchema.parse({ ...input, demo: false });
  const current = await s.settings.get();
  const changes: Partial<OfficeSettings> = {};
  for (const key of Object.keys(next) as (keyof OfficeSettings)[]) {
    if (JSON.stringify(next[key]) !== JSON.stringify(current[key])) (changes as Record<string, unknown>)[key] = next[key];
  }
  const changed = Object.keys(changes).sort();
  if (changed.length === 0) return changed;
  await s.db.transaction().execute(async (trx) => {
    await s.settings.update(changes, trx);
    await s.audit(trx, { actor, action: 'settings.update', targetType: 'settings', detail: { changed: changed.join(',') } });
  });
  // The change is visible only now that the transaction has committed.
  s.settings.invalidate();
  return changed;
}
