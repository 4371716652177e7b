import { usePage } from '../../../core/views/context.ts';
import { Layout } from '../../../core/views/layout.tsx';
import { useOfficeTime } from '../../../core/views/time.ts';

export type NewsListItem = { slug: string; title: string; summary: string; publishedAt: string };

export type NewsListProps = { posts: NewsListItem[]; page: number; hasOlder: boolean };

/** The public news list in the visitor's language, newest first, ten to a page. */
export function NewsListPage({ posts, page, hasOlder }: NewsListProps) {
  const { t, href, settings } = usePage();
  const time = useOfficeTime();
  const title = page > 1 ? t('content.news.titlePage', { page }) : t('content.news.title');
  const pageHref = (n: number) => (n === 1 ? href('/news') : `${href('/news')}?page=${n}`);
  return (
    <Layout title={title} description={t('content.news.description', { office: settings.officeName })}>
      <h1>{title}</h1>
      {posts.length === 0 ? <p>{t('content.news.empty')}</p> : null}
      {posts.length ? (
        <ul class="cards">
          {posts.map((post) => (
            <li class="card" key={post.slug}>
              <h2><a href={href(`/news/${post.slug}`)}>{post.title}</a></h2>
              <p><time datetime={post.publishedAt}>{time(post.publishedAt, 'date')}</time></p>
              <p>{post.summary}</p>
            </li>
          ))}
        </ul>
      ) : null}
      {page > 1 || hasOlder ? (
        <nav aria-label={t('content.news.pagination')}>
          <p class="actions">
            {page > 1 ? <a href={pageHref(page - 1)} rel="prev">{t('content.news.newer')}</a> : null}
            {hasOlder ? <a href={pageHref(page + 1)} rel="next">{t('content.news.older')}</a> : null}
          </p>
        </nav>
      ) : null}
      <p><a href={href('/news/feed.atom')} type="application/atom+xml">{t('content.news.feed')}</a></p>
    </Layout>
  );
}

export const sampleNewsListProps: NewsListProps = {
  posts: [{ slug: 'new-tip-line', title: 'A new tip line', summary: 'Report online, anonymously.', publishedAt: '2026-03-14T10:00:00.000Z' }],
  page: 1,
  hasOlder: false,
};
