import { usePage } from '../../../core/views/context.ts';
import { ConsoleLayout } from '../../../core/views/console-layout.tsx';
import { DataTable } from '../../../core/views/data-table.tsx';
import type { NewsListItem } from '../repo.ts';
import { useOfficeTime } from '../../../core/views/time.ts';

export type NewsConsoleListProps = { posts: NewsListItem[] };

/** Every news post, drafts included, most recently changed first. */
export function NewsConsoleListPage({ posts }: NewsConsoleListProps) {
  const { t } = usePage();
  const time = useOfficeTime();
  return (
    <ConsoleLayout title={t('content.newsConsole.listTitle')}>
      <h1>{t('content.newsConsole.listTitle')}</h1>
      <p>{t('content.newsConsole.listIntro')}</p>
      <p><a class="button" href="/console/news/new">{t('content.newsConsole.new')}</a></p>
      <DataTable
        caption={t('content.newsConsole.listTitle')}
        captionHidden
        wrap
        columns={[
          t('content.newsConsole.columns.title'),
          t('content.newsConsole.columns.language'),
          t('content.newsConsole.columns.status'),
          t('content.newsConsole.columns.published'),
          t('content.newsConsole.columns.updated'),
        ]}
        rows={posts.map((post) => ({
          key: post.id,
          cells: [
            <th scope="row"><a href={`/console/news/${post.id}`} lang={post.locale}>{post.title}</a></th>,
            <td lang={post.locale}>{t(`common.languageName.${post.locale}`)}</td>,
            <span class={`badge ${post.status === 'published' ? 'badge-ok' : 'badge-warn'}`}>{t(`content.newsConsole.status.${post.status}`)}</span>,
            post.status === 'published' && post.publishedAt ? time(post.publishedAt, 'minute') : '—',
            t('content.newsConsole.changedBy', { when: time(post.updatedAt, 'minute'), who: post.authorLabel }),
          ],
        }))}
        empty={t('content.newsConsole.empty')}
      />
    </ConsoleLayout>
  );
}

export const sampleNewsConsoleListProps: NewsConsoleListProps = {
  posts: [
    {
      id: 'p1',
      locale: 'en',
      slug: 'new-tip-line',
      title: 'A new tip line',
      summary: 'Report online.',
      status: 'draft',
      publishedAt: null,
      authorLabel: 'Ana',
      createdAt: '2026-03-14T10:00:00.000Z',
      updatedAt: '2026-03-14T10:00:00.000Z',
    },
  ],
};
