import type { ComponentChildren } from 'preact';
import { textDirection } from '../i18n/locale.ts';
import { usePage } from './context.ts';
import { CsrfField } from './forms.tsx';
import { documentTitle } from './layout.tsx';

export type ConsoleLayoutProps = {
  title: string;
  children: ComponentChildren;
  /** Extra island scripts for this page, by asset name. */
  scripts?: string[];
  /** Sign-in pages have no menu yet. */
  bare?: boolean;
};

/** The frame of every staff page: who is signed in, what they may open, and nothing cached. */
export function ConsoleLayout(props: ConsoleLayoutProps) {
  const { t, settings, locale, asset, viewer, consoleNav, path } = usePage();
  const items = viewer && !props.bare ? consoleNav.filter((item) => !item.permission || viewer.permissions.has(item.permission)) : [];
  return (
    <html lang={locale} dir={textDirection(locale)}>
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="robots" content="noindex, nofollow" />
        <meta name="referrer" content="no-referrer" />
        <title>{documentTitle(props.title, t('console.layout.console'), settings.programName)}</title>
        <link rel="stylesheet" href={asset('app.css')} />
        {(props.scripts ?? []).map((name) => <script key={name} src={asset(name)} defer />)}
      </head>
      <body class="console">
        <a class="skip-link" href="#main">{t('common.layout.skipToContent')}</a>
        <header class="site-header console-header">
          <a class="brand" href="/console">
            <span class="brand-program">{settings.programName}</span>
            <span class="brand-office">{t('console.layout.console')} · {settings.officeName}</span>
          </a>
          {viewer && !props.bare ? (
            <div class="console-user">
              <a href="/console/account">{viewer.displayName}</a>
              <form method="post" action="/console/sign-out" class="inline-form">
                <CsrfField />
                <button type="submit" class="secondary">{t('console.layout.signOut')}</button>
              </form>
            </div>
          ) : null}
          {items.length > 0 ? (
            <nav class="console-nav" aria-label={t('console.layout.nav')}>
              <ul>
                {items.map((item) => (
                  <li key={item.path}>
                    <a href={item.path} aria-current={path === item.path ? 'page' : undefined}>{t(item.labelKey)}</a>
                  </li>
                ))}
              </ul>
            </nav>
          ) : null}
        </header>
        <main id="main" tabindex={-1}>
          {props.children}
        </main>
      </body>
    </html>
  );
}
