import type { ComponentChildren } from 'preact';
import { usePage } from '../../../../core/views/context.ts';
import { ConsoleLayout } from '../../../../core/views/console-layout.tsx';
import { ChoiceGroup, CsrfField, ErrorSummary, type FormState, SelectField, TextField } from '../../../../core/views/forms.tsx';
import { CATEGORY_EXCEPTIONS } from '../forms.ts';

/** The version an amendment follows: the latest one stored, which may not have started yet. */
export type LatestVersion = { effectiveFrom: string; effectiveTo: string | null; bill: string } | undefined;

type Shell = { title: string; action: string; form: FormState; current: LatestVersion; children: ComponentChildren };

/** What every amendment asks: from which day, and by which bill; then the new values. */
function RuleForm({ title, action, form, current, children }: Shell) {
  const { t } = usePage();
  return (
    <ConsoleLayout title={title}>
      <h1>{title}</h1>
      <p>{t('map.rules.formIntro')}</p>
      <p>{current ? t(current.effectiveTo ? 'map.rules.latestEnded' : 'map.rules.latest', { from: current.effectiveFrom, to: current.effectiveTo ?? '', bill: current.bill }) : t('map.rules.noVersion')}</p>
      <form method="post" action={action} novalidate>
        <CsrfField />
        <ErrorSummary errors={form.errors} />
        <TextField state={form} name="effectiveFrom" type="date" label={t('map.rules.effectiveFrom')} hint={t('map.rules.effectiveFromHint')} />
        <TextField state={form} name="bill" label={t('map.rules.billLabel')} hint={t('map.rules.billHint')} maxLength={200} />
        {children}
        <button type="submit">{t('map.rules.submit')}</button>
      </form>
      <p><a href="/console/map1193/rules">{t('map.rules.back')}</a></p>
    </ConsoleLayout>
  );
}

export function NoticeRulePage({ form, current }: { form: FormState; current: LatestVersion }) {
  const { t } = usePage();
  return (
    <RuleForm title={t('map.rules.amendNotice')} action="/console/map1193/rules/notice" form={form} current={current}>
      <TextField state={form} name="minWidthIn" inputMode="decimal" label={t('map.rules.minWidthIn')} />
      <TextField state={form} name="minHeightIn" inputMode="decimal" label={t('map.rules.minHeightIn')} />
      <TextField state={form} name="minFontPt" inputMode="decimal" label={t('map.rules.minFontPt')} />
      <TextField state={form} name="languages" label={t('map.rules.languages')} hint={t('map.rules.languagesHint')} />
      <TextField state={form} name="nationalHotline" type="tel" label={t('map.rules.nationalHotline')} />
      <TextField state={form} name="textLine" label={t('map.rules.textLine')} hint={t('map.rules.textLineHint')} />
      <TextField state={form} name="castHotline" type="tel" label={t('map.rules.castHotline')} />
    </RuleForm>
  );
}

export function PenaltyRulePage({ form, current }: { form: FormState; current: LatestVersion }) {
  const { t } = usePage();
  return (
    <RuleForm title={t('map.rules.amendPenalty')} action="/console/map1193/rules/penalty" form={form} current={current}>
      <TextField state={form} name="firstOffenceUsd" inputMode="numeric" label={t('map.rules.firstOffenceUsd')} />
      <TextField state={form} name="laterOffenceUsd" inputMode="numeric" label={t('map.rules.laterOffenceUsd')} />
      <TextField state={form} name="cureDays" inputMode="numeric" label={t('map.rules.cureDays')} />
    </RuleForm>
  );
}

export function CategoryRulePage({ code, name, form, current }: { code: string; name: string; form: FormState; current: LatestVersion }) {
  const { t } = usePage();
  return (
    <RuleForm title={t('map.rules.amendCategory', { name })} action={`/console/map1193/rules/categories/${code}`} form={form} current={current}>
      <ChoiceGroup state={form} name="covered" legend={t('map.rules.covered', { name })} options={['yes', 'no'].map((v) => ({ value: v, label: t(`map.rules.coveredChoice.${v}`) }))} />
      <SelectField state={form} name="exception" label={t('map.rules.exceptionLabel')} hint={t('map.rules.exceptionHint')} options={CATEGORY_EXCEPTIONS.map((e) => ({ value: e, label: t(`map.rules.exception.${e}`) }))} />
    </RuleForm>
  );
}
