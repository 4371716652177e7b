import { usePage } from '../../../../core/views/context.ts';
import { ChoiceGroup, FileField, type FormState, TextArea } from '../../../../core/views/forms.tsx';
import { PHOTO_TYPES } from '../../shared/photos.ts';
import { NOTE_MAX } from '../../schema.ts';
import { FORM_PROBLEMS, OBSERVATIONS, type Problem } from '../../tables.ts';

/** A problem's label; the county's language is the office's setting, so its label names it. */
export function useProblemLabel() {
  const { t, settings } = usePage();
  return (p: Problem | string) => t(`map.report.problem.${p}`, { language: settings.noticeThirdLanguage || 'Chinese' });
}

/**
 * The questions of every report (is it posted, or why it could not be checked; what is wrong;
 * a note) and, where taken, a photo. Checkboxes and radios only: it works without JavaScript.
 */
export function ReportFields({ form, photo }: { form: FormState; photo: boolean }) {
  const { t } = usePage();
  const problemLabel = useProblemLabel();
  return (
    <>
      <ChoiceGroup state={form} name="observed" legend={t('map.report.observed')} options={OBSERVATIONS.map((o) => ({ value: o, label: t(`map.report.observation.${o}`) }))} />
      <ChoiceGroup
        state={form}
        name="problems"
        multiple
        legend={t('map.report.problems')}
        hint={t('map.report.problemsHint')}
        options={FORM_PROBLEMS.map((p) => ({ value: p, label: problemLabel(p) }))}
      />
      <TextArea state={form} name="note" label={t('map.report.note')} hint={t('map.report.noteHint', { max: NOTE_MAX })} maxLength={NOTE_MAX} rows={photo ? 4 : 3} />
      {photo ? <FileField state={form} name="photo" label={t('map.report.photo')} hint={t('map.report.photoHint')} accept={PHOTO_TYPES} /> : null}
    </>
  );
}
