import { usePage } from '../../../../core/views/context.ts';
import { ConsoleLayout } from '../../../../core/views/console-layout.tsx';
import { CsrfField, ErrorSummary, type FormState, TextArea, TextField } from '../../../../core/views/forms.tsx';

/** Adding a kind of establishment the legislature named: code, a name (and why) in each language, bill, day. */
export function NewCategoryPage({ form, locales }: { form: FormState; locales: readonly string[] }) {
  const { t } = usePage();
  const title = t('map.rules.addCategory');
  return (
    <ConsoleLayout title={title}>
      <h1>{title}</h1>
      <p>{t('map.rules.addCategoryIntro')}</p>
      <form method="post" action="/console/map1193/rules/categories/new" novalidate>
        <CsrfField />
        <ErrorSummary errors={form.errors} />
        <TextField state={form} name="code" label={t('map.rules.code')} hint={t('map.rules.codeHint')} maxLength={40} />
        {locales.map((locale) => (
          <TextField key={`name_${locale}`} state={form} name={`name_${locale}`} label={t('map.rules.nameIn', { language: t(`common.languageName.${locale}`) })} maxLength={120} />
        ))}
        {locales.map((locale) => (
          <TextArea
            key={`description_${locale}`}
            state={form}
            name={`description_${locale}`}
            label={t('map.rules.descriptionIn', { language: t(`common.languageName.${locale}`) })}
            hint={t('map.rules.descriptionHint')}
            maxLength={1000}
            rows={3}
          />
        ))}
        <TextField state={form} name="bill" label={t('map.rules.billLabel')} hint={t('map.rules.billHint')} maxLength={200} />
        <TextField state={form} name="effectiveFrom" type="date" label={t('map.rules.coveredFrom')} hint={t('map.rules.coveredFromHint')} />
        <button type="submit">{t('map.rules.addCategorySubmit')}</button>
      </form>
      <p><a href="/console/map1193/rules">{t('map.rules.back')}</a></p>
    </ConsoleLayout>
  );
}
