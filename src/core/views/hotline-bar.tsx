import { usePage } from './context.ts';

export const NATIONAL_HOTLINE = { display: '1-888-373-7888', tel: '+18883737888', text: '233733' } as const;

/**
 * A phone number as it is shown: its hyphens and spaces made non-breaking (U+2011, U+00A0), so
 * a narrow screen never splits "1-888-373-7888" over two lines; the tel: link keeps the digits.
 */
export function phoneText(display: string): string {
  return display.replace(/-/g, '\u2011').replace(/ /g, '\u00a0');
}

/** Keeps only what a dialer needs, so `(555) 010-0199` becomes `tel:5550100199`. */
export function telHref(phone: string): string {
  return `tel:${phone.replace(/[^0-9+]/g, '')}`;
}

/**
 * Help one tap away on every page, and the quick exit: a plain link that works without
 * JavaScript; the quick-exit island upgrades it to location.replace so Back cannot return.
 * The quick exit sits inside the labelled region so that screen-reader users find it with the
 * hotlines (content outside any landmark is easy to miss).
 */
export function HotlineBar() {
  const { t, settings } = usePage();
  return (
    <section class="hotline-bar" aria-label={t('common.hotline.label')}>
      <div class="hotline-numbers">
        <p class="hotline-emergency">
          {t('common.hotline.emergency')} <a href="tel:911"><strong>911</strong></a>
        </p>
        <p>
          {t('common.hotline.national')}{' '}
          <a href={`tel:${NATIONAL_HOTLINE.tel}`}><strong>{phoneText(NATIONAL_HOTLINE.display)}</strong></a>
          {' · '}
          {t('common.hotline.text')}{' '}
          <a href={`sms:${NATIONAL_HOTLINE.text}`}><strong>{NATIONAL_HOTLINE.text}</strong></a>
        </p>
        {settings.localTipPhone ? (
          <p>
            {t('common.hotline.local', { office: settings.programName })}{' '}
            <a href={telHref(settings.localTipPhone)}><strong>{phoneText(settings.localTipPhone)}</strong></a>
          </p>
        ) : null}
      </div>
      <a class="quick-exit" id="quick-exit" href={settings.quickExitUrl} rel="noreferrer" data-quick-exit="">
        {t('common.hotline.quickExit')}
      </a>
    </section>
  );
}
