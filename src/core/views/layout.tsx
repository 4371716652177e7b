import type { ComponentChildren } from 'preact';
import { localizePath, textDirection } from '../i18n/locale.ts';
import { usePage } from './context.ts';
import { HotlineBar } from './hotline-bar.tsx';

export type LayoutProps = {
  title: string;
  description?: string;
  children: ComponentChildren;
  /** Pages that must not be indexed or kept: the tip line, the console. */
  noindex?: boolean;
  /** Extra island scripts for this page, by asset name. */
  scripts?: string[];
  /** Marks the body so page-specific styles can apply without inline style attributes. */
  pageClass?: string;
};

function LanguageSwitcher() {
  const { locales, locale, defaultLocale, path, t } = usePage();
  if (locales.length < 2) return null;
  return (
    <nav class="lang-switch" aria-label={t('common.layout.language')}>
      <ul>
        {locales.map((code) => (
          <li key={code}>
            {code === locale ? (
              <span aria-current="true" lang={code}>{t(`common.languageName.${code}`)}</span>
            ) : (
              <a href={localizePath(path, locale, code, defaultLocale)} hreflang={code} lang={code}>
                {t(`common.languageName.${code}`)}
              </a>
            )}
          </li>
        ))}
      </ul>
    </nav>
  );
}

function NavLinks() {
  const { nav, href, path, t } = usePage();
  return (
    <ul>
      {nav.map((item) => {
        const target = href(item.path);
        return (
          <li key={item.path}>
            <a href={target} aria-current={target === path ? 'page' : undefined}>{t(item.labelKey)}</a>
          </li>
        );
      })}
    </ul>
  );
}

/**
 * A closed <details> hides its content whatever the stylesheet says, so wide screens get a
 * plain list and narrow ones a disclosure; CSS shows one of the two, and both work without JS.
 * Both sit in one landmark: two navigations both named "Main" would be two landmarks alike.
 */
function SiteNav() {
  const { t } = usePage();
  return (
    <nav class="site-nav-frame" aria-label={t('common.layout.mainNav')}>
      <div class="site-nav-wide">
        <NavLinks />
      </div>
      <details class="site-nav">
        <summary>{t('common.layout.menu')}</summary>
        <NavLinks />
      </details>
    </nav>
  );
}

function SiteFooter() {
  const { settings, t, href } = usePage();
  const social = [
    { url: settings.facebookUrl, label: 'Facebook' },
    { url: settings.twitterUrl, label: 'X (Twitter)' },
    { url: settings.instagramUrl, label: 'Instagram' },
  ].filter((s) => s.url);
  return (
    <footer class="site-footer">
      <div class="footer-cols">
        <section aria-labelledby="footer-contact">
          <h2 id="footer-contact">{t('common.footer.contactHeading')}</h2>
          <p>{settings.officeName}</p>
          {settings.contactAddress ? <p>{settings.contactAddress}</p> : null}
          {settings.contactEmail ? (
            <p><a href={`mailto:${settings.contactEmail}`}>{settings.contactEmail}</a></p>
          ) : null}
          <p><a href={href('/contact')}>{t('common.footer.contactPage')}</a></p>
          <p><a href={href('/subscribe')}>{t('common.footer.subscribe')}</a></p>
        </section>
        {social.length > 0 ? (
          <section aria-labelledby="footer-social">
            <h2 id="footer-social">{t('common.footer.followHeading')}</h2>
            <ul class="plain-list">
              {social.map((s) => (
                <li key={s.label}><a href={s.url} rel="noopener noreferrer">{s.label}</a></li>
              ))}
            </ul>
          </section>
        ) : null}
        <section aria-labelledby="footer-safety">
          <h2 id="footer-safety">{t('common.footer.safetyHeading')}</h2>
          <p>{t('common.footer.escapeHint')}</p>
          <p><a href={href('/privacy')}>{t('common.footer.privacy')}</a></p>
        </section>
      </div>
      <p class="footer-note">{t('common.footer.poweredBy', { program: settings.programName })}</p>
    </footer>
  );
}

/** Past this many characters a browser tab or a search result cuts a title off. */
export const TITLE_LIMIT = 70;

/**
 * The page's title, then the program and the office while they fit: the page's own words
 * matter most in a tab or a result, and the header names the office anyway.
 */
export function documentTitle(title: string, programName: string, officeName: string): string {
  for (const candidate of [`${title} · ${programName} · ${officeName}`, `${title} · ${programName}`, title]) {
    if (titleLength(candidate) <= TITLE_LIMIT) return candidate;
  }
  const chars = [...title];
  while (chars.length > 0 && titleLength(`${chars.join('').trimEnd()}…`) > TITLE_LIMIT) chars.pop();
  return `${chars.join('').trimEnd()}…`;
}

/** Characters as the page's source holds them: validators count "&" as the five of "&amp;". */
const titleLength = (text: string) => [...text].length + (text.match(/&/g)?.length ?? 0) * 4 + (text.match(/[<>]/g)?.length ?? 0) * 3;

/** The frame of every public page: help first, then the page, then contact and safety notes. */
export function Layout(props: LayoutProps) {
  const page = usePage();
  const { t, settings, locale, locales, defaultLocale, path, asset, href } = page;
  const fullTitle = documentTitle(props.title, settings.programName, settings.officeName);
  return (
    <html lang={locale} dir={textDirection(locale)}>
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>{fullTitle}</title>
        {props.description ? <meta name="description" content={props.description} /> : null}
        {props.noindex ? <meta name="robots" content="noindex, nofollow" /> : null}
        <meta name="referrer" content="no-referrer" />
        {page.area === 'public'
          ? locales.map((code) => (
              <link key={code} rel="alternate" hreflang={code} href={localizePath(path, locale, code, defaultLocale)} />
            ))
          : null}
        {page.area === 'public' ? (
          <link rel="alternate" hreflang="x-default" href={localizePath(path, locale, defaultLocale, defaultLocale)} />
        ) : null}
        <link rel="stylesheet" href={asset('app.css')} />
        <script src={asset('quick-exit.js')} defer />
        {(props.scripts ?? []).map((name) => <script key={name} src={asset(name)} defer />)}
      </head>
      <body class={props.pageClass}>
        <a class="skip-link" href="#main">{t('common.layout.skipToContent')}</a>
        <HotlineBar />
        {/* An <aside> rather than a bare <p>: content outside every landmark is skipped by landmark navigation. */}
        {settings.demo ? <aside class="demo-banner"><p>{t('common.layout.demoBanner')}</p></aside> : null}
        <header class="site-header">
          <a class="brand" href={href('/')}>
            <span class="brand-program">{settings.programName}</span>
            <span class="brand-office">{settings.officeName}</span>
          </a>
          <LanguageSwitcher />
          <SiteNav />
        </header>
        <main id="main" tabindex={-1}>
          {props.children}
        </main>
        <SiteFooter />
      </body>
    </html>
  );
}
