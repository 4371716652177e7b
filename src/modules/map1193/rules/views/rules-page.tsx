import { usePage } from '../../../../core/views/context.ts';
import { ConsoleLayout } from '../../../../core/views/console-layout.tsx';
import type { RuleRow } from '../../tables.ts';
import { type CategoryInfo, categoryName } from '../categories.ts';
import { categoryValueSchema, noticeValueSchema, penaltyValueSchema } from '../rules.ts';
import { formatUsd } from '../../shared/views/components.tsx';
import { DataTable } from '../../../../core/views/data-table.tsx';

export type RulesPageProps = { rows: RuleRow[]; categories: CategoryInfo[]; today: string; done: 'amended' | 'added' | undefined };

const newestFirst = (a: RuleRow, b: RuleRow) => (a.effectiveFrom < b.effectiveFrom ? 1 : -1);

/** "In force", "from 2027-01-01" or "until 2026-12-31": where a version stands on `today`. */
function Standing({ row, today }: { row: RuleRow; today: string }) {
  const { t } = usePage();
  if (row.effectiveFrom > today) return <>{t('map.rules.upcoming')}</>;
  if (row.effectiveTo !== null && row.effectiveTo <= today) return <>{t('map.rules.ended')}</>;
  return <strong>{t('map.rules.inForce')}</strong>;
}

function Versions({ rows, today, caption, summary }: { rows: RuleRow[]; today: string; caption: string; summary: (row: RuleRow) => string }) {
  const { t } = usePage();
  return (
    <DataTable
      caption={caption}
      columns={[t('map.rules.from'), t('map.rules.to'), t('map.rules.bill'), t('map.rules.what'), t('map.rules.standing')]}
      rows={rows.map((row) => ({ key: row.id, cells: [row.effectiveFrom, row.effectiveTo ?? '—', row.bill, summary(row), <Standing row={row} today={today} />] }))}
      empty={t('map.rules.none')}
    />
  );
}

/** The law as data: every version of the notice, the penalties and each category, and where to amend them. */
export function RulesPage({ rows, categories, today, done }: RulesPageProps) {
  const { t, locale } = usePage();
  const of = (kind: RuleRow['kind'], subject?: string) => rows.filter((r) => r.kind === kind && (subject === undefined || r.subject === subject)).sort(newestFirst);
  const noticeSummary = (row: RuleRow) => {
    const v = noticeValueSchema.parse(JSON.parse(row.value));
    return t('map.rules.noticeSummary', { width: v.minWidthIn, height: v.minHeightIn, points: v.minFontPt, languages: v.languages.join(', '), national: v.nationalHotline, text: v.textLine ?? '—', cast: v.castHotline });
  };
  const penaltySummary = (row: RuleRow) => {
    const v = penaltyValueSchema.parse(JSON.parse(row.value));
    return t('map.rules.penaltySummary', { first: formatUsd(v.firstOffenceUsd, locale), later: formatUsd(v.laterOffenceUsd, locale), days: v.cureDays });
  };
  const categorySummary = (row: RuleRow) => {
    const v = categoryValueSchema.parse(JSON.parse(row.value));
    return v.exception ? t(`map.rules.exception.${v.exception}`) : t('map.rules.exception.none');
  };
  return (
    <ConsoleLayout title={t('map.rules.title')}>
      <h1>{t('map.rules.title')}</h1>
      <p>{t('map.rules.intro')}</p>
      {done ? <p role="status" class="notice">{t(done === 'added' ? 'map.rules.added' : 'map.rules.saved')}</p> : null}
      <h2>{t('map.rules.notice')}</h2>
      <Versions rows={of('notice')} today={today} caption={t('map.rules.notice')} summary={noticeSummary} />
      <p><a href="/console/map1193/rules/notice">{t('map.rules.amendNotice')}</a></p>
      <h2>{t('map.rules.penalty')}</h2>
      <Versions rows={of('penalty')} today={today} caption={t('map.rules.penalty')} summary={penaltySummary} />
      <p><a href="/console/map1193/rules/penalty">{t('map.rules.amendPenalty')}</a></p>
      <h2>{t('map.rules.categories')}</h2>
      <p><a href="/console/map1193/rules/categories/new">{t('map.rules.addCategory')}</a></p>
      {categories.map(({ code }) => {
        const name = categoryName(categories, code, locale);
        return (
          <section key={code} aria-labelledby={`rule-${code}`}>
            <h3 id={`rule-${code}`}>{name} <code>{code}</code></h3>
            <Versions rows={of('category', code)} today={today} caption={name} summary={categorySummary} />
            <p><a href={`/console/map1193/rules/categories/${code}`}>{t('map.rules.amendCategory', { name })}</a></p>
          </section>
        );
      })}
    </ConsoleLayout>
  );
}
