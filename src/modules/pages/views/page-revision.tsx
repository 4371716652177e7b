import { usePage } from '../../../core/views/context.ts';
import { ConsoleLayout } from '../../../core/views/console-layout.tsx';
import { CsrfField } from '../../../core/views/forms.tsx';
import type { PageRevision } from '../service.ts';
import { editPath } from './format.ts';
import { restoredNote } from './page-history.tsx';
import { useOfficeTime } from '../../../core/views/time.ts';

export type PageRevisionProps = {
  locale: string;
  slug: string;
  revision: PageRevision;
  /** Sanitised HTML of the revision's Markdown, from the one Markdown helper. */
  html: string;
};

/** One old (or the current) version of a page: how it looked, its Markdown, and a way to bring it back. */
export function PageRevisionPage({ locale, slug, revision, html }: PageRevisionProps) {
  const { t } = usePage();
  const time = useOfficeTime();
  const { doc, info } = revision;
  const language = t(`common.languageName.${locale}`);
  const heading =
    revision.revision === 0
      ? t('content.pages.originalTitle', { title: doc.title, language })
      : t('content.pages.revisionTitle', { revision: revision.revision, title: doc.title, language });
  const base = editPath(locale, slug);
  const isCurrent = revision.revision === revision.current;
  return (
    <ConsoleLayout title={heading}>
      <p class="actions">
        <a href={`${base}/revisions`}>{t('content.pages.historyLink')}</a>
        <a href={base}>{t('content.pages.editLink')}</a>
      </p>
      <h1>{heading}</h1>
      {info ? (
        <p>
          {t('content.pages.publishedBy', { when: time(info.createdAt, 'minute'), who: info.authorLabel })}
          {info.restoredFrom != null ? ` ${restoredNote(t, info.restoredFrom)}.` : null}
        </p>
      ) : (
        <p>{t('content.pages.originalNote')}</p>
      )}
      {isCurrent ? (
        <p class="notice" role="note">{t('content.pages.isCurrent')}</p>
      ) : (
        <form method="post" action={`${base}/revisions/${revision.revision}/restore`}>
          <CsrfField />
          <p class="hint" id="restore-hint">{t('content.pages.restoreHint')}</p>
          <button type="submit" aria-describedby="restore-hint">{t('content.pages.restore')}</button>
        </form>
      )}
      <h2>{t('content.pages.fields.summary')}</h2>
      <p lang={locale}>{doc.summary}</p>
      <section aria-labelledby="rendered-heading">
        <h2 id="rendered-heading">{t('content.pages.rendered')}</h2>
        <div class="prose notice" lang={locale} dangerouslySetInnerHTML={{ __html: html }} />
      </section>
      <section aria-labelledby="source-heading">
        <h2 id="source-heading">{t('content.pages.source')}</h2>
        <pre class="table-wrap" lang={locale} tabindex={0}><code>{doc.body}</code></pre>
      </section>
    </ConsoleLayout>
  );
}

export const samplePageRevisionProps: PageRevisionProps = {
  locale: 'en',
  slug: 'contact',
  revision: {
    doc: { title: 'Contact us', summary: 'How to reach the office.', body: '## Phone\n\nCall us.' },
    revision: 1,
    current: 2,
    info: { id: 'r1', locale: 'en', slug: 'contact', revision: 1, title: 'Contact us', authorId: 'a1', authorLabel: 'Ana', createdAt: '2026-03-14T10:00:00.000Z', restoredFrom: null },
  },
  html: '<h2>Phone</h2><p>Call us.</p>',
};
