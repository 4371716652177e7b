import { usePage } from '../../../core/views/context.ts';
import { ConsoleLayout } from '../../../core/views/console-layout.tsx';
import { CsrfField, ErrorSummary, type FormState, TextArea, TextField } from '../../../core/views/forms.tsx';
import { PAGE_BODY_MAX } from '../schema.ts';
import type { RevisionInfo } from '../tables.ts';
import { editPath, publicPath } from './format.ts';
import { useOfficeTime } from '../../../core/views/time.ts';

export type PageEditorNotice = 'published' | 'unchanged' | 'restored';

export type PageEditorProps = {
  locale: string;
  slug: string;
  /** The title as published now, for the heading (the form may hold an edited one). */
  currentTitle: string;
  latest: RevisionInfo | undefined;
  form: FormState;
  /** Sanitised HTML of the submitted Markdown, from the one Markdown helper; only after "Preview". */
  previewHtml?: string;
  notice?: PageEditorNotice;
};

/** Title, summary and Markdown of one page in one language, with a server-rendered preview. */
export function PageEditorPage({ locale, slug, currentTitle, latest, form, previewHtml, notice }: PageEditorProps) {
  const { t, defaultLocale } = usePage();
  const time = useOfficeTime();
  const language = t(`common.languageName.${locale}`);
  const title = t('content.pages.editTitle', { title: currentTitle, language });
  const base = editPath(locale, slug);
  return (
    <ConsoleLayout title={title}>
      <p><a href="/console/content">{t('content.pages.back')}</a></p>
      <h1>{title}</h1>
      {notice ? <p class="notice notice-ok" role="status">{t(`content.pages.notices.${notice}`)}</p> : null}
      <p>
        {latest
          ? t('content.pages.currentRevision', { revision: latest.revision, when: time(latest.createdAt, 'minute'), who: latest.authorLabel })
          : t('content.pages.currentOriginal')}
      </p>
      <p class="actions">
        <a href={`${base}/revisions`}>{t('content.pages.historyLink')}</a>
        <a href={publicPath(locale, defaultLocale, slug)}>{t('content.pages.viewOnSite')}</a>
      </p>
      <ErrorSummary errors={form.errors} />
      {previewHtml !== undefined ? (
        <section aria-labelledby="preview-heading" class="notice">
          <h2 id="preview-heading">{t('content.pages.previewHeading')}</h2>
          <div class="prose" lang={locale} dangerouslySetInnerHTML={{ __html: previewHtml }} />
        </section>
      ) : null}
      <form method="post" action={base} novalidate>
        <CsrfField />
        <input type="hidden" name="base" value={String(form.values.base ?? '0')} />
        <TextField state={form} name="title" label={t('content.pages.fields.title')} hint={slug === 'home' ? t('content.pages.hints.homeTitle') : undefined} required maxLength={200} autocomplete="off" />
        <TextField state={form} name="summary" label={t('content.pages.fields.summary')} hint={t('content.pages.hints.summary')} required maxLength={300} autocomplete="off" />
        <TextArea state={form} name="body" label={t('content.pages.fields.body')} hint={t('content.pages.hints.body')} required rows={24} maxLength={PAGE_BODY_MAX} />
        <div class="actions">
          {/* Preview comes first: Enter in a field submits the first button, and that must never publish. */}
          <button type="submit" name="action" value="preview" class="secondary">{t('content.pages.preview')}</button>
          <button type="submit" name="action" value="publish">{t('content.pages.publish')}</button>
        </div>
      </form>
    </ConsoleLayout>
  );
}

export const samplePageEditorProps: PageEditorProps = {
  locale: 'en',
  slug: 'contact',
  currentTitle: 'Contact us',
  latest: undefined,
  form: { values: { base: '0', title: 'Contact us', summary: 'How to reach the office.', body: '## Phone\n\nCall us.' }, errors: {} },
  previewHtml: '<h2>Phone</h2><p>Call us.</p>',
};
