import type { ComponentChildren } from 'preact';
import { usePage } from '../../../core/views/context.ts';
import type { TipAnswers } from '../model.ts';
import type { FileView } from '../triage.service.ts';
import { MultiLine } from './fields.tsx';

function Row({ label, children }: { label: string; children: ComponentChildren }) {
  // An unanswered question is left out: a column of "not given" hides the answers there are.
  if (children === undefined || children === null || children === '') return null;
  return (
    <>
      <dt>{label}</dt>
      <dd>{children}</dd>
    </>
  );
}

/** The tipster's answers, decrypted, each under the question it answers. */
export function AnswersList({ answers }: { answers: TipAnswers }) {
  const { t } = usePage();
  const text = (value: string | undefined) => (value?.trim() ? <MultiLine text={value} /> : undefined);
  return (
    <dl class="answers">
      <Row label={t('tips.form.whatHappened')}>{text(answers.whatHappened)}</Row>
      <Row label={t('tips.form.kind')}>{t(`tips.kinds.${answers.kind}`)}</Row>
      <Row label={t('tips.form.whereAddress')}>{text(answers.where.address)}</Row>
      <Row label={t('tips.form.whereCity')}>{text(answers.where.city)}</Row>
      <Row label={t('tips.form.whereBusiness')}>{text(answers.where.business)}</Row>
      <Row label={t('tips.form.whereDetails')}>{text(answers.where.details)}</Row>
      <Row label={t('tips.form.when')}>{text(answers.when)}</Row>
      <Row label={t('tips.form.peopleCount')}>{text(answers.people.count)}</Row>
      <Row label={t('tips.form.peopleAges')}>{text(answers.people.ages)}</Row>
      <Row label={t('tips.form.minor')}>{t(`tips.answers.${answers.minor}`)}</Row>
      <Row label={t('tips.form.danger')}>{t(`tips.form.danger_${answers.danger}`)}</Row>
      <Row label={t('tips.form.signs')}>
        {answers.signs.length ? (
          <ul>{answers.signs.map((s) => <li key={s}>{t(`tips.signs.${s}`)}</li>)}</ul>
        ) : undefined}
      </Row>
      <Row label={t('tips.form.signsOther')}>{text(answers.signsOther)}</Row>
      <Row label={t('tips.form.vehicles')}>{text(answers.vehicles)}</Row>
      <Row label={t('tips.form.phones')}>{text(answers.phones)}</Row>
      <Row label={t('tips.form.online')}>{text(answers.online)}</Row>
    </dl>
  );
}

const sizeLabel = (bytes: number) => (bytes >= 1024 * 1024 ? `${(bytes / 1024 / 1024).toFixed(1)} MB` : `${Math.max(1, Math.round(bytes / 1024))} kB`);

/** Files as links to their decrypted download; each opening is audited. */
export function FileList({ tipId, files }: { tipId: string; files: FileView[] }) {
  const { t } = usePage();
  if (files.length === 0) return null;
  return (
    <ul>
      {files.map((f) => (
        <li key={f.id}>
          <a href={`/console/tips/${tipId}/files/${f.id}`}>{f.name}</a> ({f.mime === 'application/pdf' ? t('tips.detail.pdf') : t('tips.detail.image')}, {sizeLabel(f.size)})
        </li>
      ))}
    </ul>
  );
}
