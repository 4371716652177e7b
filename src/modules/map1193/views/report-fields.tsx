import { usePage } from '../../../core/views/context.ts';
import { ChoiceGroup, type FormState, TextArea } from '../../../core/views/forms.tsx';
import { NOTE_MAX } from '../schema.ts';
import { OBSERVATIONS, PROBLEMS } from '../tables.ts';

/** The three questions of every report (is it posted, what is wrong, a note) and, where taken, a photo. */
export function ReportFields({ form, photo }: { form: FormState; photo: boolean }) {
  const { t } = usePage();
  const photoError = form.errors.photo;
  return (
    <>
      <ChoiceGroup state={form} name="observed" legend={t('map.report.observed')} options={OBSERVATIONS.map((o) => ({ value: o, label: t(`map.report.observation.${o}`) }))} />
      <ChoiceGroup
        state={form}
        name="problems"
        multiple
        legend={t('map.report.problems')}
        hint={t('map.report.problemsHint')}
        options={PROBLEMS.map((p) => ({ value: p, label: t(`map.report.problem.${p}`) }))}
      />
      <TextArea state={form} name="note" label={t('map.report.note')} hint={t('map.report.noteHint', { max: NOTE_MAX })} maxLength={NOTE_MAX} rows={photo ? 4 : 3} />
      {photo ? (
        <div class="field">
          <label for="photo">{t('map.report.photo')}</label>
          <span class="hint" id="photo-hint">{t('map.report.photoHint')}</span>
          {photoError ? <span class="field-error" id="photo-error">{t(photoError.key, photoError.params)}</span> : null}
          <input
            id="photo"
            name="photo"
            type="file"
            accept="image/jpeg,image/png,image/webp"
            aria-invalid={photoError ? 'true' : undefined}
            aria-describedby={photoError ? 'photo-hint photo-error' : 'photo-hint'}
          />
        </div>
      ) : null}
    </>
  );
}
