import type { ComponentChildren } from 'preact';
import { textDirection } from '../i18n/locale.ts';
import { usePage } from './context.ts';
import { CsrfField } from './forms.tsx';
import { documentTitle } from './layout.tsx';
import { KEEP_ALIVE_PATH } from '../auth/drafts.ts';
import { IDLE_TIMEOUT_MS } from '../auth/sessions.ts';

/** The warning comes this long before the idle timeout. */
const IDLE_WARNING_SECONDS = 120;

export type ConsoleLayoutProps = {
  title: string;
  children: ComponentChildren;
  /** Extra island scripts for this page, by asset name. */
  scripts?: string[];
  /** Sign-in pages have no menu yet. */
  bare?: boolean;
  /** The office's name when the page itself has just set it (the settings read before do not have it yet). */
  officeName?: string;
};

/**
 * The idle-timeout warning, filled and shown by the session-timeout island two minutes before
 * the session ends; hidden (and inert) without JavaScript.
 */
function SessionTimeout({ left }: { left: number }) {
  const { t } = usePage();
  return (
    <div
      class="notice session-timeout"
      hidden
      data-session-timeout
      data-left-seconds={left}
      data-idle-seconds={Math.floor(IDLE_TIMEOUT_MS / 1000)}
      data-warn-seconds={IDLE_WARNING_SECONDS}
      data-keep-alive={KEEP_ALIVE_PATH}
      data-label-warning={t('console.timeout.warning')}
      data-label-stayed={t('console.timeout.stayed')}
      data-label-ended={t('console.timeout.ended')}
      data-label-failed={t('console.timeout.failed')}
    >
      <p data-session-timeout-text></p>
      <button type="button" hidden>{t('console.timeout.stay')}</button>
    </div>
  );
}

/** The frame of every staff page: who is signed in, what they may open, and nothing cached. */
export function ConsoleLayout(props: ConsoleLayoutProps) {
  const { t, settings, locale, asset, viewer, consoleNav, path } = usePage();
  // Only a signed-in page with the sign-out form (whose CSRF token the island posts) warns.
  const timeout = viewer && !props.bare && viewer.idleSecondsLeft !== undefined;
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
        {timeout ? <script src={asset('session-timeout.js')} defer /> : null}
      </head>
      <body class="console">
        <a class="skip-link" href="#main">{t('common.layout.skipToContent')}</a>
        <header class="site-header console-header">
          <a class="brand" href="/console">
            <span class="brand-program">{settings.programName}</span>
            <span class="brand-office">{t('console.layout.console')} · {props.officeName ?? settings.officeName}</span>
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
        {timeout ? <SessionTimeout left={viewer!.idleSecondsLeft!} /> : null}
        <main id="main" tabindex={-1}>
          {props.children}
        </main>
      </body>
    </html>
  );
}
