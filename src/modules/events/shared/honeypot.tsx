import { usePage } from '../../../core/views/context.ts';

/** A field people never see or reach; a robot that fills every box fills this one too. */
export function Honeypot() {
  const { t } = usePage();
  return (
    <div class="visually-hidden" aria-hidden="true">
      <label for="website">{t('events.form.honeypot')}</label>
      <input id="website" name="website" type="text" tabindex={-1} autocomplete="off" value="" />
    </div>
  );
}
