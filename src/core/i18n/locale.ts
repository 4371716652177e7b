/** Path prefix for a locale: the default locale lives at the root, others under `/<locale>`. */
export function localePrefix(locale: string, defaultLocale: string): string {
  return locale === defaultLocale ? '' : `/${locale}`;
}

/** The same page in another locale: `/es/contact` → `/contact` → `/vi/contact`. */
export function localizePath(pathname: string, from: string, to: string, defaultLocale: string): string {
  const fromPrefix = localePrefix(from, defaultLocale);
  const bare = fromPrefix && (pathname === fromPrefix || pathname.startsWith(`${fromPrefix}/`))
    ? pathname.slice(fromPrefix.length) || '/'
    : pathname;
  const toPrefix = localePrefix(to, defaultLocale);
  if (!toPrefix) return bare;
  return bare === '/' ? `${toPrefix}/` : `${toPrefix}${bare}`;
}

/** Writing direction, ready for a right-to-left catalog such as Arabic or Farsi. */
export function textDirection(locale: string): 'ltr' | 'rtl' {
  return ['ar', 'fa', 'he', 'ur'].includes(locale.split('-')[0]!) ? 'rtl' : 'ltr';
}
