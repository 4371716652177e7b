import { instantFromZone, wallClockInZone } from '../../../core/i18n/time.ts';

/**
 * The instant `businessDays` working days (Monday to Friday in the office's zone) before `now`,
 * at the same wall time: a request last touched at or before it has waited that long. Holidays
 * are not known to the platform, so a long weekend flags a request a day early, never late.
 */
export function businessDaysBefore(now: Date, businessDays: number, timeZone: string): Date {
  const w = wallClockInZone(now, timeZone);
  let day = Date.UTC(w.year, w.month - 1, w.day);
  let counted = 0;
  while (counted < businessDays) {
    day -= 86_400_000;
    const weekday = new Date(day).getUTCDay();
    if (weekday !== 0 && weekday !== 6) counted++;
  }
  const d = new Date(day);
  const pad = (n: number) => String(n).padStart(2, '0');
  const local = `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}T${pad(w.hour)}:${pad(w.minute)}:${pad(w.second)}`;
  return instantFromZone(local, timeZone) ?? new Date(day);
}
