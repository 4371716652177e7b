import { h } from 'preact';
import { formatInZone, type TimeStyle } from '../i18n/time.ts';
import { usePage } from './context.ts';

/** Formats instants in the page's locale and the office's time zone (`formatInZone`). */
export function useOfficeTime(): (at: Date | string, style: TimeStyle) => string {
  const { locale, settings } = usePage();
  return (at, style) => formatInZone(at, locale, settings.timeZone, style);
}

/**
 * An instant in a `<time>` element, shown in the office's zone with the zone named. The
 * machine-readable value is cut like the text (a coarse hour carries no minute in its markup).
 */
export function OfficeTime({ at, show: style }: { at: Date | string; show: TimeStyle }) {
  const time = useOfficeTime();
  const instant = typeof at === 'string' ? new Date(at) : at;
  if (Number.isNaN(instant.getTime())) return null;
  const iso = style === 'hour' ? new Date(Math.floor(instant.getTime() / 3_600_000) * 3_600_000).toISOString() : instant.toISOString();
  return h('time', { dateTime: style === 'date' ? iso.slice(0, 10) : iso }, time(instant, style));
}
