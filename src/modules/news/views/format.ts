/** A publication date as a visitor reads it, in their language (dates are kept in UTC). */
export function longDate(iso: string, locale: string): string {
  return new Intl.DateTimeFormat(locale, { dateStyle: 'long', timeZone: 'UTC' }).format(new Date(iso));
}

/** A stored ISO time as staff read it in the console: minutes, in UTC like the audit log. */
export const stamp = (iso: string) => `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC`;
