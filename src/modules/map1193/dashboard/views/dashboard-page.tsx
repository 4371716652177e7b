import { usePage } from '../../../../core/views/context.ts';
import { ConsoleLayout } from '../../../../core/views/console-layout.tsx';
import type { dashboard, Rate, TrendFilter } from '../service.ts';
import { type CategoryInfo, categoryName } from '../../rules/categories.ts';
import { BarChart, ColumnChart } from './charts.tsx';
import { ModuleStyles } from '../../shared/views/components.tsx';
import { DataTable } from '../../../../core/views/data-table.tsx';

export type DashboardPageProps = { data: Awaited<ReturnType<typeof dashboard>>; trend: TrendFilter; cities: string[]; categories: CategoryInfo[] };

const percent = (part: number, whole: number) => (whole > 0 ? Math.round((part / whole) * 100) : 0);

function RateSection({ id, title, head, rates, label }: { id: string; title: string; head: string; rates: Rate[]; label: (r: Rate) => string }) {
  const { t } = usePage();
  const shown = rates.filter((r) => r.known > 0);
  return (
    <section aria-labelledby={`${id}-h`}>
      <h2 id={`${id}-h`}>{title}</h2>
      {shown.length === 0 ? (
        <p>{t('map.dashboard.noData')}</p>
      ) : (
        <BarChart id={id} title={title} max={100} bars={shown.map((r) => ({ label: label(r), value: percent(r.compliant, r.known), text: `${percent(r.compliant, r.known)}%` }))} />
      )}
      <DataTable
        caption={title}
        columns={[head, t('map.dashboard.rate'), t('map.dashboard.compliant'), t('map.dashboard.known'), t('map.dashboard.awaiting'), t('map.dashboard.total')]}
        rows={rates.map((r) => ({
          key: r.label,
          cells: [<th scope="row">{label(r)}</th>, r.known > 0 ? `${percent(r.compliant, r.known)}%` : '—', r.compliant, r.known, r.awaiting, r.total],
        }))}
      />
    </section>
  );
}

/** The MAP1193 dashboard: compliance by city and category, reports and compliance per week, open cases by age. */
export function DashboardPage({ data, trend, cities, categories }: DashboardPageProps) {
  const { t, locale } = usePage();
  const scope = [trend.city, trend.category ? categoryName(categories, trend.category, locale) : undefined].filter(Boolean).join(', ');
  const weeksTitle = scope ? t('map.dashboard.weeksFor', { scope }) : t('map.dashboard.weeks');
  return (
    <ConsoleLayout title={t('map.dashboard.title')}>
      <ModuleStyles names={['map1193.css']} />
      <h1>{t('map.dashboard.title')}</h1>
      <p>{t('map.dashboard.intro')}</p>
      <RateSection id="by-city" title={t('map.dashboard.byCity')} head={t('map.dashboard.city')} rates={data.byCity} label={(r) => r.label} />
      <RateSection id="by-category" title={t('map.dashboard.byCategory')} head={t('map.dashboard.category')} rates={data.byCategory} label={(r) => categoryName(categories, r.label, locale)} />
      <section aria-labelledby="weeks-h">
        <h2 id="weeks-h">{weeksTitle}</h2>
        <form method="get" action="/console/map1193/dashboard" class="map-filters">
          <div class="field">
            <label for="trend-city">{t('map.dashboard.city')}</label>
            <select id="trend-city" name="city">
              <option value="">{t('map.dashboard.allCities')}</option>
              {cities.map((c) => <option key={c} value={c} selected={c === trend.city}>{c}</option>)}
            </select>
          </div>
          <div class="field">
            <label for="trend-category">{t('map.dashboard.category')}</label>
            <select id="trend-category" name="category">
              <option value="">{t('map.dashboard.allCategories')}</option>
              {categories.map((c) => <option key={c.code} value={c.code} selected={c.code === trend.category}>{categoryName(categories, c.code, locale)}</option>)}
            </select>
          </div>
          <div class="map-filters-actions">
            <button type="submit">{t('map.dashboard.showTrend')}</button>
          </div>
        </form>
        <ColumnChart
          id="weeks"
          title={weeksTitle}
          columns={data.weeks.map((w) => ({ label: w.week.slice(5), value: w.reports, text: String(w.reports) }))}
          rates={data.weeks.map((w) => (w.judged > 0 ? w.compliant / w.judged : null))}
          axes={{ x: t('map.dashboard.axisWeek'), count: t('map.dashboard.axisReports'), rate: t('map.dashboard.axisRate') }}
        />
        <p>{t('map.dashboard.weeksLegend')}</p>
        <DataTable
          caption={weeksTitle}
          columns={[t('map.dashboard.week'), t('map.dashboard.reports'), t('map.dashboard.rate')]}
          rows={data.weeks.map((w) => ({ key: w.week, cells: [<th scope="row">{w.week}</th>, w.reports, w.judged > 0 ? `${percent(w.compliant, w.judged)}%` : '—'] }))}
        />
      </section>
      <section aria-labelledby="ages-h">
        <h2 id="ages-h">{t('map.dashboard.ages')}</h2>
        <BarChart id="ages" title={t('map.dashboard.ages')} max={Math.max(1, ...data.ages.map((a) => a.count))} bars={data.ages.map((a) => ({ label: t(`map.dashboard.age.${a.bucket}`), value: a.count, text: String(a.count) }))} />
        <table>
          <caption>{t('map.dashboard.ages')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('map.dashboard.ageColumn')}</th>
              <th scope="col">{t('map.dashboard.casesColumn')}</th>
            </tr>
          </thead>
          <tbody>
            {data.ages.map((a) => (
              <tr key={a.bucket}>
                <th scope="row">{t(`map.dashboard.age.${a.bucket}`)}</th>
                <td>{a.count}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
    </ConsoleLayout>
  );
}
