import { usePage } from '../../../../core/views/context.ts';
import { ChoiceGroup, ErrorSummary, type FormState } from '../../../../core/views/forms.tsx';
import { Layout } from '../../../../core/views/layout.tsx';
import { categoryDescription, type CategoryInfo, categoryName } from '../../rules/categories.ts';
import type { Category, CategoryRule, RuleSet } from '../../rules/rules.ts';
import { formatDay, ModuleStyles, noticeParams, penaltyParams } from '../../shared/views/components.tsx';

export type CheckResult = { covered: boolean; reason?: 'not_yet' | 'exception'; rule: CategoryRule | undefined };

export type CheckPageProps = { categories: CategoryInfo[] } & (
  | { step: 'category'; form: FormState }
  | { step: 'question'; form: FormState; category: Category; exception: string }
  | { step: 'result'; category: Category; result: CheckResult; law: Pick<RuleSet, 'notice' | 'penalty'> }
);

function CategoryStep({ form, categories }: { form: FormState; categories: CategoryInfo[] }) {
  const { t, href, locale } = usePage();
  return (
    <form method="get" action={href('/map1193/check')}>
      <ErrorSummary errors={form.errors} />
      <ChoiceGroup
        state={form}
        name="category"
        legend={t('map.check.categoryLegend')}
        options={categories.map((c) => ({ value: c.code, label: categoryName(categories, c.code, locale) }))}
      />
      <p class="hint">{t('map.check.noneHint')}</p>
      <button type="submit">{t('map.check.continue')}</button>
    </form>
  );
}

function QuestionStep({ form, category, exception, categories }: { form: FormState; category: Category; exception: string; categories: CategoryInfo[] }) {
  const { t, href, locale } = usePage();
  return (
    <form method="get" action={href('/map1193/check')}>
      <ErrorSummary errors={form.errors} />
      <p>{t('map.check.youChose', { category: categoryName(categories, category, locale) })}</p>
      <input type="hidden" name="category" value={category} />
      <ChoiceGroup
        state={form}
        name="answer"
        legend={t(`map.check.question.${exception}`)}
        hint={t(`map.check.questionHint.${exception}`)}
        options={[
          { value: 'yes', label: t('map.check.yes') },
          { value: 'no', label: t('map.check.no') },
        ]}
      />
      <button type="submit">{t('map.check.seeAnswer')}</button>
    </form>
  );
}

function ResultStep({ category, result, law, categories }: { category: Category; result: CheckResult; law: Pick<RuleSet, 'notice' | 'penalty'>; categories: CategoryInfo[] }) {
  const { t, href, locale } = usePage();
  const name = categoryName(categories, category, locale);
  const why = categoryDescription(categories, category, locale);
  return (
    <>
      <div class={result.covered ? 'notice notice-danger' : 'notice notice-ok'}>
        <h2>{result.covered ? t('map.check.covered', { category: name }) : t('map.check.notCovered', { category: name })}</h2>
        {result.rule && result.covered ? <p>{t('map.check.coveredSince', { date: formatDay(result.rule.since, locale), bill: result.rule.bill })}</p> : null}
        {result.reason === 'exception' ? <p>{t(`map.check.exceptionApplies.${result.rule?.exception ?? 'certified_practitioners'}`)}</p> : null}
        {result.reason === 'not_yet' ? <p>{t('map.check.notYet')}</p> : null}
      </div>
      {why ? <p>{why}</p> : null}
      {result.covered ? (
        <>
          <h2>{t('map.check.whatToDo')}</h2>
          {law.notice ? <p>{t('map.check.whatToDoBody', noticeParams(law.notice, locale, t))}</p> : null}
          {law.penalty ? <p>{t('map.check.whatToDoPenalty', penaltyParams(law.penalty, locale))}</p> : null}
          <p><a class="button" href={href('/map1193/notice')}>{t('map.check.printNotice')}</a></p>
        </>
      ) : (
        <p>{t('map.check.stillWelcome')} <a href={href('/map1193/notice')}>{t('map.check.printNotice')}</a></p>
      )}
      <p><a href={href('/map1193/check')}>{t('map.check.again')}</a></p>
    </>
  );
}

/** "Does the law cover my business?": a category, an exception question when there is one, the answer. */
export function CheckPage(props: CheckPageProps) {
  const { t } = usePage();
  const hasErrors = props.step !== 'result' && Object.keys(props.form.errors).length > 0;
  return (
    <Layout title={hasErrors ? t('map.check.errorTitle') : t('map.check.title')} description={t('map.check.intro')} pageClass="map1193-page">
      <ModuleStyles names={['map1193.css']} />
      <h1>{t('map.check.title')}</h1>
      <p class="lead">{t('map.check.intro')}</p>
      {props.step === 'category' ? <CategoryStep form={props.form} categories={props.categories} /> : null}
      {props.step === 'question' ? <QuestionStep form={props.form} category={props.category} exception={props.exception} categories={props.categories} /> : null}
      {props.step === 'result' ? <ResultStep category={props.category} result={props.result} law={props.law} categories={props.categories} /> : null}
      <p class="hint">{t('map.check.disclaimer')}</p>
    </Layout>
  );
}
