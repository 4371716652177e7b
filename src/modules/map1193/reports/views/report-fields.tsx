import { usePage } from '../../../../core/views/context.ts';
import { ChoiceGroup, FileField, type FormState, TextArea } from '../../../../core/views/forms.tsx';
import { PHOTO_TYPES } from '../../shared/photos.ts';
import { NOTE_MAX } from '../../schema.ts';
import { OBSERVATIONS, PROBLEMS } from '../../tables.ts';

/** The three questions of every report (is it posted, what is wrong, a note) and, where taken, a photo. */
export function ReportFields({ form, photo }: { form: FormState; photo: boolean }) {
  const { t } = usePage();
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
      {photo ? <FileField state={form} name="photo" label={t('map.report.photo')} hint={t('map.report.photoHint')} accept={PHOTO_TYPES} /> : null}
    </>
  );
}
