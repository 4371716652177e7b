import { usePage } from '../../../../core/views/context.ts';
import { CsrfField, ErrorSummary, type FormState } from '../../../../core/views/forms.tsx';
import { Layout } from '../../../../core/views/layout.tsx';
import { categoryDescription, type CategoryInfo, categoryName } from '../../rules/categories.ts';
import type { PublicBusiness } from '../repo.ts';
import { type CategoryRule, lawDay, type RuleSet } from '../../rules/rules.ts';
import type { HistoryEntry } from '../service.ts';
import { formatDay, ModuleStyles, penaltyParams, StatusBadge } from '../../shared/views/components.tsx';
import { ReportFields, useProblemLabel } from '../../reports/views/report-fields.tsx';
import { CommunityPicture } from '../../reports/views/community.tsx';
import type { Community } from '../../reports/community.ts';

export type BusinessPageProps = {
  business: PublicBusiness;
  rule: CategoryRule | undefined;
  /** The notice and penalty rules in force today: the figures the page quotes. */
  law: Pick<RuleSet, 'notice' | 'penalty'>;
  categories: CategoryInfo[];
  history: HistoryEntry[];
  community: Community;
  form: FormState;
  /** A fresh UUID per rendering: sending the same form twice stores one report. */
  reportId: string;
};

function ReportForm({ business, form, reportId, law }: Pick<BusinessPageProps, 'business' | 'form' | 'reportId' | 'law'>) {
  const { t, href } = usePage();
  return (
    <form method="post" action={href(`/map1193/businesses/${business.id}/report`)} enctype="multipart/form-data" class="report-form">
      <ErrorSummary errors={form.errors} />
      <CsrfField />
      <input type="hidden" name="reportId" value={reportId} />
      <ReportFields form={form} photo notice={law.notice} />
      <p class="hint">{t('map.report.anonymous')}</p>
      <button type="submit">{t('map.report.submit')}</button>
      <p class="hint"><a href={`/console/map1193/businesses/${business.id}/report`}>{t('map.report.asVolunteer')}</a></p>
      <p class="hint"><a href={href('/map1193/report-status')}>{t('map.report.statusLink')}</a></p>
    </form>
  );
}

function History({ history }: { history: HistoryEntry[] }) {
  const { t, locale } = usePage();
  const problemLabel = useProblemLabel();
  if (history.length === 0) return <p>{t('map.business.noHistory')}</p>;
  return (
    <ol class="history">
      {history.map((entry, i) => (
        <li key={i}>
          <span class="history-day">{formatDay(entry.day, locale)}</span>{' '}
          {entry.kind === 'status' ? (
            <>
              {t('map.business.statusChanged')} <StatusBadge status={entry.status} />
            </>
          ) : (
            <>
              {t(`map.business.reported.${entry.observed}`)}
              {entry.problems.length ? ` (${entry.problems.map(problemLabel).join('; ')})` : ''}
            </>
          )}
        </li>
      ))}
    </ol>
  );
}

/** One business: why the law covers it, where it stands, what people have seen, and the report form. */
export function BusinessPage({ business, rule, law, categories, history, community, form, reportId }: BusinessPageProps) {
  const { t, href, locale, settings } = usePage();
  const why = categoryDescription(categories, business.category, locale);
  const errors = Object.keys(form.errors).length > 0;
  return (
    <Layout title={errors ? t('map.report.errorTitle', { name: business.name }) : business.name} pageClass="map1193-page">
      <ModuleStyles names={['map1193.css']} />
      <p class="breadcrumb"><a href={href('/map1193')}>{t('map.business.back')}</a></p>
      <h1>{business.name}</h1>
      <p class="business-address">{[business.address, business.city].filter(Boolean).join(', ')}</p>
      <dl class="business-facts">
        <dt>{t('map.business.category')}</dt>
        <dd>{categoryName(categories, business.category, locale)}</dd>
        <dt>{t('map.business.officialStatus')}</dt>
        <dd><StatusBadge status={business.status} /></dd>
        <dt>{t('map.community.heading')}</dt>
        <dd><CommunityPicture community={community} /></dd>
        {business.lastReportAt ? (
          <>
            <dt>{t('map.business.lastReport')}</dt>
            <dd>{formatDay(lawDay(new Date(business.lastReportAt), settings.timeZone), locale)}</dd>
          </>
        ) : null}
      </dl>
      <section aria-labelledby="why-heading">
        <h2 id="why-heading">{t('map.business.whyHeading')}</h2>
        {why ? <p>{why}</p> : null}
        {rule ? <p>{t('map.business.since', { date: formatDay(rule.since, locale), bill: rule.bill })}</p> : <p>{t('map.business.notCovered')}</p>}
        <p class="hint">{t(`map.status.about.${business.status}`)} {t('map.community.hint')}</p>
        {rule && law.penalty ? <p class="hint">{t('map.business.cureDays', penaltyParams(law.penalty, locale))}</p> : null}
      </section>
      <section aria-labelledby="report-heading">
        <h2 id="report-heading">{t('map.report.heading')}</h2>
        <p>{t('map.report.intro')}</p>
        <ReportForm business={business} form={form} reportId={reportId} law={law} />
      </section>
      <section aria-labelledby="history-heading">
        <h2 id="history-heading">{t('map.business.historyHeading')}</h2>
        <p class="hint">{t('map.business.historyHint')}</p>
        <History history={history} />
      </section>
    </Layout>
  );
}

/** After a report; an anonymous reporter gets the outcome code here, once (it is stored only as an HMAC). */
export function ThanksPage({ business, code }: { business: PublicBusiness; code?: string | undefined }) {
  const { t, href } = usePage();
  return (
    <Layout title={t('map.thanks.title')} pageClass="map1193-page" noindex>
      <ModuleStyles names={['map1193.css']} />
      <h1>{t('map.thanks.title')}</h1>
      <p class="notice notice-ok">{t('map.thanks.body', { name: business.name })}</p>
      <p>{t('map.thanks.next')}</p>
      {code ? (
        <section aria-labelledby="code-heading">
          <h2 id="code-heading">{t('map.thanks.codeHeading')}</h2>
          <p class="report-code"><strong>{code}</strong></p>
          <p>{t('map.thanks.codeBody')}</p>
          <p><a href={href('/map1193/report-status')}>{t('map.thanks.statusLink')}</a></p>
        </section>
      ) : null}
      <ul>
        <li><a href={href(`/map1193/businesses/${business.id}`)}>{t('map.thanks.backToBusiness', { name: business.name })}</a></li>
        <li><a href={href('/map1193')}>{t('map.thanks.backToMap')}</a></li>
      </ul>
    </Layout>
  );
}
