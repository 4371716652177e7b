import { formatInZone, type TimeStyle } from '../i18n/time.ts';
import { usePage } from './context.ts';

/** Formats instants in the page's locale and the office's time zone (`formatInZone`). */
export function useOfficeTime(): (at: Date | string, style: TimeStyle) => string {
  const { locale, settings } = usePage();
  return (at, style) => formatInZone(at, locale, settings.timeZone, style);
}
