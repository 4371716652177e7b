import { Fragment } from 'preact';
import { usePage } from '../../../core/views/context.ts';
import type { FormState } from '../../../core/views/forms.tsx';

export const FILE_ACCEPT = '.jpg,.jpeg,.png,.webp,.gif,.pdf,image/jpeg,image/png,image/webp,image/gif,application/pdf';

/**
 * A file input. Browsers never refill one, so after an error the message says to attach the
 * files again; everything else in the form is kept.
 */
export function FileField({ state, name, label, hint }: { state: FormState; name: string; label: string; hint: string }) {
  const { t } = usePage();
  const error = state.errors[name];
  const described = [`${name}-hint`, error ? `${name}-error` : ''].filter(Boolean).join(' ');
  return (
    <div class="field">
      <label for={name}>{label}</label>
      <span class="hint" id={`${name}-hint`}>{hint}</span>
      {error ? <span class="field-error" id={`${name}-error`}>{t(error.key, error.params)}</span> : null}
      <input id={name} name={name} type="file" multiple accept={FILE_ACCEPT} aria-invalid={error ? 'true' : undefined} aria-describedby={described} />
    </div>
  );
}

/**
 * A field people never see or reach (off-screen, hidden from assistive technology, out of the
 * tab order) that form-filling robots complete. A post with it filled comes back as a form.
 */
export function Honeypot() {
  const { t } = usePage();
  return (
    <div class="visually-hidden" aria-hidden="true">
      <label for="website">{t('tips.form.honeypot')}</label>
      <input id="website" name="website" type="text" tabindex={-1} autocomplete="off" value="" />
    </div>
  );
}

/** Text as typed, line breaks kept, without any stylesheet. */
export function MultiLine({ text }: { text: string }) {
  const lines = text.split(/\r?\n/);
  return (
    <>
      {lines.map((line, i) => (
        <Fragment key={i}>
          {i > 0 ? <br /> : null}
          {line}
        </Fragment>
      ))}
    </>
  );
}

