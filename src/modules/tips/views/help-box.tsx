import { usePage } from '../../../core/views/context.ts';
import { NATIONAL_HOTLINE, phoneText, telHref } from '../../../core/views/hotline-bar.tsx';

/** 911 first, then the national hotline (call or text) and the office's own tip line. */
export function HelpNowBox(props: { id: string; title: string; intro: string }) {
  const { t, settings } = usePage();
  return (
    <section class="help-now" aria-labelledby={props.id}>
      <h2 id={props.id}>{props.title}</h2>
      <p>{props.intro}</p>
      <ul class="help-actions">
        <li><a class="button button-danger" href="tel:911">{t('tips.help.call911')}</a></li>
        <li><a class="button" href={`tel:${NATIONAL_HOTLINE.tel}`}>{t('tips.help.callHotline', { number: phoneText(NATIONAL_HOTLINE.display) })}</a></li>
        <li><a class="button" href={`sms:${NATIONAL_HOTLINE.text}`}>{t('tips.help.textHotline', { number: NATIONAL_HOTLINE.text })}</a></li>
        {settings.localTipPhone ? (
          <li><a class="button button-secondary" href={telHref(settings.localTipPhone)}>{t('tips.help.callOffice', { number: phoneText(settings.localTipPhone) })}</a></li>
        ) : null}
      </ul>
    </section>
  );
}
