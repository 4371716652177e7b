/** Where a page lives on the public site in a locale. */
export function publicPath(locale: string, defaultLocale: string, slug: string): string {
  const prefix = locale === defaultLocale ? '' : `/${locale}`;
  return slug === 'home' ? `${prefix}/` : `${prefix}/${slug}`;
}

export const editPath = (locale: string, slug: string) => `/console/content/${locale}/${slug}`;
