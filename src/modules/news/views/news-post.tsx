import { usePage } from '../../../core/views/context.ts';
import { Layout } from '../../../core/views/layout.tsx';
import { useOfficeTime } from '../../../core/views/time.ts';

export type NewsPostProps = {
  post: { locale: string; title: string; summary: string; publishedAt: string; updatedAt: string };
  /** Sanitised HTML from the one Markdown helper. */
  html: string;
};

/** One published post. A post in another language than the visitor's says so and carries its own `lang`. */
export function NewsPostPage({ post, html }: NewsPostProps) {
  const { t, href, locale } = usePage();
  const time = useOfficeTime();
  const foreign = post.locale !== locale;
  // Edited on a later office day than it was published: a same-day fix is not news.
  const edited = post.updatedAt > post.publishedAt && time(post.updatedAt, 'date') !== time(post.publishedAt, 'date');
  return (
    <Layout title={post.title} description={post.summary}>
      <p><a href={href('/news')}>{t('content.news.all')}</a></p>
      {foreign ? (
        <p class="notice" role="note">{t('content.news.otherLanguage', { language: t(`common.languageName.${post.locale}`) })}</p>
      ) : null}
      <article class="prose" lang={foreign ? post.locale : undefined}>
        <h1>{post.title}</h1>
        <p>
          <time datetime={post.publishedAt}>{time(post.publishedAt, 'date')}</time>
          {edited ? (
            <>
              {' · '}
              {t('content.news.updated')} <time datetime={post.updatedAt}>{time(post.updatedAt, 'date')}</time>
            </>
          ) : null}
        </p>
        <div dangerouslySetInnerHTML={{ __html: html }} />
      </article>
    </Layout>
  );
}

export const sampleNewsPostProps: NewsPostProps = {
  post: { locale: 'en', title: 'A new tip line', summary: 'Report online.', publishedAt: '2026-03-14T10:00:00.000Z', updatedAt: '2026-03-14T10:00:00.000Z' },
  html: '<p>You can now report online.</p>',
};
