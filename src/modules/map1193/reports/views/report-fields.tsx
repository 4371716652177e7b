import { usePage } from '../../../../core/views/context.ts';
import { ChoiceGroup, FileField, type FormState, TextArea } from '../../../../core/views/forms.tsx';
import { PHOTO_TYPES } from '../../shared/photos.ts';
import { NOTE_MAX } from '../../schema.ts';
import { FORM_PROBLEMS, OBSERVATIONS, type Problem } from '../../tables.ts';
import type { NoticeRule } from '../../rules/rules.ts';
import { noticeParams } from '../../shared/views/components.tsx';

/**
 * A stored problem as it is listed beside its report: short, and naming the county's language
 * (an office setting). The form's longer labels carry the notice rule's figures instead.
 */
export function useProblemLabel() {
  const { t, settings } = usePage();
  return (p: Problem | string) => t(`map.report.problemSeen.${p}`, { language: settings.noticeThirdLanguage || 'Chinese' });
}

/**
 * The questions of every report (is it posted, or why it could not be checked; what is wrong;
 * a note) and, where taken, a photo. Checkboxes and radios only: it works without JavaScript.
 * The problems name the size, type and text line of the notice rule in force; a problem that
 * rule does not make one (no text line before 2019) is not offered.
 */
export function ReportFields({ form, photo, notice }: { form: FormState; photo: boolean; notice: NoticeRule | undefined }) {
  const { t, locale } = usePage();
  const { settings } = usePage();
  const params = notice ? noticeParams(notice, locale, t) : undefined;
  const language = settings.noticeThirdLanguage || 'Chinese';
  const problems = FORM_PROBLEMS.filter((p) => (p === 'too_small' ? params : p === 'no_text_line' ? params?.textLine : true));
  return (
    <>
      <ChoiceGroup state={form} name="observed" legend={t('map.report.observed')} options={OBSERVATIONS.map((o) => ({ value: o, label: t(`map.report.observation.${o}`) }))} />
      <ChoiceGroup
        state={form}
        name="problems"
        multiple
        legend={t('map.report.problems')}
        hint={t('map.report.problemsHint')}
        options={problems.map((p) => ({ value: p, label: t(`map.report.problem.${p}`, { ...params, language }) }))}
      />
      <TextArea state={form} name="note" label={t('map.report.note')} hint={t('map.report.noteHint', { max: NOTE_MAX })} maxLength={NOTE_MAX} rows={photo ? 4 : 3} />
      {photo ? <FileField state={form} name="photo" label={t('map.report.photo')} hint={t('map.report.photoHint')} accept={PHOTO_TYPES} /> : null}
    </>
  );
}
