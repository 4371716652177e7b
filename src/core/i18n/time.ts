/**
 * Times as the office reads them: every page, e-mail and letter shows an instant in the office's
 * own time zone (a setting), with the zone named, so a tip received at 23:30 in Oakland is not
 * shown as the next day in UTC. Dates that are calendar days (a news date, a cure deadline) are
 * not instants and stay as they are.
 */

export const DEFAULT_TIME_ZONE = 'America/Los_Angeles';

/** True for an IANA zone name this runtime knows (`America/Los_Angeles`, `UTC`). */
export function isTimeZone(zone: string): boolean {
  if (!zone || zone.length > 64) return false;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

/** The zones offered on the settings page (the runtime's canonical list, UTC included). */
export function knownTimeZones(): string[] {
  const zones = Intl.supportedValuesOf('timeZone');
  return zones.includes('UTC') ? zones : ['UTC', ...zones];
}

/**
 * - `date`: the day (`December 1, 2026`)
 * - `minute`: day and time to the minute with the zone (`Dec 1, 2026, 3:05 PM PST`): staff pages, e-mails
 * - `hour`: the same cut to the hour (`Dec 1, 2026, 3 PM PST`): the tip line's coarse times
 * - `time`: the time of day with the zone (`3:05 PM PST`)
 */
export type TimeStyle = 'date' | 'minute' | 'hour' | 'time';

const OPTIONS: Record<TimeStyle, Intl.DateTimeFormatOptions> = {
  date: { dateStyle: 'long' },
  minute: { year: 'numeric', month: 'short', day: 'numeric', hour: 'numeric', minute: '2-digit', timeZoneName: 'short' },
  hour: { year: 'numeric', month: 'short', day: 'numeric', hour: 'numeric', timeZoneName: 'short' },
  time: { hour: 'numeric', minute: '2-digit', timeZoneName: 'short' },
};

const formatters = new Map<string, Intl.DateTimeFormat>();

/** One formatter per locale, zone and shape: building one costs far more than formatting with it. */
function cachedFormatter(key: string, locale: string, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  let found = formatters.get(key);
  if (!found) {
    found = new Intl.DateTimeFormat(locale, options);
    formatters.set(key, found);
  }
  return found;
}

const formatter = (locale: string, timeZone: string, style: TimeStyle) => cachedFormatter(`${locale}|${timeZone}|${style}`, locale, { ...OPTIONS[style], timeZone });

const WALL_CLOCK: Intl.DateTimeFormatOptions = { hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric', weekday: 'short' };

/** An instant (Date or ISO string) as the office reads it. */
export function formatInZone(at: Date | string, locale: string, timeZone: string, style: TimeStyle): string {
  const instant = typeof at === 'string' ? new Date(at) : at;
  if (Number.isNaN(instant.getTime())) return '';
  // The coarse hour drops minutes before formatting, so no minute can be read back from it.
  const shown = style === 'hour' ? new Date(Math.floor(instant.getTime() / 3_600_000) * 3_600_000) : instant;
  return formatter(locale, timeZone, style).format(shown);
}

/** The calendar day of an instant in a zone, as `YYYY-MM-DD`. */
export function dayInZone(at: Date, timeZone: string): string {
  const w = wallClockInZone(at, timeZone);
  return `${w.year}-${String(w.month).padStart(2, '0')}-${String(w.day).padStart(2, '0')}`;
}

/** Wall-clock fields of an instant in a zone. */
export function wallClockInZone(at: Date, timeZone: string): { year: number; month: number; day: number; hour: number; minute: number; second: number; weekday: number } {
  const parts = cachedFormatter(`en-US|${timeZone}|wall`, 'en-US', { ...WALL_CLOCK, timeZone }).formatToParts(at);
  const get = (type: Intl.DateTimeFormatPartTypes) => parts.find((p) => p.type === type)?.value ?? '0';
  const weekday = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'].indexOf(get('weekday'));
  return { year: Number(get('year')), month: Number(get('month')), day: Number(get('day')), hour: Number(get('hour')), minute: Number(get('minute')), second: Number(get('second')), weekday };
}

/**
 * The instant at which a zone's wall clock reads `local` (`2026-12-05T14:00`), for times typed in
 * a form (a campaign's send time, an event's start). In the hour skipped when clocks go forward the
 * answer is the same wall time one hour later; in the repeated hour when they go back, the first.
 */
export function instantFromZone(local: string, timeZone: string): Date | undefined {
  const match = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?$/.exec(local);
  if (!match) return undefined;
  const [year, month, day, hour, minute, second] = match.slice(1).map((v) => Number(v ?? 0)) as [number, number, number, number, number, number];
  const asUtc = Date.UTC(year, month - 1, day, hour, minute, second);
  const check = new Date(asUtc);
  if (check.getUTCFullYear() !== year || check.getUTCMonth() !== month - 1 || check.getUTCDate() !== day || hour > 23 || minute > 59) return undefined;
  const offsetAt = (instant: number) => {
    const w = wallClockInZone(new Date(instant), timeZone);
    return Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second) - instant;
  };
  // Two passes settle the offset on either side of a change; the earlier candidate wins in a repeated hour.
  const first = asUtc - offsetAt(asUtc);
  const secondPass = asUtc - offsetAt(first);
  const candidates = [first, secondPass].filter((c) => c + offsetAt(c) === asUtc).sort((a, b) => a - b);
  // No candidate: the wall time falls in a skipped hour; reading it with the offset from before
  // the change lands the same wall time one hour later.
  return new Date(candidates[0] ?? Math.max(first, secondPass));
}

/** `YYYY-MM-DDTHH:MM` of an instant in a zone: the value a `datetime-local` box shows. */
export function localInputValue(at: Date, timeZone: string): string {
  const w = wallClockInZone(at, timeZone);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${w.year}-${pad(w.month)}-${pad(w.day)}T${pad(w.hour)}:${pad(w.minute)}`;
}

/**
 * An instant for a spreadsheet column read by people: `2026-12-01 15:05:09 PST`, a fixed shape
 * (sorts as text within one offset, whatever the reader's locale) with the zone named.
 */
export function spreadsheetTime(at: Date | string, timeZone: string): string {
  const instant = typeof at === 'string' ? new Date(at) : at;
  if (Number.isNaN(instant.getTime())) return '';
  const w = wallClockInZone(instant, timeZone);
  const pad = (n: number) => String(n).padStart(2, '0');
  const zone = cachedFormatter(`en-US|${timeZone}|zone`, 'en-US', { timeZone, timeZoneName: 'short' }).formatToParts(instant).find((p) => p.type === 'timeZoneName')?.value ?? timeZone;
  return `${w.year}-${pad(w.month)}-${pad(w.day)} ${pad(w.hour)}:${pad(w.minute)}:${pad(w.second)} ${zone}`;
}
