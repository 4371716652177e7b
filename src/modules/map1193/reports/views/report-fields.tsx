import { usePage } from '../../../../core/views/context.ts';
import { ChoiceGroup, FileField, type FormState, TextArea } from '../../../../core/views/forms.tsx';
import { PHOTO_TYPES } from '../../shared/photos.ts';
import { NOTE_MAX } from '../../schema.ts';
import { OBSERVATIONS, PROBLEMS } from '../../tables.ts';
import type { NoticeRule } from '../../rules/rules.ts';
import { noticeParams } from '../../shared/views/components.tsx';

/**
 * The three questions of every report (is it posted, what is wrong, a note) and, where taken, a
 * photo. The problems name the size, type and text line of the notice rule in force; a problem
 * that rule does not make one (no text line before 2019) is not offered.
 */
export function ReportFields({ form, photo, notice }: { form: FormState; photo: boolean; notice: NoticeRule | undefined }) {
  const { t, locale } = usePage();
  const params = notice ? noticeParams(notice, locale, t) : undefined;
  const problems = PROBLEMS.filter((p) => (p === 'too_small' ? params : p === 'no_text_line' ? params?.textLine : true));
  return (
    <>
      <ChoiceGroup state={form} name="observed" legend={t('map.report.observed')} options={OBSERVATIONS.map((o) => ({ value: o, label: t(`map.report.observation.${o}`) }))} />
      <ChoiceGroup
        state={form}
        name="problems"
        multiple
        legend={t('map.report.problems')}
        hint={t('map.report.problemsHint')}
        options={problems.map((p) => ({ value: p, label: t(`map.report.problem.${p}`, params) }))}
      />
      <TextArea state={form} name="note" label={t('map.report.note')} hint={t('map.report.noteHint', { max: NOTE_MAX })} maxLength={NOTE_MAX} rows={photo ? 4 : 3} />
      {photo ? <FileField state={form} name="photo" label={t('map.report.photo')} hint={t('map.report.photoHint')} accept={PHOTO_TYPES} /> : null}
    </>
  );
}
