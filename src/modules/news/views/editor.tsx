import { usePage } from '../../../core/views/context.ts';
import { ConsoleLayout } from '../../../core/views/console-layout.tsx';
import { CsrfField, ErrorSummary, type FormState, SelectField, TextArea, TextField } from '../../../core/views/forms.tsx';
import { NEWS_BODY_MAX } from '../schema.ts';
import type { NewsPostRow } from '../tables.ts';
import { useOfficeTime } from '../../../core/views/time.ts';

export type NewsEditorNotice = 'created' | 'saved' | 'published' | 'unpublished';

export type NewsEditorProps = {
  /** Absent while writing a new post. */
  post?: NewsPostRow;
  /** Languages a new post may be written in. */
  locales: readonly string[];
  form: FormState;
  /** Sanitised HTML of the submitted Markdown, from the one Markdown helper; only after "Preview". */
  previewHtml?: string;
  notice?: NewsEditorNotice;
};

/** Writing or changing a news post: text, a server-rendered preview, publish and unpublish. */
export function NewsEditorPage({ post, locales, form, previewHtml, notice }: NewsEditorProps) {
  const { t, defaultLocale } = usePage();
  const time = useOfficeTime();
  const title = post ? t('content.newsConsole.editTitle') : t('content.newsConsole.newTitle');
  const action = post ? `/console/news/${post.id}` : '/console/news/new';
  const locale = post?.locale ?? (typeof form.values.locale === 'string' ? form.values.locale : defaultLocale);
  const publicUrl = post ? `${post.locale === defaultLocale ? '' : `/${post.locale}`}/news/${post.slug}` : undefined;
  return (
    <ConsoleLayout title={title}>
      <p><a href="/console/news">{t('content.newsConsole.back')}</a></p>
      <h1>{title}</h1>
      {notice ? <p class="notice notice-ok" role="status">{t(`content.newsConsole.notices.${notice}`)}</p> : null}
      {post ? (
        <>
          <p>
            <span class={`badge ${post.status === 'published' ? 'badge-ok' : 'badge-warn'}`}>{t(`content.newsConsole.status.${post.status}`)}</span>{' '}
            {t('content.newsConsole.meta', { who: post.authorLabel, created: time(post.createdAt, 'minute'), updated: time(post.updatedAt, 'minute') })}
          </p>
          {post.status === 'published' && publicUrl ? (
            <p><a href={publicUrl}>{t('content.newsConsole.viewOnSite')}</a></p>
          ) : null}
        </>
      ) : null}
      <ErrorSummary errors={form.errors} />
      {previewHtml !== undefined ? (
        <section aria-labelledby="preview-heading" class="notice">
          <h2 id="preview-heading">{t('content.newsConsole.previewHeading')}</h2>
          <div class="prose" lang={locale}>
            <p><strong>{String(form.values.title ?? '')}</strong></p>
            <p>{String(form.values.summary ?? '')}</p>
            <div dangerouslySetInnerHTML={{ __html: previewHtml }} />
          </div>
        </section>
      ) : null}
      <form method="post" action={action} novalidate>
        <CsrfField />
        {post ? (
          <p>{t('content.newsConsole.languageIs', { language: t(`common.languageName.${post.locale}`) })}</p>
        ) : (
          <SelectField
            state={form}
            name="locale"
            label={t('content.newsConsole.fields.locale')}
            options={locales.map((l) => ({ value: l, label: t(`common.languageName.${l}`) }))}
            defaultValue={defaultLocale}
            required
          />
        )}
        <TextField state={form} name="title" label={t('content.newsConsole.fields.title')} required maxLength={200} autocomplete="off" />
        <TextField state={form} name="slug" label={t('content.newsConsole.fields.slug')} hint={t('content.newsConsole.hints.slug')} maxLength={80} autocomplete="off" />
        <TextField state={form} name="summary" label={t('content.newsConsole.fields.summary')} hint={t('content.newsConsole.hints.summary')} required maxLength={300} autocomplete="off" />
        <TextArea state={form} name="body" label={t('content.newsConsole.fields.body')} hint={t('content.pages.hints.body')} required rows={20} maxLength={NEWS_BODY_MAX} />
        <div class="actions">
          {/* Preview comes first: Enter in a field submits the first button, and that must never publish. */}
          <button type="submit" name="action" value="preview" class="secondary">{t('content.newsConsole.preview')}</button>
          {post?.status === 'published' ? (
            <button type="submit" name="action" value="save">{t('content.newsConsole.saveLive')}</button>
          ) : (
            <>
              <button type="submit" name="action" value="save" class="secondary">{t('content.newsConsole.saveDraft')}</button>
              <button type="submit" name="action" value="publish">{t('content.newsConsole.publish')}</button>
            </>
          )}
        </div>
      </form>
      {post?.status === 'published' ? (
        <form method="post" action={`/console/news/${post.id}/unpublish`}>
          <CsrfField />
          <p class="hint" id="unpublish-hint">{t('content.newsConsole.unpublishHint')}</p>
          <button type="submit" class="secondary" aria-describedby="unpublish-hint">{t('content.newsConsole.unpublish')}</button>
        </form>
      ) : null}
    </ConsoleLayout>
  );
}

export const sampleNewsEditorProps: NewsEditorProps = {
  locales: ['en', 'es'],
  form: { values: { locale: 'en', title: 'A new tip line', summary: 'Report online.', body: 'You can now **report online**.' }, errors: {} },
  previewHtml: '<p>You can now <strong>report online</strong>.</p>',
};
