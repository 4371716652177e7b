import { usePage } from '../../../core/views/context.ts';
import { ConsoleLayout } from '../../../core/views/console-layout.tsx';
import { DataTable } from '../../../core/views/data-table.tsx';
import type { PageOverviewRow } from '../service.ts';
import { editPath } from './format.ts';
import { useOfficeTime } from '../../../core/views/time.ts';

export type ContentListProps = { rows: PageOverviewRow[] };

/** Every public page in every language, with who changed it last: the way into the editor. */
export function ContentListPage({ rows }: ContentListProps) {
  const { t } = usePage();
  const time = useOfficeTime();
  return (
    <ConsoleLayout title={t('content.pages.listTitle')}>
      <h1>{t('content.pages.listTitle')}</h1>
      <p>{t('content.pages.listIntro')}</p>
      <DataTable
        caption={t('content.pages.listTitle')}
        captionHidden
        wrap
        columns={[t('content.pages.columns.page'), t('content.pages.columns.language'), t('content.pages.columns.lastChange'), t('content.pages.columns.history')]}
        rows={rows.map((row) => ({
          key: `${row.locale}/${row.slug}`,
          cells: [
            <th scope="row">
              <a href={editPath(row.locale, row.slug)} lang={row.locale}>{row.title}</a>
            </th>,
            <td lang={row.locale}>{t(`common.languageName.${row.locale}`)}</td>,
            row.latest ? t('content.pages.changedBy', { when: time(row.latest.createdAt, 'minute'), who: row.latest.authorLabel }) : t('content.pages.original'),
            <a href={`${editPath(row.locale, row.slug)}/revisions`}>
              {t('content.pages.historyLink')}
              <span class="visually-hidden">{` (${row.title}, ${t(`common.languageName.${row.locale}`)})`}</span>
            </a>,
          ],
        }))}
      />
    </ConsoleLayout>
  );
}

export const sampleContentListProps: ContentListProps = {
  rows: [
    { locale: 'en', slug: 'contact', title: 'Contact us', latest: undefined },
    {
      locale: 'es',
      slug: 'contact',
      title: 'Contáctenos',
      latest: { id: 'r1', locale: 'es', slug: 'contact', revision: 2, title: 'Contáctenos', authorId: 'a1', authorLabel: 'Ana', createdAt: '2026-03-14T10:00:00.000Z', restoredFrom: null },
    },
  ],
};
