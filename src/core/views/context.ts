import { createContext } from 'preact';
import { useContext } from 'preact/hooks';
import type { Translate } from '../i18n/catalog.ts';
import type { OfficeSettings } from '../settings/settings.ts';

export type NavItem = {
  path: string;
  labelKey: string;
  order?: number;
  /** Console entries: shown only to viewers holding this permission. */
  permission?: string;
};

export type Viewer = {
  id: string;
  displayName: string;
  email: string;
  roles: readonly string[];
  permissions: ReadonlySet<string>;
  /** Seconds before the session's idle timeout, for the "stay signed in" warning. */
  idleSecondsLeft?: number;
};

/** What every page needs from the request, given once to the layout through context. */
export type PageContext = {
  locale: string;
  defaultLocale: string;
  /** Locales this office offers, in menu order. */
  locales: readonly string[];
  t: Translate;
  settings: OfficeSettings;
  /** Request path without the query string. */
  path: string;
  /** Prefixes a site path with the locale (`/contact` → `/es/contact`). */
  href(path: string): string;
  asset(name: string): string;
  nav: readonly NavItem[];
  csrfToken: string | undefined;
  viewer: Viewer | undefined;
  /** Console pages carry their own navigation and a signed-in user. */
  area: 'public' | 'console';
  consoleNav: readonly NavItem[];
};

export const PageContextValue = createContext<PageContext | null>(null);

/** The page context; views call this instead of taking site-wide values as props. */
export function usePage(): PageContext {
  const ctx = useContext(PageContextValue);
  if (!ctx) throw new Error('usePage() outside a rendered page');
  return ctx;
}
