import { usePage } from '../../../../core/views/context.ts';
import { ConsoleLayout } from '../../../../core/views/console-layout.tsx';
import { CsrfField, ErrorSummary, FileField, type FormState, SelectField, TextField } from '../../../../core/views/forms.tsx';
import { mappingInput } from '../forms.ts';
import { IMPORT_FIELDS, type ImportReport } from '../import.ts';
import { type CategoryInfo, categoryName } from '../../rules/categories.ts';
import { DataTable } from '../../../../core/views/data-table.tsx';

export type ImportPageProps = { form: FormState; report?: ImportReport; maxMb: number; categories: CategoryInfo[] };

/** Rejected rows shown on the page; the command line writes all of them to a file. */
export const REJECTS_SHOWN = 500;

function ImportResult({ report }: { report: ImportReport }) {
  const { t } = usePage();
  const shown = report.rejected.slice(0, REJECTS_SHOWN);
  return (
    <section aria-labelledby="import-result" class="notice">
      <h2 id="import-result">{t('map.import.result.title', { source: report.source })}</h2>
      <p role="status">{t('map.import.result.summary', { total: report.total, inserted: report.inserted, updated: report.updated, rejected: report.rejected.length })}</p>
      {shown.length > 0 ? (
        <DataTable
          caption={t('map.import.result.rejected')}
          columns={[t('map.import.result.row'), t('map.import.result.reason'), t('map.import.result.externalId'), t('map.import.result.name')]}
          rows={shown.map((r) => ({ key: `${r.row}`, cells: [r.row, t(`map.import.reason.${r.reason}`), r.externalId, r.name] }))}
        />
      ) : null}
      {report.rejected.length > shown.length ? <p>{t('map.import.result.more', { count: report.rejected.length - shown.length })}</p> : null}
    </section>
  );
}

/** Businesses from a CSV or GeoJSON file: the console's side of `heatwatch import businesses`. */
export function ImportPage({ form, report, maxMb, categories }: ImportPageProps) {
  const { t, locale } = usePage();
  return (
    <ConsoleLayout title={t('map.import.title')}>
      <h1>{t('map.import.title')}</h1>
      <p>{t('map.import.intro')}</p>
      {report ? <ImportResult report={report} /> : null}
      <form method="post" action="/console/map1193/import" enctype="multipart/form-data" novalidate>
        <CsrfField />
        <ErrorSummary errors={form.errors} />
        <FileField state={form} name="file" label={t('map.import.file')} hint={t('map.import.fileHint', { mb: maxMb })} accept=".csv,.geojson,.json,text/csv,application/geo+json,application/json" />
        <TextField state={form} name="source" label={t('map.import.source')} hint={t('map.import.sourceHint')} maxLength={100} />
        <SelectField state={form} name="format" label={t('map.import.format')} options={['auto', 'csv', 'geojson'].map((f) => ({ value: f, label: t(`map.import.formats.${f}`) }))} />
        <SelectField
          state={form}
          name="category"
          label={t('map.import.category')}
          hint={t('map.import.categoryHint')}
          options={[{ value: '', label: t('map.import.noCategory') }, ...categories.map((c) => ({ value: c.code, label: categoryName(categories, c.code, locale) }))]}
        />
        <fieldset>
          <legend>{t('map.import.mapping')}</legend>
          <p class="hint">{t('map.import.mappingHint')}</p>
          {IMPORT_FIELDS.map((field) => (
            <TextField key={field} state={form} name={mappingInput(field)} label={t('map.import.column', { field })} maxLength={100} />
          ))}
        </fieldset>
        <button type="submit">{t('map.import.submit')}</button>
      </form>
    </ConsoleLayout>
  );
}
