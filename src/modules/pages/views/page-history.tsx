import type { Translate } from '../../../core/i18n/catalog.ts';
import { usePage } from '../../../core/views/context.ts';
import { DataTable } from '../../../core/views/data-table.tsx';
import { ConsoleLayout } from '../../../core/views/console-layout.tsx';
import type { RevisionInfo } from '../tables.ts';
import { editPath } from './format.ts';
import { useOfficeTime } from '../../../core/views/time.ts';

export type PageHistoryProps = { locale: string; slug: string; title: string; revisions: RevisionInfo[] };

/** Every published version of a page, newest first, ending with the original text. */
export function PageHistoryPage({ locale, slug, title, revisions }: PageHistoryProps) {
  const { t } = usePage();
  const time = useOfficeTime();
  const language = t(`common.languageName.${locale}`);
  const heading = t('content.pages.historyTitle', { title, language });
  const base = editPath(locale, slug);
  const current = revisions[0]?.revision ?? 0;
  const rows: { revision: number; info?: RevisionInfo }[] = [...revisions.map((info) => ({ revision: info.revision, info })), { revision: 0 }];
  return (
    <ConsoleLayout title={heading}>
      <p class="actions">
        <a href="/console/content">{t('content.pages.back')}</a>
        <a href={base}>{t('content.pages.editLink')}</a>
      </p>
      <h1>{heading}</h1>
      {revisions.length === 0 ? <p>{t('content.pages.noRevisions')}</p> : null}
      <DataTable
        caption={heading}
        captionHidden
        wrap
        columns={[t('content.pages.columns.revision'), t('content.pages.columns.when'), t('content.pages.columns.who'), t('content.pages.columns.note')]}
        rows={rows.map(({ revision, info }) => ({
          key: revision,
          cells: [
            <th scope="row">
              <a href={`${base}/revisions/${revision}`}>
                {revision === 0 ? t('content.pages.original') : t('content.pages.revisionNumber', { revision })}
              </a>
              {revision === current ? ` (${t('content.pages.currentMark')})` : null}
            </th>,
            info ? <time datetime={info.createdAt}>{time(info.createdAt, 'minute')}</time> : '—',
            info ? info.authorLabel : '—',
            info?.restoredFrom != null ? restoredNote(t, info.restoredFrom) : null,
          ],
        }))}
      />
    </ConsoleLayout>
  );
}

export function restoredNote(t: Translate, from: number): string {
  return from === 0 ? t('content.pages.restoredFromOriginal') : t('content.pages.restoredFrom', { revision: from });
}

export const samplePageHistoryProps: PageHistoryProps = {
  locale: 'en',
  slug: 'contact',
  title: 'Contact us',
  revisions: [
    { id: 'r2', locale: 'en', slug: 'contact', revision: 2, title: 'Contact us', authorId: 'a1', authorLabel: 'Ana', createdAt: '2026-03-15T10:00:00.000Z', restoredFrom: 0 },
    { id: 'r1', locale: 'en', slug: 'contact', revision: 1, title: 'Contact', authorId: 'a2', authorLabel: 'Ben', createdAt: '2026-03-14T10:00:00.000Z', restoredFrom: null },
  ],
};
